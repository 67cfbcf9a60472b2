import { createHash } from 'node:crypto';

/**
 * IKEv1 Phase-1 Hash attribute values (RFC 2409 App. A; RFC 4868 for SHA-2) → node:crypto name
 * and output length. NAT-D uses the plain negotiated hash, not HMAC (RFC 3947 §3.2).
 */
export const IKEV1_HASH_ALGORITHMS: Readonly<Record<number, { readonly name: string; readonly node: string; readonly bytes: number }>> = {
  1: { name: 'MD5', node: 'md5', bytes: 16 },
  2: { name: 'SHA1', node: 'sha1', bytes: 20 },
  4: { name: 'SHA2-256', node: 'sha256', bytes: 32 },
  5: { name: 'SHA2-384', node: 'sha384', bytes: 48 },
  6: { name: 'SHA2-512', node: 'sha512', bytes: 64 },
};

/** Tiger (3) is not in node:crypto; a NAT-D of 24 bytes is reported as unverifiable. */
export const TIGER_HASH = 3;

export function ikev1HashForLength(bytes: number): number | undefined {
  for (const [id, alg] of Object.entries(IKEV1_HASH_ALGORITHMS)) if (alg.bytes === bytes) return Number(id);
  return undefined;
}

/**
 * HASH(SPIi | SPIr | IP | port), all in network byte order: RFC 3947 §3.2 (IKEv1, negotiated
 * hash) and RFC 7296 §2.23 (IKEv2, always SHA-1, SPIr zero in the IKE_SA_INIT request).
 */
export function natdHash(nodeAlgorithm: string, spiI: Uint8Array, spiR: Uint8Array, address: Uint8Array, port: number): Buffer {
  const portBytes = Buffer.from([(port >> 8) & 0xff, port & 0xff]);
  return createHash(nodeAlgorithm).update(spiI).update(spiR).update(address).update(portBytes).digest();
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
