import type { Decoder, Proto } from './layer.js';
import type { Describers } from './describe-types.js';
import type { FieldDef } from './field.js';
import { decodeEthernet, decodeIeee8021ad, decodeVlan } from './link/ethernet.js';
import { decodeLoop, decodeNull, decodeRaw, decodeSll, decodeSll2 } from './link/cooked.js';
import { decodeIpv4 } from './ip/ipv4.js';
import { decodeIpv6 } from './ip/ipv6.js';
import { decodeUdp } from './transport/udp.js';
import { decodeUdpEncap } from './transport/udpencap.js';
import { decodeTcp } from './transport/tcp.js';
import { decodeIcmp, decodeIcmpv6 } from './transport/icmp.js';
import { decodeAh, decodeEsp } from './ipsec/esp.js';
import { decodeGre, decodePpp } from './tunnel/gre.js';
import { decodeL2tp, decodePptp } from './tunnel/l2tp.js';
import { LINK_DESCRIBERS } from './link/describe.js';
import { LINK_FIELDS } from './link/fields.js';
import { IP_DESCRIBERS } from './ip/describe.js';
import { IP_FIELDS } from './ip/fields.js';
import { TRANSPORT_DESCRIBERS } from './transport/describe.js';
import { TRANSPORT_FIELDS } from './transport/fields.js';
import { IPSEC_DESCRIBERS, IPSEC_FIELDS } from './ipsec/describe.js';
import { TUNNEL_DESCRIBERS, TUNNEL_FIELDS } from './tunnel/describe.js';

/**
 * The network decoders (link, IP, transport, IPsec, tunnels): decoder, describer and fields per
 * protocol, composed by decode/protocols.ts. The ISAKMP decoder is registered there as 'isakmp'.
 */
export const NET_DECODERS: { readonly [P in Proto]?: Decoder } = {
  eth: decodeEthernet,
  vlan: decodeVlan,
  ieee8021ad: decodeIeee8021ad,
  sll: decodeSll,
  sll2: decodeSll2,
  null: decodeNull,
  loop: decodeLoop,
  raw: decodeRaw,
  ip: decodeIpv4,
  ipv6: decodeIpv6,
  udp: decodeUdp,
  udpencap: decodeUdpEncap,
  tcp: decodeTcp,
  icmp: decodeIcmp,
  icmpv6: decodeIcmpv6,
  esp: decodeEsp,
  ah: decodeAh,
  gre: decodeGre,
  ppp: decodePpp,
  l2tp: decodeL2tp,
  pptp: decodePptp,
};

export const NET_DESCRIBERS: Describers = {
  ...LINK_DESCRIBERS,
  ...IP_DESCRIBERS,
  ...TRANSPORT_DESCRIBERS,
  ...IPSEC_DESCRIBERS,
  ...TUNNEL_DESCRIBERS,
};

export const NET_FIELDS: readonly FieldDef[] = [...LINK_FIELDS, ...IP_FIELDS, ...TRANSPORT_FIELDS, ...IPSEC_FIELDS, ...TUNNEL_FIELDS];

/** LINKTYPE_* (pcap/pcapng link type) → the first decoder. */
const LINK_TYPES: Readonly<Record<number, Proto>> = {
  0: 'null', // LINKTYPE_NULL: BSD loopback, family in host byte order
  1: 'eth', // LINKTYPE_ETHERNET
  9: 'ppp', // LINKTYPE_PPP
  12: 'raw', // DLT_RAW on most BSDs
  14: 'raw', // DLT_RAW on OpenBSD
  101: 'raw', // LINKTYPE_RAW
  108: 'loop', // LINKTYPE_LOOP: OpenBSD loopback, network byte order
  113: 'sll', // LINKTYPE_LINUX_SLL
  228: 'ip', // LINKTYPE_IPV4
  229: 'ipv6', // LINKTYPE_IPV6
  276: 'sll2', // LINKTYPE_LINUX_SLL2
};

export function linkTypeProto(linkType: number): Proto | undefined {
  return LINK_TYPES[linkType];
}
