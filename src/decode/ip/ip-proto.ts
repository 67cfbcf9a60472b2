import type { DissectContext, NextLayer, Proto } from '../layer.js';
import { handOff } from '../frame-view.js';

/** IP protocol numbers (IPv4 protocol / IPv6 next header) that espy decodes, and their decoders. */
export const IP_PROTO_DECODER: Readonly<Record<number, Proto>> = {
  1: 'icmp',
  4: 'ip',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'icmpv6',
};

/** Short names, as tshark's Info column prints them ("proto=UDP 17"). */
export const IP_PROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  46: 'RSVP',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  59: 'IPv6 No Next Header',
  60: 'Destination Options for IPv6',
  89: 'OSPF IGP',
  103: 'PIM',
  112: 'VRRP',
  115: 'L2TP',
  132: 'SCTP',
  135: 'Mobility Header',
};

export function ipProtoName(p: number): string {
  return IP_PROTO_NAMES[p] ?? 'Unknown';
}

/** Hand-off for an IP payload, or undefined when espy does not decode that protocol. */
export function ipPayloadNext(ctx: DissectContext, protocol: number, data: Uint8Array, offset: number): NextLayer | undefined {
  const proto = IP_PROTO_DECODER[protocol];
  return proto === undefined ? undefined : handOff(ctx, proto, data, offset);
}

/** Capture time of the frame in seconds (for the reassembly timeout). */
export function frameTime(ctx: DissectContext): number {
  return ctx.frame.tsSec + ctx.frame.tsNsec / 1e9;
}
