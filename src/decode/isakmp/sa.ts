import type { LayerStatus } from '../layer.js';
import { MAX_ATTRIBUTES, MAX_PROPOSALS, PAYLOAD } from './constants.js';
import { worse, type MessageDecoder, type Scope } from './scope.js';
import type { DataAttribute, OpaqueBytes, Proposal, SaBody, Transform } from './types.js';

const SUBSTRUCTURE_HEADER = 8; // generic header + 4 fixed bytes, for proposals and transforms
const VALID_SPI_SIZES = new Set([0, 4, 8, 16]);
const DOI_IPSEC = 1;
const DOI_GDOI = 2;

/**
 * SA payload body. IKEv1: DOI, then for the IPsec DOI a 4-byte situation and proposals; any other
 * DOI leaves the rest as the situation (as Wireshark shows it). IKEv2: proposals only.
 */
export function decodeSa(m: MessageDecoder, start: number, scope: Scope): SaBody {
  if (m.version === 2) return saOf(undefined, undefined, decodeProposals(m, start, scope));
  const doi = m.u32(start);
  if (doi === DOI_GDOI) m.gdoi = true;
  if (doi !== DOI_IPSEC) return { kind: 'sa', doi, situation: m.view(start + 4, scope.availEnd), proposals: [] };
  if (start + 8 > scope.availEnd) {
    m.short(scope, start + 4, 4, 'isakmp.field_short', 'SA situation (4 bytes) extends beyond the payload', 'isakmp.sa.situation');
    return { kind: 'sa', doi, situation: m.view(start + 4, scope.availEnd), proposals: [] };
  }
  return saOf(doi, m.view(start + 4, start + 8), decodeProposals(m, start + 8, scope));
}

function saOf(doi: number | undefined, situation: Uint8Array | undefined, p: { proposals: Proposal[]; extra?: OpaqueBytes }): SaBody {
  if (doi === undefined || situation === undefined) return p.extra ? { kind: 'sa', proposals: p.proposals, extra: p.extra } : { kind: 'sa', proposals: p.proposals };
  return p.extra ? { kind: 'sa', doi, situation, proposals: p.proposals, extra: p.extra } : { kind: 'sa', doi, situation, proposals: p.proposals };
}

function decodeProposals(m: MessageDecoder, start: number, scope: Scope): { proposals: Proposal[]; extra?: OpaqueBytes } {
  const proposals: Proposal[] = [];
  let pos = start;
  let endedByNone = false;
  while (pos < scope.availEnd) {
    if (proposals.length >= MAX_PROPOSALS) {
      m.report('isakmp.chain_too_long', pos, `More than ${MAX_PROPOSALS} proposals; decoding stopped`);
      break;
    }
    if (scope.availEnd - pos < SUBSTRUCTURE_HEADER) {
      m.short(scope, pos, SUBSTRUCTURE_HEADER, 'isakmp.payload_length_invalid', `${scope.availEnd - pos} bytes left: no room for a proposal`, 'isakmp.payloadlength');
      break;
    }
    const proposal = decodeProposal(m, pos, scope);
    proposals.push(proposal);
    if (proposal.length < SUBSTRUCTURE_HEADER) break;
    pos += proposal.length;
    if (proposal.nextPayload === PAYLOAD.NONE) {
      endedByNone = true;
      break;
    }
    if (proposal.nextPayload !== PAYLOAD.PROPOSAL) {
      m.report('isakmp.substructure_invalid', proposal.offset - m.base, `Proposal next payload ${proposal.nextPayload} (must be 2 or 0)`, 'isakmp.nextpayload');
    }
  }
  if (!endedByNone && proposals.length > 0 && pos >= scope.availEnd && pos === scope.claimedEnd && proposals.at(-1)!.nextPayload === PAYLOAD.PROPOSAL) {
    m.report('isakmp.substructure_invalid', proposals.at(-1)!.offset - m.base, 'Last proposal says more proposals follow', 'isakmp.nextpayload');
  }
  if (endedByNone && pos < scope.availEnd) {
    m.report('isakmp.extra_data', pos, `${scope.availEnd - pos} bytes after the last proposal`, 'isakmp.extradata');
    return { proposals, extra: { offset: m.base + pos, data: m.view(pos, scope.availEnd) } };
  }
  return { proposals };
}

