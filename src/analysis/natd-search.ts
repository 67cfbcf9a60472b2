import { createHash } from 'node:crypto';
import { formatIpv4 } from '../decode/tree.js';
import { Ipv4NatdHasher } from './fast-hash.js';

/**
 * Recovers the address:port a NATed sender hashed into its own source NAT-D payload, by trying
 * candidate private addresses × ports (NATT-REFERENCE §2.4 "What hashes can reveal"; RFC 3947 §8
 * puts the work at about 2^24). MD5 and SHA-1 use the allocation-free hasher in fast-hash.ts;
 * SHA2-256/384/512 (IKEv1 can negotiate them) go through node:crypto, roughly 15–20× slower.
 * IPv4 only. The search is synchronous and bounded by budgetMs.
 */

export type NatdSearchAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** IPv4 addresses first..last inclusive, as host-order unsigned 32-bit integers. */
export interface AddressRange {
  readonly first: number;
  readonly last: number;
}

export interface NatdSearchInput {
  readonly algorithm: NatdSearchAlgorithm;
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  readonly target: Uint8Array;
  readonly ports: readonly number[];
  readonly candidates: readonly AddressRange[];
  readonly budgetMs: number;
}

export interface NatdSearchResult {
  readonly found?: { readonly address: string; readonly port: number };
  /** Hashes computed, including the matching one. */
  readonly tried: number;
  /** Every candidate was tried (tried === countCandidates(...)): a miss is conclusive for the list. */
  readonly exhausted: boolean;
  readonly elapsedMs: number;
}

const DIGEST_BYTES: Readonly<Record<NatdSearchAlgorithm, number>> = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** Candidates between clock reads: ~10 ms of work on the fast path, ~10 ms through node:crypto. */
const FAST_CHECK_INTERVAL = 65_536;
const NODE_CHECK_INTERVAL = 4_096;

/** At most this many observed addresses are tried first as /32 ranges. */
export const MAX_OBSERVED_CANDIDATES = 4096;

const ip = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const block = (first: number, size: number): AddressRange => ({ first, last: first + size - 1 });

/**
 * The usual private LAN ranges, most likely and cheapest first (1 506 304 addresses in all):
 * 192.168.0.0/16, 10.0.0.0/16, 172.16.0.0/16 (65 536 each); 10.x.0.0–10.x.3.255 for x = 1..255
 * (255 × 1024 = 261 120: the low /22 of every 10.x, where DHCP pools and small-office LANs sit);
 * 100.64.0.0/16 (RFC 6598 shared space, first /16 of it: 65 536); 172.17.0.0–172.31.255.255
 * (the rest of 172.16.0.0/12: 983 040). No address is listed twice.
 */
const COMMON_PRIVATE_RANGES: readonly AddressRange[] = Object.freeze([
  block(ip(192, 168, 0, 0), 1 << 16),
  block(ip(10, 0, 0, 0), 1 << 16),
  block(ip(172, 16, 0, 0), 1 << 16),
  ...Array.from({ length: 255 }, (_, i) => block(ip(10, i + 1, 0, 0), 1 << 10)),
  block(ip(100, 64, 0, 0), 1 << 16),
  block(ip(172, 17, 0, 0), 15 << 16),
]);

/**
 * The full RFC 1918 and RFC 6598 space, cheapest first: 192.168.0.0/16, 172.16.0.0/12, 10.0.0.0/8,
 * 100.64.0.0/10 (22 085 632 addresses). For an opt-in exhaustive search; about 3 s per port on the
 * fast path, one core.
 */
export const ALL_PRIVATE_RANGES: readonly AddressRange[] = Object.freeze([
  block(ip(192, 168, 0, 0), 1 << 16),
  block(ip(172, 16, 0, 0), 1 << 20),
  block(ip(10, 0, 0, 0), 1 << 24),
  block(ip(100, 64, 0, 0), 1 << 22),
]);

