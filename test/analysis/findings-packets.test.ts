import { describe, expect, it } from 'vitest';
import { analyzeJson, findingIds } from '../support/run-espy.js';
import { natSession } from '../support/natt-scenarios.js';
import { ether, ipv4, ipv6, udp, tcp, esp, ah, keepalive, nonEsp, nonIke, hex, concat, gre, pptpGre, ppp, l2tpV2, pptpControl, isakmp, type Bytes } from '../support/packet-builders.js';
import { writePcap } from '../support/capture-writer.js';
import { ikeMessage, natd, natdHash, P } from '../support/ike-builders.js';

const A = '198.51.100.7';
const B = '203.0.113.5';
const frames = (...data: Bytes[]) => writePcap(data.map((d, i) => ({ data: d, tsSec: 1_700_000_000 + i })));
const v4udp = (sport: number, dport: number, payload: Bytes, o: { checksum?: number | 'bad' } = {}) => ether(ipv4({ src: A, dst: B }, udp(sport, dport, payload, o)));
const behindNat = { initiator: '10.0.0.2', initiatorNat: A, initiatorNatPorts: [31000, 31001] as const, responder: B, capture: 'middle' as const };

/** Each finding raised from crafted packets, next to a clean counterpart that must not raise it. */
describe('findings raised from single packets', () => {
  it('natt.keepalive_bad: 0xFE or 0xFF 0xFF on 4500; a lone 0xFF is fine', async () => {
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, Uint8Array.of(0xfe), { checksum: 0 })))).report)).toContain('natt.keepalive_bad');
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, Uint8Array.of(0xff, 0xff), { checksum: 0 })))).report)).toContain('natt.keepalive_bad');
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, keepalive(), { checksum: 0 })))).report)).not.toContain('natt.keepalive_bad');
  });

  it('natt.keepalive_on_500: a keepalive sent to port 500', async () => {
    expect(findingIds((await analyzeJson(frames(v4udp(500, 500, keepalive(), { checksum: 0 })))).report)).toContain('natt.keepalive_on_500');
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, keepalive(), { checksum: 0 })))).report)).not.toContain('natt.keepalive_on_500');
  });

  it('natt.marker_missing: an ISAKMP header on 4500 without the non-ESP marker', async () => {
    const ike = isakmp({ ispi: hex('0102030405060708'), rspi: hex('1112131415161718'), exchange: 35, flags: 0x08, mid: 1 });
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, ike)))).report)).toContain('natt.marker_missing');
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, nonEsp(ike))))).report)).not.toContain('natt.marker_missing');
  });

  it('natt.marker_without_ike and natt.udpencap_short', async () => {
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, new Uint8Array(4))))).report)).toContain('natt.marker_without_ike');
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, Uint8Array.of(1, 2, 3))))).report)).toContain('natt.udpencap_short');
  });

  it('natt.non_ike_marker: the drafts\' 8-zero-byte marker with ESP on port 500', async () => {
    expect(findingIds((await analyzeJson(frames(v4udp(500, 500, nonIke(esp(0x1000, 1)), { checksum: 0 })))).report)).toContain('natt.non_ike_marker');
  });

  it('natt.esp_on_500: ESP in UDP 500 without the marker; real IKE on 500 is not', async () => {
    expect(findingIds((await analyzeJson(frames(v4udp(500, 500, esp(0xc0ffee01, 1, new Uint8Array(60)), { checksum: 0 })))).report)).toContain('natt.esp_on_500');
    const ike = isakmp({ ispi: hex('0102030405060708'), exchange: 34, flags: 0x08 });
    expect(findingIds((await analyzeJson(frames(v4udp(500, 500, ike)))).report)).not.toContain('natt.esp_on_500');
  });

  it('udpencap.ipv6_zero_checksum and udpencap.checksum_bad', async () => {
    const v6 = ether(ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, udp(4500, 4500, esp(0x2000, 1), { checksum: 0 })), { type: 0x86dd });
    expect(findingIds((await analyzeJson(frames(v6))).report)).toContain('udpencap.ipv6_zero_checksum');
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, esp(0x2000, 1), { checksum: 'bad' })))).report)).toContain('udpencap.checksum_bad');
    expect(findingIds((await analyzeJson(frames(v4udp(4500, 4500, esp(0x2000, 1))))).report)).not.toContain('udpencap.checksum_bad');
  });

  it('checksum.ipv4_bad and checksum.tcp_bad', async () => {
    expect(findingIds((await analyzeJson(frames(ether(ipv4({ src: A, dst: B, checksum: 'bad' }, udp(1000, 2000, new Uint8Array(4))))))).report)).toContain('checksum.ipv4_bad');
    expect(findingIds((await analyzeJson(frames(ether(ipv4({ src: A, dst: B }, tcp(1000, 80, new Uint8Array(4), { checksum: 'bad' })))))).report)).toContain('checksum.tcp_bad');
    expect(findingIds((await analyzeJson(frames(ether(ipv4({ src: A, dst: B }, tcp(1000, 80, new Uint8Array(4))))))).report)).toEqual([]);
  });

  it('esp.sequence_reset: back to 1 on the same SPI', async () => {
    const pkts = [...Array.from({ length: 70 }, (_, i) => i + 1), 1].map((seq) => v4udp(4500, 4500, esp(0x3000, seq), { checksum: 0 }));
    expect(findingIds((await analyzeJson(frames(...pkts))).report)).toContain('esp.sequence_reset');
  });

  it('tunnel.l2tp_cleartext and tunnel.pptp', async () => {
    expect(findingIds((await analyzeJson(frames(v4udp(1701, 1701, l2tpV2(1, 2, ppp(0x0021, new Uint8Array(20))))))).report)).toContain('tunnel.l2tp_cleartext');
    expect(findingIds((await analyzeJson(frames(ether(ipv4({ src: A, dst: B }, tcp(40000, 1723, pptpControl(1))))))).report)).toContain('tunnel.pptp');
    expect(findingIds((await analyzeJson(frames(ether(ipv4({ src: A, dst: B, proto: 47 }, pptpGre(7, ppp(0x0021, new Uint8Array(20)))))))).report)).toContain('tunnel.pptp');
    void gre;
  });

  it('decode.malformed: an ISAKMP payload chain that contradicts itself', async () => {
    const bad = ikeMessage({ ispi: hex('0102030405060708'), version: 2, exchange: 34, flags: 0x08, payloads: [{ type: 40, body: new Uint8Array(8) }] });
    bad[28 + 3] = 2; // payload length 2 < 4
    expect(findingIds((await analyzeJson(frames(v4udp(500, 500, bad)))).report)).toContain('decode.malformed');
  });
});

