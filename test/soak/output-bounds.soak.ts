/**
 * `npm run soak` (not `npm test`: these depend on machine speed). Moved from
 * test/fuzz/output-bounds.test.ts, which keeps the functional half (exit codes, no heap
 * exhaustion in a 200 MB heap, the whole document written).
 *
 * Time and memory of the views on a capture with many sessions: the frozen 2000-host reproducer
 * (fixtures/malformed/analysis-many-sas-quadratic.pcap.gz: 2000 × IKE SA + raw ESP SA +
 * keepalive flow, 6000 packets, 60 KB). Each command runs as bin/espy.js in a child process with
 * a 200 MB V8 heap; CPU time is measured in the child (robust to a busy machine) and a wall-clock
 * limit stops a regression early instead of eating CI time.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES, REPO_ROOT } from '../support/environment.js';
import { manySasCapture } from '../../bench/bulk-captures.js';

const BIN = path.join(REPO_ROOT, 'bin', 'espy.js');
const built = existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'));
const CAPTURE = path.join(FIXTURES, 'malformed', 'analysis-many-sas-quadratic.pcap.gz');
/** Only a hang guard: a child still running after this is a hang, not a slow machine. Costs are timed by `npm run bench` (its 8000-host part). */
const HANG_GUARD_MS = 10 * 60_000;
const dir = mkdtempSync(path.join(tmpdir(), 'espy-output-bounds-'));
const preload = path.join(dir, 'cpu.mjs');
writeFileSync(preload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.ESPY_CPU_OUT, JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1e6, rssMb: u.maxRSS / 1024 })); });\n");

interface Run {
  readonly code: number | null;
  readonly killed: boolean;
  readonly cpu: number | undefined;
  readonly stderr: string;
  readonly outBytes: number;
}

function espy(...argv: string[]): Run {
  const wallMs = HANG_GUARD_MS;
  const file = path.join(dir, `cpu-${process.hrtime.bigint()}.json`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=200', '--import', preload, BIN, ...argv], { timeout: wallMs, maxBuffer: 1 << 30, encoding: 'buffer', env: { ...process.env, ESPY_CPU_OUT: file } });
  const m = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { cpu: number; rssMb: number }) : undefined;
  const out = { code: r.status, killed: r.signal !== null, cpu: m?.cpu, stderr: r.stderr?.toString('utf8').split('\n')[0] ?? '', outBytes: r.stdout?.length ?? 0 };
  const what = argv.join(' ').replace(CAPTURE, 'many-sas(2000)').replace(dir + path.sep, '');
  console.log(`espy ${what}: exit ${out.code}${out.killed ? ` (stopped after ${wallMs} ms)` : ''}, ${m ? `${m.cpu.toFixed(1)} s CPU, peak RSS ${m.rssMb.toFixed(0)} MB` : 'no usage (died)'}, ${((performance.now() - started) / 1000).toFixed(1)} s, ${((r.stdout?.length ?? 0) / 1e6).toFixed(1)} MB out`);
  return out;
}

function expectBounded(r: Run): void {
  expect(r.killed, 'still running at the hang guard').toBe(false);
  expect(r.stderr).not.toMatch(/heap out of memory|internal error/);
  expect([0, 1]).toContain(r.code);
}

/**
 * The text view and the JSON view of the same report both finish within the heap. What each
 * costs (the text once cost 7× the JSON with quadratic tables) is measured by `npm run bench`
 * ("verify (text) / verify --json" in its 8000-host part), not asserted here.
 */
function expectTextLikeJson(json: readonly string[], text: readonly string[]): void {
  expectBounded(espy(...json));
  expectBounded(espy(...text));
}

describe('views of 2000 sessions: they finish within a 200 MB heap', () => {
  it('runs the built CLI (npm run build first)', () => expect(built, 'dist/ is missing: npm run build').toBe(true));

  it('analyze --json', () => expectBounded(espy('analyze', CAPTURE, '--json', '-q', '--fail-on', 'never')));
  it('report (HTML)', () => expectBounded(espy('report', CAPTURE, '-q', '--natd-search-hashes', '0')));

  // Was an open bug: src/output/analysis-text.ts rendered every IKE SA into one cli-table3 table,
  // whose layout (fillInTable / conflictExists) is quadratic in rows: 2.9 s CPU for 1000 SAs,
  // 8.6 s for 2000, 53 s for 8000. Now src/output/text-table.ts, linear (0.7 s here, like --json).
  it('analyze (text tables) costs about what analyze --json does', () =>
    expectTextLikeJson(['analyze', CAPTURE, '--json', '-q', '--fail-on', 'never'], ['analyze', CAPTURE, '-q', '--fail-on', 'never']));

  // Was 10 ms of CPU per session, 5-7x its JSON, all of it cli-table3 (see above): 25 s here.
  it('verify (text) costs about what verify --json does', () =>
    expectTextLikeJson(['verify', CAPTURE, '--json', '--natd-search-hashes', '0'], ['verify', CAPTURE, '--natd-search-hashes', '0']));

  // Was an open bug: verify kept ~27 KB of heap per host (a hidden class per requirement row, 17
  // arrays reserved per one-element list, the whole report and then its JSON as one string, 50 MB
  // for 2000 hosts) and 8000 hosts (1.7 MB capture, 101 MB of JSON) exhausted the 200 MB heap.
  // Now about 8 KB per host, and the JSON is written one implementation at a time, waiting for
  // the pipe. Linear: 4x the hosts may cost up to 6x (quadratic would be 16x; fixed costs make
  // it ~2x here: 2.4 s and 5 s of CPU).
  // Linearity (4x the hosts, not 16x the cost) is timed by `npm run bench` ("analyze, 8000 / 2000 hosts").
  it('verify --json on 8000 hosts: within the 200 MB heap, the whole document written', () => {
    const big = path.join(dir, 'many-sas-8000.pcap');
    writeFileSync(big, manySasCapture(8000));
    expectBounded(espy('verify', CAPTURE, '--json', '--natd-search-hashes', '0'));
    const r = espy('verify', big, '--json', '--natd-search-hashes', '0');
    expectBounded(r);
    expect(r.outBytes, 'the whole document was written').toBeGreaterThan(100e6);
  }, HANG_GUARD_MS);
});