/**
 * The default candidate list: the observed addresses first (each as a /32, in the order given,
 * deduplicated, at most MAX_OBSERVED_CANDIDATES; values that are not u32 integers are skipped),
 * then COMMON_PRIVATE_RANGES. An observed private address is tried again inside its range later,
 * which costs at most 4096 extra candidates per port.
 */
export function defaultPrivateCandidates(observed: readonly number[]): AddressRange[] {
  const seen = new Set<number>();
  const ranges: AddressRange[] = [];
  for (const a of observed) {
    if (seen.size >= MAX_OBSERVED_CANDIDATES) break;
    if (!Number.isInteger(a) || a < 0 || a > 0xffffffff || seen.has(a)) continue;
    seen.add(a);
    ranges.push({ first: a, last: a });
  }
  return [...ranges, ...COMMON_PRIVATE_RANGES];
}

/** The number of hashes a full search of these ranges and ports computes. */
export function countCandidates(ranges: readonly AddressRange[], portCount: number): number {
  let addresses = 0;
  for (const r of ranges) addresses += r.last - r.first + 1;
  return addresses * portCount;
}

/** Same matches() contract as Ipv4NatdHasher, through node:crypto (SHA-2). */
class NodeNatdHasher {
  private readonly message = Buffer.alloc(22);

  constructor(private readonly algorithm: string, spiI: Uint8Array, spiR: Uint8Array) {
    this.message.set(spiI, 0);
    this.message.set(spiR, 8);
  }

  matches(ipv4: number, port: number, target: Uint8Array): boolean {
    this.message.writeUInt32BE(ipv4 >>> 0, 16);
    this.message.writeUInt16BE(port, 20);
    return createHash(this.algorithm).update(this.message).digest().equals(target);
  }
}

/**
 * Tries every candidate (ranges in order; for each address, every port in order) until the hash
 * matches target or budgetMs has passed (checked between addresses, every ~64k candidates, so it
 * can overrun by ~10 ms). Throws RangeError for input no candidate could satisfy (SPIs not 8
 * bytes, a target length that does not fit the algorithm, ports or ranges out of range).
 */
export function searchNatdSource(input: NatdSearchInput): NatdSearchResult {
  const { algorithm, spiI, spiR, target, ports, candidates, budgetMs } = input;
  validate(input);
  const fast = algorithm === 'md5' || algorithm === 'sha1';
  const hasher = fast ? new Ipv4NatdHasher(algorithm, spiI, spiR) : new NodeNatdHasher(algorithm, spiI, spiR);
  const interval = fast ? FAST_CHECK_INTERVAL : NODE_CHECK_INTERVAL;
  const total = countCandidates(candidates, ports.length);
  const start = performance.now();
  const result = (tried: number, found?: NatdSearchResult['found']): NatdSearchResult => ({
    ...(found ? { found } : {}),
    tried,
    exhausted: tried === total,
    elapsedMs: performance.now() - start,
  });
  let tried = 0;
  let nextCheck = interval;
  for (const { first, last } of candidates) {
    for (let address = first; address <= last; address++) {
      for (const port of ports) {
        tried++;
        if (hasher.matches(address, port, target)) return result(tried, { address: formatIpv4(address), port });
      }
      if (tried >= nextCheck) {
        if (performance.now() - start >= budgetMs) return result(tried);
        nextCheck = tried + interval;
      }
    }
  }
  return result(tried);
}

function validate({ algorithm, spiI, spiR, target, ports, candidates }: NatdSearchInput): void {
  if (spiI.length !== 8 || spiR.length !== 8) throw new RangeError('NAT-D SPIs must be 8 bytes each');
  if (target.length !== DIGEST_BYTES[algorithm])
    throw new RangeError(`A ${algorithm} NAT-D hash has ${DIGEST_BYTES[algorithm]} bytes, not ${target.length}`);
  for (const p of ports) if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw new RangeError(`Invalid port ${p}`);
  for (const { first, last } of candidates)
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last > 0xffffffff || first > last)
      throw new RangeError(`Invalid address range ${first}–${last}`);
}
