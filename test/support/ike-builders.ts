/**
 * IKE messages with real payload chains, for crafted analysis captures. Lengths and next-payload
 * fields are computed; NAT-D hashes are computed from the addresses a test says the sender used.
 */
import { createHash } from 'node:crypto';
import { concat, hex, ip4, u16, u32, u8, type Bytes } from './packet-builders.js';

export interface PayloadSpec {
  readonly type: number;
  readonly body: Bytes;
}

export const P = { SA: 1, KE: 4, ID: 5, HASH: 8, NONCE: 10, NOTIFY_V1: 11, DELETE_V1: 12, VID: 13, NAT_D: 20, NAT_OA: 21, NAT_D_DRAFT: 130, NAT_OA_DRAFT: 131, SA_V2: 33, KE_V2: 34, NONCE_V2: 40, NOTIFY_V2: 41, VID_V2: 43, SK: 46 } as const;

/** An ISAKMP message: header + chained payloads with correct lengths. */
export function ikeMessage(o: { ispi: Bytes; rspi?: Bytes; version: 1 | 2; exchange: number; flags?: number; mid?: number; payloads: readonly PayloadSpec[] }): Bytes {
  const bodies = o.payloads.map((p, i) => {
    const next = o.payloads[i + 1]?.type ?? 0;
    return concat(u8(next), u8(0), u16(4 + p.body.length), p.body);
  });
  const body = concat(...bodies);
  return concat(o.ispi, o.rspi ?? new Uint8Array(8), u8(o.payloads[0]?.type ?? 0), u8(o.version === 1 ? 0x10 : 0x20), u8(o.exchange), u8(o.flags ?? 0), u32(o.mid ?? 0), u32(28 + body.length), body);
}

export const md5 = (s: string): Bytes => new Uint8Array(createHash('md5').update(s).digest());

export const VID = {
  RFC3947: md5('RFC 3947'),
  DRAFT02N: md5('draft-ietf-ipsec-nat-t-ike-02\n'),
  DRAFT03: md5('draft-ietf-ipsec-nat-t-ike-03'),
  STRONGSWAN: md5('strongSwan'),
  DPD: hex('afcad71368a1f1c96b8696fc77570100'),
} as const;

export const vid = (bytes: Bytes): PayloadSpec => ({ type: P.VID, body: bytes });

export function natdHash(alg: string, ispi: Bytes, rspi: Bytes, address: string, port: number): Bytes {
  return new Uint8Array(createHash(alg).update(ispi).update(rspi).update(ip4(address)).update(u16(port)).digest());
}

/** IKEv1 Phase-1 SA: one proposal, one transform with the given hash attribute (TV). */
export function saV1Phase1(hash: number): PayloadSpec {
  const attrs = concat(u16(0x8001), u16(7), u16(0x8002), u16(hash), u16(0x8003), u16(1), u16(0x8004), u16(14));
  const transform = concat(u8(0), u8(0), u16(8 + attrs.length), u8(1), u8(1), u16(0), attrs);
  const proposal = concat(u8(0), u8(0), u16(8 + transform.length), u8(1), u8(1), u8(0), u8(1), transform);
  return { type: P.SA, body: concat(u32(1), u32(1), proposal) };
}

/** IKEv1 Quick Mode SA (cleartext only in crafted tests): ESP proposal with an encapsulation mode. */
export function saV1Quick(spi: number, encapMode: number): PayloadSpec {
  const attrs = concat(u16(0x8004), u16(encapMode), u16(0x8005), u16(2));
  const transform = concat(u8(0), u8(0), u16(8 + attrs.length), u8(1), u8(12), u16(0), attrs);
  const proposal = concat(u8(0), u8(0), u16(12 + transform.length), u8(1), u8(3), u8(4), u8(1), u32(spi), transform);
  return { type: P.SA, body: concat(u32(1), u32(1), proposal) };
}

export const natd = (hash: Bytes, type: number = P.NAT_D): PayloadSpec => ({ type, body: hash });
export const natOa = (address: string, type: number = P.NAT_OA): PayloadSpec => ({ type, body: concat(u8(1), u8(0), u16(0), ip4(address)) });

export function notifyV2(type: number, data: Bytes = new Uint8Array()): PayloadSpec {
  return { type: P.NOTIFY_V2, body: concat(u8(0), u8(0), u16(type), data) };
}

export const NAT_DETECTION_SOURCE_IP = 16388;
export const NAT_DETECTION_DESTINATION_IP = 16389;