function decodeProposal(m: MessageDecoder, pos: number, outer: Scope): Proposal {
  const offset = m.base + pos;
  const nextPayload = m.u8(pos);
  const reserved = m.u8(pos + 1);
  const length = m.u16(pos + 2);
  const number = m.u8(pos + 4);
  const protocolId = m.u8(pos + 5);
  const spiSize = m.u8(pos + 6);
  const transformCount = m.u8(pos + 7);
  const spiStart = pos + SUBSTRUCTURE_HEADER;
  let status: LayerStatus = 'malformed';
  let spi = m.view(0, 0);
  let transforms: Transform[] = [];
  if (length < SUBSTRUCTURE_HEADER) {
    m.report('isakmp.payload_length_invalid', pos + 2, `Proposal length ${length}, must be at least 8`, 'isakmp.payloadlength');
  } else {
    const inner = m.inner(outer, pos, length, 'Proposal', 'isakmp.payload_too_long', 'isakmp.payloadlength');
    status = inner.status;
    if (!VALID_SPI_SIZES.has(spiSize)) m.report('isakmp.spi_size_invalid', pos + 6, `SPI size ${spiSize}`, 'isakmp.spisize');
    if (spiStart + spiSize > inner.scope.availEnd) {
      status = worse(status, m.short(inner.scope, spiStart, spiSize, 'isakmp.spi_overrun', `SPI of ${spiSize} bytes exceeds the proposal`, 'isakmp.spi'));
      spi = m.view(spiStart, inner.scope.availEnd);
    } else {
      spi = m.view(spiStart, spiStart + spiSize);
      const before = m.swap('ok');
      transforms = decodeTransforms(m, spiStart + spiSize, transformCount, pos + 7, inner.scope);
      status = worse(status, m.swap(before));
      m.mark(status);
    }
  }
  return { offset, nextPayload, reserved, length, status, number, protocolId, spiSize, transformCount, spi, transforms };
}

/**
 * Transforms are counted by the proposal (as Wireshark reads them), never beyond its bytes. A
 * count that does not fit is reported at the count field (`countAt`, in the proposal header), not
 * where the missing transform would start: that may lie past the end of the frame.
 */
function decodeTransforms(m: MessageDecoder, start: number, count: number, countAt: number, scope: Scope): Transform[] {
  const transforms: Transform[] = [];
  let pos = start;
  for (let i = 0; i < count; i++) {
    if (pos >= scope.availEnd) {
      if (pos < scope.claimedEnd && scope.cut) m.mark(scope.cut);
      else m.report('isakmp.transform_count_mismatch', countAt, `Proposal announces ${count} transforms, only ${i} fit`, 'isakmp.prop.transforms');
      return transforms;
    }
    if (scope.availEnd - pos < SUBSTRUCTURE_HEADER) {
      m.short(scope, pos, SUBSTRUCTURE_HEADER, 'isakmp.payload_length_invalid', `${scope.availEnd - pos} bytes left: no room for a transform`, 'isakmp.payloadlength');
      return transforms;
    }
    const transform = decodeTransform(m, pos, scope);
    transforms.push(transform);
    if (transform.length < SUBSTRUCTURE_HEADER) return transforms;
    const expected = i === count - 1 ? PAYLOAD.NONE : PAYLOAD.TRANSFORM;
    if (transform.nextPayload !== expected) {
      m.report('isakmp.substructure_invalid', pos, `Transform ${i + 1} of ${count} has next payload ${transform.nextPayload} (expected ${expected})`, 'isakmp.nextpayload');
    }
    // A transform claiming more than its proposal holds was reported (payload_too_long) and took
    // the rest of the proposal with it: where the next one would start says nothing.
    if (pos + transform.length > scope.claimedEnd) return transforms;
    pos += transform.length;
  }
  if (pos < scope.availEnd) {
    m.report('isakmp.transform_count_mismatch', pos, `${scope.availEnd - pos} bytes after the ${count} announced transforms`, 'isakmp.prop.transforms');
  }
  return transforms;
}

