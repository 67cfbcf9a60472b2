/**
 * Crafted captures for edge cases the corpus lacks, built with the packet builders and compared
 * with tshark like the corpus (test/decode/net/tshark-crafted.test.ts). Each case names what it
 * exercises; `crafted/<file>` keys in test/tshark-differences.md refer to these frames (1-based).
 */
import * as B from '../../../support/packet-builders.js';
import type { FrameSpec } from './mini-pcap.js';

const { ether, vlan, sll, sll2, loopback, ipv4, ipv6, udp, tcp, hex, isakmp, nonEsp, nonIke, esp, ah, icmp, icmpv6, concat, u32 } = B;

export interface CraftedCase {
  readonly name: string;
  readonly frame: FrameSpec;
}

export interface CraftedCapture {
  readonly file: string;
  readonly linkType: number;
  readonly cases: readonly CraftedCase[];
}

const c = (name: string, data: Uint8Array, extra: Omit<FrameSpec, 'data'> = {}): CraftedCase => ({ name, frame: { data, ...extra } });
const A = { src: '10.0.0.1', dst: '10.0.0.2' };
const ike = isakmp();
const bigIke = udp(4500, 4500, nonEsp(isakmp({ body: new Uint8Array(100).fill(7) })));

function udpencapCases(): CraftedCase[] {
  const u = (name: string, p: Uint8Array): CraftedCase => c(name, ether(ipv4(A, p)));
  return [
    u('4500 empty payload', udp(4500, 4500)),
    u('4500 keepalive 0xff', udp(4500, 4500, hex('ff'))),
    u('4500 one octet 0x00', udp(4500, 4500, hex('00'))),
    u('4500 two octets 0xff 0xff', udp(4500, 4500, hex('ff ff'))),
    u('4500 three zero octets', udp(4500, 4500, hex('00 00 00'))),
    u('4500 marker only', udp(4500, 4500, hex('00 00 00 00'))),
    u('4500 marker + 10 octets', udp(4500, 4500, hex('00 00 00 00 01 02 03 04 05 06 07 08 09 0a'))),
    u('4500 marker + IKE', udp(4500, 4500, nonEsp(ike))),
    u('4500 ESP SPI 1 (reserved)', udp(4500, 4500, esp(1, 1))),
    u('4500 IKE without marker', udp(4500, 4500, ike)),
    u('4500 five octets 0xff', udp(4500, 4500, hex('ff ff ff ff ff'))),
    u('500 keepalive', udp(500, 500, hex('ff'))),
    u('500 non-IKE marker + ESP', udp(500, 500, nonIke(esp(0x1234, 1)))),
    u('500 IKE', udp(500, 500, ike)),
    u('4500->500 IKE', udp(4500, 500, ike)),
    u('500->4500 marker + IKE', udp(500, 4500, nonEsp(ike))),
    u('600->700 marker + IKE (shape)', udp(600, 700, nonEsp(ike))),
    u('600->700 IKE (shape)', udp(600, 700, ike)),
    u('600->700 keepalive (shape)', udp(600, 700, hex('ff'))),
    u('4500 ESP of 5 octets', udp(4500, 4500, hex('11 22 33 44 55'))),
    u('500 empty', udp(500, 500)),
    u('500 three octets', udp(500, 500, hex('01 02 03'))),
    u('UDP checksum zero', udp(4500, 4500, esp(0x100, 1), { checksum: 0 })),
    u('UDP checksum bad', udp(4500, 4500, esp(0x100, 1), { checksum: 'bad' })),
    u('UDP length 4', udp(4500, 4500, esp(0x100, 1), { length: 4 })),
    u('UDP length > IP payload', udp(4500, 4500, esp(0x100, 1), { length: 60 })),
    u('UDP length < IP payload', udp(4500, 4500, esp(0x100, 1), { length: 20 })),
    u('500 IKE with zero SPIs', udp(12345, 500, isakmp({ ispi: new Uint8Array(8) }))),
    u('marker + IKE length field 0', udp(4500, 4500, nonEsp(isakmp({ body: new Uint8Array(8) })).map((b, i) => (i >= 28 && i < 32 ? 0 : b)))),
  ];
}

