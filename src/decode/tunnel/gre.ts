import type { Decoder, Layer, LayerStatus, NextLayer } from '../layer.js';
import { be16, be32 } from '../bytes.js';
import { cutShort, handOff } from '../frame-view.js';
import { ethertypeNext, hexType } from '../link/ethertype.js';

/** GRE (RFC 2784/2890, version 0) and PPTP's enhanced GRE (RFC 2637, version 1). */
export interface GreLayer extends Layer {
  readonly proto: 'gre';
  /** The first 16 bits: C R K S s Recur A Flags Ver. */
  readonly flagsAndVersion: number | undefined;
  readonly version: number | undefined;
  readonly protocolType: number | undefined;
  readonly checksum: number | undefined;
  readonly key: number | undefined;
  /** Version 1: the key is payload length (high 16 bits) + call id (low 16 bits). */
  readonly keyPayloadLength: number | undefined;
  readonly keyCallId: number | undefined;
  readonly sequence: number | undefined;
  readonly ack: number | undefined;
}

/** PPP header (HDLC address/control optional, protocol field 1 or 2 octets). */
export interface PppLayer extends Layer {
  readonly proto: 'ppp';
  readonly address: number | undefined;
  readonly control: number | undefined;
  readonly protocol: number | undefined;
}

declare module '../layer.js' {
  interface LayerMap {
    gre: GreLayer;
    ppp: PppLayer;
  }
}

const GRE_C = 0x8000;
const GRE_R = 0x4000;
const GRE_K = 0x2000;
const GRE_S = 0x1000;
const GRE_A = 0x0080;

export const decodeGre: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const fv = n >= 2 ? be16(b, 0) : undefined;
  const protocolType = n >= 4 ? be16(b, 2) : undefined;
  const version = fv === undefined ? undefined : fv & 7;
  const f = fv ?? 0;
  let hl = 4;
  const csAt = f & (GRE_C | GRE_R) ? hl : -1;
  if (csAt >= 0) hl += 4;
  const keyAt = f & GRE_K ? hl : -1;
  if (keyAt >= 0) hl += 4;
  const seqAt = f & GRE_S ? hl : -1;
  if (seqAt >= 0) hl += 4;
  const ackAt = version === 1 && f & GRE_A ? hl : -1;
  if (ackAt >= 0) hl += 4;
  const at = (p: number, w: 2 | 4): number | undefined => (p >= 0 && n >= p + w ? (w === 2 ? be16(b, p) : be32(b, p)) : undefined);
  const key = at(keyAt, 4);
  let status: LayerStatus = 'ok';
  if (n < hl) status = cutShort(ctx, b, offset, hl, 'gre.short', 'GRE header');
  const layer: GreLayer = {
    proto: 'gre',
    offset,
    length: Math.min(n, hl),
    status,
    flagsAndVersion: fv,
    version,
    protocolType,
    checksum: at(csAt, 2),
    key,
    keyPayloadLength: version === 1 && key !== undefined ? key >>> 16 : undefined,
    keyCallId: version === 1 && key !== undefined ? key & 0xffff : undefined,
    sequence: at(seqAt, 4),
    ack: at(ackAt, 4),
  };
  if (status !== 'ok' || protocolType === undefined) return { layer };
  if (version! > 1 || f & GRE_R) {
    ctx.expert('gre.unsupported', { offset, message: f & GRE_R ? 'GRE source routing not decoded' : `GRE version ${version} not decoded` });
    return { layer };
  }
  const payload = b.subarray(hl);
  if (payload.length === 0) return { layer };
  const next = ethertypeNext(ctx, protocolType, payload, offset + hl);
  return next ? { layer, next } : { layer };
};

/** PPP protocol numbers espy follows, and names for the tree and Info. */
export const PPP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0x0021: 'Internet Protocol version 4',
  0x0057: 'Internet Protocol version 6',
  0x00fd: 'Compressed datagram',
  0x8021: 'Internet Protocol Control Protocol',
  0x8057: 'IPv6 Control Protocol',
  0x80fd: 'Compression Control Protocol',
  0xc021: 'Link Control Protocol',
  0xc023: 'Password Authentication Protocol',
  0xc223: 'Challenge Handshake Authentication Protocol',
};

export const decodePpp: Decoder = (b, offset, ctx) => {
  const n = b.length;
  let p = 0;
  let address: number | undefined;
  let control: number | undefined;
  if (n >= 2 && b[0] === 0xff && b[1] === 0x03) {
    address = 0xff;
    control = 0x03;
    p = 2;
  }
  // Protocol-field compression: an odd first octet is the whole (1-octet) protocol.
  const width = p < n && (b[p]! & 1) === 1 ? 1 : 2;
  const protocol = p + width <= n ? (width === 1 ? b[p]! : be16(b, p)) : undefined;
  const hl = p + width;
  const status: LayerStatus = protocol === undefined ? cutShort(ctx, b, offset, hl, 'ppp.short', 'PPP header') : 'ok';
  const layer: PppLayer = { proto: 'ppp', offset, length: Math.min(n, hl), status, address, control, protocol };
  let next: NextLayer | undefined;
  if (protocol === 0x0021) next = handOff(ctx, 'ip', b.subarray(hl), offset + hl);
  else if (protocol === 0x0057) next = handOff(ctx, 'ipv6', b.subarray(hl), offset + hl);
  else if (protocol !== undefined && PPP_PROTOCOL_NAMES[protocol] === undefined) {
    ctx.expert('link.type_unsupported', { offset, message: `PPP protocol ${hexType(protocol)} not decoded` });
  }
  return next ? { layer, next } : { layer };
};
