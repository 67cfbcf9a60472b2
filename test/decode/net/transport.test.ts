import { describe, expect, it } from 'vitest';
import { hex, concat, ipv4, ipv6, udp, tcp, esp, icmp, icmpv6, isakmp, onesSum, u32, ip4 } from '../../support/packet-builders.js';
import { decodeNet, fieldValues, frameOf, infoOf } from './helpers/net-loop.js';
import { expectEveryPrefixDecodes } from './helpers/prefixes.js';

const v4 = (data: Uint8Array) => decodeNet(frameOf(data, { linkType: 228 }));
const v6 = (data: Uint8Array) => decodeNet(frameOf(data, { linkType: 229 }));
const ids = (p: { expert: readonly { id: string }[] }) => p.expert.map((e) => e.id);

describe('UDP', () => {
  // UDP header by hand (checksum filled by ipv4() over the pseudo-header would overwrite it; give it literally).
  const HEADER = hex(`
    01 f4   # source port 500
    11 94   # destination port 4500
    00 10   # length 16
    00 00   # checksum 0: not computed
    de ad be ef 00 00 00 01  # payload: ESP SPI 0xdeadbeef, sequence 1
  `);

  it('reads ports and length; zero checksum over IPv4 is "not present" (status 3)', () => {
    const p = v4(ipv4({ proto: 17 }, HEADER));
    expect(fieldValues(p, ['udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum', 'udp.checksum.status'])).toEqual(['500', '4500', '16', '0x0000', '3']);
    expect(ids(p)).toEqual([]);
  });

  it('good checksum: status 1', () => {
    expect(fieldValues(v4(ipv4(udp(500, 500, isakmp()))), ['udp.checksum.status'])).toEqual(['1']);
    expect(fieldValues(v6(ipv6(udp(500, 500, isakmp()))), ['udp.checksum.status'])).toEqual(['1']);
  });

  it('bad checksum: status 0 and both values, tcpdump style', () => {
    const pkt = ipv4(udp(500, 500, isakmp(), { checksum: 0x1c2f }));
    const p = v4(pkt);
    expect(fieldValues(p, ['udp.checksum.status'])).toEqual(['0']);
    const good = ipv4(udp(500, 500, isakmp()));
    const want = ((good[26]! << 8) | good[27]!).toString(16).padStart(4, '0');
    expect(p.expert.find((e) => e.id === 'udp.checksum_bad')?.message).toBe(`Bad UDP checksum 0x1c2f -> 0x${want}`);
  });

  it('offload-style checksum (only the pseudo-header sum, as NICs leave it) is reported bad', () => {
    const body = udp(4500, 4500, esp(0x100, 1));
    const pseudo = onesSum(ip4('192.0.2.1'), ip4('198.51.100.2'), hex('00 11'), hex(body.length.toString(16).padStart(4, '0')));
    const p = v4(ipv4(udp(4500, 4500, esp(0x100, 1), { checksum: pseudo })));
    expect(fieldValues(p, ['udp.checksum.status'])).toEqual(['0']);
    expect(ids(p)).toEqual(['udp.checksum_bad']);
  });

  it('zero checksum over IPv6 is illegal: status 4 and an entry', () => {
    const p = v6(ipv6(udp(4500, 4500, esp(0x200, 1), { checksum: 0 })));
    expect(fieldValues(p, ['udp.checksum.status'])).toEqual(['4']);
    expect(ids(p)).toEqual(['udp.checksum_zero_ipv6']);
  });

  it('length < 8 stops with an error; no checksum status (tshark)', () => {
    const p = v4(ipv4(udp(4500, 4500, esp(1, 1), { length: 4 })));
    expect(ids(p)).toEqual(['udp.length_invalid']);
    expect(fieldValues(p, ['udp.length', 'udp.checksum.status'])).toEqual(['4', '']);
    expect(infoOf(p)).toBe('4500 → 4500 [BAD UDP LENGTH 4 < 8]');
  });

  it('length past the IP payload: malformed, checksum unverified, payload still decoded', () => {
    const p = v4(ipv4(udp(4500, 4500, esp(0x100, 1), { length: 60 })));
    expect(ids(p)).toContain('udp.length_invalid');
    expect(p.layers[1]!.status).toBe('malformed');
    expect(fieldValues(p, ['udp.checksum.status', 'esp.spi'])).toEqual(['2', '0x00000100']);
  });

  it('length short of the IP payload: the rest is ignored, checksum over the UDP length', () => {
    const p = v4(ipv4(udp(4500, 4500, concat(esp(0x100, 1), new Uint8Array(4)), { length: 32 })));
    expect(fieldValues(p, ['udp.length', 'udp.checksum.status'])).toEqual(['32', '0']);
  });

  it('decodes every prefix without throwing', () => {
    expectEveryPrefixDecodes(ipv4(udp(4500, 4500, esp(0x1234, 5))), 228);
    expectEveryPrefixDecodes(ipv6(udp(500, 500, isakmp())), 229);
  });
});