function ipv4Cases(): CraftedCase[] {
  const frag = (id: number, sizes: number[]) => B.fragmentIpv4(ipv4({ ...A, id }, bigIke), sizes);
  const f1 = frag(0x1111, [48, 48]);
  const f2 = frag(0x2222, [48, 48]);
  const f3 = frag(0x3333, [48, 48]);
  const f4a = frag(0x4444, [56]);
  const f4b = frag(0x4444, [48]);
  const f5 = frag(0x5555, [48]);
  const bad = (p: Uint8Array, at: number, v: number): Uint8Array => {
    const x = p.slice();
    x[at] = v;
    return x;
  };
  const full = ether(ipv4({}, udp(4500, 4500, esp(0x100, 1, new Uint8Array(40)))));
  const e = (name: string, p: Uint8Array): CraftedCase => c(name, ether(p));
  return [
    e('fragments in order 1/3', f1[0]!), e('fragments in order 2/3', f1[1]!), e('fragments in order 3/3', f1[2]!),
    e('out of order 3/3', f2[2]!), e('out of order 1/3', f2[0]!), e('out of order 2/3', f2[1]!),
    e('duplicate 1/3', f3[0]!), e('duplicate 1/3 again', f3[0]!), e('duplicate 2/3', f3[1]!), e('duplicate 3/3', f3[2]!),
    e('overlap A 0-55', f4a[0]!), e('overlap B 48-end', f4b[1]!),
    e('header length 16', bad(ipv4({}, udp(1, 2)), 0, 0x44)),
    e('total length 10', ipv4({ totalLength: 10 }, udp(1, 2, hex('01 02')))),
    e('total length 0 (TSO)', ipv4({ totalLength: 0 }, udp(1, 2, hex('01 02')))),
    e('total length > packet', ipv4({ totalLength: 100 }, udp(1, 2, hex('01 02')))),
    e('options', ipv4({ options: hex('01 01 01 00') }, udp(1, 2, hex('01 02')))),
    e('bad header checksum', ipv4({ checksum: 'bad' }, udp(1, 2, hex('01 02')))),
    e('version 5', bad(ipv4({}, udp(1, 2)), 0, 0x55)),
    e('IP in IP', ipv4({ src: '1.1.1.1', dst: '2.2.2.2' }, ipv4(A, udp(500, 500, ike)))),
    e('header length 60 > total', bad(ipv4({}, udp(1, 2)), 0, 0x4f)),
    c('snapped in UDP payload', full.subarray(0, 50), { originalLength: full.length }),
    c('snapped in IP header', full.subarray(0, 30), { originalLength: full.length }),
    c('cut in UDP header, not snapped', full.subarray(0, 40)),
    e('first fragment, bad checksum 1/2', bad(f5[0]!, 10, f5[0]![10]! ^ 0xff)),
    e('second fragment 2/2 (first not held)', f5[1]!),
    e('bad option length', ipv4({ options: hex('07 09 00 00') }, udp(1, 2, hex('01 02')))),
  ];
}

