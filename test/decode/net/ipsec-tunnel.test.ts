import { describe, expect, it } from 'vitest';
import { hex, concat, ipv4, ipv6, udp, tcp, esp, ah, isakmp, gre, pptpGre, ppp, l2tpV2, pptpControl, ether, u32 } from '../../support/packet-builders.js';
import type { GreLayer } from '../../../src/decode/tunnel/gre.js';
import type { L2tpLayer, PptpLayer } from '../../../src/decode/tunnel/l2tp.js';
import { decodeNet, fieldValues, frameOf, infoOf } from './helpers/net-loop.js';
import { expectEveryPrefixDecodes } from './helpers/prefixes.js';

const v4 = (data: Uint8Array) => decodeNet(frameOf(data, { linkType: 228 }));
const protos = (data: Uint8Array) => v4(data).layers.map((l) => l.proto);
const ids = (data: Uint8Array) => v4(data).expert.map((e) => e.id);

describe('ESP', () => {
  const ESP = hex(`
    f4 dc 0a e5   # SPI
    00 00 00 01   # sequence 1
    11 22 33 44 55 66 77 88  # IV / ciphertext (opaque)
  `);
  it('reads SPI and sequence, tshark Info', () => {
    const p = v4(ipv4({ proto: 50 }, ESP));
    expect(fieldValues(p, ['esp.spi', 'esp.sequence'])).toEqual(['0xf4dc0ae5', '1']);
    expect(infoOf(p)).toBe('ESP (SPI=0xf4dc0ae5)');
    expect(p.expert).toEqual([]);
  });
  it('SPI 0 is an error, 1-255 a note', () => {
    expect(ids(ipv4(esp(0, 1)))).toEqual(['esp.spi_zero']);
    expect(ids(ipv4(esp(255, 1)))).toEqual(['esp.spi_reserved']);
    expect(ids(ipv4(esp(256, 1)))).toEqual([]);
  });
  it('shorter than 8 octets: malformed, SPI kept', () => {
    const p = v4(ipv4({ proto: 50 }, hex('00 00 12 34 00')));
    expect(p.layers[1]!.status).toBe('malformed');
    expect(fieldValues(p, ['esp.spi', 'esp.sequence'])).toEqual(['0x00001234', '']);
  });
  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(ipv4({ proto: 50 }, ESP), 228));
});

describe('AH', () => {
  const AH = hex(`
    32            # next header ESP
    04            # length 4 → (4 + 2) × 4 = 24 octets
    00 00         # reserved
    81 79 b7 05   # SPI
    00 00 00 01   # sequence 1
    00 01 02 03 04 05 06 07 08 09 0a 0b  # ICV (12 octets)
  `);
  it('reads the header and continues into the next header', () => {
    const p = v4(ipv4({ proto: 51 }, concat(AH, esp(0x48dac2e4, 1))));
    expect(p.layers.map((l) => l.proto)).toEqual(['ip', 'ah', 'esp']);
    expect(fieldValues(p, ['ah.next_header', 'ah.spi', 'ah.sequence', 'ah.icv_length', 'esp.spi'])).toEqual(['50', '0x8179b705', '1', '12', '0x48dac2e4']);
  });
  it('a length below the fixed header is malformed', () => {
    const bad = AH.slice();
    bad[1] = 0;
    expect(ids(ipv4({ proto: 51 }, bad))).toEqual(['ah.length_invalid']);
  });
  it('AH + UDP verifies the UDP checksum with the IP pseudo-header', () => {
    expect(fieldValues(v4(ipv4(ah(5, 1, udp(500, 500, isakmp())))), ['udp.checksum.status'])).toEqual(['1']);
  });
  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(ipv4({ proto: 51 }, concat(AH, esp(1234, 1))), 228));
});

