/**
 * IKEv2 (RFC 7296) and IKEv1 Main Mode (RFC 2409, NAT-T per RFC 3947) messages as they appear
 * on the wire. Cleartext exchanges (IKE_SA_INIT, Main Mode 1–4) carry real payloads, including
 * valid NAT-D hashes; encrypted ones (IKE_AUTH, Main Mode 5–6, Quick Mode, INFORMATIONAL) carry
 * random bytes of realistic length, as a capture would.
 */
import { createHash } from 'node:crypto';
import type { Prng } from './prng.js';

/** Grows a byte array; IKE messages are few and small, so plain arrays are fine. */
export class Bytes {
  private readonly parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Generic payload: next payload, flags/reserved, length, body. */
function payload(next: number, body: Uint8Array, critical = false): Uint8Array {
  return new Bytes()
    .u8(next)
    .u8(critical ? 0x80 : 0)
    .u16(4 + body.length)
    .raw(body)
    .done();
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function portBytes(port: number): Uint8Array {
  return Uint8Array.of(port >>> 8, port & 0xff);
}

/** SHA-1(SPIi | SPIr | IP | port): RFC 7296 §2.23 and, with SHA-1 negotiated, RFC 3947 §3.2. */
export function natdSha1(spiI: Uint8Array, spiR: Uint8Array, address: Uint8Array, port: number): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spiI).update(spiR).update(address).update(portBytes(port)).digest());
}

const ZERO_SPI = new Uint8Array(8);

/** IKE header (28 bytes) followed by the payloads; `firstPayload` is the header's Next Payload. */
function ikeMessage(
  spiI: Uint8Array,
  spiR: Uint8Array,
  firstPayload: number,
  version: number,
  exchange: number,
  flags: number,
  messageId: number,
  body: Uint8Array,
): Uint8Array {
  const h = new Bytes().raw(spiI).raw(spiR).u8(firstPayload).u8(version).u8(exchange).u8(flags).u32(messageId).u32(28 + body.length);
  return concat([h.done(), body]);
}

// ---------------------------------------------------------------- IKEv2

export const IKEV2 = {
  IKE_SA_INIT: 34,
  IKE_AUTH: 35,
  CREATE_CHILD_SA: 36,
  INFORMATIONAL: 37,
  FLAG_INITIATOR: 0x08,
  FLAG_RESPONSE: 0x20,
} as const;

const PL2 = { NONE: 0, SA: 33, KE: 34, IDI: 35, CERTREQ: 38, N: 41, NONCE: 40, D: 42, V: 43, SK: 46 } as const;
const N_NAT_SRC = 16388;
const N_NAT_DST = 16389;
const N_FRAGMENTATION_SUPPORTED = 16430;
const N_SIGNATURE_HASH_ALGORITHMS = 16431;

/** Transform: type, id, optional key length attribute. */
type Transform = readonly [type: number, id: number, keyLength?: number];

/** One IKEv2 client profile: what it proposes and how big its key exchange is. */
export interface Ikev2Profile {
  readonly name: string;
  readonly proposals: readonly (readonly Transform[])[];
  readonly dhGroup: number;
  readonly keBytes: number;
  /** GCM: 8-byte IV, 16-byte ICV, 4-byte alignment. CBC: 16-byte IV, 16-byte ICV (SHA-256-128). */
  readonly aead: boolean;
  /** IKE_AUTH round trips (1 for certificates/PSK, 4 or so for EAP). */
  readonly authRoundTrips: number;
}

const ENCR = 1;
const PRF = 2;
const INTEG = 3;
const DH = 4;

export const IKEV2_PROFILES: readonly Ikev2Profile[] = [
  {
    name: 'strongswan-like (AES-GCM, ECP-256)',
    proposals: [
      [[ENCR, 20, 256], [PRF, 5], [DH, 19]],
      [[ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 19]],
    ],
    dhGroup: 19,
    keBytes: 64,
    aead: true,
    authRoundTrips: 1,
  },
  {
    name: 'windows-like (AES-CBC, MODP-1024, EAP)',
    proposals: [
      [[ENCR, 12, 256], [INTEG, 2], [PRF, 2], [DH, 2]],
      [[ENCR, 3], [INTEG, 2], [PRF, 2], [DH, 2]],
    ],
    dhGroup: 2,
    keBytes: 128,
    aead: false,
    authRoundTrips: 4,
  },
  {
    name: 'appliance-like (AES-CBC, MODP-2048)',
    proposals: [[[ENCR, 12, 256], [INTEG, 12], [PRF, 5], [DH, 14]]],
    dhGroup: 14,
    keBytes: 256,
    aead: false,
    authRoundTrips: 1,
  },
];

