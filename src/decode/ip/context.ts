import type { DissectContext } from '../layer.js';
import type { IpLayer } from './ipv4.js';
import type { Ipv6Layer } from './ipv6.js';

/** The innermost IPv4/IPv6 layer decoded so far (the one a transport header belongs to). */
export function enclosingIp(ctx: DissectContext): IpLayer | Ipv6Layer | undefined {
  const layers = ctx.layers;
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.proto === 'ip' || l.proto === 'ipv6') return l;
  }
  return undefined;
}
