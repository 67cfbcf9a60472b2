import { ID_FIXED_SIZE, PAYLOAD } from './constants.js';
import { EXCHANGE } from './exchanges.js';
import { isKnownPayloadType, payloadTypeName } from './names.js';
import { decodeConfig, decodeDelete, decodeNotify, decodeTrafficSelectors } from './payloads-ext.js';
import { decodeSa } from './sa.js';
import type { MessageDecoder, Scope } from './scope.js';
import type { PayloadBody } from './types.js';
import { identifyVendorId } from './vendor-ids.js';
import { IKE_HASH_SIZE } from './hashes.js';

/** Output sizes of the IKEv1 hash algorithms (MD5 16, SHA 20, Tiger 24, SHA2-256/SM3 32, 48, 64). */
const HASH_SIZES: ReadonlySet<number> = new Set(Object.values(IKE_HASH_SIZE).sort((a, b) => a - b));

/**
 * Which body a payload type has in this message. Dispatch is by number (IKEv1 and IKEv2 numbers
 * do not overlap) and the layout follows the message version, as Wireshark does. Types 15/16 are
 * GDOI SAK/SAT, but early NAT-T drafts used them for NAT-D/NAT-OA: they are read that way in
 * Main, Aggressive and Quick Mode unless the message carries a GDOI SA.
 */
export type BodyKind = PayloadBody['kind'];

export function bodyKind(type: number, m: Pick<MessageDecoder, 'exchangeType' | 'gdoi'>): BodyKind {
  switch (type) {
    case PAYLOAD.SA: case PAYLOAD.V2_SA: return 'sa';
    case PAYLOAD.KE: case PAYLOAD.V2_KE: return 'ke';
    case PAYLOAD.ID: case PAYLOAD.V2_IDI: case PAYLOAD.V2_IDR: return 'id';
    case PAYLOAD.CERT: case PAYLOAD.V2_CERT: return 'cert';
    case PAYLOAD.CR: case PAYLOAD.V2_CERTREQ: return 'certreq';
    case PAYLOAD.HASH: return 'hash';
    case PAYLOAD.SIG: return 'sig';
    case PAYLOAD.NONCE: case PAYLOAD.V2_NONCE: return 'nonce';
    case PAYLOAD.N: case PAYLOAD.V2_N: return 'notify';
    case PAYLOAD.D: case PAYLOAD.V2_D: return 'delete';
    case PAYLOAD.VID: case PAYLOAD.V2_VID: return 'vid';
    case PAYLOAD.ATTR: case PAYLOAD.V2_CP: return 'config';
    case PAYLOAD.V2_AUTH: return 'auth';
    case PAYLOAD.V2_TSI: case PAYLOAD.V2_TSR: return 'ts';
    case PAYLOAD.V2_SK: return 'sk';
    case PAYLOAD.V2_SKF: return 'skf';
    case PAYLOAD.V2_EAP: return 'eap';
    case PAYLOAD.NAT_D: case PAYLOAD.NAT_D_DRAFT: return 'nat_d';
    case PAYLOAD.NAT_OA: case PAYLOAD.NAT_OA_DRAFT: return 'nat_oa';
    case PAYLOAD.CISCO_FRAG: return 'frag_v1';
    case PAYLOAD.SAK: case PAYLOAD.SAT: {
      const natt = !m.gdoi && (m.exchangeType === EXCHANGE.MAIN || m.exchangeType === EXCHANGE.AGGRESSIVE || m.exchangeType === EXCHANGE.QUICK);
      if (!natt) return 'opaque';
      return type === PAYLOAD.SAK ? 'nat_d' : 'nat_oa';
    }
    default: return 'opaque';
  }
}

/** Bytes of a payload body (after the generic header) that its type needs to be decoded at all. */
export function minBodyLength(type: number, m: Pick<MessageDecoder, 'exchangeType' | 'gdoi' | 'version'>): number {
  const version = m.version;
  switch (bodyKind(type, m)) {
    case 'sa': return version === 1 ? 4 : 0;
    case 'ke': return version === 1 ? 0 : 4;
    case 'id': case 'auth': case 'config': case 'ts': case 'skf': case 'nat_oa': case 'frag_v1': return 4;
    case 'cert': case 'certreq': return 1;
    case 'notify': case 'delete': return version === 1 ? 8 : 4;
    default: return 0;
  }
}

