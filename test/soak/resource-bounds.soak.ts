/**
 * `npm run soak` (not `npm test`: ~1 minute of CPU and 300 MB per child). Moved from
 * test/fuzz/resource-bounds.test.ts, which keeps the 4 GiB record and block cases and a small
 * flood (the eviction count, exact).
 *
 * A flood of 10^6 distinct IKE SAs (ESPY_FUZZ_IKE_SAS changes the number; measured: 12 s and
 * 124 MB with --max-ike-sas 10000, 38 s and 262 MB with the default cap of 100 000) on the real
 * binary (bin/espy.js → dist/) in a child process with a 200 MB V8 heap
 * (`--max-old-space-size=200`: without a cap V8 grows the heap lazily and RSS measures its
 * laziness, not espy's needs). The peak RSS (process.resourceUsage().maxRSS, written at exit by a
 * preload) must stay < 300 MB.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BUILT, childMeasure, type Measured } from '../support/measure-child.js';
import { writeIkeSaFlood } from '../../bench/bulk-captures.js';

const CEILING_MB = 300;
const HEAP_MB = 200;
const SAS = Number(process.env['ESPY_FUZZ_IKE_SAS'] ?? '1000000');
const { dir, measure: measureChild } = childMeasure(HEAP_MB, 600_000);
const built = BUILT;

function measure(...argv: string[]): Measured {
  return measureChild(argv);
}

describe('an IKE SA flood (child process, peak RSS < 300 MB)', () => {
  it('runs the built CLI (npm run build first)', () => expect(built, 'dist/ is missing: npm run build').toBe(true));

  const flood = path.join(dir, `ike-sa-flood-${SAS}.pcap`);
  const evictionOf = (stdout: string[]) => {
    const report = JSON.parse(stdout[0]!) as { summary: { frames: number; ikeSas: number }; findings: { id: string; count: number }[] };
    return { report, evicted: report.findings.find((f) => f.id === 'analysis.ike_sa_evicted') };
  };

  it(`${SAS} distinct IKE SAs with --max-ike-sas 10000: evictions reported, peak RSS < ${CEILING_MB} MB`, () => {
    const started = performance.now();
    writeIkeSaFlood(flood, SAS);
    console.log(`wrote ${SAS} IKE_SA_INIT requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const a = measure('analyze', flood, '--json', '-q', '--max-ike-sas', '10000', '--fail-on', 'never');
    expect(a.code, a.err.join('\n')).toBe(0);
    const { report, evicted } = evictionOf(a.out);
    expect(report.summary.frames).toBe(SAS);
    expect(report.summary.ikeSas).toBe(10_000);
    expect(evicted?.count).toBe(SAS - 10_000);
    expect(a.rssMb).toBeLessThan(CEILING_MB);
  }, 900_000);

  // The default cap (100 000 IKE SAs): ~0.9 KB of tracker state per SA of this flood (was ~3.3 KB
  // and the child ran out of its 200 MB heap); the JSON is written in pieces and each SA's state is
  // released once its report entry is made. Measured: peak RSS ~260 MB for 2e5 requests.
  it(`${SAS} distinct IKE SAs with the default --max-ike-sas: peak RSS < ${CEILING_MB} MB`, () => {
    if (!existsSync(flood)) writeIkeSaFlood(flood, SAS);
    const a = measure('analyze', flood, '--json', '-q', '--fail-on', 'never');
    rmSync(flood, { force: true });
    expect(a.code, a.err.slice(0, 3).join('\n')).toBe(0);
    const { report, evicted } = evictionOf(a.out);
    expect(evicted?.count ?? 0).toBe(SAS - report.summary.ikeSas);
    expect(a.rssMb).toBeLessThan(CEILING_MB);
  }, 900_000);
});