function ipv6Cases(): CraftedCase[] {
  const inner = ipv4({ ...A, id: 0x77 }, udp(500, 500, ike));
  const innerEsp = ipv4({ ...A, id: 0x78 }, esp(0xabc, 5, new Uint8Array(40)));
  const f6 = B.fragmentIpv6(ipv6({}, bigIke), [48, 48]);
  const fragInner = B.fragmentIpv4(ipv4({ ...A, id: 0x99 }, bigIke), [48]);
  const err = (type: number, code: number, quoted: Uint8Array) => ipv4({ src: '10.0.0.2', dst: '10.0.0.1' }, icmp(type, code, concat(u32(0), quoted)));
  const e = (name: string, p: Uint8Array): CraftedCase => c(name, ether(p));
  return [
    e('v6 UDP', ipv6({}, udp(500, 500, ike))),
    e('v6 UDP checksum zero', ipv6({}, udp(4500, 4500, esp(0x200, 1), { checksum: 0 }))),
    e('v6 hop-by-hop + dstopts + routing', ipv6({ ext: [{ type: 0 }, { type: 60 }, { type: 43, body: hex('00 00 00 00 00 00') }] }, udp(500, 500, ike))),
    e('v6 ESP', ipv6({}, esp(0x300, 9))),
    e('v6 AH + ESP', ipv6({}, ah(0x400, 2, esp(0x300, 9)))),
    e('v6 fragment 1/3', f6[0]!), e('v6 fragment 2/3', f6[1]!), e('v6 fragment 3/3', f6[2]!),
    e('v6 20 destination options headers', ipv6({ ext: Array.from({ length: 20 }, () => ({ type: 60 })) }, udp(500, 500, ike))),
    e('v6 no next header', ipv6({ nxt: 59 }, hex('00 00'))),
    e('v4 AH + ESP', ipv4({}, ah(0x500, 3, esp(0x600, 4)))),
    e('v4 AH + UDP', ipv4({}, ah(0x500, 3, udp(500, 500, ike)))),
    e('ICMP error quoting IP+UDP header', err(3, 3, inner.subarray(0, 36))),
    e('ICMP error quoting ESP', err(3, 2, innerEsp)),
    e('ICMP error quoting IP with bad checksum', err(3, 2, B.hex(Array.from(innerEsp, (b, i) => (i === 10 ? b ^ 1 : b).toString(16).padStart(2, '0')).join(' ')))),
    e('ICMP echo request', ipv4({}, icmp(8, 0, hex('00 01 00 01 61 62 63')))),
    e('ICMP error quoting IP header only', err(11, 0, inner.subarray(0, 20))),
    e('ICMPv6 error quoting UDP/ESP', ipv6({}, icmpv6(1, 4, concat(u32(0), ipv6({ src: '2001:db8::9' }, udp(4500, 4500, esp(0x700, 1))))))),
    e('TCP PPTP echo request', ipv4({}, tcp(1723, 40000, B.pptpControl(5, u32(1))))),
    e('TCP bad checksum', ipv4({}, tcp(1723, 40000, hex('00 01'), { checksum: 'bad' }))),
    e('TCP over IPv6', ipv6({}, tcp(1, 2, hex('00 01')))),
    e('TCP header length 16', ((x) => ((x[32] = 0x40), x))(ipv4({}, tcp(1, 2, hex('00 01 02 03'))).slice())),
    e('ICMP error quoting an ICMP error', ipv4({ src: '10.0.0.3', dst: '10.0.0.1' }, icmp(3, 1, concat(u32(0), err(3, 2, innerEsp))))),
    e('IPv4 in IPv6', ipv6({}, ipv4({}, esp(0x11, 1)))),
    e('ICMP error quoting UDP with zero checksum', err(3, 3, ipv4({}, udp(4500, 4500, esp(0x100, 1), { checksum: 0 })))),
    e('v6 payload length > packet', ipv6({ payloadLength: 200 }, udp(500, 500, ike))),
    e('ICMP error quoting complete UDP', err(3, 3, inner)),
    e('ICMP error quoting UDP, bad checksum', err(3, 3, ipv4({ ...A, id: 0x77 }, udp(500, 500, ike, { checksum: 'bad' })))),
    e('ICMP error quoting UDP length 100', err(3, 3, ipv4({ ...A, id: 0x77 }, udp(500, 500, ike, { length: 100 })))),
    e('ICMP error quoting a first fragment', err(3, 3, fragInner[0]!)),
    e('v6 AH + UDP', ipv6({}, ah(0x500, 3, udp(500, 500, ike)))),
    e('v6 atomic fragment header', ipv6({ ext: [{ type: 44, body: hex('00 00 00 00 00 07') }] }, udp(500, 500, ike))),
    e('ICMPv6 error quoting UDP with bad checksum', ipv6({}, icmpv6(1, 4, concat(u32(0), ipv6({ src: '2001:db8::9' }, udp(4500, 4500, esp(0x700, 1), { checksum: 'bad' })))))),
    e('v6 hop-by-hop not first', ipv6({ ext: [{ type: 60 }, { type: 0 }] }, udp(500, 500, ike))),
  ];
}

