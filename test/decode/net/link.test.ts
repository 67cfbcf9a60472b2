import { describe, expect, it } from 'vitest';
import { hex, concat, ipv4, ipv6, udp, esp, ether, vlan, sll, sll2, loopback, isakmp } from '../../support/packet-builders.js';
import { linkTypeProto } from '../../../src/decode/net-protocols.js';
import { decodeNet, fieldValues, frameOf, infoOf } from './helpers/net-loop.js';
import { expectEveryPrefixDecodes } from './helpers/prefixes.js';

const protos = (data: Uint8Array, linkType = 1): string[] => decodeNet(frameOf(data, { linkType })).layers.map((l) => l.proto);

// A 20-byte IPv4 header + 8-byte UDP header + 1 octet (NAT-keepalive), reused under each link type.
const IPV4_KEEPALIVE = hex(`
  45 00 00 1d     # version 4, IHL 5, TOS 0, total length 29
  12 34 00 00     # id 0x1234, no flags, offset 0
  40 11 00 00     # TTL 64, protocol 17 (UDP), checksum (filled below)
  c0 00 02 01     # src 192.0.2.1
  c6 33 64 02     # dst 198.51.100.2
  11 94 11 94     # UDP 4500 -> 4500
  00 09 00 00     # length 9, checksum 0 (none)
  ff              # NAT-keepalive
`);
{
  let s = 0;
  for (let i = 0; i < 20; i += 2) s += (IPV4_KEEPALIVE[i]! << 8) | IPV4_KEEPALIVE[i + 1]!;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  IPV4_KEEPALIVE[10] = (~s >> 8) & 0xff;
  IPV4_KEEPALIVE[11] = ~s & 0xff;
}

describe('Ethernet II', () => {
  const frame = concat(
    hex(`
      00 0e a6 0d 9d 5b   # destination MAC
      00 48 54 81 e3 57   # source MAC
      08 00               # ethertype IPv4
    `),
    IPV4_KEEPALIVE,
  );

  it('decodes addresses and type, then IPv4 → UDP → udpencap', () => {
    const p = decodeNet(frameOf(frame));
    expect(p.layers.map((l) => l.proto)).toEqual(['eth', 'ip', 'udp', 'udpencap']);
    expect(fieldValues(p, ['eth.dst', 'eth.src', 'eth.type', 'ip.src', 'udpencap.nat_keepalive'])).toEqual([
      '00:0e:a6:0d:9d:5b', '00:48:54:81:e3:57', '0x0800', '192.0.2.1', '1',
    ]);
    expect(p.layers.every((l) => l.status === 'ok')).toBe(true);
    expect(infoOf(p)).toBe('NAT-keepalive');
  });

  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(frame, 1));

  it('stops at an ethertype it does not decode, with a chat entry', () => {
    const p = decodeNet(frameOf(ether(new Uint8Array(28), { type: 0x0806 })));
    expect(p.layers.map((l) => l.proto)).toEqual(['eth']);
    expect(p.expert.map((e) => e.id)).toEqual(['link.type_unsupported']);
    expect(infoOf(p)).toBe('Ethertype 0x0806 (ARP)');
  });

  it('reads an 802.3 length frame and reports a length past the end', () => {
    const ok = decodeNet(frameOf(ether(hex('42 42 03 00 00 00 00 00'), { type: 8 })));
    expect(fieldValues(ok, ['eth.len', 'eth.type'])).toEqual(['8', '']);
    const bad = decodeNet(frameOf(ether(hex('42 42 03'), { type: 100 })));
    expect(bad.layers[0]!.status).toBe('malformed');
    expect(bad.expert.map((e) => e.id)).toEqual(['link.length_invalid']);
  });

  it('is malformed when the frame is shorter than a header, truncated when snapped', () => {
    const short = decodeNet(frameOf(hex('01 02 03 04 05 06 07 08 09 0a')));
    expect(short.layers[0]!.status).toBe('malformed');
    expect(short.expert.map((e) => e.id)).toEqual(['link.short']);
    expect(fieldValues(short, ['eth.src', 'eth.dst'])).toEqual(['', '']);
    const snapped = decodeNet(frameOf(hex('01 02 03 04 05 06 07 08 09 0a'), { originalLength: 60 }));
    expect(snapped.layers[0]!.status).toBe('truncated');
    expect(snapped.expert.map((e) => e.id)).toEqual(['frame.truncated']);
  });

  it('follows a Cisco ISL header to the encapsulated frame', () => {
    const isl = concat(
      hex(`
        01 00 0c 00 00 00   # ISL destination (type 0 = Ethernet)
        00 15 62 91 c7 a7   # source
        00 4c               # length
        aa aa 03 00 00 0c   # DSAP, SSAP, control, HSA
        00 03               # VLAN 1, BPDU bit
        00 00 00 00         # index, reserved
      `),
      ether(ipv4(udp(500, 500, isakmp()))),
    );
    const p = decodeNet(frameOf(isl));
    expect(p.layers.map((l) => l.proto).slice(0, 3)).toEqual(['isl', 'eth', 'ip']);
    expect(fieldValues(p, ['isl.vlan_id', 'eth.src'])).toEqual(['1', '02:00:00:00:00:01']);
  });
});

