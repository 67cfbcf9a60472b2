/**
 * fast-check arbitraries for whole frames around IKE and ESP: link layer (Ethernet, VLAN, raw IP,
 * Linux SLL/SLL2, BSD loopback) → IPv4/IPv6 (optionally tunnelled in GRE or IP-in-IP) → UDP 500 /
 * UDP 4500 (non-ESP marker + IKE, ESP-in-UDP, keepalive) or raw ESP/AH, plus IP fragments.
 */
import fc from 'fast-check';
import type { Frame } from '../../../src/capture/frame.js';
import { ah, esp, ether, fragmentIpv4, fragmentIpv6, gre, ipv4, ipv6, keepalive, loopback, nonEsp, nonIke, sll, sll2, udp, vlan, type Bytes } from '../../support/packet-builders.js';
import { encodeMessage, message } from './ike-arb.js';

export interface LinkFrame {
  readonly linkType: number;
  readonly data: Bytes;
}

const ike = message.map((m) => encodeMessage(m).bytes);
const port = fc.oneof(fc.constantFrom(500, 4500), fc.integer({ min: 1, max: 65535 }));

/** What rides in an IP packet: built with the builders so lengths and checksums are right. */
const transport = fc.oneof(
  fc.tuple(port, ike).map(([sport, m]) => udp(sport, 500, m)),
  fc.tuple(port, ike).map(([sport, m]) => udp(sport, 4500, nonEsp(m))),
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.nat(), fc.uint8Array({ maxLength: 64 })).map(([spi, seq, body]) => udp(4500, 4500, esp(spi, seq, body), { checksum: 0 })),
  fc.constant(udp(4500, 4500, keepalive(), { checksum: 0 })),
  fc.tuple(fc.integer({ min: 256, max: 0xffffffff }), fc.uint8Array({ maxLength: 32 })).map(([spi, body]) => udp(500, 500, nonIke(esp(spi, 1, body)))),
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.nat(), fc.uint8Array({ maxLength: 64 })).map(([spi, seq, body]) => esp(spi, seq, body)),
  fc.tuple(port, ike).map(([sport, m]) => ah(0x1000, 1, udp(sport, 500, m))),
  fc.uint8Array({ maxLength: 80 }).map((b) => udp(4500, 4500, b)),
);

const v4 = fc.tuple(fc.ipV4(), fc.ipV4());
const v6 = fc.constantFrom(['2001:db8::1', '2001:db8::2'], ['fe80::1', 'ff02::1:2']);

const ipPacket = fc.oneof(
  fc.tuple(v4, transport).map(([[src, dst], t]) => ipv4({ src, dst }, t)),
  fc.tuple(v6, transport).map(([[src, dst], t]) => ipv6({ src, dst }, t)),
  fc.tuple(v4, transport).map(([[src, dst], t]) => ipv4({ src: '203.0.113.1', dst: '203.0.113.2' }, gre(0x0800, ipv4({ src, dst }, t)))),
  fc.tuple(v4, transport).map(([[src, dst], t]) => ipv4({ src: '203.0.113.1', dst: '203.0.113.2' }, ipv4({ src, dst }, t))),
);

/** One IP packet on one of the link types espy reads. */
export const linkFrame: fc.Arbitrary<LinkFrame> = fc.tuple(ipPacket, fc.nat({ max: 6 })).map(([ip, link]) => {
  const isV6 = ip[0]! >> 4 === 6;
  switch (link) {
    case 0: return { linkType: 1, data: ether(ip) };
    case 1: return { linkType: 1, data: ether(vlan(42, ip)) };
    case 2: return { linkType: 101, data: ip };
    case 3: return { linkType: 113, data: sll(ip) };
    case 4: return { linkType: 276, data: sll2(ip) };
    case 5: return { linkType: 0, data: loopback(isV6 ? 30 : 2, ip) };
    default: return { linkType: isV6 ? 229 : 228, data: ip };
  }
});

/** An IKE message split into IP fragments (so reassembly runs), as Ethernet frames. */
export const fragmentedFrames: fc.Arbitrary<LinkFrame[]> = fc
  .tuple(ike, fc.boolean(), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }))
  .map(([m, six, sizes]) => {
    const padded = new Uint8Array(Math.max(m.length, 200));
    padded.set(m);
    const pieces = six ? fragmentIpv6(ipv6(udp(500, 500, padded)), sizes.map((s) => s * 8)) : fragmentIpv4(ipv4(udp(500, 500, padded)), sizes.map((s) => s * 8));
    return pieces.map((p) => ({ linkType: 1, data: ether(p) }));
  });

export function frameOf(f: LinkFrame, number = 1, originalLength = f.data.length): Frame {
  return { number, tsSec: 1_700_000_000 + number, tsNsec: 0, capturedLength: f.data.length, originalLength, linkType: f.linkType, interfaceId: 0, data: f.data };
}