describe('GRE', () => {
  const inner = ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }, udp(500, 500, isakmp()));
  it('version 0 with checksum, key and sequence; carries IPv4', () => {
    const pkt = ipv4({ src: '1.1.1.1', dst: '2.2.2.2' }, gre(0x0800, inner, { key: 5, seq: 9, checksum: true }));
    const p = v4(pkt);
    expect(p.layers.map((l) => l.proto)).toEqual(['ip', 'gre', 'ip', 'udp']);
    expect(fieldValues(p, ['gre.key', 'gre.sequence_number', 'ip.src'])).toEqual(['0x00000005', '9', '1.1.1.1,10.0.0.1']);
    expectEveryPrefixDecodes(pkt, 228);
  });
  it('PPTP enhanced GRE: key = payload length + call id, sequence and ack, PPP inside', () => {
    const GRE1 = hex(`
      30 81         # K S A set, version 1
      88 0b         # protocol PPP
      00 05 00 07   # payload length 5, call id 7
      00 00 00 01   # sequence 1
      00 00 00 00   # ack 0
    `);
    const p = v4(ipv4({ proto: 47 }, concat(GRE1, ppp(0xc021, hex('01')))));
    const g = p.layers[1] as GreLayer;
    expect([g.version, g.keyPayloadLength, g.keyCallId, g.sequence, g.ack]).toEqual([1, 5, 7, 1, 0]);
    expect(p.layers.map((l) => l.proto)).toEqual(['ip', 'gre', 'ppp']);
    expect(infoOf(p)).toBe('PPP Link Control Protocol');
    expect(protos(ipv4(pptpGre(7, ppp(0x0021, inner, { acfc: true }), { seq: 2 })))).toEqual(['ip', 'gre', 'ppp', 'ip', 'udp']);
  });
  it('transparent Ethernet bridging and IPv6', () => {
    expect(protos(ipv4(gre(0x6558, ether(inner))))).toEqual(['ip', 'gre', 'eth', 'ip', 'udp']);
    expect(protos(ipv4(gre(0x86dd, ipv6(esp(1, 1)))))).toEqual(['ip', 'gre', 'ipv6', 'esp']);
  });
  it('routing and unknown versions are not decoded, with a note', () => {
    expect(ids(ipv4({ proto: 47 }, hex('40 00 08 00 00 00 00 00')))).toEqual(['gre.unsupported']);
    expect(ids(ipv4({ proto: 47 }, hex('00 02 08 00')))).toEqual(['gre.unsupported']);
  });
});

describe('L2TP', () => {
  const inner = ipv4(udp(500, 500, isakmp()));
  it('version 2 data: length, tunnel and session ids, PPP inside', () => {
    const L2TP = hex(`
      40 02   # L bit, version 2
      00 00   # length (patched below)
      00 03   # tunnel id 3
      00 04   # session id 4
    `);
    const body = concat(L2TP, ppp(0x0021, inner));
    body[3] = body.length;
    const p = v4(ipv4(udp(1701, 1701, body)));
    const l = p.layers[2] as L2tpLayer;
    expect([l.version, l.control, l.tunnelId, l.sessionId]).toEqual([2, false, 3, 4]);
    expect(p.layers.map((x) => x.proto)).toEqual(['ip', 'udp', 'l2tp', 'ppp', 'ip', 'udp']);
    expectEveryPrefixDecodes(ipv4(udp(1701, 1701, body)), 228);
  });
  it('version 2 control: message type from the first AVP', () => {
    const p = v4(ipv4(udp(1701, 1701, l2tpV2(0, 0, hex('80 08 00 00 00 00 00 01'), { control: true }))));
    expect(infoOf(p)).toBe('Control Message - SCCRQ (tunnel id=0, session id=0)');
    expect(infoOf(v4(ipv4(udp(1701, 1701, l2tpV2(9, 0, new Uint8Array(), { control: true })))))).toBe('Control Message - ZLB (tunnel id=9, session id=0)');
  });
  it('version 3 over UDP, minimally', () => {
    expect(infoOf(v4(ipv4(udp(1701, 1701, hex('c8 03 00 14 00 00 00 05 00 00 00 00 80 08 00 00 00 00 00 01')))))).toBe('Control Message - SCCRQ (ccid=0x00000005)');
    expect(infoOf(v4(ipv4(udp(1701, 1701, hex('00 03 00 00 00 00 12 34 01 02')))))).toBe('D[S:0x00001234]');
  });
  it('a length outside the header..datagram range is malformed; other versions are a note', () => {
    expect(ids(ipv4(udp(1701, 1701, hex('40 02 00 ff 00 01 00 02'))))).toEqual(['l2tp.length_invalid']);
    expect(ids(ipv4(udp(1701, 1701, hex('00 05 00 00'))))).toEqual(['l2tp.version_unsupported']);
  });
});

describe('PPTP control (TCP 1723)', () => {
  it('reads length, message type, magic cookie and control message type', () => {
    const p = v4(ipv4(tcp(40000, 1723, pptpControl(1, new Uint8Array(144)))));
    const l = p.layers[2] as PptpLayer;
    expect([l.pptpLength, l.messageType, l.magicCookie, l.controlType]).toEqual([156, 1, 0x1a2b3c4d, 1]);
    expect(infoOf(p)).toBe('Start-Control-Connection-Request');
    expect(fieldValues(p, ['pptp.magic_cookie'])).toEqual(['0x1a2b3c4d']);
  });
  it('reports a bad magic cookie and an impossible length', () => {
    expect(ids(ipv4(tcp(1723, 40000, pptpControl(5, u32(1), { cookie: 0x11223344 }))))).toEqual(['pptp.magic_cookie_bad']);
    expect(ids(ipv4(tcp(1723, 40000, pptpControl(5, u32(1), { length: 4 }))))).toEqual(['pptp.length_invalid']);
  });
  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(ipv4(tcp(1723, 40000, pptpControl(6, u32(1)))), 228));
});
