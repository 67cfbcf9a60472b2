/**
 * Runs the built CLI in a child process with a capped V8 heap and reports its peak RSS (read by a
 * preload that writes `process.resourceUsage().maxRSS` on exit): the memory bounds of
 * test/fuzz/resource-bounds.test.ts and npm run soak.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './environment.js';

export const BIN = path.join(REPO_ROOT, 'bin', 'espy.js');
export const BUILT = existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'));

export interface Measured {
  readonly code: number | null;
  readonly out: string[];
  readonly err: string[];
  /** Peak RSS in MB, undefined when the child died before its exit handler (e.g. heap exhausted). */
  readonly rssMb: number | undefined;
  /** Wall time (s), for the soak's log only: nothing in npm test asserts on it. */
  readonly seconds: number;
}

export interface ChildMeasure {
  /** A scratch folder for the captures the test writes. */
  readonly dir: string;
  measure(argv: readonly string[], options?: { env?: Record<string, string> }): Measured;
}

export function childMeasure(heapMb: number, hangGuardMs: number): ChildMeasure {
  const dir = mkdtempSync(path.join(tmpdir(), 'espy-bounds-'));
  const preload = path.join(dir, 'max-rss.mjs');
  writeFileSync(preload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { if (process.env.ESPY_RSS_OUT) writeFileSync(process.env.ESPY_RSS_OUT, String(process.resourceUsage().maxRSS)); });\n");
  return {
    dir,
    measure(argv, options = {}) {
      const rssFile = path.join(dir, `rss-${process.hrtime.bigint()}.txt`);
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', preload, BIN, ...argv], {
        env: { ...process.env, ...options.env, ESPY_RSS_OUT: rssFile, ESPY_DEBUG: '1' },
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        timeout: hangGuardMs,
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined;
      const lines = (s: string): string[] => s.replace(/\n$/, '').split('\n').filter((l) => l !== '');
      const m = { code: r.status, out: lines(r.stdout ?? ''), err: lines(r.stderr ?? ''), rssMb, seconds };
      console.log(`espy ${argv.map((a) => (a.startsWith(dir) ? path.basename(a) : a)).join(' ')}: exit ${m.code}, peak RSS ${rssMb?.toFixed(0) ?? '(died)'} MB`);
      return m;
    },
  };
}
