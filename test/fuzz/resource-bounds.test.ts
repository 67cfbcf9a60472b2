/**
 * Resource bounds, measured on the real binary (bin/espy.js → dist/, built by `npm ci`) in a
 * child process: a record claiming 4 GiB, pcapng blocks of 2^32-1 and 2^32-4 bytes, and a flood
 * of distinct IKE SAs past --max-ike-sas. Each child runs with a 200 MB V8 heap
 * (`--max-old-space-size=200`): without a cap V8 grows the heap lazily and RSS measures its
 * laziness, not espy's needs. The peak RSS (process.resourceUsage().maxRSS, written at exit by a
 * preload) must stay < 300 MB: a generous ceiling, not a measurement of speed.
 *
 * The flood of 10^6 IKE SAs (~260 MB peak, ~40 s at the default cap) is a soak: `npm run soak`
 * (test/soak/resource-bounds.soak.ts). Here a flood of FLOOD_SAS against a small cap checks the
 * eviction bookkeeping exactly, and one just past the default cap that its state fits the heap.
 */
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILT, childMeasure, type Measured } from '../support/measure-child.js';
import { pcapngBlock, writePcap, writePcapng } from '../support/capture-writer.js';
import { ether, ipv4, udp } from '../support/packet-builders.js';
import { writeIkeSaFlood } from '../../bench/bulk-captures.js';

const CEILING_MB = 300;
const HEAP_MB = 200;
/** Distinct IKE SAs in the flood, and the cap they overflow. */
const FLOOD_SAS = 30_000;
const FLOOD_CAP = 1000;
/** Just past the default --max-ike-sas (100 000). */
const DEFAULT_CAP_FLOOD = 110_000;
/** Only a hang guard (a child that never ends), not a speed limit. */
const HANG_GUARD_MS = 10 * 60_000;
const { dir, measure: measureChild } = childMeasure(HEAP_MB, HANG_GUARD_MS);
const built = BUILT;

/** Extra environment for the child (ESPY_PCAP_READER=pcap-parser for the pcap-parser case). */
let childEnv: Record<string, string> = {};

function measure(...argv: string[]): Measured {
  return measureChild(argv, { env: childEnv });
}

const good = (i: number) => ({ data: ether(ipv4(udp(500, 500, new Uint8Array(28).fill(i)))), tsSec: 1_700_000_000 + i });

/** A file error after two good packets: exit 2, one stderr line, both packets reported, little memory. */
function expectFileErrorAfterTwo(file: string): void {
  const p = measure('packets', file, '-T', 'json');
  expect(p.code, p.err.join('\n')).toBe(2);
  expect(p.err).toHaveLength(1);
  expect(p.out).toHaveLength(2);
  expect(p.rssMb).toBeLessThan(CEILING_MB);
  const a = measure('analyze', file, '--json', '-q', '--fail-on', 'never');
  expect(a.code, a.err.join('\n')).toBe(2);
  expect(a.err).toHaveLength(1);
  expect((JSON.parse(a.out[0]!) as { summary: { frames: number } }).summary.frames).toBe(2);
  expect(a.rssMb).toBeLessThan(CEILING_MB);
}

describe.skipIf(!built)('resource bounds (child process, peak RSS < 300 MB)', () => {
  it.each([
    ['µs pcap (own reader)', {}, {}],
    ['µs pcap (pcap-parser for analyze)', {}, { ESPY_PCAP_READER: 'pcap-parser' }],
    ['ns pcap (own reader)', { nanos: true }, {}],
    ['big-endian pcap', { bigEndian: true }, {}],
  ] as const)('a record claiming 4 GiB after two good ones: %s', (_name, options, env) => {
    childEnv = env;
    const file = path.join(dir, `huge-record-${_name.replace(/\W+/g, '-')}.pcap`);
    const head = writePcap([good(1), good(2)], options);
    const be = 'bigEndian' in options;
    const rec = new Uint8Array(16 + 64);
    const dv = new DataView(rec.buffer);
    dv.setUint32(8, 0xffffffff, !be);
    dv.setUint32(12, 0xffffffff, !be);
    writeFileSync(file, Buffer.concat([head, rec]));
    expectFileErrorAfterTwo(file);
    childEnv = {};
  });

  it.each([0xffffffff, 0xfffffffc])('a pcapng block claiming %i bytes after two good packets', (total) => {
    const file = path.join(dir, `huge-block-${total}.pcapng`);
    const head = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [{ kind: 'epb', ...good(1) }, { kind: 'epb', ...good(2) }] }]);
    const block = pcapngBlock(6, new Uint8Array(48));
    new DataView(block.buffer).setUint32(4, total, true);
    writeFileSync(file, Buffer.concat([head, block]));
    expectFileErrorAfterTwo(file);
  });

  it(`${FLOOD_SAS} distinct IKE SAs with --max-ike-sas ${FLOOD_CAP}: every eviction counted, peak RSS < ${CEILING_MB} MB`, () => {
    const flood = path.join(dir, `ike-sa-flood-${FLOOD_SAS}.pcap`);
    writeIkeSaFlood(flood, FLOOD_SAS);
    const a = measure('analyze', flood, '--json', '-q', '--max-ike-sas', String(FLOOD_CAP), '--fail-on', 'never');
    rmSync(flood, { force: true });
    expect(a.code, a.err.join('\n')).toBe(0);
    const report = JSON.parse(a.out[0]!) as { summary: { frames: number; ikeSas: number }; findings: { id: string; count: number }[] };
    expect(report.summary.frames).toBe(FLOOD_SAS);
    expect(report.summary.ikeSas).toBe(FLOOD_CAP);
    expect(report.findings.find((f) => f.id === 'analysis.ike_sa_evicted')?.count).toBe(FLOOD_SAS - FLOOD_CAP);
    expect(a.rssMb).toBeLessThan(CEILING_MB);
  });

  // The state at the default cap (100 000 IKE SAs, ~0.9 KB each for this flood) must fit the
  // 200 MB heap: 110 000 requests fill it and evict 10 000. The heap limit is the check (the child
  // dies with "heap out of memory" otherwise); peak RSS is printed, and bounded at 10^6 requests
  // by `npm run soak`.
  it(`${DEFAULT_CAP_FLOOD} distinct IKE SAs with the default --max-ike-sas: the cap's state fits the ${HEAP_MB} MB heap`, () => {
    const flood = path.join(dir, `ike-sa-flood-${DEFAULT_CAP_FLOOD}.pcap`);
    writeIkeSaFlood(flood, DEFAULT_CAP_FLOOD);
    const a = measure('analyze', flood, '--json', '-q', '--fail-on', 'never');
    rmSync(flood, { force: true });
    expect(a.err.join('\n')).not.toMatch(/heap out of memory/);
    expect(a.code, a.err.slice(0, 3).join('\n')).toBe(0);
    const report = JSON.parse(a.out[0]!) as { summary: { frames: number; ikeSas: number }; findings: { id: string; count: number }[] };
    expect(report.summary.frames).toBe(DEFAULT_CAP_FLOOD);
    expect(report.summary.ikeSas).toBe(100_000);
    expect(report.findings.find((f) => f.id === 'analysis.ike_sa_evicted')?.count).toBe(DEFAULT_CAP_FLOOD - 100_000);
  });
});
