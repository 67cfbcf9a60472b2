#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, run by `npm ci`).
// dist/espy.mjs is all of it in one file (scripts/bundle.mjs) and starts in about half the time
// of dist/cli/'s ~160 modules; it is used only when it is at least as new as dist/cli/main.js,
// so a later `tsc` build alone is never shadowed by a stale bundle. ESPY_BUNDLE=0 skips it.
import { statSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
let entry = new URL('cli/main.js', dist);
if (process.env.ESPY_BUNDLE !== '0') {
  try {
    const bundle = new URL('espy.mjs', dist);
    if (statSync(bundle).mtimeMs >= statSync(entry).mtimeMs) entry = bundle;
  } catch {
    // No bundle (or no dist/ at all, which the import below reports).
  }
}
const { main } = await import(entry.href);
main();
