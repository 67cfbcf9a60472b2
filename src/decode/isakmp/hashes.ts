import type { NameTable } from './names.js';

/**
 * The one table of IKEv1 Hash-Algorithm attribute values (RFC 2409 appendix A, RFC 4868 for
 * SHA-2, IANA for SM3). Per algorithm: its attribute value, the name tshark shows, espy's name,
 * the digest size in bytes, and the lowercase name node:crypto knows it by (none for Tiger and
 * SM3, which espy cannot compute). IKEv1 NAT-D uses the plain negotiated hash (RFC 3947 §3.2);
 * IKEv2 NAT-D is always SHA-1 (RFC 7296 §2.23). Everything else here is derived from it.
 */
interface HashRow {
  readonly id: number;
  readonly tshark: string;
  readonly name?: string;
  readonly bytes?: number;
  readonly node?: string;
}

const HASHES = {
  RESERVED: { id: 0, tshark: 'RESERVED' },
  MD5: { id: 1, tshark: 'MD5', name: 'MD5', bytes: 16, node: 'md5' },
  SHA1: { id: 2, tshark: 'SHA', name: 'SHA1', bytes: 20, node: 'sha1' },
  TIGER: { id: 3, tshark: 'TIGER', name: 'Tiger', bytes: 24 },
  SHA2_256: { id: 4, tshark: 'SHA2-256', name: 'SHA2-256', bytes: 32, node: 'sha256' },
  SHA2_384: { id: 5, tshark: 'SHA2-384', name: 'SHA2-384', bytes: 48, node: 'sha384' },
  SHA2_512: { id: 6, tshark: 'SHA2-512', name: 'SHA2-512', bytes: 64, node: 'sha512' },
  SM3: { id: 20, tshark: 'SM3', name: 'SM3', bytes: 32 },
} as const satisfies Record<string, HashRow>;

const ROWS: readonly HashRow[] = Object.values(HASHES);

/** Hash-Algorithm attribute values by name: `HASH.SHA1` is 2, `HASH.TIGER` 3. */
export const HASH = Object.fromEntries(Object.entries(HASHES).map(([key, row]) => [key, row.id])) as {
  readonly [K in keyof typeof HASHES]: (typeof HASHES)[K]['id'];
};

/** The hashes espy computes, by their node:crypto name. */
export type DigestAlgorithm = Extract<(typeof HASHES)[keyof typeof HASHES], { node: string }>['node'];

/** tshark's names, for the SA attribute tree. */
export const IKE_HASH: NameTable = Object.fromEntries(ROWS.map((r) => [r.id, r.tshark]));

/** Digest sizes in bytes by attribute value, for checking IKEv1 NAT-D lengths against the negotiated hash. */
export const IKE_HASH_SIZE: Readonly<Record<number, number>> = Object.fromEntries(
  ROWS.flatMap((r) => (r.bytes === undefined ? [] : [[r.id, r.bytes]])),
);

/** The hashes espy computes, by attribute value: espy's name, node:crypto name and digest size. */
export const IKEV1_HASH_ALGORITHMS: Readonly<Record<number, { readonly name: string; readonly node: DigestAlgorithm; readonly bytes: number }>> =
  Object.fromEntries(
    Object.values(HASHES).flatMap((r) => ('node' in r ? [[r.id, { name: r.name, node: r.node, bytes: r.bytes }]] : [])),
  );

/** Digest sizes in bytes by node:crypto name (`DIGEST_BYTES.sha1` is 20). */
export const DIGEST_BYTES: Readonly<Record<DigestAlgorithm, number>> = Object.fromEntries(
  Object.values(HASHES).flatMap((r) => ('node' in r ? [[r.node, r.bytes]] : [])),
) as Record<DigestAlgorithm, number>;
