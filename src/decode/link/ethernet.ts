import type { Decoder, DissectContext, Layer, NextLayer } from '../layer.js';
import { be16 } from '../bytes.js';
import { cutShort, handOff, wireLength } from '../frame-view.js';
import { ethertypeNext, readMac } from './ethertype.js';

/** Ethernet II or IEEE 802.3 (type field ≤ 1500 is a length; the LLC payload is not decoded). */
export interface EthLayer extends Layer {
  readonly proto: 'eth';
  /** MAC addresses as 48-bit numbers (see `macBytes`); undefined when the header was cut. */
  readonly dst: number | undefined;
  readonly src: number | undefined;
  /** Ethertype, or the 802.3 length when `isLength`. */
  readonly type: number | undefined;
  readonly isLength: boolean;
}

/** One 802.1Q tag ('vlan', TPID 0x8100/0x9100/0x9200) or 802.1ad service tag ('ieee8021ad', 0x88a8). */
export interface VlanLayer<P extends 'vlan' | 'ieee8021ad' = 'vlan' | 'ieee8021ad'> extends Layer {
  readonly proto: P;
  readonly priority: number | undefined;
  readonly dei: boolean | undefined;
  readonly id: number | undefined;
  /** Inner ethertype, or an 802.3 length when ≤ 1500. */
  readonly type: number | undefined;
}

/** Cisco ISL encapsulation (frames to 01:00:0c:00:00 / 0c:00:0c:00:00), header only. */
export interface IslLayer extends Layer {
  readonly proto: 'isl';
  readonly dst: number;
  readonly src: number;
  readonly frameType: number;
  readonly islLength: number;
  readonly vlanId: number;
  readonly index: number;
}

declare module '../layer.js' {
  interface LayerMap {
    eth: EthLayer;
    vlan: VlanLayer<'vlan'>;
    ieee8021ad: VlanLayer<'ieee8021ad'>;
    isl: IslLayer;
  }
}

const ETH_HEADER = 14;
const ISL_HEADER = 26;
const MAX_8023_LENGTH = 1500;

export const decodeEthernet: Decoder = (b, offset, ctx) => {
  const n = b.length;
  if (n >= 5 && (b[0] === 0x01 || b[0] === 0x0c) && b[1] === 0x00 && b[2] === 0x0c && b[3] === 0x00 && b[4] === 0x00 && n >= ISL_HEADER) {
    return decodeIsl(b, offset, ctx);
  }
  if (n < ETH_HEADER) {
    const status = cutShort(ctx, b, offset, ETH_HEADER, 'link.short', 'Ethernet header');
    return { layer: { proto: 'eth', offset, length: n, status, dst: undefined, src: undefined, type: undefined, isLength: false } };
  }
  const type = be16(b, 12);
  const isLength = type <= MAX_8023_LENGTH;
  let next: NextLayer | undefined;
  let status: Layer['status'] = 'ok';
  if (isLength) {
    if (type > wireLength(b, ctx) - ETH_HEADER) {
      ctx.expert('link.length_invalid', { offset: offset + 12, field: 'eth.len', message: `802.3 length ${type} exceeds the ${n - ETH_HEADER} bytes after the header` });
      status = 'malformed';
    }
  } else next = ethertypeNext(ctx, type, b.subarray(ETH_HEADER), offset + ETH_HEADER);
  const layer: EthLayer = { proto: 'eth', offset, length: ETH_HEADER, status, dst: readMac(b, 0), src: readMac(b, 6), type, isLength };
  return next ? { layer, next } : { layer };
};

function decodeTag<P extends 'vlan' | 'ieee8021ad'>(proto: P): Decoder {
  return (b, offset, ctx) => {
    const n = b.length;
    const tci = n >= 2 ? be16(b, 0) : undefined;
    const type = n >= 4 ? be16(b, 2) : undefined;
    const status = n < 4 ? cutShort(ctx, b, offset, 4, 'link.short', 'VLAN tag') : 'ok';
    const next = type !== undefined && type > MAX_8023_LENGTH ? ethertypeNext(ctx, type, b.subarray(4), offset + 4) : undefined;
    const layer = {
      proto,
      offset,
      length: Math.min(n, 4),
      status,
      priority: tci === undefined ? undefined : tci >>> 13,
      dei: tci === undefined ? undefined : (tci & 0x1000) !== 0,
      id: tci === undefined ? undefined : tci & 0x0fff,
      type,
    } as VlanLayer<P>;
    return (next ? { layer, next } : { layer }) as ReturnType<Decoder>;
  };
}

export const decodeVlan: Decoder = decodeTag('vlan');
export const decodeIeee8021ad: Decoder = decodeTag('ieee8021ad');

function decodeIsl(b: Uint8Array, offset: number, ctx: DissectContext): ReturnType<Decoder> {
  const layer: IslLayer = {
    proto: 'isl',
    offset,
    length: ISL_HEADER,
    status: 'ok',
    dst: readMac(b, 0),
    src: readMac(b, 6),
    frameType: b[5]! >> 4,
    islLength: be16(b, 12),
    vlanId: be16(b, 20) >> 1,
    index: be16(b, 22),
  };
  // Frame type 0 is Ethernet; the others (Token Ring, FDDI, ATM) are not decoded.
  return layer.frameType === 0 ? { layer, next: handOff(ctx, 'eth', b.subarray(ISL_HEADER), offset + ISL_HEADER) } : { layer };
}
