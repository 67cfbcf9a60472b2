import type { Decoder, DissectContext, Layer, LayerStatus, NextLayer } from '../layer.js';
import { be16, be32 } from '../bytes.js';
import { cutShort } from '../frame-view.js';
import { ethertypeNext, hexType } from './ethertype.js';

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113) or v2 (LINKTYPE_LINUX_SLL2 276). */
export interface SllLayer<P extends 'sll' | 'sll2' = 'sll' | 'sll2'> extends Layer {
  readonly proto: P;
  /** 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us. */
  readonly packetType: number | undefined;
  /** ARPHRD_* type of the interface. */
  readonly hatype: number | undefined;
  readonly halen: number | undefined;
  /** The link-layer address field (8 bytes, `halen` of them meaningful). */
  readonly address: Uint8Array | undefined;
  /** Ethertype, or a Linux pseudo-protocol (1 = 802.3, 4 = 802.2 LLC) below 0x0600. */
  readonly protocol: number | undefined;
  /** SLL2 only: interface index. */
  readonly ifindex: number | undefined;
}

/** BSD loopback: 'null' (LINKTYPE_NULL 0, family in the writer's byte order) or 'loop' (LINKTYPE_LOOP 108, network order). */
export interface NullLayer<P extends 'null' | 'loop' = 'null' | 'loop'> extends Layer {
  readonly proto: P;
  readonly family: number | undefined;
}

/** Raw IP (LINKTYPE_RAW 101, DLT 12/14): no header; the version nibble picks IPv4 or IPv6. */
export interface RawLayer extends Layer {
  readonly proto: 'raw';
  readonly ipVersion: number | undefined;
}

declare module '../layer.js' {
  interface LayerMap {
    sll: SllLayer<'sll'>;
    sll2: SllLayer<'sll2'>;
    null: NullLayer<'null'>;
    loop: NullLayer<'loop'>;
    raw: RawLayer;
  }
}

const SLL_HEADER = 16;
const SLL2_HEADER = 20;

function sllNext(ctx: DissectContext, protocol: number | undefined, b: Uint8Array, at: number, offset: number): NextLayer | undefined {
  if (protocol === undefined) return undefined;
  if (protocol < 0x0600) {
    ctx.expert('link.type_unsupported', { offset: offset + at, message: `Linux cooked protocol ${hexType(protocol)} (not an ethertype) not decoded` });
    return undefined;
  }
  return ethertypeNext(ctx, protocol, b.subarray(at), offset + at);
}

export const decodeSll: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const status: LayerStatus = n < SLL_HEADER ? cutShort(ctx, b, offset, SLL_HEADER, 'link.short', 'Linux cooked header') : 'ok';
  const protocol = n >= 16 ? be16(b, 14) : undefined;
  const layer: SllLayer<'sll'> = {
    proto: 'sll',
    offset,
    length: Math.min(n, SLL_HEADER),
    status,
    packetType: n >= 2 ? be16(b, 0) : undefined,
    hatype: n >= 4 ? be16(b, 2) : undefined,
    halen: n >= 6 ? be16(b, 4) : undefined,
    address: n >= 14 ? b.subarray(6, 14) : undefined,
    protocol,
    ifindex: undefined,
  };
  const next = sllNext(ctx, protocol, b, SLL_HEADER, offset);
  return next ? { layer, next } : { layer };
};

export const decodeSll2: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const status: LayerStatus = n < SLL2_HEADER ? cutShort(ctx, b, offset, SLL2_HEADER, 'link.short', 'Linux cooked v2 header') : 'ok';
  const protocol = n >= 2 ? be16(b, 0) : undefined;
  const layer: SllLayer<'sll2'> = {
    proto: 'sll2',
    offset,
    length: Math.min(n, SLL2_HEADER),
    status,
    protocol,
    ifindex: n >= 8 ? be32(b, 4) : undefined,
    hatype: n >= 10 ? be16(b, 8) : undefined,
    packetType: n >= 11 ? b[10]! : undefined,
    halen: n >= 12 ? b[11]! : undefined,
    address: n >= 20 ? b.subarray(12, 20) : undefined,
  };
  const next = n >= SLL2_HEADER ? sllNext(ctx, protocol, b, SLL2_HEADER, offset) : undefined;
  return next ? { layer, next } : { layer };
};

/** BSD address families meaning IPv4 and IPv6 (IPv6 differs per OS: NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30). */
export const BSD_AF_INET = 2;
export const BSD_AF_INET6: readonly number[] = [24, 28, 30];

function loopbackDecoder<P extends 'null' | 'loop'>(proto: P): Decoder {
  return (b, offset, ctx) => {
    const n = b.length;
    if (n < 4) {
      const status = cutShort(ctx, b, offset, 4, 'link.short', 'Loopback header');
      return { layer: { proto, offset, length: n, status, family: undefined } as NullLayer<P> } as ReturnType<Decoder>;
    }
    let family = be32(b, 0);
    // LINKTYPE_NULL is in the capturing host's byte order: a family never uses the upper 16 bits.
    if (proto === 'null' && family > 0xffff) family = ((b[3]! << 24) >>> 0) + ((b[2]! << 16) | (b[1]! << 8) | b[0]!);
    const layer = { proto, offset, length: 4, status: 'ok', family } as NullLayer<P>;
    const data = b.subarray(4);
    let next: NextLayer | undefined;
    if (family === BSD_AF_INET) next = ethertypeNext(ctx, 0x0800, data, offset + 4);
    else if (BSD_AF_INET6.includes(family)) next = ethertypeNext(ctx, 0x86dd, data, offset + 4);
    else ctx.expert('link.type_unsupported', { offset, message: `Loopback address family ${family} not decoded` });
    return (next ? { layer, next } : { layer }) as ReturnType<Decoder>;
  };
}

export const decodeNull: Decoder = loopbackDecoder('null');
export const decodeLoop: Decoder = loopbackDecoder('loop');

export const decodeRaw: Decoder = (b, offset, ctx) => {
  const version = b.length > 0 ? b[0]! >> 4 : undefined;
  const layer: RawLayer = { proto: 'raw', offset, length: 0, status: 'ok', ipVersion: version };
  if (version === 4) return { layer, next: ethertypeNext(ctx, 0x0800, b, offset)! };
  if (version === 6) return { layer, next: ethertypeNext(ctx, 0x86dd, b, offset)! };
  if (version === undefined) return { layer: { ...layer, status: cutShort(ctx, b, offset, 1, 'link.short', 'Raw IP packet') } };
  ctx.expert('ip.version_invalid', { offset, message: `Raw packet with IP version ${version} (neither 4 nor 6)` });
  return { layer: { ...layer, status: 'malformed' } };
};
