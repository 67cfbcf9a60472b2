/**
 * The views on a capture with many sessions, within a 200 MB V8 heap: the frozen 2000-host
 * reproducer (fixtures/malformed/analysis-many-sas-quadratic.pcap.gz: 2000 × IKE SA + raw ESP SA +
 * keepalive flow, 6000 packets, 60 KB) and an 8000-host one. Each command runs as bin/espy.js in a
 * child process with `--max-old-space-size=200`: the checks are functional (exit code, no heap
 * exhaustion, no internal error, the whole output written), never times. Their CPU time and the
 * text-versus-JSON cost ratios (the quadratic tables this file caught) are in `npm run soak`
 * (test/soak/output-bounds.soak.ts).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES, REPO_ROOT } from '../support/environment.js';
import { manySasCapture } from '../../bench/bulk-captures.js';

const BIN = path.join(REPO_ROOT, 'bin', 'espy.js');
const built = existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'));
const CAPTURE = path.join(FIXTURES, 'malformed', 'analysis-many-sas-quadratic.pcap.gz');
/** Only a hang guard (a child that never ends), not a speed limit: minutes where seconds are expected. */
const HANG_GUARD_MS = 10 * 60_000;
const dir = mkdtempSync(path.join(tmpdir(), 'espy-output-bounds-'));

interface Run {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stderr: string;
  readonly stdout: Buffer;
}

function espy(...argv: string[]): Run {
  const r = spawnSync(process.execPath, ['--max-old-space-size=200', BIN, ...argv], { timeout: HANG_GUARD_MS, maxBuffer: 1 << 30, encoding: 'buffer' });
  const out = { code: r.status, killed: r.signal !== null, stderr: r.stderr?.toString('utf8') ?? '', stdout: r.stdout ?? Buffer.alloc(0) };
  const what = argv.join(' ').replace(CAPTURE, 'many-sas(2000)').replace(dir + path.sep, '');
  console.log(`espy ${what}: exit ${out.code}${out.killed ? ` (killed: ${r.signal})` : ''}, ${(out.stdout.length / 1e6).toFixed(1)} MB out`);
  return out;
}

function expectWithinHeap(r: Run): void {
  expect(r.killed, `killed (${r.stderr.split('\n')[0]})`).toBe(false);
  expect(r.stderr).not.toMatch(/heap out of memory|internal error/);
  expect([0, 1]).toContain(r.code);
  expect(r.stdout.length, 'something was written').toBeGreaterThan(0);
}

const GUARD = HANG_GUARD_MS + 60_000;

describe.skipIf(!built)('views of 2000 sessions within a 200 MB heap', () => {
  it('analyze --json: one valid document with the 2000 hosts\' IKE SAs', () => {
    const r = espy('analyze', CAPTURE, '--json', '-q', '--fail-on', 'never');
    expectWithinHeap(r);
    const report = JSON.parse(r.stdout.toString('utf8')) as { summary: { ikeSas: number } };
    expect(report.summary.ikeSas).toBe(2000);
  }, GUARD);

  it('report (HTML): the whole page written', () => {
    const r = espy('report', CAPTURE, '-q', '--natd-search-hashes', '0');
    expectWithinHeap(r);
    expect(r.stdout.subarray(-64).toString('utf8')).toMatch(/<\/html>\s*$/);
  }, GUARD);

  // Was an open bug: the text tables were cli-table3's, quadratic in rows (8.6 s of CPU here).
  // Their cost is now in `npm run soak`; here, that the text view completes in the heap.
  it('analyze (text tables)', () => expectWithinHeap(espy('analyze', CAPTURE, '-q', '--fail-on', 'never')), GUARD);
  it('verify (text)', () => expectWithinHeap(espy('verify', CAPTURE, '--natd-search-hashes', '0')), GUARD);

  // Was an open bug: verify kept ~27 KB of heap per host and 8000 hosts (1.7 MB capture, 101 MB
  // of JSON) exhausted the 200 MB heap. Now about 8 KB per host, and the JSON is written one
  // implementation at a time, waiting for the pipe. (Linearity in CPU: `npm run soak`.)
  it('verify --json on 8000 hosts: within the 200 MB heap, the whole document written', () => {
    const big = path.join(dir, 'many-sas-8000.pcap');
    writeFileSync(big, manySasCapture(8000));
    const r = espy('verify', big, '--json', '--natd-search-hashes', '0');
    expectWithinHeap(r);
    expect(r.stdout.length, 'the whole document was written').toBeGreaterThan(100e6);
    expect(r.stdout.subarray(-2).toString('utf8').trim().endsWith('}'), 'the document is closed').toBe(true);
  }, GUARD);
});
