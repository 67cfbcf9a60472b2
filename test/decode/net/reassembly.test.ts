import { describe, expect, it } from 'vitest';
import { ipv4, ipv6, udp, isakmp, nonEsp, fragmentIpv4, fragmentIpv6, esp } from '../../support/packet-builders.js';
import { ReassemblyTable, type FragmentInput } from '../../../src/decode/ip/reassembly.js';
import { DEFAULT_DECODE_CONFIG, type DecodeConfig, type ReassemblyLimits } from '../../../src/decode/layer.js';
import type { IpLayer } from '../../../src/decode/ip/ipv4.js';
import { decodeNet, fieldValues, frameOf, infoOf, newState, treeText } from './helpers/net-loop.js';

const LIMITS: ReassemblyLimits = { maxDatagramBytes: 1000, maxTotalBytes: 4000, maxDatagrams: 8, timeoutSeconds: 60 };
const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

function table(limits: Partial<ReassemblyLimits> = {}) {
  const t = new ReassemblyTable({ ...LIMITS, ...limits });
  const reports: { id: string; message: string }[] = [];
  const add = (f: Partial<FragmentInput> & { offset: number; data: Uint8Array; more: boolean }) =>
    t.add({ key: 'k', frame: 1, time: 0, ...f }, (id, message) => reports.push({ id, message }));
  return { t, reports, add };
}