function decodeTransform(m: MessageDecoder, pos: number, outer: Scope): Transform {
  const offset = m.base + pos;
  const nextPayload = m.u8(pos);
  const reserved = m.u8(pos + 1);
  const length = m.u16(pos + 2);
  let status: LayerStatus = 'malformed';
  let attributes: DataAttribute[] = [];
  if (length < SUBSTRUCTURE_HEADER) {
    m.report('isakmp.payload_length_invalid', pos + 2, `Transform length ${length}, must be at least 8`, 'isakmp.payloadlength');
  } else {
    const inner = m.inner(outer, pos, length, 'Transform', 'isakmp.payload_too_long', 'isakmp.payloadlength');
    const before = m.swap('ok');
    attributes = decodeAttributes(m, pos + SUBSTRUCTURE_HEADER, inner.scope, 'isakmp.ike.attr');
    status = worse(inner.status, m.swap(before));
    m.mark(status);
  }
  return m.version === 1
    ? { offset, nextPayload, reserved, length, status, number: m.u8(pos + 4), transformId: m.u8(pos + 5), attributes }
    : { offset, nextPayload, reserved, length, status, transformType: m.u8(pos + 4), transformId: m.u16(pos + 6), attributes };
}

/** RFC 2408 data attributes (TV or TLV) up to the end of `scope`; bounded by MAX_ATTRIBUTES. */
export function decodeAttributes(m: MessageDecoder, start: number, scope: Scope, field: string): DataAttribute[] {
  const attributes: DataAttribute[] = [];
  let pos = start;
  while (pos < scope.availEnd) {
    if (attributes.length >= MAX_ATTRIBUTES) {
      m.report('isakmp.chain_too_long', pos, `More than ${MAX_ATTRIBUTES} attributes; decoding stopped`);
      break;
    }
    if (scope.availEnd - pos < 4) {
      m.short(scope, pos, 4, 'isakmp.attribute_length_invalid', `${scope.availEnd - pos} bytes left: no room for an attribute`, field);
      break;
    }
    const word = m.u16(pos);
    const tv = (word & 0x8000) !== 0;
    const type = word & 0x7fff;
    if (tv) {
      attributes.push({ offset: m.base + pos, type, tv, length: 2, value: m.view(pos + 2, pos + 4), status: 'ok' });
      pos += 4;
      continue;
    }
    const length = m.u16(pos + 2);
    const end = pos + 4 + length;
    if (end > scope.availEnd) {
      const status = m.short(scope, pos + 4, length, 'isakmp.attribute_length_invalid', `Attribute length ${length} exceeds the ${scope.availEnd - pos - 4} bytes left`, field);
      attributes.push({ offset: m.base + pos, type, tv, length, value: m.view(pos + 4, scope.availEnd), status });
      break;
    }
    attributes.push({ offset: m.base + pos, type, tv, length, value: m.view(pos + 4, end), status: 'ok' });
    pos = end;
  }
  return attributes;
}

/** An attribute value as an unsigned number (up to 6 bytes); undefined when empty or longer. */
export function attributeValue(attr: DataAttribute): number | undefined {
  const v = attr.value;
  if (v.length === 0 || v.length > 6) return undefined;
  let n = 0;
  for (let i = 0; i < v.length; i++) n = n * 256 + v[i]!;
  return n;
}
