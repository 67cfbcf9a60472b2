import type { FieldDef } from '../field.js';
import { IP_PROTO_NAMES } from './ip-proto.js';
import { CHECKSUM_STATUS_NAMES } from '../link/tree-util.js';

/** IPv4 fields, named and typed as tshark 4.0 defines them. */
export const IP = {
  version: { abbrev: 'ip.version', name: 'Version', type: 'uint', bits: 8 },
  hdrLen: { abbrev: 'ip.hdr_len', name: 'Header Length', type: 'uint', bits: 8 },
  dsfield: { abbrev: 'ip.dsfield', name: 'Differentiated Services Field', type: 'uint', base: 'hex', bits: 8 },
  len: { abbrev: 'ip.len', name: 'Total Length', type: 'uint', bits: 16 },
  id: { abbrev: 'ip.id', name: 'Identification', type: 'uint', base: 'hex_dec', bits: 16 },
  flags: { abbrev: 'ip.flags', name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  flagsRb: { abbrev: 'ip.flags.rb', name: 'Reserved bit', type: 'bool' },
  flagsDf: { abbrev: 'ip.flags.df', name: "Don't fragment", type: 'bool' },
  flagsMf: { abbrev: 'ip.flags.mf', name: 'More fragments', type: 'bool' },
  fragOffset: { abbrev: 'ip.frag_offset', name: 'Fragment Offset', type: 'uint', bits: 16, description: 'In 8-byte units, as on the wire' },
  ttl: { abbrev: 'ip.ttl', name: 'Time to Live', type: 'uint', bits: 8 },
  proto: { abbrev: 'ip.proto', name: 'Protocol', type: 'uint', bits: 8, values: IP_PROTO_NAMES },
  checksum: { abbrev: 'ip.checksum', name: 'Header Checksum', type: 'uint', base: 'hex', bits: 16 },
  checksumStatus: { abbrev: 'ip.checksum.status', name: 'Header checksum status', type: 'uint', bits: 8, values: CHECKSUM_STATUS_NAMES },
  checksumCalculated: { abbrev: 'ip.checksum_calculated', name: 'Calculated Checksum', type: 'uint', base: 'hex', bits: 16 },
  src: { abbrev: 'ip.src', name: 'Source Address', type: 'ipv4' },
  dst: { abbrev: 'ip.dst', name: 'Destination Address', type: 'ipv4' },
  fragment: { abbrev: 'ip.fragment', name: 'IPv4 Fragment', type: 'uint', bits: 32 },
  fragmentCount: { abbrev: 'ip.fragment.count', name: 'Fragment count', type: 'uint', bits: 32 },
  fragmentOverlap: { abbrev: 'ip.fragment.overlap', name: 'Fragment overlap', type: 'bool' },
  reassembledIn: { abbrev: 'ip.reassembled_in', name: 'Reassembled IPv4 in frame', type: 'uint', bits: 32 },
  reassembledLength: { abbrev: 'ip.reassembled.length', name: 'Reassembled IPv4 length', type: 'uint', bits: 32 },
} as const satisfies Record<string, FieldDef>;

/** IPv6 fields (fixed header, extension headers, reassembly). */
export const IPV6 = {
  version: { abbrev: 'ipv6.version', name: 'Version', type: 'uint', bits: 8 },
  tclass: { abbrev: 'ipv6.tclass', name: 'Traffic Class', type: 'uint', base: 'hex', bits: 8 },
  flow: { abbrev: 'ipv6.flow', name: 'Flow Label', type: 'uint', base: 'hex', bits: 20 },
  plen: { abbrev: 'ipv6.plen', name: 'Payload Length', type: 'uint', bits: 16 },
  nxt: { abbrev: 'ipv6.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IP_PROTO_NAMES },
  hlim: { abbrev: 'ipv6.hlim', name: 'Hop Limit', type: 'uint', bits: 8 },
  src: { abbrev: 'ipv6.src', name: 'Source Address', type: 'ipv6' },
  dst: { abbrev: 'ipv6.dst', name: 'Destination Address', type: 'ipv6' },
  hopoptsNxt: { abbrev: 'ipv6.hopopts.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IP_PROTO_NAMES },
  hopoptsLen: { abbrev: 'ipv6.hopopts.len', name: 'Length', type: 'uint', bits: 8 },
  dstoptsNxt: { abbrev: 'ipv6.dstopts.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IP_PROTO_NAMES },
  dstoptsLen: { abbrev: 'ipv6.dstopts.len', name: 'Length', type: 'uint', bits: 8 },
  routingNxt: { abbrev: 'ipv6.routing.nxt', name: 'Next Header', type: 'uint', bits: 8, values: IP_PROTO_NAMES },
  routingLen: { abbrev: 'ipv6.routing.len', name: 'Length', type: 'uint', bits: 8 },
  routingType: { abbrev: 'ipv6.routing.type', name: 'Type', type: 'uint', bits: 8 },
  routingSegleft: { abbrev: 'ipv6.routing.segleft', name: 'Segments Left', type: 'uint', bits: 8 },
  fraghdrNxt: { abbrev: 'ipv6.fraghdr.nxt', name: 'Next header', type: 'uint', bits: 8, values: IP_PROTO_NAMES },
  fraghdrOffset: { abbrev: 'ipv6.fraghdr.offset', name: 'Offset', type: 'uint', bits: 16 },
  fraghdrMore: { abbrev: 'ipv6.fraghdr.more', name: 'More Fragments', type: 'bool' },
  fraghdrIdent: { abbrev: 'ipv6.fraghdr.ident', name: 'Identification', type: 'uint', base: 'hex', bits: 32 },
  fragment: { abbrev: 'ipv6.fragment', name: 'IPv6 Fragment', type: 'uint', bits: 32 },
  fragmentCount: { abbrev: 'ipv6.fragment.count', name: 'Fragment count', type: 'uint', bits: 32 },
  fragmentOverlap: { abbrev: 'ipv6.fragment.overlap', name: 'Fragment overlap', type: 'bool' },
  reassembledLength: { abbrev: 'ipv6.reassembled.length', name: 'Reassembled IPv6 length', type: 'uint', bits: 32 },
} as const satisfies Record<string, FieldDef>;

export const IP_FIELDS: readonly FieldDef[] = [...Object.values(IP), ...Object.values(IPV6)];