function linkCaptures(): CraftedCapture[] {
  const p4 = ipv4(A, udp(500, 500, ike));
  const p6 = ipv6({}, esp(0x42, 7));
  return [
    {
      file: 'link-ethernet.pcap',
      linkType: 1,
      cases: [
        c('802.1Q', ether(vlan(100, p4))),
        c('QinQ 802.1ad', ether(vlan(10, vlan(20, p4)), { type: 0x88a8 })),
        c('QinQ 0x9100', ether(vlan(10, vlan(20, p6)), { type: 0x9100 })),
        c('VLAN 4095 PCP 5', ether(vlan(4095, p4, { pcp: 5 }))),
        c('802.3 + LLC', ether(hex('42 42 03 00 00 00 00 00'), { type: 8 })),
        c('Ethernet trailer', concat(ether(p4), new Uint8Array(6))),
        c('ARP', ether(new Uint8Array(28), { type: 0x0806 })),
        c('Ethernet of 10 bytes', hex('01 02 03 04 05 06 07 08 09 0a')),
        c('VLAN tag cut', ether(hex('00 64'), { type: 0x8100 })),
      ],
    },
    { file: 'link-sll.pcap', linkType: 113, cases: [c('SLL IPv4', sll(p4)), c('SLL IPv6', sll(p6))] },
    { file: 'link-sll2.pcap', linkType: 276, cases: [c('SLL2 IPv4', sll2(p4)), c('SLL2 IPv6', sll2(p6))] },
    {
      file: 'link-null.pcap',
      linkType: 0,
      cases: [2, 24, 28, 30].map((f) => c(`NULL LE ${f}`, loopback(f, f === 2 ? p4 : p6))).concat([2, 30].map((f) => c(`NULL BE ${f}`, loopback(f, f === 2 ? p4 : p6, 'be')))),
    },
    { file: 'link-loop.pcap', linkType: 108, cases: [c('LOOP 2', loopback(2, p4, 'be')), c('LOOP 24', loopback(24, p6, 'be'))] },
    { file: 'link-raw.pcap', linkType: 101, cases: [c('raw IPv4', p4), c('raw IPv6', p6)] },
    { file: 'link-dlt12.pcap', linkType: 12, cases: [c('DLT 12 IPv4', p4)] },
    { file: 'link-dlt14.pcap', linkType: 14, cases: [c('DLT 14 IPv6', p6)] },
    { file: 'link-ipv4.pcap', linkType: 228, cases: [c('LINKTYPE_IPV4', p4)] },
    { file: 'link-ipv6.pcap', linkType: 229, cases: [c('LINKTYPE_IPV6', p6)] },
  ];
}

function tunnelCases(): CraftedCase[] {
  const p4 = ipv4(A, udp(500, 500, ike));
  const T = { src: '1.1.1.1', dst: '2.2.2.2' };
  const e = (name: string, p: Uint8Array): CraftedCase => c(name, ether(p));
  return [
    e('GRE IPv4', ipv4(T, B.gre(0x0800, p4))),
    e('GRE key + seq + checksum', ipv4(T, B.gre(0x0800, p4, { key: 5, seq: 9, checksum: true }))),
    e('PPTP GRE + PPP + IPv4', ipv4(T, B.pptpGre(7, B.ppp(0x0021, p4), { seq: 1, ack: 0 }))),
    e('PPTP GRE ack only', ipv4(T, B.pptpGre(7, new Uint8Array(), { ack: 3 }))),
    e('L2TPv2 data + PPP + IPv4', ipv4(T, udp(1701, 1701, B.l2tpV2(3, 4, B.ppp(0x0021, p4))))),
    e('L2TPv2 control', ipv4(T, udp(1701, 1701, B.l2tpV2(0, 0, hex('80 08 00 00 00 00 00 01'), { control: true })))),
    e('L2TPv3 control', ipv4(T, udp(1701, 1701, hex('c8 03 00 14 00 00 00 05 00 00 00 00 80 08 00 00 00 00 00 01')))),
    e('L2TPv3 data', ipv4(T, udp(1701, 1701, hex('00 03 00 00 00 00 12 34 01 02 03 04')))),
    e('PPTP bad magic cookie', ipv4({}, tcp(1723, 40000, B.pptpControl(5, u32(1), { cookie: 0x11223344 })))),
    e('PPTP GRE + PPP, compressed address/control', ipv4(T, B.pptpGre(7, B.ppp(0x0021, p4, { acfc: true }), { seq: 2 }))),
    e('GRE transparent Ethernet bridging', ipv4(T, B.gre(0x6558, ether(p4)))),
    e('GRE IPv6 + ESP', ipv4(T, B.gre(0x86dd, ipv6({}, esp(1, 1))))),
  ];
}

export function craftedCaptures(): CraftedCapture[] {
  return [
    { file: 'udpencap.pcap', linkType: 1, cases: udpencapCases() },
    { file: 'ipv4.pcap', linkType: 1, cases: ipv4Cases() },
    { file: 'ipv6-icmp-ah-tcp.pcap', linkType: 1, cases: ipv6Cases() },
    { file: 'tunnels.pcap', linkType: 1, cases: tunnelCases() },
    ...linkCaptures(),
  ];
}