describe('VLAN tags', () => {
  const tagged = hex(`
    02 00 00 00 00 02  02 00 00 00 00 01  # MACs
    81 00                                 # TPID 802.1Q
    a0 64                                 # PCP 5, DEI 0, VLAN 100
    08 00                                 # inner ethertype IPv4
  `);
  it('decodes 802.1Q with priority and id', () => {
    const p = decodeNet(frameOf(concat(tagged, IPV4_KEEPALIVE)));
    expect(p.layers.map((l) => l.proto)).toEqual(['eth', 'vlan', 'ip', 'udp', 'udpencap']);
    expect(fieldValues(p, ['vlan.priority', 'vlan.dei', 'vlan.id', 'vlan.etype'])).toEqual(['5', '0', '100', '0x0800']);
    expectEveryPrefixDecodes(concat(tagged, IPV4_KEEPALIVE), 1);
  });

  it('decodes QinQ: an 802.1ad service tag (no vlan.id, as tshark) then a customer tag', () => {
    const p = decodeNet(frameOf(ether(vlan(10, vlan(20, ipv4(udp(1, 2)))), { type: 0x88a8 })));
    expect(p.layers.map((l) => l.proto).slice(0, 3)).toEqual(['eth', 'ieee8021ad', 'vlan']);
    expect(fieldValues(p, ['ieee8021ad.id', 'vlan.id'])).toEqual(['10', '20']);
  });

  it('decodes the old 0x9100 QinQ as two VLAN tags', () => {
    const p = decodeNet(frameOf(ether(vlan(10, vlan(20, ipv6(esp(1, 1)))), { type: 0x9100 })));
    expect(fieldValues(p, ['vlan.id', 'esp.spi'])).toEqual(['10,20', '0x00000001']);
  });

  it('keeps the id of a cut tag and marks it malformed', () => {
    const p = decodeNet(frameOf(ether(hex('00 64'), { type: 0x8100 })));
    expect(p.layers[1]!.status).toBe('malformed');
    expect(fieldValues(p, ['vlan.id', 'vlan.etype'])).toEqual(['100', '']);
  });
});