describe('ReassemblyTable', () => {
  const payload = bytes(40);
  const part = (a: number, b: number) => payload.slice(a, b);

  it('reassembles in order', () => {
    const { t, add, reports } = table();
    expect(add({ frame: 1, offset: 0, data: part(0, 16), more: true }).kind).toBe('held');
    expect(add({ frame: 2, offset: 16, data: part(16, 32), more: true }).kind).toBe('held');
    const r = add({ frame: 3, offset: 32, data: part(32, 40), more: false });
    expect(r.kind).toBe('complete');
    if (r.kind !== 'complete') return;
    expect([...r.data]).toEqual([...payload]);
    expect(r.fragments).toEqual([{ frame: 1, offset: 0, length: 16 }, { frame: 2, offset: 16, length: 16 }, { frame: 3, offset: 32, length: 8 }]);
    expect(reports).toEqual([]);
    expect([t.size, t.bytes]).toEqual([0, 0]);
  });

  it('reassembles out of order, listing fragments by offset', () => {
    const { add } = table();
    add({ frame: 1, offset: 32, data: part(32, 40), more: false });
    add({ frame: 2, offset: 0, data: part(0, 16), more: true });
    const r = add({ frame: 3, offset: 16, data: part(16, 32), more: true });
    expect(r.kind === 'complete' && [...r.data]).toEqual([...payload]);
    expect(r.kind === 'complete' && r.fragments.map((f) => f.frame)).toEqual([2, 3, 1]);
  });

  it('drops an exact duplicate and says so', () => {
    const { t, add, reports } = table();
    add({ frame: 1, offset: 0, data: part(0, 16), more: true });
    expect(add({ frame: 2, offset: 0, data: part(0, 16), more: true }).kind).toBe('held');
    expect(reports.map((r) => r.id)).toEqual(['ip.fragment_duplicate']);
    expect(t.bytes).toBe(16);
    const r = add({ frame: 3, offset: 16, data: part(16, 40), more: false });
    expect(r.kind === 'complete' && r.fragments.length).toBe(2);
  });

  it('resolves conflicting overlaps deterministically: lower offset, then earlier, wins', () => {
    const { add, reports } = table();
    add({ frame: 1, offset: 0, data: part(0, 24), more: true });
    const other = bytes(24, 99);
    add({ frame: 2, offset: 16, data: other, more: false });
    expect(reports.map((r) => r.id)).toEqual(['ip.fragment_overlap']);
    expect(reports[0]!.message).toMatch(/conflicting data/);
    // Completed when the tail arrived: bytes 0-23 from frame 1, 24-39 from frame 2.
    const again = table();
    again.add({ frame: 1, offset: 0, data: part(0, 24), more: true });
    const r = again.add({ frame: 2, offset: 16, data: other, more: false });
    expect(r.kind).toBe('complete');
    if (r.kind !== 'complete') return;
    expect([...r.data.subarray(0, 24)]).toEqual([...part(0, 24)]);
    expect([...r.data.subarray(24)]).toEqual([...other.subarray(8)]);
    expect(r.overlap).toBe(true);
  });

  it('reports an overlap with the same data without "conflicting"', () => {
    const { add, reports } = table();
    add({ frame: 1, offset: 0, data: part(0, 24), more: true });
    add({ frame: 2, offset: 16, data: part(16, 40), more: false });
    expect(reports.map((r) => [r.id, /conflicting/.test(r.message)])).toEqual([['ip.fragment_overlap', false]]);
  });

  it('reports fragments inconsistent with the datagram end', () => {
    const { add, reports } = table();
    add({ frame: 1, offset: 16, data: part(16, 32), more: false });
    add({ frame: 2, offset: 24, data: part(24, 40), more: true });
    expect(reports.map((r) => r.id)).toEqual(['ip.fragment_inconsistent', 'ip.fragment_overlap']);
  });

  it('evicts a datagram over the per-datagram limit', () => {
    const { t, add, reports } = table({ maxDatagramBytes: 32 });
    add({ frame: 1, offset: 0, data: part(0, 16), more: true });
    expect(add({ frame: 2, offset: 16, data: part(16, 40), more: false }).kind).toBe('dropped');
    expect(reports.map((r) => r.id)).toEqual(['ip.reassembly_evicted']);
    expect([t.size, t.bytes]).toEqual([0, 0]);
  });

  it('bounds the bytes held by repeated overlaps of one datagram', () => {
    const { t, add, reports } = table({ maxDatagramBytes: 64 });
    for (let i = 0; i < 10; i++) add({ frame: i + 1, offset: 0, data: bytes(16, i), more: true });
    expect(t.bytes).toBeLessThanOrEqual(64);
    expect(reports.map((r) => r.id)).toContain('ip.reassembly_evicted');
  });

  it('evicts the oldest datagram when the total-bytes limit is reached', () => {
    const { t, add, reports } = table({ maxTotalBytes: 40 });
    add({ key: 'a', frame: 1, offset: 0, data: bytes(16), more: true });
    add({ key: 'b', frame: 2, offset: 0, data: bytes(16), more: true });
    expect(add({ key: 'c', frame: 3, offset: 0, data: bytes(16), more: true }).kind).toBe('held');
    expect(reports.map((r) => r.id)).toEqual(['ip.reassembly_evicted']);
    expect(reports[0]!.message).toMatch(/first seen in frame 1/);
    expect([t.size, t.bytes]).toEqual([2, 32]);
  });

  it('evicts the oldest datagram when too many are in flight', () => {
    const { t, add, reports } = table({ maxDatagrams: 2 });
    for (const key of ['a', 'b', 'c']) add({ key, offset: 0, data: bytes(8), more: true });
    expect(t.size).toBe(2);
    expect(reports.map((r) => r.id)).toEqual(['ip.reassembly_evicted']);
  });

  it('drops incomplete datagrams older than the timeout (capture time)', () => {
    const { t, add, reports } = table({ timeoutSeconds: 60 });
    add({ frame: 1, time: 1000, offset: 0, data: part(0, 16), more: true });
    expect(add({ frame: 2, time: 1061, offset: 16, data: part(16, 40), more: false }).kind).toBe('held');
    expect(reports.map((r) => r.id)).toEqual(['ip.reassembly_timeout']);
    expect(t.size).toBe(1);
  });
});

