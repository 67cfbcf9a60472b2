#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/cli/main.js and the ~160 modules it imports, with commander)
 * into one file, dist/espy.mjs, which bin/espy.js prefers when it is at least as new as
 * dist/cli/main.js. Node starts it in about half the time: loading and linking that many ES
 * modules was 0.13 s of every run (README "Performance"). The natd-recover worker stays a
 * separate file (dist/recover/natd-worker.js).
 *
 *   node scripts/bundle.mjs [ROOT]     (ROOT: the folder holding dist/, default this repository)
 *
 * Without esbuild (an install without dev dependencies) it says so and exits 0: bin/espy.js
 * then runs dist/cli/ as it is.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const entry = path.join(root, 'dist', 'cli', 'main.js');
const outfile = path.join(root, 'dist', 'espy.mjs');
if (!existsSync(entry)) {
  console.error(`bundle: ${entry} is missing (run tsc first)`);
  process.exit(1);
}
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('bundle: esbuild is not installed; bin/espy.js will load dist/cli/ module by module');
  process.exit(0);
}
await esbuild.build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // commander is CommonJS and requires node: built-ins; an ES module bundle needs a require.
  banner: { js: "import { createRequire as __espyRequire } from 'node:module'; const require = __espyRequire(import.meta.url);" },
});
