import type { NatdRecoveryInput, RecoveryOutcome } from './nat-detection.js';
import { NATD_DIGEST_BYTES, type NatdHashAlgorithm } from './fast-hash.js';
import { defaultPrivateCandidates, searchNatdSource } from './natd-search.js';

/** Observed IPv4 addresses kept as extra search candidates. */
const MAX_OBSERVED = 4096;
/** Private addresses already recovered in this capture, tried before anything else. */
const MAX_RECOVERED = 256;
/**
 * What one hash costs of the budget. SHA-384/512 go through node:crypto (~0.4 M hashes/s here
 * against ~10 M/s for the single-block SHA-1): each counts 16, so the default budget stays well
 * under a second whatever the algorithm. Still a count, so still the same on every machine.
 */
export const HASH_COST: Readonly<Record<NatdHashAlgorithm, number>> = { md5: 1, sha1: 1, sha256: 1, sha384: 16, sha512: 16 };

export interface RecoveryStats {
  searches: number;
  hashesTried: number;
  found: number;
}

const parseIpv4 = (dotted: string): number => dotted.split('.').reduce((v, o) => v * 256 + Number(o), 0);

/**
 * Recovers the private address:port a NATed sender hashed into its source NAT-D, by a bounded
 * search over the private addresses already recovered in this capture, the addresses seen in it
 * and the common private ranges (RFC 3947 §8 calls this feasible). It is asked only about a
 * sender whose source port shows no translation, so it tries that port alone (a port-preserving
 * NAT kept it). The whole capture shares one budget counted in hashes, never in time: the
 * searches (and the verdicts that rest on them) come out the same on any machine and under any
 * load. A capture with many such SAs spends at most `maxHashes`; the SAs searched after that
 * stay unrecovered, and their verdicts say so.
 */
export class PrivateAddressRecoverer {
  private readonly observed = new Set<number>();
  private readonly recovered: number[] = [];
  private spent = 0;
  readonly stats: RecoveryStats = { searches: 0, hashesTried: 0, found: 0 };

  constructor(
    private readonly maxHashes: number,
    private readonly ports: readonly number[],
  ) {}

  observe(ipv4: Uint8Array): void {
    if (this.observed.size >= MAX_OBSERVED || ipv4.length !== 4) return;
    this.observed.add(((ipv4[0]! << 24) >>> 0) + (ipv4[1]! << 16) + (ipv4[2]! << 8) + ipv4[3]!);
  }

  /** Budget left for the rest of the capture (in SHA-1 hashes, see HASH_COST). */
  get remaining(): number {
    return Math.max(0, this.maxHashes - this.spent);
  }

  /** Undefined when the input cannot be searched (not IPv4, no known algorithm, no hash of the right length). */
  recover(check: NatdRecoveryInput): RecoveryOutcome | undefined {
    if (!check.ipv4 || check.algorithm === undefined || !(check.algorithm in NATD_DIGEST_BYTES)) return undefined;
    const algorithm = check.algorithm as NatdHashAlgorithm;
    const digestBytes = NATD_DIGEST_BYTES[algorithm];
    // A hash of the wrong length (hostile or truncated NAT-D) can match nothing: skip it.
    const targets = check.sourceHashes.filter((h) => h.length === digestBytes);
    if (targets.length === 0) return undefined;
    const ports = check.sourcePort !== undefined ? [check.sourcePort] : this.ports;
    if (this.maxHashes <= 0) return { tried: 0, exhausted: false, limited: 'off', ports };
    const candidates = defaultPrivateCandidates([...this.recovered, ...this.observed]);
    const cost = HASH_COST[algorithm];
    let tried = 0;
    let exhausted = true;
    for (const target of targets) {
      const allowed = Math.floor(this.remaining / cost);
      if (allowed <= 0) return { tried, exhausted: false, limited: 'budget', ports };
      const result = searchNatdSource({ algorithm, spiI: check.spiI, spiR: check.spiR, target, ports, candidates, maxHashes: allowed });
      this.spent += result.tried * cost;
      tried += result.tried;
      this.stats.searches++;
      this.stats.hashesTried += result.tried;
      if (result.found) {
        this.stats.found++;
        const address = parseIpv4(result.found.address);
        if (this.recovered.length < MAX_RECOVERED && !this.recovered.includes(address)) this.recovered.push(address);
        return { found: result.found, tried, exhausted: false, ports };
      }
      if (!result.exhausted) return { tried, exhausted: false, limited: 'budget', ports };
      exhausted &&= result.exhausted;
    }
    return { tried, exhausted, ports };
  }
}