describe('findings that need a session', () => {
  it('natt.ah_across_nat: AH between peers that detected a NAT', async () => {
    const s = natSession({ version: 2, ...behindNat });
    const ahFrame = ether(ipv4({ src: A, dst: B, proto: 51 }, ah(0x4000, 1, new Uint8Array(20), { nxt: 4 })));
    const withAh = concat(s.pcap, writePcap([{ data: ahFrame, tsSec: 1_700_000_100 }]).subarray(24));
    expect(findingIds((await analyzeJson(withAh)).report)).toContain('natt.ah_across_nat');
    const noNat = natSession({ version: 2, initiator: '192.0.2.10', responder: B, capture: 'middle' });
    const ahClean = ether(ipv4({ src: '192.0.2.10', dst: B, proto: 51 }, ah(0x4000, 1, new Uint8Array(20), { nxt: 4 })));
    expect(findingIds((await analyzeJson(concat(noNat.pcap, writePcap([{ data: ahClean, tsSec: 1_700_000_100 }]).subarray(24)))).report)).not.toContain('natt.ah_across_nat');
  });

  it('natt.nat_oa_missing and natt.nat_oa_differs (transport mode in a clear Quick Mode)', async () => {
    expect(findingIds((await analyzeJson(natSession({ version: 1, ...behindNat, quickMode: { encapMode: 4 } }).pcap)).report)).toContain('natt.nat_oa_missing');
    const withOa = (await analyzeJson(natSession({ version: 1, ...behindNat, quickMode: { encapMode: 4, natOa: ['10.0.0.2', B] } }).pcap)).report;
    expect(findingIds(withOa)).not.toContain('natt.nat_oa_missing');
    expect(findingIds(withOa)).toContain('natt.nat_oa_differs');
  });

  it('natt.started_on_4500 and natt.float_without_nat', async () => {
    const noNatFloat = (await analyzeJson(natSession({ version: 2, initiator: '192.0.2.10', responder: B, capture: 'middle', float: true }).pcap)).report;
    expect(findingIds(noNatFloat)).toContain('natt.float_without_nat');
    expect(findingIds((await analyzeJson(natSession({ version: 2, initiator: '192.0.2.10', responder: B, capture: 'middle' }).pcap)).report)).not.toContain('natt.float_without_nat');
    const only4500 = frames(v4udp(4500, 4500, nonEsp(isakmp({ ispi: hex('0102030405060708'), exchange: 34, flags: 0x08 }))));
    expect(findingIds((await analyzeJson(only4500)).report)).toContain('natt.started_on_4500');
  });

  it('natt.nat_d_length_mismatch: a 16-byte NAT-D under a negotiated SHA-1', async () => {
    const ispi = hex('1122334455667788');
    const rspi = hex('99aabbccddeeff00');
    const sa = natSession({ version: 1, ...behindNat });
    const mm3 = ikeMessage({ ispi, rspi, version: 1, exchange: 2, payloads: [natd(new Uint8Array(16)), natd(new Uint8Array(16))] });
    const extra = writePcap([{ data: v4udp(31000, 500, mm3), tsSec: 1_700_000_050 }]).subarray(24);
    expect(findingIds((await analyzeJson(concat(sa.pcap, extra))).report)).toContain('natt.nat_d_length_mismatch');
    expect(findingIds((await analyzeJson(sa.pcap)).report)).not.toContain('natt.nat_d_length_mismatch');
    void natdHash;
    void P;
  });
});