describe('TCP', () => {
  const SEGMENT = hex(`
    06 bb 9c 40   # ports 1723 -> 40000
    00 00 00 01   # sequence 1
    00 00 00 00   # ack 0
    50 02         # header length 20, SYN
    ff ff         # window 65535
    00 00 00 00   # checksum (computed by ipv4()), urgent pointer
  `);
  it('reads the header and verifies the checksum over the pseudo-header', () => {
    const p = v4(ipv4(tcp(1723, 40000, new Uint8Array(), { flags: 0x02 })));
    expect(fieldValues(p, ['tcp.srcport', 'tcp.dstport', 'tcp.hdr_len', 'tcp.flags', 'tcp.checksum.status'])).toEqual(['1723', '40000', '20', '0x002', '1']);
    expect(infoOf(p)).toBe('1723 → 40000 [SYN] Seq=1 Win=65535 Len=0');
  });
  it('bad checksum (a hand-made header with checksum 0): status 0, both values', () => {
    const p = v4(ipv4({ proto: 6 }, SEGMENT));
    expect(fieldValues(p, ['tcp.checksum.status'])).toEqual(['0']);
    expect(p.expert.find((e) => e.id === 'tcp.checksum_bad')?.message).toMatch(/^Bad TCP checksum 0x0000 -> 0x[0-9a-f]{4}$/);
  });
  it('over IPv6', () => expect(fieldValues(v6(ipv6(tcp(1, 2, hex('00 01')))), ['tcp.checksum.status'])).toEqual(['1']));
  it('header length < 20 is malformed', () => {
    const pkt = ipv4(tcp(1, 2, hex('00 01 02 03'))).slice();
    pkt[32] = 0x40;
    expect(ids(v4(pkt))).toEqual(['tcp.header_length_invalid']);
  });
  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(ipv4(tcp(40000, 1723, hex('00 0c 00 01 1a 2b 3c 4d 00 05 00 00'))), 228));
});

describe('ICMP', () => {
  it('echo: type, code, checksum; tshark-style Info', () => {
    const p = v4(ipv4(icmp(8, 0, hex('00 01 00 01 61 62 63'))));
    expect(fieldValues(p, ['icmp.type', 'icmp.code', 'icmp.checksum.status'])).toEqual(['8', '0', '1']);
    expect(infoOf(p)).toBe('Echo (ping) request  id=0x0001, seq=1/256, ttl=64');
  });
  it('errors decode the quoted packet (ESP inside)', () => {
    const quoted = ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }, esp(0xabc, 5, new Uint8Array(40)));
    const p = v4(ipv4({ src: '10.0.0.2', dst: '10.0.0.1' }, icmp(3, 2, concat(u32(0), quoted))));
    expect(p.layers.map((l) => l.proto)).toEqual(['ip', 'icmp', 'ip', 'esp']);
    expect(fieldValues(p, ['ip.src', 'esp.spi'])).toEqual(['10.0.0.2,10.0.0.1', '0x00000abc']);
    expect(infoOf(p)).toBe('ESP (SPI=0x00000abc)');
  });
  it('ICMPv6 checksum over the pseudo-header; errors quote IPv6', () => {
    const p = v6(ipv6(icmpv6(1, 4, concat(u32(0), ipv6({ src: '2001:db8::9' }, udp(4500, 4500, esp(0x700, 1)))))));
    expect(p.layers.map((l) => l.proto)).toEqual(['ipv6', 'icmpv6', 'ipv6', 'udp', 'udpencap', 'esp']);
    expect(fieldValues(p, ['icmpv6.checksum.status', 'ipv6.src', 'udp.checksum.status'])).toEqual(['1', '2001:db8::1,2001:db8::9', '1']);
  });
  it('decodes every prefix without throwing', () => expectEveryPrefixDecodes(ipv4(icmp(3, 3, concat(u32(0), ipv4(udp(500, 500, isakmp()))))), 228));
});
