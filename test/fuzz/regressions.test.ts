/**
 * What the fuzzers found, frozen: each reproducer in fixtures/malformed/ still equals its builder,
 * each open bug has an `it.fails` test here (when it turns red, the bug is fixed: flip it to `it`
 * and delete its entry in support/known-bugs.ts), and every malformed capture also goes through
 * `espy analyze` (test/malformed-corpus.test.ts covers `espy packets`).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { CORPUS, FIXTURES, REPO_ROOT, capturesUnder } from '../support/environment.js';
import { REPRODUCERS } from './support/reproducers.js';
import { KNOWN_BUGS } from './support/known-bugs.js';
import { controlCharIn } from './support/invariants.js';

const MALFORMED = path.join(FIXTURES, 'malformed');
const fixture = (name: string) => path.join(MALFORMED, name);
const plain = (b: Uint8Array) => (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : Buffer.from(b));

async function espy(...argv: string[]) {
  const io = memoryIo({ ESPY_DEBUG: '1' });
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('frozen reproducers equal their builders', () => {
  it.each(REPRODUCERS.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const built = r.bytes();
    if (process.env['ESPY_WRITE_REPRODUCERS'] === '1') writeFileSync(fixture(r.name), built);
    expect(existsSync(fixture(r.name)), `${r.name} missing: ESPY_WRITE_REPRODUCERS=1 npx vitest run test/fuzz/regressions.test.ts`).toBe(true);
    expect(plain(readFileSync(fixture(r.name))).equals(plain(built))).toBe(true);
  });

  it('every known bug names a frozen reproducer', () => {
    for (const b of KNOWN_BUGS) expect(existsSync(path.join(REPO_ROOT, b.reproducer)), b.reproducer).toBe(true);
  });
});

describe('bugs found by fuzzing (it.fails while open, a plain regression test once fixed)', () => {
  // Fixed in a73a591 (src/output/summary.ts endpoints() formatted a destination it had not checked).
  it('summary-ip-dst-missing (fixed): `espy packets` (summary lines) on an IP header cut inside the destination address', async () => {
    for (const name of ['ipv4-header-cut-in-dst.pcap', 'ipv6-header-cut-in-dst.pcap']) {
      const r = await espy('packets', fixture(name));
      expect(r.err.join('\n'), name).not.toMatch(/internal error/);
      expect(r.code, name).toBe(0);
      expect(r.out).toHaveLength(1);
    }
  });

  it('isakmp-transform-count-offset (fixed): every expert offset lies inside the frame', async () => {
    const r = await espy('packets', fixture('isakmp-transform-overrun-offset.pcap'), '-T', 'json');
    const p = JSON.parse(r.out[0]!) as { caplen: number; expert: { id: string; offset?: number }[] };
    expect(p.expert.map((e) => e.id)).toContain('isakmp.payload_too_long');
    for (const e of p.expert) expect(e.offset ?? 0, e.id).toBeLessThanOrEqual(p.caplen);
  });

  // Fixed in src/analysis while this suite was written (a wrong-length hash is now a mismatch).
  it('natd-search-hash-length (fixed for analyze): `espy analyze` on a NAT_DETECTION_SOURCE_IP notify without a hash', async () => {
    const r = await espy('analyze', fixture('ikev2-natd-source-empty.pcap'), '--json');
    expect(r.err.join('\n')).not.toMatch(/internal error/);
    expect([0, 1]).toContain(r.code);
  });

  // Fixed in src/recover/natd-targets.ts: a hash of the wrong length is listed as not searchable.
  it('natd-search-hash-length (fixed): `espy natd-recover` on the same capture', async () => {
    const r = await espy('natd-recover', fixture('ikev2-natd-source-empty.pcap'), '--json', '-q', '--max-seconds', '0.2', '--workers', '1');
    expect(r.err.join('\n')).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
  });

  // Not a fuzzer find: the frozen example of resynchronisation after pcapng damage (README "Hostile input").
  it('pcapng-resync: three damaged places, every intact frame read, exit 2 and one line counting the resynchronisations', async () => {
    const capture = fixture('pcapng-resync.pcapng');
    const p = await espy('packets', capture, '-T', 'fields', '-e', 'udp.srcport');
    expect(p.code).toBe(2);
    expect(p.out).toEqual(['40001', '40002', '40004', '40005', '40006', '40007', '40008', '40009', '40010', '40011', '40012']);
    expect(p.err).toHaveLength(1);
    expect(p.err[0]).toMatch(/pcapng-resync\.pcapng: the capture file is damaged: enhanced packet block at offset 200: total length 13 is not a multiple of 4; reading resumed at offset 276, 76 bytes skipped \(3 resynchronisations, 107 bytes skipped in all\)$/);
    const a = await espy('analyze', capture, '--json', '--fail-on', 'never');
    expect(a.code).toBe(2);
    expect(a.err).toHaveLength(1);
    const report = JSON.parse(a.out[0]!) as { captures: { frames: number }[]; findings: { id: string; count: number }[] };
    expect(report.captures[0]!.frames).toBe(11);
    expect(report.findings.find((f) => f.id === 'capture.resynchronised')?.count).toBe(3);
  });

  // Found by the resource tests (quadratic pairing in Analyzer.finish: 2.5 s CPU here, ~200 s at
  // 20 000 hosts) and fixed in src/analysis while this suite was written. Its cost (analysis about
  // one decode more, not ~10×) is checked by `npm run soak` (test/soak/cpu-bounds.soak.ts); here,
  // what it must produce.
  it('analysis-quadratic-finish (fixed): 2000 hosts × (IKE SA, ESP SA, keepalive flow) are decoded and analysed', async () => {
    const capture = fixture('analysis-many-sas-quadratic.pcap.gz');
    const p = await espy('packets', capture, '-T', 'fields', '-e', 'frame.number');
    expect(p.err).toEqual([]);
    expect(p.code).toBe(0);
    expect(p.out).toHaveLength(6000);
    const a = await espy('analyze', capture, '--json', '--fail-on', 'never');
    expect(a.err).toEqual([]);
    expect(a.code).toBe(0);
    expect((JSON.parse(a.out[0]!) as { summary: { ikeSas: number } }).summary.ikeSas).toBe(2000);
  });
});

describe('`espy analyze`, `verify` and `report` on every malformed capture: no internal error, valid JSON, clean text', () => {
  // Open-bug reproducers have their own tests above. The 6000-packet resource reproducer goes
  // through here too (its CPU and memory are bounded in output-bounds.test.ts).
  const skip = new Set(KNOWN_BUGS.map((b) => path.join(REPO_ROOT, b.reproducer)));
  const captures = [...capturesUnder(MALFORMED), ...capturesUnder(path.join(CORPUS, 'malformed'))].filter((c) => !skip.has(c));
  it.each(captures.map((c) => [path.relative(REPO_ROOT, c), c]))('%s', async (_name, capture) => {
    const search = ['--natd-search-hashes', '1000000'];
    const runs = [
      ['analyze', capture, '--json', '--fail-on', 'never', ...search],
      ['analyze', capture, '--ndjson', '--fail-on', 'never', ...search],
      ['analyze', capture, '--fail-on', 'never', ...search],
      ['verify', capture, '--json', ...search],
      ['report', capture, '-q', ...search],
    ];
    for (const argv of runs) {
      const r = await espy(...argv);
      const what = `${argv[0]} ${argv[2]}: ${r.err.join('\n')}`;
      expect(argv[0] === 'verify' ? [0, 1, 2] : [0, 2], what).toContain(r.code);
      expect(r.err.join('\n'), what).not.toMatch(/internal error|\n\s+at /);
      if (r.code === 2) expect(r.err, what).toHaveLength(1);
      for (const line of [...r.out, ...r.err]) expect(controlCharIn(line), what).toBeUndefined();
      if (argv.includes('--json') || argv.includes('--ndjson')) for (const line of r.out) expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});
