import type { NatdRecoveryInput } from './nat-detection.js';
import { defaultPrivateCandidates, searchNatdSource } from './natd-search.js';

const DIGEST_BYTES = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 } as const;

/** Observed IPv4 addresses kept as extra search candidates. */
const MAX_OBSERVED = 4096;

export interface RecoveryStats {
  searches: number;
  hashesTried: number;
  elapsedMs: number;
  found: number;
}

/**
 * Recovers the private address:port a NATed sender hashed into its source NAT-D, by a bounded
 * search over the addresses seen in the capture and the common private ranges (RFC 3947 §8 calls
 * this feasible). The whole capture shares one time budget, so a capture with many NATed SAs
 * costs at most `budgetMs`; SAs searched after it is spent simply stay unrecovered.
 */
export class PrivateAddressRecoverer {
  private readonly observed = new Set<number>();
  private spentMs = 0;
  readonly stats: RecoveryStats = { searches: 0, hashesTried: 0, elapsedMs: 0, found: 0 };

  constructor(
    private readonly budgetMs: number,
    private readonly ports: readonly number[],
  ) {}

  observe(ipv4: Uint8Array): void {
    if (this.observed.size >= MAX_OBSERVED || ipv4.length !== 4) return;
    this.observed.add(((ipv4[0]! << 24) >>> 0) + (ipv4[1]! << 16) + (ipv4[2]! << 8) + ipv4[3]!);
  }

  recover(check: NatdRecoveryInput): { address: string; port: number } | undefined {
    const remaining = this.budgetMs - this.spentMs;
    if (remaining <= 0 || !check.algorithm || !check.ipv4) return undefined;
    const algorithm = check.algorithm as 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';
    const candidates = defaultPrivateCandidates([...this.observed]);
    const digestBytes = DIGEST_BYTES[algorithm];
    // A hash of the wrong length (hostile or truncated NAT-D) can match nothing: skip it.
    for (const target of check.sourceHashes.filter((h) => h.length === digestBytes)) {
      const result = searchNatdSource({ algorithm, spiI: check.spiI, spiR: check.spiR, target, ports: this.ports, candidates, budgetMs: this.budgetMs - this.spentMs });
      this.spentMs += result.elapsedMs;
      this.stats.searches++;
      this.stats.hashesTried += result.tried;
      this.stats.elapsedMs += result.elapsedMs;
      if (result.found) {
        this.stats.found++;
        return result.found;
      }
      if (this.spentMs >= this.budgetMs) break;
    }
    return undefined;
  }
}
