import type { Packet } from '../decode/packet.js';
import type { IcmpLayer, Icmpv6Layer } from '../decode/transport/icmp.js';
import type { IpLayer } from '../decode/ip/ipv4.js';
import type { Ipv6Layer } from '../decode/ip/ipv6.js';
import type { UdpLayer } from '../decode/transport/udp.js';
import type { IsakmpLayer } from '../decode/isakmp/types.js';
import { toHex } from '../decode/cursor.js';
import { formatIpv4, formatIpv6 } from '../decode/tree.js';
import type { Endpoint } from './facts.js';

/**
 * An ICMP error that quotes an IPsec packet (a NAT or host answering "port unreachable" to ESP
 * sent to a stale mapping, say). The ladder draws it as its own arrow, from the ICMP sender, and
 * never counts the quoted packet as traffic.
 */
export interface IcmpQuote {
  /** ICMP (v4) or ICMPv6 type and code. */
  readonly v6: boolean;
  readonly type: number;
  readonly code: number;
  /** What kind of failure it reports, for the analysis. */
  readonly kind: IcmpErrorKind;
  readonly description: string;
  readonly src: string;
  readonly dst: string;
  /** The quoted packet's endpoints (ports 0 when it had no UDP). */
  readonly inner: { readonly src: Endpoint; readonly dst: Endpoint };
  readonly espSpi?: string;
  readonly ikeSpi?: string;
}

/** unreachable: port/host/network unreachable (no mapping, daemon down, no route); too-big: fragmentation needed / packet too big (path MTU); prohibited: a filter; other: time exceeded, parameter problem, ... */
export type IcmpErrorKind = 'unreachable' | 'too-big' | 'prohibited' | 'other';

function kindOf(v6: boolean, type: number, code: number): IcmpErrorKind {
  if (v6) {
    if (type === 2) return 'too-big';
    if (type === 1) return code === 1 ? 'prohibited' : 'unreachable';
    return 'other';
  }
  if (type !== 3) return 'other';
  if (code === 4) return 'too-big';
  if (code === 9 || code === 10 || code === 13) return 'prohibited';
  return 'unreachable';
}

const ICMP_NAMES: Readonly<Record<string, string>> = {
  '3/0': 'network unreachable',
  '3/1': 'host unreachable',
  '3/3': 'port unreachable',
  '3/4': 'fragmentation needed',
  '3/9': 'network prohibited',
  '3/10': 'host prohibited',
  '3/13': 'administratively prohibited',
  '11/0': 'TTL exceeded',
  '11/1': 'reassembly time exceeded',
};
const ICMPV6_NAMES: Readonly<Record<string, string>> = {
  '1/0': 'no route',
  '1/1': 'administratively prohibited',
  '1/3': 'address unreachable',
  '1/4': 'port unreachable',
  '2/0': 'packet too big',
  '3/0': 'hop limit exceeded',
};

function address(ip: IpLayer | Ipv6Layer): [string, string] | undefined {
  if (ip.src === undefined || ip.dst === undefined) return undefined;
  return ip.proto === 'ip' ? [formatIpv4(ip.src as number), formatIpv4(ip.dst as number)] : [formatIpv6(ip.src as Uint8Array), formatIpv6(ip.dst as Uint8Array)];
}

export function icmpQuote(packet: Packet): IcmpQuote | undefined {
  const layers = packet.layers;
  const at = layers.findIndex((l) => (l.proto as string) === 'icmp' || (l.proto as string) === 'icmpv6');
  if (at < 1) return undefined;
  const icmp = layers[at] as IcmpLayer | Icmpv6Layer;
  if (!icmp.error) return undefined;
  const outer = layers.slice(0, at).reverse().find((l) => (l.proto as string) === 'ip' || (l.proto as string) === 'ipv6') as IpLayer | Ipv6Layer | undefined;
  const rest = layers.slice(at + 1);
  const inner = rest.find((l) => (l.proto as string) === 'ip' || (l.proto as string) === 'ipv6') as IpLayer | Ipv6Layer | undefined;
  const udp = rest.find((l) => (l.proto as string) === 'udp') as UdpLayer | undefined;
  const esp = rest.find((l) => (l.proto as string) === 'esp') as { spi?: number } | undefined;
  const isakmp = rest.find((l) => (l.proto as string) === 'isakmp') as IsakmpLayer | undefined;
  const o = outer && address(outer);
  const i = inner && address(inner);
  if (!o || !i || (!esp && !isakmp && !udp)) return undefined;
  const key = `${icmp.type ?? '?'}/${icmp.code ?? '?'}`;
  const name = (icmp.proto === 'icmp' ? ICMP_NAMES : ICMPV6_NAMES)[key];
  const v6 = icmp.proto === 'icmpv6';
  return {
    v6,
    type: icmp.type ?? 0,
    code: icmp.code ?? 0,
    kind: kindOf(v6, icmp.type ?? 0, icmp.code ?? 0),
    description: `${icmp.proto === 'icmp' ? 'ICMP' : 'ICMPv6'} ${name ?? `type ${icmp.type ?? '?'} code ${icmp.code ?? '?'}`}`,
    src: o[0],
    dst: o[1],
    inner: { src: { address: i[0], port: udp?.srcPort ?? 0 }, dst: { address: i[1], port: udp?.dstPort ?? 0 } },
    ...(esp?.spi !== undefined ? { espSpi: esp.spi.toString(16).padStart(8, '0') } : {}),
    ...(isakmp?.header ? { ikeSpi: toHex(isakmp.header.ispi) } : {}),
  };
}
