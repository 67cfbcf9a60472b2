import type { DissectContext, NextLayer, Proto } from '../layer.js';
import { handOff } from '../frame-view.js';

/** Ethertypes (also SLL protocols and GRE protocol types) espy decodes, and their decoders. */
export const ETHERTYPE_DECODER: Readonly<Record<number, Proto>> = {
  0x0800: 'ip',
  0x86dd: 'ipv6',
  0x8100: 'vlan',
  0x9100: 'vlan',
  0x9200: 'vlan',
  0x88a8: 'ieee8021ad',
  0x880b: 'ppp',
  0x6558: 'eth',
};

export const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8035: 'RARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x9100: 'QinQ (old)',
  0x880b: 'PPP',
  0x6558: 'Transparent Ethernet bridging',
  0x8847: 'MPLS label switched packet',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x888e: '802.1X Authentication',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
  0x9000: 'Configuration Test Protocol (loopback)',
};

export function ethertypeName(t: number): string {
  return ETHERTYPE_NAMES[t] ?? 'Unknown';
}

export const hexType = (t: number): string => '0x' + t.toString(16).padStart(4, '0');

/**
 * Hand-off for an ethertype-tagged payload; an ethertype espy does not decode ends the frame
 * with a chat entry (group undecoded).
 */
export function ethertypeNext(ctx: DissectContext, type: number, data: Uint8Array, offset: number): NextLayer | undefined {
  const proto = type === 0x0800 ? 'ip' : type === 0x86dd ? 'ipv6' : ETHERTYPE_DECODER[type];
  if (proto !== undefined) return handOff(ctx, proto, data, offset);
  ctx.expert('link.type_unsupported', { offset, message: `Ethertype ${hexType(type)} (${ethertypeName(type)}) not decoded` });
  return undefined;
}

/** A 6-byte MAC address as a number (48 bits fit a double exactly): no view is kept per packet. */
export function readMac(b: Uint8Array, at: number): number {
  return (b[at]! * 0x100 + b[at + 1]!) * 0x100000000 + (((b[at + 2]! << 24) >>> 0) + ((b[at + 3]! << 16) | (b[at + 4]! << 8) | b[at + 5]!));
}

/** The 6 bytes of a MAC stored by `readMac` (for the tree only). */
export function macBytes(v: number): Uint8Array {
  const hi = Math.floor(v / 0x100000000);
  const lo = v % 0x100000000;
  return Uint8Array.of(hi >>> 8, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff);
}
