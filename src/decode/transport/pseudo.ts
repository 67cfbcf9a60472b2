import type { DissectContext } from '../layer.js';
import type { IpLayer } from '../ip/ipv4.js';
import type { Ipv6Layer } from '../ip/ipv6.js';
import { enclosingIp } from '../ip/context.js';
import { snappedBytes } from '../frame-view.js';
import { sum16 } from '../checksum.js';

/** Unfolded sum of the IPv4/IPv6 pseudo-header, or undefined when the addresses are unknown. */
export function pseudoHeaderSum(ip: IpLayer | Ipv6Layer, protocol: number, length: number): number | undefined {
  if (ip.proto === 'ip') {
    const s = ip.src;
    const d = ip.dst;
    if (s === undefined || d === undefined) return undefined;
    return (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + protocol + length;
  }
  if (ip.src === undefined || ip.dst === undefined) return undefined;
  return sum16(ip.dst, 0, 16, sum16(ip.src, 0, 16)) + (length >>> 16) + (length & 0xffff) + protocol;
}

/**
 * The enclosing IP layer when a transport checksum over `data` can be verified: the IP payload
 * was not cut by the snap length and is not the first fragment of an unreassembled datagram.
 */
export function verifiableIp(ctx: DissectContext, data: Uint8Array): IpLayer | Ipv6Layer | undefined {
  const ip = enclosingIp(ctx);
  if (!ip || ip.payload === 'partial' || snappedBytes(data, ctx) > 0) return undefined;
  return ip;
}
