import type { FieldDef } from '../field.js';
import { CHECKSUM_STATUS_NAMES } from '../link/tree-util.js';

/** UDP, TCP, ICMP and UDP-encapsulation fields, named and typed as tshark 4.0 defines them. */
export const UDP = {
  srcport: { abbrev: 'udp.srcport', name: 'Source Port', type: 'uint', bits: 16 },
  dstport: { abbrev: 'udp.dstport', name: 'Destination Port', type: 'uint', bits: 16 },
  length: { abbrev: 'udp.length', name: 'Length', type: 'uint', bits: 16 },
  checksum: { abbrev: 'udp.checksum', name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  checksumStatus: { abbrev: 'udp.checksum.status', name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS_NAMES },
  checksumCalculated: { abbrev: 'udp.checksum_calculated', name: 'Calculated Checksum', type: 'uint', base: 'hex', bits: 16 },
} as const satisfies Record<string, FieldDef>;

export const TCP = {
  srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: 'uint', bits: 16 },
  dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: 'uint', bits: 16 },
  seq: { abbrev: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: 'uint', bits: 32 },
  ack: { abbrev: 'tcp.ack_raw', name: 'Acknowledgment number (raw)', type: 'uint', bits: 32 },
  hdrLen: { abbrev: 'tcp.hdr_len', name: 'Header Length', type: 'uint', bits: 8 },
  flags: { abbrev: 'tcp.flags', name: 'Flags', type: 'uint', base: 'hex', bits: 12 },
  window: { abbrev: 'tcp.window_size_value', name: 'Window', type: 'uint', bits: 16 },
  checksum: { abbrev: 'tcp.checksum', name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  checksumStatus: { abbrev: 'tcp.checksum.status', name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS_NAMES },
  checksumCalculated: { abbrev: 'tcp.checksum_calculated', name: 'Calculated Checksum', type: 'uint', base: 'hex', bits: 16 },
  urgent: { abbrev: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: 'uint', bits: 16 },
  len: { abbrev: 'tcp.len', name: 'TCP Segment Len', type: 'uint', bits: 32 },
} as const satisfies Record<string, FieldDef>;

export const ICMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench (flow control)', 5: 'Redirect', 8: 'Echo (ping) request',
  9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request',
  14: 'Timestamp reply',
};

/** tshark's names of the codes of ICMP error messages (destination unreachable, redirect, time exceeded, parameter problem). */
export const ICMP_UNREACHABLE_NAMES: Readonly<Record<number, string>> = {
  0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
  4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown',
  8: 'Source host isolated', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS', 13: 'Communication administratively filtered',
  14: 'Host precedence violation', 15: 'Precedence cutoff in effect',
};

export const ICMP_REDIRECT_NAMES: Readonly<Record<number, string>> = {
  0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host',
};

export const ICMP_TIME_EXCEEDED_NAMES: Readonly<Record<number, string>> = {
  0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded',
};

export const ICMP_PARAMETER_PROBLEM_NAMES: Readonly<Record<number, string>> = {
  0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length',
};

export const ICMPV6_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem', 128: 'Echo (ping) request',
  129: 'Echo (ping) reply', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 143: 'Multicast Listener Report Message v2',
};

/** tshark's names of the codes of ICMPv6 error messages (RFC 4443; Packet Too Big has none). */
export const ICMPV6_UNREACHABLE_NAMES: Readonly<Record<number, string>> = {
  0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address',
  3: 'Address unreachable', 4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination',
  7: 'Error in Source Routing Header',
};

export const ICMPV6_TIME_EXCEEDED_NAMES: Readonly<Record<number, string>> = {
  0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded',
};

export const ICMPV6_PARAMETER_PROBLEM_NAMES: Readonly<Record<number, string>> = {
  0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered',
  3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
};

function icmpFields<P extends 'icmp' | 'icmpv6'>(p: P, types: Readonly<Record<number, string>>) {
  return {
    type: { abbrev: `${p}.type`, name: 'Type', type: 'uint', bits: 8, values: types },
    code: { abbrev: `${p}.code`, name: 'Code', type: 'uint', bits: 8 },
    checksum: { abbrev: `${p}.checksum`, name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
    checksumStatus: { abbrev: `${p}.checksum.status`, name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS_NAMES },
    ident: { abbrev: p === 'icmp' ? 'icmp.ident' : 'icmpv6.echo.identifier', name: 'Identifier', type: 'uint', base: 'hex_dec', bits: 16 },
    seq: { abbrev: p === 'icmp' ? 'icmp.seq' : 'icmpv6.echo.sequence_number', name: 'Sequence Number', type: 'uint', bits: 16 },
  } as const satisfies Record<string, FieldDef>;
}

export const ICMP = icmpFields('icmp', ICMP_TYPE_NAMES);
export const ICMPV6 = icmpFields('icmpv6', ICMPV6_TYPE_NAMES);

/** tshark's UDPENCAP fields, plus espy's own for what tshark does not decode. */
export const UDPENCAP = {
  natKeepalive: { abbrev: 'udpencap.nat_keepalive', name: 'NAT-keepalive packet', type: 'none' },
  nonEspMarker: { abbrev: 'udpencap.non_esp_marker', name: 'Non-ESP Marker', type: 'none' },
  nonIkeMarker: { abbrev: 'udpencap.non_ike_marker', name: 'Non-IKE Marker (draft-ietf-ipsec-udp-encaps-00/01)', type: 'none' },
  keepaliveValue: { abbrev: 'udpencap.keepalive_value', name: 'Keepalive octet', type: 'uint', base: 'hex', bits: 8 },
} as const satisfies Record<string, FieldDef>;

export const TRANSPORT_FIELDS: readonly FieldDef[] = [UDP, TCP, ICMP, ICMPV6, UDPENCAP].flatMap((g) => Object.values(g) as FieldDef[]);
