import { GENERIC_HEADER_LENGTH, MAX_PAYLOADS, PAYLOAD } from './constants.js';
import { payloadTypeName } from './names.js';
import { decodeBody, minBodyLength } from './payloads.js';
import { worse, type MessageDecoder, type Scope } from './scope.js';
import type { IsakmpPayload, OpaqueBytes } from './types.js';

export interface ChainResult {
  readonly payloads: IsakmpPayload[];
  readonly extra: OpaqueBytes | undefined;
}

/**
 * Walks the top-level payload chain from `start` (just after the header). It never loops: every
 * step moves forward by at least the 4-byte generic header, a payload length below 4 (or below
 * the fixed part of its type) ends the chain, and at most MAX_PAYLOADS payloads are decoded.
 * Unknown payload types are skipped by their own length.
 */
export function decodeChain(m: MessageDecoder, first: number, start: number, scope: Scope): ChainResult {
  const payloads: IsakmpPayload[] = [];
  let type = first;
  let pos = start;
  let reportExtra = true;
  while (type !== PAYLOAD.NONE) {
    if (pos >= scope.availEnd) {
      if (pos < scope.claimedEnd && scope.cut) m.mark(scope.cut);
      else if (pos === scope.claimedEnd) {
        m.report('isakmp.next_payload_missing', pos, `Next payload ${payloadTypeName(type)} (${type}), but the message ends`, 'isakmp.nextpayload');
      }
      break;
    }
    if (scope.availEnd - pos < GENERIC_HEADER_LENGTH) {
      m.short(scope, pos, GENERIC_HEADER_LENGTH, 'isakmp.payload_length_invalid', `${scope.availEnd - pos} bytes left: no room for a payload header`, 'isakmp.payloadlength');
      reportExtra = false;
      break;
    }
    if (payloads.length >= MAX_PAYLOADS) {
      m.report('isakmp.chain_too_long', pos, `More than ${MAX_PAYLOADS} payloads; decoding stopped`);
      reportExtra = false;
      break;
    }
    const payload = decodePayload(m, type, pos, scope);
    payloads.push(payload);
    if (payload.body === undefined && payload.status === 'malformed' && payload.length < minimumFor(m, type)) {
      // Length too small for the payload: the chain cannot be trusted past this point.
      pos += GENERIC_HEADER_LENGTH;
      reportExtra = false;
      break;
    }
    pos += payload.length;
    if (pos > scope.availEnd) break;
    // SK and SKF are last: their next payload names the first payload inside the ciphertext.
    if (type === PAYLOAD.V2_SK || type === PAYLOAD.V2_SKF) break;
    type = payload.nextPayload;
  }
  let extra: OpaqueBytes | undefined;
  if (pos < scope.availEnd) {
    extra = { offset: m.base + pos, data: m.view(pos, scope.availEnd) };
    if (reportExtra) {
      m.report('isakmp.extra_data', pos, `${scope.availEnd - pos} bytes after the last payload`, 'isakmp.extradata');
    }
  }
  return { payloads, extra };
}

function minimumFor(m: MessageDecoder, type: number): number {
  return GENERIC_HEADER_LENGTH + minBodyLength(type, m);
}

function decodePayload(m: MessageDecoder, type: number, pos: number, outer: Scope): IsakmpPayload {
  const offset = m.base + pos;
  const nextPayload = m.u8(pos);
  const flags = m.u8(pos + 1);
  const length = m.u16(pos + 2);
  const critical = m.version === 2 && (flags & 0x80) !== 0;
  const reserved = m.version === 2 ? flags & 0x7f : flags;
  const min = minimumFor(m, type);
  if (length < min) {
    const need = min === GENERIC_HEADER_LENGTH ? 'at least 4' : `at least ${min} for ${payloadTypeName(type)}`;
    m.report('isakmp.payload_length_invalid', pos + 2, `Payload length ${length}, must be ${need}`, 'isakmp.payloadlength');
    return { type, offset, nextPayload, critical, reserved, length, status: 'malformed', body: undefined };
  }
  const inner = m.inner(outer, pos, length, 'Payload', 'isakmp.payload_too_long', 'isakmp.payloadlength');
  const bodyStart = pos + GENERIC_HEADER_LENGTH;
  if (bodyStart + min - GENERIC_HEADER_LENGTH > inner.scope.availEnd) {
    // The fixed part itself was cut off: nothing past the generic header can be decoded.
    return { type, offset, nextPayload, critical, reserved, length, status: inner.status, body: undefined };
  }
  const before = m.swap('ok');
  const body = decodeBody(m, type, bodyStart, inner.scope);
  const status = worse(inner.status, m.swap(before));
  m.mark(status);
  return { type, offset, nextPayload, critical, reserved, length, status, body };
}