export function decodeBody(m: MessageDecoder, type: number, start: number, scope: Scope): PayloadBody {
  const end = scope.availEnd;
  const rest = (from: number) => m.view(from, end);
  const kind = bodyKind(type, m);
  switch (kind) {
    case 'sa':
      return decodeSa(m, start, scope);
    case 'ke':
      return m.version === 1 ? { kind, data: rest(start) } : { kind, group: m.u16(start), data: rest(start + 4) };
    case 'id': {
      const idType = m.u8(start);
      const body = m.version === 1
        ? { kind, idType, protocolId: m.u8(start + 1), port: m.u16(start + 2), data: rest(start + 4) }
        : { kind, idType, data: rest(start + 4) };
      // IKEv2 assigns only the single-address types (RFC 7296 §3.5); the others are IKEv1's.
      const need = m.version === 1 || idType === 1 || idType === 5 ? ID_FIXED_SIZE[idType] : undefined;
      if (need !== undefined && body.data.length < need) {
        m.short(scope, start + 4, need, 'isakmp.field_short', `ID type ${idType} needs ${need} bytes of data, ${body.data.length} present`, 'isakmp.id.data');
      }
      if ((idType === 2 || idType === 3) && hasControl(body.data)) {
        m.report('isakmp.id_string_invalid', start + 4, `${idType === 2 ? 'ID_FQDN' : 'ID_USER_FQDN'} of ${body.data.length} bytes contains NUL or control characters`, 'isakmp.id.data');
      }
      return body;
    }
    case 'cert':
      return { kind, encoding: m.u8(start), data: rest(start + 1) };
    case 'certreq':
      return { kind, certType: m.u8(start), data: rest(start + 1) };
    case 'hash': case 'sig': case 'nonce': case 'sk':
      return { kind, data: rest(start) };
    case 'auth':
      return { kind, method: m.u8(start), data: rest(start + 4) };
    case 'notify':
      return decodeNotify(m, start, scope);
    case 'delete':
      return decodeDelete(m, start, scope);
    case 'vid': {
      const data = rest(start);
      return { kind, data, vendor: identifyVendorId(data) };
    }
    case 'nat_d': {
      const hash = rest(start);
      // The negotiated hash is in another message (MM1/MM2): here only "no IKEv1 hash has this size".
      if (scope.availEnd === scope.claimedEnd) {
        if (hash.length < 16) m.report('isakmp.nat_d_short', start, `NAT-D hash of ${hash.length} bytes (the shortest hash, MD5, has 16)`, 'isakmp.ike.nat_hash');
        else if (!HASH_SIZES.has(hash.length)) m.report('isakmp.nat_d_length', start, `NAT-D hash of ${hash.length} bytes (IKEv1 hashes have ${[...HASH_SIZES].join(', ')})`, 'isakmp.ike.nat_hash');
      }
      return { kind, hash };
    }
    case 'nat_oa': {
      const idType = m.u8(start);
      const need = idType === 1 ? 4 : idType === 5 ? 16 : 0;
      let address: Uint8Array | undefined;
      if (need) {
        if (start + 4 + need <= end) address = m.view(start + 4, start + 4 + need);
        else m.short(scope, start + 4, need, 'isakmp.field_short', `NAT-OA ID type ${idType} needs ${need} address bytes`, 'isakmp.id.type');
      }
      // RFC 3947 §5.2: three reserved octets after the ID type, zero.
      const reservedZero = start + 4 <= end ? m.u8(start + 1) === 0 && m.u8(start + 2) === 0 && m.u8(start + 3) === 0 : undefined;
      return { kind, idType, address, reservedZero };
    }
    case 'config':
      return decodeConfig(m, start, scope);
    case 'ts':
      return decodeTrafficSelectors(m, start, scope);
    case 'skf': {
      const fragmentNumber = m.u16(start);
      const totalFragments = m.u16(start + 2);
      if (fragmentNumber === 0 || totalFragments === 0 || fragmentNumber > totalFragments) {
        m.report('isakmp.fragment_number_invalid', start, `Fragment ${fragmentNumber} of ${totalFragments}`, 'isakmp.frag.number');
      }
      return { kind, fragmentNumber, totalFragments, data: rest(start + 4) };
    }
    case 'frag_v1': {
      const number = m.u8(start + 2);
      const flags = m.u8(start + 3);
      if (number === 0) {
        m.report('isakmp.fragment_number_invalid', start + 2, 'Fragment number 0 (numbering starts at 1)', 'isakmp.frag.seq');
      }
      return { kind, id: m.u16(start), number, flags, last: (flags & 1) !== 0, data: rest(start + 4) };
    }
    case 'eap': {
      const data = rest(start);
      const code = data.length >= 1 ? data[0] : undefined;
      const hasType = code === 1 || code === 2;
      return {
        kind,
        code,
        identifier: data.length >= 2 ? data[1] : undefined,
        eapLength: data.length >= 4 ? (data[2]! << 8) | data[3]! : undefined,
        eapType: hasType && data.length >= 5 ? data[4] : undefined,
        data,
      };
    }
    case 'opaque':
      if (!isKnownPayloadType(type)) {
        m.report('isakmp.payload_unknown', start - 4, `Unknown payload type ${type} (${payloadTypeName(type)}), skipped`, 'isakmp.typepayload');
      }
      return { kind, data: rest(start) };
  }
}

/** NUL or other C0/DEL control characters (names are text; UTF-8 bytes ≥ 0x80 are allowed). */
function hasControl(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! < 0x20 || b[i] === 0x7f) return true;
  return false;
}