function v2Proposal(num: number, last: boolean, transforms: readonly Transform[]): Uint8Array {
  const ts: Uint8Array[] = transforms.map(([type, id, keyLength], i) => {
    const t = new Bytes()
      .u8(i === transforms.length - 1 ? 0 : 3)
      .u8(0)
      .u16(keyLength === undefined ? 8 : 12)
      .u8(type)
      .u8(0)
      .u16(id);
    if (keyLength !== undefined) t.u16(0x800e).u16(keyLength);
    return t.done();
  });
  const body = concat(ts);
  return concat([
    new Bytes()
      .u8(last ? 0 : 2)
      .u8(0)
      .u16(8 + body.length)
      .u8(num)
      .u8(1) // protocol IKE
      .u8(0) // SPI size
      .u8(transforms.length)
      .done(),
    body,
  ]);
}

function v2Notify(next: number, type: number, data: Uint8Array): Uint8Array {
  return payload(next, concat([new Bytes().u8(0).u8(0).u16(type).done(), data]));
}

export interface NatdEndpoints {
  /** The sender's own idea of its address and port (what it hashes as the source). */
  readonly srcAddr: Uint8Array;
  readonly srcPort: number;
  /** The address and port it sends to (what it hashes as the destination). */
  readonly dstAddr: Uint8Array;
  readonly dstPort: number;
}

/** IKE_SA_INIT request (SPIr zero, so the NAT-D hashes use a zero SPIr) or response. */
export function ikev2SaInit(
  rng: Prng,
  profile: Ikev2Profile,
  spiI: Uint8Array,
  spiR: Uint8Array | undefined,
  natd: NatdEndpoints,
): Uint8Array {
  const response = spiR !== undefined;
  const spiROnWire = spiR ?? ZERO_SPI;
  const proposals = response ? [profile.proposals[0]!] : profile.proposals;
  const sa = payload(PL2.KE, concat(proposals.map((p, i) => v2Proposal(i + 1, i === proposals.length - 1, p))));
  const ke = payload(PL2.NONCE, concat([new Bytes().u16(profile.dhGroup).u16(0).done(), rng.bytes(profile.keBytes)]));
  const nonce = payload(PL2.N, rng.bytes(32));
  const nSrc = v2Notify(PL2.N, N_NAT_SRC, natdSha1(spiI, spiROnWire, natd.srcAddr, natd.srcPort));
  const nDst = v2Notify(PL2.N, N_NAT_DST, natdSha1(spiI, spiROnWire, natd.dstAddr, natd.dstPort));
  const nFrag = v2Notify(PL2.N, N_FRAGMENTATION_SUPPORTED, new Uint8Array(0));
  const parts = [sa, ke, nonce, nSrc, nDst, nFrag];
  if (response) {
    parts.push(v2Notify(PL2.CERTREQ, N_SIGNATURE_HASH_ALGORITHMS, Uint8Array.of(0, 2, 0, 3, 0, 4)));
    parts.push(payload(PL2.NONE, concat([Uint8Array.of(4), rng.bytes(20)]))); // CERTREQ, X.509, one CA hash
  } else {
    parts.push(v2Notify(PL2.NONE, N_SIGNATURE_HASH_ALGORITHMS, Uint8Array.of(0, 2, 0, 3, 0, 4)));
  }
  const flags = response ? IKEV2.FLAG_RESPONSE : IKEV2.FLAG_INITIATOR;
  return ikeMessage(spiI, spiROnWire, PL2.SA, 0x20, IKEV2.IKE_SA_INIT, flags, 0, concat(parts));
}

/**
 * An encrypted IKEv2 message: header + SK payload (IV, ciphertext, ICV). `innerFirst` is the
 * type of the first encrypted payload (SK's Next Payload); `plainLength` the cleartext size.
 */
export function ikev2Encrypted(
  rng: Prng,
  profile: Ikev2Profile,
  spiI: Uint8Array,
  spiR: Uint8Array,
  exchange: number,
  flags: number,
  messageId: number,
  innerFirst: number,
  plainLength: number,
): Uint8Array {
  const iv = profile.aead ? 8 : 16;
  const block = profile.aead ? 4 : 16;
  const ct = Math.ceil((plainLength + 1) / block) * block;
  const sk = payload(innerFirst, rng.bytes(iv + ct + 16));
  return ikeMessage(spiI, spiR, PL2.SK, 0x20, exchange, flags, messageId, sk);
}

export const IKEV2_INNER = { IDI: PL2.IDI, IDR: 36, AUTH: 39, EAP: 48, N: PL2.N, D: PL2.D, NONE: PL2.NONE } as const;

// ---------------------------------------------------------------- IKEv1

