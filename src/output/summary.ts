import type { Packet } from '../decode/packet.js';
import type { AnyLayer } from '../decode/layer.js';
import { formatEther, formatIpv4, formatIpv6 } from '../decode/tree.js';
import { macBytes } from '../decode/link/ethertype.js';
import { describerOf, relativeTime, type ViewContext } from './packet-tree.js';

interface Endpoints {
  readonly src: string;
  readonly dst: string;
}

/**
 * How many layers the summary columns look at: all of them, or up to and including the first
 * ICMP/ICMPv6 error message. The layers after an error are the packet it quotes, which tshark
 * shows only in the detail tree: the line is the ICMP packet's own (its addresses, "ICMP",
 * "Destination unreachable (Port unreachable)"), never the quoted packet, reversed.
 */
function columnLayers(layers: readonly AnyLayer[]): number {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    if ((l.proto === 'icmp' || l.proto === 'icmpv6') && l.error) return i + 1;
  }
  return layers.length;
}

/** Source/destination columns: the innermost IP layer (of the first `end`), else the link addresses. */
function endpoints(layers: readonly AnyLayer[], end: number): Endpoints {
  let link: Endpoints = { src: '', dst: '' };
  for (let i = end - 1; i >= 0; i--) {
    const l = layers[i] as AnyLayer & { src?: unknown; dst?: unknown };
    if (l.proto === 'ip' && l.src !== undefined && l.dst !== undefined) return { src: formatIpv4(l.src as number | Uint8Array), dst: formatIpv4(l.dst as number | Uint8Array) };
    if (l.proto === 'ipv6' && l.src instanceof Uint8Array && l.dst instanceof Uint8Array) return { src: formatIpv6(l.src), dst: formatIpv6(l.dst as Uint8Array) };
  }
  for (const l of layers as readonly (AnyLayer & { src?: unknown; dst?: unknown })[]) {
    if (l.proto === 'eth' && typeof l.src === 'number') {
      link = { src: formatEther(macBytes(l.src)), dst: typeof l.dst === 'number' ? formatEther(macBytes(l.dst)) : '' };
      break;
    }
  }
  return link;
}

/**
 * Protocol and Info columns: the topmost layer that has each, not looking inside an ICMP error
 * (`columnLayers`).
 */
export function protocolAndInfo(packet: Packet, end: number = columnLayers(packet.layers)): { protocol: string; info: string } {
  let protocol = '';
  let info: string | undefined;
  for (let i = end - 1; i >= 0; i--) {
    const layer = packet.layers[i]!;
    const d = describerOf(layer);
    if (!d) continue;
    if (!protocol) protocol = d.column;
    if (info === undefined) info = d.info?.(layer, packet);
    if (protocol && info !== undefined) break;
  }
  if (!protocol) protocol = end > 0 ? packet.layers[end - 1]!.proto.toUpperCase() : 'DATA';
  return { protocol, info: info ?? '' };
}

/** One tshark-style summary line: number, relative time, source → destination, protocol, length, info. */
export function renderSummaryLine(packet: Packet, view: ViewContext): string {
  const rel = relativeTime(packet, view);
  const neg = rel.sec < 0;
  const sec = neg ? -rel.sec - (rel.nsec > 0 ? 1 : 0) : rel.sec;
  const usec = Math.floor((neg && rel.nsec > 0 ? 1_000_000_000 - rel.nsec : rel.nsec) / 1000);
  const time = `${neg ? '-' : ''}${sec}.${String(usec).padStart(6, '0')}`;
  const end = columnLayers(packet.layers);
  const { src, dst } = endpoints(packet.layers, end);
  const { protocol, info } = protocolAndInfo(packet, end);
  const problems = packet.expert.some((e) => e.id === 'decoder.bug') ? ' [decoder bug]' : '';
  return `${String(packet.frame.number).padStart(5)} ${time.padStart(10)} ${src.padStart(12)} → ${dst.padEnd(12)} ${protocol} ${packet.frame.originalLength} ${info}${problems}`;
}
