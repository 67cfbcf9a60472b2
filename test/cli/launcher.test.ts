/**
 * bin/espy.js runs dist/espy.mjs (the esbuild bundle) only when it is at least as new as
 * dist/cli/main.js, so a `tsc` build on its own is never shadowed by an old bundle; ESPY_BUNDLE=0
 * skips it. Checked on a copy of the launcher beside a stand-in dist/ whose two entry points say
 * which one ran.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/environment.js';

const root = mkdtempSync(path.join(tmpdir(), 'espy-launcher-'));
mkdirSync(path.join(root, 'bin'));
mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
copyFileSync(path.join(REPO_ROOT, 'bin', 'espy.js'), path.join(root, 'bin', 'espy.js'));
writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
const modules = path.join(root, 'dist', 'cli', 'main.js');
const bundle = path.join(root, 'dist', 'espy.mjs');
writeFileSync(modules, "export function main() { console.log('modules'); }\n");

function launch(env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'espy.js')], { env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('bin/espy.js', () => {
  it('runs dist/cli/ when there is no bundle', () => {
    expect(launch()).toBe('modules');
  });

  it('runs the bundle when it is at least as new as dist/cli/main.js, unless ESPY_BUNDLE=0', () => {
    writeFileSync(bundle, "export function main() { console.log('bundle'); }\n");
    utimesSync(modules, 1_700_000_000, 1_700_000_000);
    utimesSync(bundle, 1_700_000_100, 1_700_000_100);
    expect(launch()).toBe('bundle');
    expect(launch({ ESPY_BUNDLE: '0' })).toBe('modules');
  });

  it('runs dist/cli/ when the bundle is older (a later tsc build)', () => {
    utimesSync(bundle, 1_700_000_000, 1_700_000_000);
    utimesSync(modules, 1_700_000_100, 1_700_000_100);
    expect(launch()).toBe('modules');
  });
});
