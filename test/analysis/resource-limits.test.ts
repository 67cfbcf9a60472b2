import { describe, expect, it } from 'vitest';
import { analyzeJson, espy, findingIds, tempCapture } from '../support/run-espy.js';
import { ether, ipv4, udp, fragmentIpv4, type Bytes } from '../support/packet-builders.js';
import { pcapngBlockBoundaries, writePcap, writePcapng } from '../support/capture-writer.js';

const A = '198.51.100.7';
const B = '203.0.113.5';
const frames = (...data: Bytes[]) => writePcap(data.map((d, i) => ({ data: d, tsSec: 1_700_000_000 + i })));
const badKeepalive = (sport: number) => ether(ipv4({ src: A, dst: B }, udp(sport, 4500, Uint8Array.of(0xfe), { checksum: 0 })));

/** Every resource bound is configurable and, when hit, reported as a finding (README "Hostile input"). */
describe('resource bounds reported as findings', () => {
  const datagram = ipv4({ src: A, dst: B, id: 0x4242 }, udp(4500, 4500, new Uint8Array(400).fill(0x55), { checksum: 0 }));
  const fragmented = frames(...fragmentIpv4(datagram, [160, 160, 108]).map((f) => ether(f)));

  it('analysis.reassembly_limit: a datagram larger than --max-datagram-bytes', async () => {
    const limited = await analyzeJson(fragmented, '--max-datagram-bytes', '200');
    const finding = limited.report.findings.find((f) => f.id === 'analysis.reassembly_limit');
    expect(finding?.subject).toBe('reassembly: size limits');
    expect(finding?.frames[0]).toBe(2);
    expect(findingIds((await analyzeJson(fragmented)).report)).not.toContain('analysis.reassembly_limit');
  });

  it('analysis.reassembly_limit: fragments further apart than --reassembly-timeout', async () => {
    const parts = fragmentIpv4(datagram, [160, 160, 108]).map((f, i) => ({ data: ether(f), tsSec: 1_700_000_000 + i * 10 }));
    const late = await analyzeJson(writePcap(parts), '--reassembly-timeout', '5');
    expect(late.report.findings.find((f) => f.id === 'analysis.reassembly_limit')?.subject).toBe('reassembly: timeout');
    expect(findingIds((await analyzeJson(writePcap(parts), '--reassembly-timeout', '30')).report)).not.toContain('analysis.reassembly_limit');
  });

  it('analysis.reassembly_limit: more datagrams in flight than --max-datagrams', async () => {
    const other = ipv4({ src: A, dst: B, id: 0x4243 }, udp(4500, 4500, new Uint8Array(400).fill(0x66), { checksum: 0 }));
    const [a1, a2, a3] = fragmentIpv4(datagram, [160, 160, 108]);
    const [b1, b2, b3] = fragmentIpv4(other, [160, 160, 108]);
    const interleaved = frames(...[a1, b1, a2, b2, a3, b3].map((f) => ether(f!)));
    expect(findingIds((await analyzeJson(interleaved, '--max-datagrams', '1')).report)).toContain('analysis.reassembly_limit');
    expect(findingIds((await analyzeJson(interleaved, '--max-datagrams', '2')).report)).not.toContain('analysis.reassembly_limit');
  });

  it('analysis.findings_capped: more distinct (id, subject) pairs than --max-findings', async () => {
    const capture = frames(...[40001, 40002, 40003, 40004, 40005].map(badKeepalive));
    const capped = (await analyzeJson(capture, '--max-findings', '2')).report;
    const notice = capped.findings.find((f) => f.id === 'analysis.findings_capped');
    expect(notice).toBeDefined();
    expect(notice!.count).toBeGreaterThanOrEqual(3);
    const keepaliveEntries = capped.findings.filter((f) => f.id === 'natt.keepalive_bad');
    // Two kept subjects at most, plus one "(further subjects)" entry that counts the rest.
    expect(keepaliveEntries.filter((f) => f.subject !== '(further subjects)').length).toBeLessThanOrEqual(2);
    expect(keepaliveEntries.reduce((n, f) => n + f.count, 0)).toBe(5);
    const full = (await analyzeJson(capture)).report;
    expect(findingIds(full)).not.toContain('analysis.findings_capped');
    expect(full.findings.filter((f) => f.id === 'natt.keepalive_bad')).toHaveLength(5);
  });

  it('capture.read_error: a record over --max-record-bytes stops reading; earlier frames are analysed', async () => {
    const big = ether(ipv4({ src: A, dst: B }, udp(4500, 4500, new Uint8Array(600), { checksum: 0 })));
    const capture = frames(badKeepalive(40001), big, badKeepalive(40002));
    const r = await analyzeJson(capture, '--max-record-bytes', '300');
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.report.captures[0]!.frames).toBe(1);
    const stop = r.report.findings.find((f) => f.id === 'capture.read_error');
    expect(stop?.severity).toBe('error');
    expect(stop?.frames).toEqual([1]);
    expect(stop?.message).toMatch(/Reading stopped after frame 1: .*300/);
    const whole = await analyzeJson(capture);
    expect(whole.code).toBe(0);
    expect(findingIds(whole.report)).not.toContain('capture.read_error');
  });

  it('capture.read_error: a truncated last record', async () => {
    const capture = frames(badKeepalive(40001), badKeepalive(40002));
    const r = await analyzeJson(capture.subarray(0, capture.length - 5));
    expect(r.code).toBe(2);
    expect(r.report.findings.find((f) => f.id === 'capture.read_error')?.frames).toEqual([1]);
  });

  it('capture.resynchronised: a damaged pcapng block is skipped, the frames after it are analysed; exit 2', async () => {
    const ng = writePcapng([{ interfaces: [{}], blocks: [40001, 40002, 40003, 40004].map((sport) => ({ kind: 'epb' as const, data: badKeepalive(sport) })) }]);
    const second = pcapngBlockBoundaries(ng)[3]!;
    const bad = Uint8Array.from(ng);
    new DataView(bad.buffer).setUint32(second + 4, 0xfffffffc, true);
    const r = await analyzeJson(bad);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.report.captures[0]!.frames).toBe(3);
    expect(r.report.captures[0]!.error).toBeUndefined();
    const damage = r.report.findings.find((f) => f.id === 'capture.resynchronised');
    expect(damage).toMatchObject({ severity: 'error', frames: [1], count: 1 });
    expect(damage?.message).toMatch(new RegExp(`block at offset ${second}: total length 4294967292 is larger than the maximum .*; reading resumed at offset \\d+, \\d+ bytes skipped`));
    expect(findingIds(r.report)).not.toContain('capture.read_error');
    expect(r.report.findings.filter((f) => f.id === 'natt.keepalive_bad').map((f) => f.frames[0])).toEqual([1, 2, 3]);
    expect(findingIds((await analyzeJson(ng)).report)).not.toContain('capture.resynchronised');
  });

  it('capture.blocks_skipped: well-framed but unusable pcapng blocks, with the notice; exit 0', async () => {
    const ng = writePcapng([
      { interfaces: [{}], blocks: [{ kind: 'epb', data: badKeepalive(40001) }, { kind: 'epb', data: badKeepalive(40002), interfaceId: 3 }, { kind: 'epb', data: badKeepalive(40003) }] },
    ]);
    const r = await analyzeJson(ng);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    const skipped = r.report.findings.find((f) => f.id === 'capture.blocks_skipped');
    expect(skipped).toMatchObject({ severity: 'warning', frames: [1], count: 1 });
    expect(skipped?.message).toMatch(/enhanced packet block at offset \d+ refers to interface 3, but the section defines 1 interface\(s\); skipped/);
  });

  it('rejects limits that are not whole numbers in range, with one line and exit 2', async () => {
    const file = tempCapture(frames(badKeepalive(40001)));
    for (const bad of [['--max-record-bytes', '0'], ['--max-datagrams', '-1'], ['--max-fragment-bytes', 'lots'], ['--reassembly-timeout', '0']]) {
      const r = await espy('packets', file, ...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.err.join('\n'), bad.join(' ')).toMatch(new RegExp(bad[0]!));
    }
  });
});
