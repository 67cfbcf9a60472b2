/** Wire constants of ISAKMP (RFC 2408/2409), IKEv2 (RFC 7296) and NAT-T (RFC 3947). */

export const ISAKMP_HEADER_LENGTH = 28;
export const GENERIC_HEADER_LENGTH = 4;

/** Bounds on repeated structures, so hostile input cannot make work or memory grow without limit. */
export const MAX_PAYLOADS = 256;
export const MAX_PROPOSALS = 256;
export const MAX_ATTRIBUTES = 256;

export const PAYLOAD = {
  NONE: 0,
  SA: 1,
  PROPOSAL: 2,
  TRANSFORM: 3,
  KE: 4,
  ID: 5,
  CERT: 6,
  CR: 7,
  HASH: 8,
  SIG: 9,
  NONCE: 10,
  N: 11,
  D: 12,
  VID: 13,
  ATTR: 14,
  /** GDOI SAK; NAT-D in early NAT-T drafts. */
  SAK: 15,
  /** GDOI SAT; NAT-OA in early NAT-T drafts. */
  SAT: 16,
  NAT_D: 20,
  NAT_OA: 21,
  V2_SA: 33,
  V2_KE: 34,
  V2_IDI: 35,
  V2_IDR: 36,
  V2_CERT: 37,
  V2_CERTREQ: 38,
  V2_AUTH: 39,
  V2_NONCE: 40,
  V2_N: 41,
  V2_D: 42,
  V2_VID: 43,
  V2_TSI: 44,
  V2_TSR: 45,
  V2_SK: 46,
  V2_CP: 47,
  V2_EAP: 48,
  V2_SKF: 53,
  NAT_D_DRAFT: 130,
  NAT_OA_DRAFT: 131,
  CISCO_FRAG: 132,
} as const;

/** IKEv1 header flags. */
export const FLAG_V1 = { ENCRYPTION: 0x01, COMMIT: 0x02, AUTHENTICATION: 0x04 } as const;
/** IKEv2 header flags. */
export const FLAG_V2 = { INITIATOR: 0x08, VERSION: 0x10, RESPONSE: 0x20 } as const;

/** ID types with a fixed-size value, and that size. */
export const ID_FIXED_SIZE: Readonly<Record<number, number>> = {
  1: 4, // IPV4_ADDR
  4: 8, // IPV4_ADDR_SUBNET
  5: 16, // IPV6_ADDR
  6: 32, // IPV6_ADDR_SUBNET
  7: 8, // IPV4_ADDR_RANGE
  8: 32, // IPV6_ADDR_RANGE
};

/** IKEv2 traffic selector types. */
export const TS_IPV4_ADDR_RANGE = 7;
export const TS_IPV6_ADDR_RANGE = 8;
