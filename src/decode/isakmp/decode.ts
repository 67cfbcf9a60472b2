import type { DecodeStep, DissectContext } from '../layer.js';
import { decodeChain } from './chain.js';
import { FLAG_V1, ISAKMP_HEADER_LENGTH } from './constants.js';
import { MessageDecoder, type Scope } from './scope.js';
import type { IsakmpHeader, IsakmpLayer } from './types.js';

/**
 * Decodes one ISAKMP message (IKEv1 or IKEv2). `data` starts at the first header byte (after any
 * non-ESP marker); `offset` is its absolute frame offset. Pure and bounds-safe: it never throws on
 * input and never reads outside `data`. Problems become expert entries and statuses; bytes missing
 * because the frame was snapped (or its UDP datagram is incomplete) make it 'truncated' instead.
 */
export function decodeIsakmp(data: Uint8Array, offset: number, ctx: DissectContext): DecodeStep {
  return { layer: decodeIsakmpLayer(data, offset, ctx) };
}

export function decodeIsakmpLayer(data: Uint8Array, offset: number, ctx: DissectContext): IsakmpLayer {
  const snapped = ctx.frame.capturedLength < ctx.frame.originalLength || datagramIncomplete(ctx);
  if (data.length < ISAKMP_HEADER_LENGTH) {
    if (!snapped) {
      ctx.expert('isakmp.too_short', { offset, message: `${data.length} bytes, an ISAKMP header needs ${ISAKMP_HEADER_LENGTH}` });
    }
    return { proto: 'isakmp', offset, bytes: data, length: data.length, status: snapped ? 'truncated' : 'malformed', header: undefined, ikeVersion: undefined, payloads: [] };
  }
  const header = decodeHeader(data);
  const major = header.majorVersion;
  const ikeVersion = major === 1 || major === 2 ? major : undefined;
  const m = new MessageDecoder(data, offset, ctx, ikeVersion ?? 1, header.exchangeType);

  // The message's byte range: what the header length claims, cut to the bytes present.
  let scope: Scope;
  if (header.length < ISAKMP_HEADER_LENGTH) {
    m.report('isakmp.length_invalid', 24, `ISAKMP length ${header.length}, less than the ${ISAKMP_HEADER_LENGTH}-byte header`, 'isakmp.length');
    scope = { availEnd: data.length, claimedEnd: data.length, cut: undefined };
  } else if (header.length > data.length) {
    if (snapped) m.mark('truncated');
    else m.report('isakmp.length_mismatch', 24, `ISAKMP length ${header.length}, but ${data.length} bytes are present`, 'isakmp.length');
    scope = { availEnd: data.length, claimedEnd: header.length, cut: snapped ? 'truncated' : 'malformed' };
  } else {
    if (header.length < data.length) {
      m.report('isakmp.trailing_data', header.length, `${data.length - header.length} bytes after the ${header.length}-byte message`, 'isakmp.length');
    }
    scope = { availEnd: header.length, claimedEnd: header.length, cut: undefined };
  }
  const length = scope.availEnd;

  if (ikeVersion === undefined) {
    m.report('isakmp.version_unknown', 17, `ISAKMP version ${major}.${header.minorVersion}`, 'isakmp.version');
    return { proto: 'isakmp', offset, bytes: data, length, status: m.status, header, ikeVersion, payloads: [] };
  }
  if (ikeVersion === 1 && (header.flags & FLAG_V1.ENCRYPTION) !== 0) {
    if (scope.cut) m.mark(scope.cut);
    const encrypted = { offset: offset + ISAKMP_HEADER_LENGTH, data: data.subarray(ISAKMP_HEADER_LENGTH, scope.availEnd) };
    return { proto: 'isakmp', offset, bytes: data, length, status: m.status, header, ikeVersion, payloads: [], encrypted };
  }
  const { payloads, extra } = decodeChain(m, header.nextPayload, ISAKMP_HEADER_LENGTH, scope);
  return extra
    ? { proto: 'isakmp', offset, bytes: data, length, status: m.status, header, ikeVersion, payloads, extra }
    : { proto: 'isakmp', offset, bytes: data, length, status: m.status, header, ikeVersion, payloads };
}

/**
 * Whether the enclosing UDP datagram is not all in this frame (an IP fragment that was not
 * reassembled, or a snapped frame): bytes missing at the end are then missing, not contradicted.
 */
function datagramIncomplete(ctx: DissectContext): boolean {
  for (let i = ctx.layers.length - 1; i >= 0; i--) {
    const l = ctx.layers[i] as { readonly proto: string; readonly status: string; readonly udpLength?: number; readonly payloadLength?: number };
    if (l.proto !== 'udp') continue;
    if (l.status === 'truncated') return true;
    return l.udpLength !== undefined && l.payloadLength !== undefined && l.udpLength - 8 > l.payloadLength;
  }
  return false;
}

function decodeHeader(b: Uint8Array): IsakmpHeader {
  const version = b[17]!;
  return {
    ispi: b.subarray(0, 8),
    rspi: b.subarray(8, 16),
    nextPayload: b[16]!,
    version,
    majorVersion: version >> 4,
    minorVersion: version & 0x0f,
    exchangeType: b[18]!,
    flags: b[19]!,
    messageId: ((b[20]! << 24) >>> 0) + ((b[21]! << 16) | (b[22]! << 8) | b[23]!),
    length: ((b[24]! << 24) >>> 0) + ((b[25]! << 16) | (b[26]! << 8) | b[27]!),
  };
}
