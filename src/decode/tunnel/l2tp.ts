import type { Decoder, Layer, LayerStatus } from '../layer.js';
import { be16, be32 } from '../bytes.js';
import { cutShort, handOff, wireLength } from '../frame-view.js';

/** L2TP over UDP: version 2 (RFC 2661) header in full, version 3 (RFC 3931) header minimally. */
export interface L2tpLayer extends Layer {
  readonly proto: 'l2tp';
  readonly flags: number | undefined;
  readonly version: number | undefined;
  /** T bit: a control message (else data, carrying PPP in version 2). */
  readonly control: boolean;
  readonly l2tpLength: number | undefined;
  /** Version 2 tunnel and session ids. */
  readonly tunnelId: number | undefined;
  readonly sessionId: number | undefined;
  readonly ns: number | undefined;
  readonly nr: number | undefined;
  readonly offsetSize: number | undefined;
  /** Version 3: control connection id (control) or session id (data). */
  readonly ccid: number | undefined;
  readonly sessionId32: number | undefined;
  /** Control messages: the Message Type AVP value (undefined for a ZLB acknowledgement). */
  readonly messageType: number | undefined;
}

/** PPTP control connection message (TCP 1723): the common 12-byte header. */
export interface PptpLayer extends Layer {
  readonly proto: 'pptp';
  readonly pptpLength: number | undefined;
  readonly messageType: number | undefined;
  readonly magicCookie: number | undefined;
  readonly controlType: number | undefined;
}

declare module '../layer.js' {
  interface LayerMap {
    l2tp: L2tpLayer;
    pptp: PptpLayer;
  }
}

const T = 0x8000;
const L = 0x4000;
const S = 0x0800;
const O = 0x0200;

export const decodeL2tp: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const flags = n >= 2 ? be16(b, 0) : undefined;
  const version = flags === undefined ? undefined : flags & 0x0f;
  const f = flags ?? 0;
  const control = (f & T) !== 0;
  const l: { -readonly [K in keyof L2tpLayer]: L2tpLayer[K] } = {
    proto: 'l2tp', offset, length: Math.min(n, 2), status: 'ok', flags, version, control, l2tpLength: undefined, tunnelId: undefined,
    sessionId: undefined, ns: undefined, nr: undefined, offsetSize: undefined, ccid: undefined, sessionId32: undefined, messageType: undefined,
  };
  if (flags === undefined) return { layer: { ...l, status: cutShort(ctx, b, offset, 2, 'l2tp.short', 'L2TP header') } };
  let hl: number;
  if (version === 2) {
    hl = 2 + (f & L ? 2 : 0) + 4 + (f & S ? 4 : 0) + (f & O ? 2 : 0);
    let p = 2;
    if (f & L && n >= p + 2) l.l2tpLength = be16(b, p);
    p += f & L ? 2 : 0;
    if (n >= p + 4) {
      l.tunnelId = be16(b, p);
      l.sessionId = be16(b, p + 2);
    }
    p += 4;
    if (f & S && n >= p + 4) {
      l.ns = be16(b, p);
      l.nr = be16(b, p + 2);
    }
    p += f & S ? 4 : 0;
    if (f & O && n >= p + 2) {
      l.offsetSize = be16(b, p);
      hl += l.offsetSize;
    }
  } else if (version === 3) {
    hl = control ? 12 : 8;
    if (control) {
      if (n >= 4) l.l2tpLength = be16(b, 2);
      if (n >= 8) l.ccid = be32(b, 4);
      if (n >= 12) {
        l.ns = be16(b, 8);
        l.nr = be16(b, 10);
      }
    } else if (n >= 8) l.sessionId32 = be32(b, 4);
  } else {
    ctx.expert('l2tp.version_unsupported', { offset, field: 'l2tp.version', message: `L2TP version ${version} not decoded` });
    return { layer: l };
  }
  l.length = Math.min(n, hl);
  if (n < hl) return { layer: { ...l, status: cutShort(ctx, b, offset, hl, 'l2tp.short', 'L2TP header') } };
  if (l.l2tpLength !== undefined && (l.l2tpLength < hl || l.l2tpLength > wireLength(b, ctx))) {
    ctx.expert('l2tp.length_invalid', { offset, field: 'l2tp.length', message: `L2TP length ${l.l2tpLength} outside ${hl}..${wireLength(b, ctx)}` });
    return { layer: { ...l, status: 'malformed' } };
  }
  if (control) {
    // First AVP: 6-octet header (M/H bits + 10-bit length, vendor, type) then the Message Type value.
    if (n >= hl + 8 && be16(b, hl + 2) === 0 && be16(b, hl + 4) === 0) l.messageType = be16(b, hl + 6);
    return { layer: l };
  }
  if (version === 2) return { layer: l, next: handOff(ctx, 'ppp', b.subarray(hl, l.l2tpLength ?? n), offset + hl) };
  return { layer: l };
};

const PPTP_HEADER = 12;
export const PPTP_MAGIC_COOKIE = 0x1a2b3c4d;

export const decodePptp: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const layer = (status: LayerStatus): PptpLayer => ({
    proto: 'pptp',
    offset,
    length: n,
    status,
    pptpLength: n >= 2 ? be16(b, 0) : undefined,
    messageType: n >= 4 ? be16(b, 2) : undefined,
    magicCookie: n >= 8 ? be32(b, 4) : undefined,
    controlType: n >= 10 ? be16(b, 8) : undefined,
  });
  if (n < PPTP_HEADER) return { layer: layer(cutShort(ctx, b, offset, PPTP_HEADER, 'pptp.short', 'PPTP control message')) };
  const l = layer('ok');
  if (l.magicCookie !== PPTP_MAGIC_COOKIE) {
    ctx.expert('pptp.magic_cookie_bad', { offset: offset + 4, field: 'pptp.magic_cookie', message: `Incorrect PPTP magic cookie 0x${l.magicCookie!.toString(16).padStart(8, '0')} (0x1a2b3c4d expected)` });
  }
  const len = l.pptpLength!;
  if (len < PPTP_HEADER || len > wireLength(b, ctx)) {
    ctx.expert('pptp.length_invalid', { offset, field: 'pptp.length', message: `PPTP length ${len} outside ${PPTP_HEADER}..${wireLength(b, ctx)}` });
    return { layer: { ...l, status: 'malformed' } };
  }
  return { layer: l };
};