const PL1 = { NONE: 0, SA: 1, P: 2, T: 3, KE: 4, ID: 5, HASH: 8, NONCE: 10, N: 11, D: 12, VID: 13, NATD: 20 } as const;
export const IKEV1 = { MAIN_MODE: 2, INFORMATIONAL: 5, QUICK_MODE: 32, FLAG_ENCRYPTED: 0x01 } as const;

/** MD5("RFC 3947"). */
export const VID_RFC3947 = Buffer.from('4a131c81070358455c5728f20e95452f', 'hex');
/** MD5("draft-ietf-ipsec-nat-t-ike-02\n"). */
export const VID_NATT_DRAFT_02N = Buffer.from('90cb80913ebb696e086381b5ec427b1f', 'hex');
/** Dead Peer Detection (RFC 3706). */
export const VID_DPD = Buffer.from('afcad71368a1f1c96b8696fc77570100', 'hex');

/** Phase-1 transform attributes (TV form): AES-CBC/256, hash, MODP-2048, PSK, 8 h lifetime. */
function v1Transform(num: number, last: boolean, hash: number): Uint8Array {
  const attrs = new Bytes()
    .u16(0x8001).u16(7) // encryption: AES-CBC
    .u16(0x800e).u16(256) // key length
    .u16(0x8002).u16(hash) // hash: 2 SHA, 4 SHA2-256
    .u16(0x8004).u16(14) // group: MODP-2048
    .u16(0x8003).u16(1) // authentication: pre-shared key
    .u16(0x800b).u16(1) // life type: seconds
    .u16(0x800c).u16(28800) // life duration
    .done();
  return payload(last ? PL1.NONE : PL1.T, concat([Uint8Array.of(num, 1, 0, 0), attrs])); // KEY_IKE
}

function v1Sa(next: number, hashes: readonly number[]): Uint8Array {
  const transforms = concat(hashes.map((h, i) => v1Transform(i + 1, i === hashes.length - 1, h)));
  const proposal = payload(PL1.NONE, concat([Uint8Array.of(1, 1, 0, hashes.length), transforms])); // #1, PROTO_ISAKMP, no SPI
  return payload(next, concat([new Bytes().u32(1).u32(1).done(), proposal])); // DOI IPsec, SIT_IDENTITY_ONLY
}

/** Main Mode message 1 (initiator, CKY-R zero) or 2 (responder): SA and vendor IDs. */
export function ikev1MainSa(cookieI: Uint8Array, cookieR: Uint8Array | undefined): Uint8Array {
  const vids = cookieR === undefined ? [VID_RFC3947, VID_NATT_DRAFT_02N, VID_DPD] : [VID_RFC3947, VID_DPD];
  const sa = v1Sa(PL1.VID, cookieR === undefined ? [2, 4] : [2]); // the responder chooses SHA-1
  const vidPayloads = vids.map((v, i) => payload(i === vids.length - 1 ? PL1.NONE : PL1.VID, v));
  return ikeMessage(cookieI, cookieR ?? ZERO_SPI, PL1.SA, 0x10, IKEV1.MAIN_MODE, 0, 0, concat([sa, ...vidPayloads]));
}

/**
 * Main Mode message 3 or 4: KE, nonce and NAT-D (RFC 3947 §3.2): the first NAT-D hashes the
 * peer's address and port (the packet's destination), the second the sender's own.
 */
export function ikev1MainKe(rng: Prng, cookieI: Uint8Array, cookieR: Uint8Array, natd: NatdEndpoints): Uint8Array {
  const ke = payload(PL1.NONCE, rng.bytes(256));
  const nonce = payload(PL1.NATD, rng.bytes(rng.range(16, 32)));
  const dst = payload(PL1.NATD, natdSha1(cookieI, cookieR, natd.dstAddr, natd.dstPort));
  const src = payload(PL1.NONE, natdSha1(cookieI, cookieR, natd.srcAddr, natd.srcPort));
  return ikeMessage(cookieI, cookieR, PL1.KE, 0x10, IKEV1.MAIN_MODE, 0, 0, concat([ke, nonce, dst, src]));
}

/** An encrypted IKEv1 message (Main Mode 5/6, Quick Mode, Informational): AES-CBC, no IV on the wire. */
export function ikev1Encrypted(rng: Prng, cookieI: Uint8Array, cookieR: Uint8Array, exchange: number, messageId: number, firstPayload: number, plainLength: number): Uint8Array {
  const ct = Math.ceil(plainLength / 16) * 16;
  return ikeMessage(cookieI, cookieR, firstPayload, 0x10, exchange, IKEV1.FLAG_ENCRYPTED, messageId, rng.bytes(ct));
}

export const IKEV1_FIRST = { ID: PL1.ID, HASH: PL1.HASH } as const;
