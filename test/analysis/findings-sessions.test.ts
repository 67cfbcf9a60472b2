import { describe, expect, it } from 'vitest';
import { analyzeJson, findingIds } from '../support/run-espy.js';
import { natSession } from '../support/natt-scenarios.js';
import { VID, ikeMessage, natd, notifyV2, NAT_DETECTION_SOURCE_IP, NAT_DETECTION_DESTINATION_IP, natdHash, vid, md5 } from '../support/ike-builders.js';
import { ether, ipv4, udp, nonEsp, hex, keepalive, type Bytes } from '../support/packet-builders.js';
import { writePcap } from '../support/capture-writer.js';

const B = '203.0.113.5';
const behindNat = { initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [31000, 31001] as const, responder: B, capture: 'middle' as const };
const noNat = { initiator: '192.0.2.10', responder: B, capture: 'middle' as const };
const pcap = (list: { data: Bytes; t: number }[]) => writePcap(list.map((f) => ({ data: f.data, tsSec: 1_700_000_000 + Math.floor(f.t), tsUsec: Math.round((f.t % 1) * 1e6) })));
const udpFrame = (src: string, sport: number, dst: string, dport: number, payload: Bytes) => ether(ipv4({ src, dst }, udp(sport, dport, payload)));

describe('session findings', () => {
  it('natt.ike_on_500_after_float', async () => {
    const ispi = hex('1122334455667788');
    const rspi = hex('99aabbccddeeff00');
    const s = natSession({ version: 2, ...behindNat, ispi, rspi });
    const late = ikeMessage({ ispi, rspi, version: 2, exchange: 37, flags: 0x08, mid: 2, payloads: [{ type: 46, body: new Uint8Array(32) }] });
    const extra = writePcap([{ data: udpFrame('198.51.100.7', 31000, B, 500, late), tsSec: 1_700_000_100 }]).subarray(24);
    expect(findingIds((await analyzeJson(new Uint8Array([...s.pcap, ...extra]))).report)).toContain('natt.ike_on_500_after_float');
    expect(findingIds((await analyzeJson(s.pcap)).report)).not.toContain('natt.ike_on_500_after_float');
  });

  it('natt.float_unexpected_message: an IKEv2 SA floating only at CREATE_CHILD_SA', async () => {
    const ispi = hex('0102030405060708');
    const rspi = hex('a1a2a3a4a5a6a7a8');
    const zero = new Uint8Array(8);
    const I = '198.51.100.7';
    const frames = [
      { data: udpFrame(I, 31000, B, 500, ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, payloads: [notifyV2(NAT_DETECTION_SOURCE_IP, natdHash('sha1', ispi, zero, '10.0.0.2', 500)), notifyV2(NAT_DETECTION_DESTINATION_IP, natdHash('sha1', ispi, zero, B, 500))] })), t: 0 },
      { data: udpFrame(B, 500, I, 31000, ikeMessage({ ispi, rspi, version: 2, exchange: 34, flags: 0x20, payloads: [notifyV2(NAT_DETECTION_SOURCE_IP, natdHash('sha1', ispi, rspi, B, 500)), notifyV2(NAT_DETECTION_DESTINATION_IP, natdHash('sha1', ispi, rspi, I, 31000))] })), t: 0.1 },
      { data: udpFrame(I, 31000, B, 500, ikeMessage({ ispi, rspi, version: 2, exchange: 35, flags: 0x08, mid: 1, payloads: [{ type: 46, body: new Uint8Array(40) }] })), t: 0.2 },
      { data: udpFrame(B, 500, I, 31000, ikeMessage({ ispi, rspi, version: 2, exchange: 35, flags: 0x20, mid: 1, payloads: [{ type: 46, body: new Uint8Array(40) }] })), t: 0.3 },
      { data: udpFrame(I, 31001, B, 4500, nonEsp(ikeMessage({ ispi, rspi, version: 2, exchange: 36, flags: 0x08, mid: 2, payloads: [{ type: 46, body: new Uint8Array(40) }] }))), t: 0.4 },
    ];
    const { report } = await analyzeJson(pcap(frames));
    expect(report.ikeSas[0]!.floatedAt).toBe('CREATE_CHILD_SA request');
    expect(findingIds(report)).toContain('natt.float_unexpected_message');
  });

  it('natt.keepalive_from_public_side: keepalives from a peer that is not behind a NAT', async () => {
    const { report } = await analyzeJson(natSession({ version: 2, ...behindNat, keepalives: { count: 2, interval: 5, from: 'responder' } }).pcap);
    expect(findingIds(report)).toContain('natt.keepalive_from_public_side');
    const clean = await analyzeJson(natSession({ version: 2, ...behindNat, keepalives: { count: 2, interval: 5, from: 'initiator' } }).pcap);
    expect(findingIds(clean.report)).not.toContain('natt.keepalive_from_public_side');
  });

  it('natt.nat_d_without_vid and natt.encap_mode_without_natt', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...noNat, vids: { initiator: [VID.DPD], responder: [VID.DPD] }, float: false, quickMode: { encapMode: 3 } }).pcap);
    expect(findingIds(report)).toEqual(expect.arrayContaining(['natt.nat_d_without_vid', 'natt.encap_mode_without_natt']));
    const clean = (await analyzeJson(natSession({ version: 1, ...noNat, float: false, quickMode: { encapMode: 1 } }).pcap)).report;
    expect(findingIds(clean)).not.toContain('natt.nat_d_without_vid');
    expect(findingIds(clean)).not.toContain('natt.encap_mode_without_natt');
  });

  it('natt.nat_d_missing and natt.nat_d_count (IKEv2: SOURCE without DESTINATION)', async () => {
    const ispi = hex('0102030405060708');
    const zero = new Uint8Array(8);
    const msg = ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, payloads: [notifyV2(NAT_DETECTION_SOURCE_IP, natdHash('sha1', ispi, zero, '192.0.2.10', 500))] });
    const { report } = await analyzeJson(pcap([{ data: udpFrame('192.0.2.10', 500, B, 500, msg), t: 0 }]));
    expect(findingIds(report)).toContain('natt.nat_d_missing');
    const two = ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, payloads: [notifyV2(NAT_DETECTION_SOURCE_IP, natdHash('sha1', ispi, zero, '192.0.2.10', 500)), notifyV2(NAT_DETECTION_DESTINATION_IP, new Uint8Array(20)), notifyV2(NAT_DETECTION_DESTINATION_IP, natdHash('sha1', ispi, zero, B, 500))] });
    expect(findingIds((await analyzeJson(pcap([{ data: udpFrame('192.0.2.10', 500, B, 500, two), t: 0 }]))).report)).toContain('natt.nat_d_count');
  });

  it('natt.nat_d_unverifiable: a 24-byte (Tiger) NAT-D', async () => {
    const ispi = hex('0102030405060708');
    const rspi = hex('1112131415161718');
    const mm3 = ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [natd(new Uint8Array(24)), natd(new Uint8Array(24))] });
    expect(findingIds((await analyzeJson(pcap([{ data: udpFrame('192.0.2.10', 500, B, 500, mm3), t: 0 }]))).report)).toContain('natt.nat_d_unverifiable');
  });

  it('natt.nat_d_unexplained: NATs on both sides of the capture point', async () => {
    const ispi = hex('0102030405060708');
    const rspi = hex('1112131415161718');
    const zero = new Uint8Array(8);
    const I = '198.51.100.7';
    const req = ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, payloads: [notifyV2(NAT_DETECTION_SOURCE_IP, natdHash('sha1', ispi, zero, '10.0.0.2', 500)), notifyV2(NAT_DETECTION_DESTINATION_IP, natdHash('sha1', ispi, zero, B, 500))] });
    const resp = ikeMessage({ ispi, rspi, version: 2, exchange: 34, flags: 0x20, payloads: [notifyV2(NAT_DETECTION_SOURCE_IP, natdHash('sha1', ispi, rspi, B, 500)), notifyV2(NAT_DETECTION_DESTINATION_IP, natdHash('sha1', ispi, rspi, '192.0.2.99', 40000))] });
    const { report } = await analyzeJson(pcap([{ data: udpFrame(I, 500, B, 500, req), t: 0 }, { data: udpFrame(B, 500, I, 500, resp), t: 0.1 }]), '--natd-search-hashes', '0');
    expect(report.ikeSas[0]!.nat.capturePoint.initiatorNat).toBe('both-sides');
    expect(findingIds(report)).toContain('natt.nat_d_unexplained');
  });

  it('checksum.rewritten: bad UDP checksums behind good IPv4 checksums', async () => {
    const f = ether(ipv4({ src: '192.0.2.10', dst: B }, udp(1000, 2000, new Uint8Array(8), { checksum: 'bad' })));
    expect(findingIds((await analyzeJson(pcap([{ data: f, t: 0 }]))).report)).toContain('checksum.rewritten');
  });

  it('natt.mapping_reuse: one public mapping carrying two different implementations', async () => {
    const a = natSession({ version: 1, ...behindNat, ispi: hex('aaaaaaaaaaaaaaa1'), vids: { initiator: [VID.RFC3947, md5('strongSwan')], responder: [VID.RFC3947] } });
    const b = natSession({ version: 1, ...behindNat, ispi: hex('bbbbbbbbbbbbbbb2'), startTime: 1_700_000_500, vids: { initiator: [VID.RFC3947, hex('1e2b516905991c7d7c96fcbfb587e46100000004')], responder: [VID.RFC3947] } });
    const both = new Uint8Array([...a.pcap, ...b.pcap.subarray(24)]);
    expect(findingIds((await analyzeJson(both)).report)).toContain('natt.mapping_reuse');
    const same = natSession({ version: 1, ...behindNat, ispi: hex('bbbbbbbbbbbbbbb2'), startTime: 1_700_000_500, vids: { initiator: [VID.RFC3947, md5('strongSwan')], responder: [VID.RFC3947] } });
    expect(findingIds((await analyzeJson(new Uint8Array([...a.pcap, ...same.pcap.subarray(24)]))).report)).not.toContain('natt.mapping_reuse');
    void vid;
    void keepalive;
  });

  it('analysis.ike_sa_evicted: more IKE SAs than --max-ike-sas', async () => {
    const frames = [1, 2, 3].map((i) => ({ data: udpFrame('192.0.2.10', 500, B, 500, ikeMessage({ ispi: hex(`010203040506070${i}`), version: 2, exchange: 34, flags: 0x08, payloads: [] })), t: i }));
    const { report } = await analyzeJson(pcap(frames), '--max-ike-sas', '2');
    expect(findingIds(report)).toContain('analysis.ike_sa_evicted');
    expect(report.ikeSas).toHaveLength(2);
    expect(findingIds((await analyzeJson(pcap(frames))).report)).not.toContain('analysis.ike_sa_evicted');
  });
});