describe('Linux cooked captures', () => {
  const sllHeader = hex(`
    00 00               # packet type: to us
    00 01               # ARPHRD_ETHER
    00 06               # address length
    02 00 00 00 00 01 00 00  # address (8 bytes, 6 used)
    08 00               # protocol IPv4
  `);
  it('SLL v1 (113)', () => {
    const p = decodeNet(frameOf(concat(sllHeader, IPV4_KEEPALIVE), { linkType: 113 }));
    expect(p.layers.map((l) => l.proto)).toEqual(['sll', 'ip', 'udp', 'udpencap']);
    expect(fieldValues(p, ['sll.pkttype', 'sll.src.eth', 'sll.etype'])).toEqual(['0', '02:00:00:00:00:01', '0x0800']);
    expectEveryPrefixDecodes(concat(sllHeader, IPV4_KEEPALIVE), 113);
  });
  it('SLL v2 (276)', () => {
    const sll2Header = hex(`
      86 dd        # protocol IPv6
      00 00        # reserved
      00 00 00 03  # interface index 3
      00 01        # ARPHRD_ETHER
      04           # packet type: outgoing
      06           # address length
      02 00 00 00 00 01 00 00  # address
    `);
    const frame = concat(sll2Header, ipv6(esp(0x42, 7)));
    const p = decodeNet(frameOf(frame, { linkType: 276 }));
    expect(p.layers.map((l) => l.proto)).toEqual(['sll2', 'ipv6', 'esp']);
    expect(fieldValues(p, ['sll.ifindex', 'sll.pkttype', 'esp.spi'])).toEqual(['3', '4', '0x00000042']);
    expectEveryPrefixDecodes(frame, 276);
  });
  it('builders agree with the hand-made headers', () => {
    expect(protos(sll(ipv4(udp(1, 2))), 113)).toEqual(['sll', 'ip', 'udp']);
    expect(protos(sll2(ipv6(esp(1, 1))), 276)).toEqual(['sll2', 'ipv6', 'esp']);
  });
});

describe('BSD loopback', () => {
  it.each([
    ['NULL little-endian AF_INET', hex('02 00 00 00'), 0, 'ip'],
    ['NULL big-endian AF_INET', hex('00 00 00 02'), 0, 'ip'],
    ['NULL little-endian AF_INET6 (BSD 24)', hex('18 00 00 00'), 0, 'ipv6'],
    ['NULL little-endian AF_INET6 (FreeBSD 28)', hex('1c 00 00 00'), 0, 'ipv6'],
    ['NULL big-endian AF_INET6 (Darwin 30)', hex('00 00 00 1e'), 0, 'ipv6'],
    ['LOOP AF_INET', hex('00 00 00 02'), 108, 'ip'],
    ['LOOP AF_INET6 24', hex('00 00 00 18'), 108, 'ipv6'],
  ] as const)('%s', (_n, family, linkType, ip) => {
    const frame = concat(family, ip === 'ip' ? IPV4_KEEPALIVE : ipv6(esp(5, 1)));
    expect(protos(frame, linkType)[1]).toBe(ip);
    expectEveryPrefixDecodes(frame, linkType);
  });
  it('LOOP is network order only: a little-endian family is not decoded', () => {
    const p = decodeNet(frameOf(concat(hex('02 00 00 00'), IPV4_KEEPALIVE), { linkType: 108 }));
    expect(p.layers.map((l) => l.proto)).toEqual(['loop']);
    expect(p.expert.map((e) => e.id)).toEqual(['link.type_unsupported']);
  });
  it('builder matches', () => expect(protos(loopback(30, ipv6(esp(1, 1)), 'be'), 0)).toEqual(['null', 'ipv6', 'esp']));
});

describe('raw IP link types', () => {
  it.each([
    [101, IPV4_KEEPALIVE, ['raw', 'ip', 'udp', 'udpencap']],
    [101, ipv6(esp(1, 1)), ['raw', 'ipv6', 'esp']],
    [12, IPV4_KEEPALIVE, ['raw', 'ip', 'udp', 'udpencap']],
    [14, ipv6(esp(1, 1)), ['raw', 'ipv6', 'esp']],
    [228, IPV4_KEEPALIVE, ['ip', 'udp', 'udpencap']],
    [229, ipv6(esp(1, 1)), ['ipv6', 'esp']],
  ] as const)('link type %i', (linkType, frame, want) => {
    expect(protos(frame, linkType)).toEqual(want);
    expectEveryPrefixDecodes(frame, linkType);
  });
  it('a raw packet with IP version 5 is malformed', () => {
    const p = decodeNet(frameOf(hex('50 00 00 00'), { linkType: 101 }));
    expect(p.layers[0]!.status).toBe('malformed');
    expect(p.expert.map((e) => e.id)).toEqual(['ip.version_invalid']);
  });
  it('maps link types', () => {
    expect([0, 1, 9, 12, 14, 101, 108, 113, 228, 229, 276, 147].map(linkTypeProto)).toEqual(['null', 'eth', 'ppp', 'raw', 'raw', 'raw', 'loop', 'sll', 'ip', 'ipv6', 'sll2', undefined]);
  });
});