describe('IPv4 fragments through the decoder', () => {
  const datagram = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 0x1111 }, udp(4500, 4500, nonEsp(isakmp({ body: new Uint8Array(100).fill(7) }))));
  const frags = fragmentIpv4(datagram, [48, 48]);

  it('holds earlier fragments and decodes the upper layers from the reassembled bytes in the last one', () => {
    const state = newState();
    const packets = frags.map((f, i) => decodeNet(frameOf(f, { linkType: 228, number: i + 1 }), DEFAULT_DECODE_CONFIG, state));
    expect(packets.map((p) => p.layers.map((l) => l.proto))).toEqual([['ip'], ['ip'], ['ip', 'udp', 'udpencap']]);
    expect(infoOf(packets[0]!)).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=1111)');
    expect(infoOf(packets[1]!)).toBe('Fragmented IP protocol (proto=UDP 17, off=48, ID=1111)');
    const last = packets[2]!;
    expect((last.layers[0] as IpLayer).payload).toBe('reassembled');
    expect(last.layers.slice(1).every((l) => l.reassembled)).toBe(true);
    expect(fieldValues(last, ['ip.flags.mf', 'ip.frag_offset', 'udp.length', 'udp.checksum.status', 'udpencap.non_esp_marker'])).toEqual(['0', '12', '140', '1', '1']);
    const tree = treeText(last);
    expect(tree).toContain('[3 IPv4 Fragments (140 bytes): #1(48), #2(48), #3(44)]');
    expect(tree).toContain('[Reassembled IPv4 in frame 3]');
    expect(state.fragments.size).toBe(0);
  });

  it('does not reassemble a fragment with a bad header checksum: the first is decoded alone (tshark)', () => {
    const first = frags[0]!.slice();
    first[10] = first[10]! ^ 0xff;
    const state = newState();
    const a = decodeNet(frameOf(first, { linkType: 228, number: 1 }), DEFAULT_DECODE_CONFIG, state);
    const b = decodeNet(frameOf(frags[1]!, { linkType: 228, number: 2 }), DEFAULT_DECODE_CONFIG, state);
    expect(a.layers.map((l) => l.proto)).toEqual(['ip', 'udp', 'udpencap']);
    expect(a.expert.map((e) => e.id)).toEqual(['ip.checksum_bad', 'ip.fragment_not_reassembled']);
    expect(fieldValues(a, ['ip.checksum.status', 'udp.length', 'udp.checksum.status'])).toEqual(['0', '140', '2']);
    expect(b.layers.map((l) => l.proto)).toEqual(['ip']);
    expect((b.layers[0] as IpLayer).payload).toBe('held');
  });

  it('keeps the table bounded under a flood of unmatched fragments', () => {
    const config: DecodeConfig = { ...DEFAULT_DECODE_CONFIG, reassembly: { ...LIMITS, maxDatagrams: 16 } };
    const state = newState(config);
    let evicted = 0;
    for (let id = 0; id < 200; id++) {
      const f = fragmentIpv4(ipv4({ id }, udp(1, 2, new Uint8Array(64))), [32])[0]!;
      evicted += decodeNet(frameOf(f, { linkType: 228, number: id + 1 }), config, state).expert.filter((e) => e.id === 'ip.reassembly_evicted').length;
    }
    expect(state.fragments.size).toBe(16);
    expect(evicted).toBe(184);
  });
});

describe('IPv6 fragments through the decoder', () => {
  it('reassembles through the same table and decodes the upper layer from the offset-0 next header', () => {
    const frags = fragmentIpv6(ipv6({}, udp(500, 500, isakmp({ body: new Uint8Array(80) }))), [56]);
    const state = newState();
    const p = frags.map((f, i) => decodeNet(frameOf(f, { linkType: 229, number: i + 1 }), DEFAULT_DECODE_CONFIG, state));
    expect(infoOf(p[0]!)).toBe('IPv6 fragment (off=0 more=y ident=0xabcd1234 nxt=17)');
    expect(p[1]!.layers.map((l) => l.proto)).toEqual(['ipv6', 'udp']);
    expect(fieldValues(p[1]!, ['ipv6.nxt', 'ipv6.fraghdr.offset', 'udp.length', 'udp.checksum.status'])).toEqual(['44', '56', '116', '1']);
    expect(treeText(p[1]!)).toContain('[2 IPv6 Fragments (116 bytes): #1(56), #2(60)]');
  });

  it('treats an atomic fragment (offset 0, no more) as a whole packet', () => {
    const p = decodeNet(frameOf(ipv6({ ext: [{ type: 44 }] }, esp(9, 1)), { linkType: 229 }));
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6', 'esp']);
  });
});
