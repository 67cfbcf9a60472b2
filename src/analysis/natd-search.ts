import { formatIpv4 } from '../decode/tree.js';
import { NATD_DIGEST_BYTES, ipv4NatdHasher, type NatdHashAlgorithm } from './fast-hash.js';

/**
 * Recovers the address:port a NATed sender hashed into its own source NAT-D payload, by trying
 * candidate private addresses × ports (NATT-REFERENCE §2.4 "What hashes can reveal"; RFC 3947 §8
 * puts the work at about 2^24). MD5, SHA-1 and SHA-256 use the allocation-free single-block
 * hashers of fast-hash.ts; SHA-384/512 (IKEv1 can negotiate them) go through node:crypto's
 * one-shot hash, several times slower. IPv4 only. The search is synchronous and bounded by a
 * number of hashes (`maxHashes`), never by the clock, so its result depends only on its input:
 * the analysis gives the same verdict on a fast and on a loaded machine. The interactive
 * `natd-recover` adds its own time bound through `shouldStop` (src/recover/natd-chunk.ts).
 */

export type NatdSearchAlgorithm = NatdHashAlgorithm;

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
  /** Stop after this many hashes (default: no limit). The analysis' only bound: deterministic. */
  readonly maxHashes?: number;
  /**
   * Polled between addresses about every 64 k hashes (4 k through node:crypto); true stops the
   * search. For `natd-recover`'s wall-clock limit only: the analysis never passes it.
   */
  readonly shouldStop?: () => boolean;
}

export interface NatdSearchResult {
  readonly found?: { readonly address: string; readonly port: number };
  /** Hashes computed, including the matching one. */
  readonly tried: number;
  /** Every candidate was tried (tried === countCandidates(...)): a miss is conclusive for the list. */
  readonly exhausted: boolean;
}

const DIGEST_BYTES = NATD_DIGEST_BYTES;

/** Candidates between `shouldStop` polls: ~10 ms of work on the fast path, ~5 ms through node:crypto. */
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

/**
 * Tries every candidate (ranges in order; for each address, every port in order) until the hash
 * matches target or `maxHashes` hashes were computed (exactly: a search stops in the middle of an
 * address's ports if that is where the count runs out), or `shouldStop` says so (polled between
 * addresses). Throws RangeError for input no candidate could satisfy (SPIs not 8 bytes, a target
 * length that does not fit the algorithm, ports or ranges out of range, a negative maxHashes).
 */
export function searchNatdSource(input: NatdSearchInput): NatdSearchResult {
  const { algorithm, spiI, spiR, target, ports, candidates, shouldStop } = input;
  validate(input);
  const limit = input.maxHashes ?? Infinity;
  const hasher = ipv4NatdHasher(algorithm, spiI, spiR);
  const interval = algorithm === 'sha384' || algorithm === 'sha512' ? NODE_CHECK_INTERVAL : FAST_CHECK_INTERVAL;
  const total = countCandidates(candidates, ports.length);
  const result = (tried: number, found?: NatdSearchResult['found']): NatdSearchResult => ({
    ...(found ? { found } : {}),
    tried,
    exhausted: tried === total,
  });
  let tried = 0;
  let nextCheck = interval;
  for (const { first, last } of candidates) {
    for (let address = first; address <= last; address++) {
      for (const port of ports) {
        if (tried >= limit) return result(tried);
        tried++;
        if (hasher.matches(address, port, target)) return result(tried, { address: formatIpv4(address), port });
      }
      if (shouldStop !== undefined && tried >= nextCheck) {
        if (shouldStop()) return result(tried);
        nextCheck = tried + interval;
      }
    }
  }
  return result(tried);
}

function validate({ algorithm, spiI, spiR, target, ports, candidates, maxHashes }: NatdSearchInput): void {
  if (spiI.length !== 8 || spiR.length !== 8) throw new RangeError('NAT-D SPIs must be 8 bytes each');
  if (DIGEST_BYTES[algorithm] === undefined) throw new RangeError(`Unknown NAT-D hash ${String(algorithm)}`);
  if (maxHashes !== undefined && !(maxHashes >= 0)) throw new RangeError(`Invalid hash budget ${maxHashes}`);
  if (target.length !== DIGEST_BYTES[algorithm])
    throw new RangeError(`A ${algorithm} NAT-D hash has ${DIGEST_BYTES[algorithm]} bytes, not ${target.length}`);
  for (const p of ports) if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw new RangeError(`Invalid port ${p}`);
  for (const { first, last } of candidates)
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last > 0xffffffff || first > last)
      throw new RangeError(`Invalid address range ${first}–${last}`);
}
