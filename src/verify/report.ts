import type { CaptureReport } from '../analysis/report.js';
import type { Outcome } from './judge.js';
import type { Level, Role } from './requirements.js';

/** Version of the `espy verify --json` contract. Bump when a key changes meaning. */
export const VERIFY_JSON_VERSION = 1;

/** One requirement for one SA in which the implementation took part. */
export interface SaResult {
  /** "IKEv2 1122334455667788/99aabbccddeeff00". */
  readonly sa: string;
  readonly role: Role;
  readonly result: Outcome;
  readonly frames: readonly number[];
  readonly note: string;
}

/** One requirement for one implementation, over all its SAs: FAIL if any fails, PASS if any passes. */
export interface RequirementResult {
  readonly id: string;
  readonly rfc: string;
  readonly section: string;
  /** "MUST", "SHOULD / MUST NOT", ... */
  readonly level: string;
  readonly result: Outcome;
  /** For FAIL: the level violated (decides the exit code). */
  readonly failedLevel: Level | null;
  readonly blocking: boolean;
  readonly frames: readonly number[];
  readonly note: string;
  readonly sas: readonly SaResult[];
}

/** One SA an implementation took part in, and what the analysis pass said of it (the basis of its judgements). */
export interface VerifiedSa {
  readonly initiatorSpi: string;
  readonly responderSpi: string;
  readonly ikeVersion: 1 | 2;
  readonly role: Role;
  readonly endpoint: string;
  /** The frame of the SA's first message on the NAT-T port after starting elsewhere (the float), or null. */
  readonly floatedAtFrame: number | null;
  /** Retransmitted IKE messages among those kept (the analysis's rule). */
  readonly retransmissions: number;
  /** The first frame from the initiator's new endpoint after its NAT mapping changed, or null. */
  readonly rebindingFrame: number | null;
  readonly nat: { readonly initiator: string; readonly responder: string };
}

export interface ImplementationReport {
  /** The address the capture sees (the NAT's public address when captured outside it). */
  readonly address: string;
  /** What its vendor IDs identify ("strongSwan", "Cisco Unity 1.0"), or null. */
  readonly label: string | null;
  readonly vendorIds: readonly string[];
  readonly roles: readonly Role[];
  /** Private address:port recovered from its NAT-D hashes. */
  readonly privateAddresses: readonly string[];
  readonly sas: readonly VerifiedSa[];
  readonly results: readonly RequirementResult[];
  readonly counts: { readonly pass: number; readonly fail: number; readonly notSeen: number };
  /** Failures that decide the exit code (MUST, MUST NOT, defined; SHOULD too with --strict). */
  readonly blockingFailures: number;
  readonly verdict: string;
}

export interface VerifyReport {
  readonly type: 'verify';
  readonly v: number;
  readonly captures: readonly CaptureReport[];
  readonly strict: boolean;
  readonly implementations: readonly ImplementationReport[];
  readonly summary: {
    readonly implementations: number;
    readonly ikeSas: number;
    readonly pass: number;
    readonly fail: number;
    readonly notSeen: number;
    readonly blockingFailures: number;
  };
  /** State the bounded tables had to drop (huge captures). */
  readonly truncated: { readonly ikeSas: number; readonly flows: number };
}

/**
 * What `Verifier.finish` returns: the report with its implementations built one at a time as
 * they are iterated (each iteration builds them afresh), so a capture with thousands of peers is
 * written without holding every implementation's report at once. A `VerifyReport` is one too.
 */
export interface VerifyResult extends Omit<VerifyReport, 'implementations'> {
  readonly implementations: Iterable<ImplementationReport>;
}

/** The whole report in memory (small captures, tests). */
export function materializeVerifyReport(r: VerifyResult): VerifyReport {
  return { type: r.type, v: r.v, captures: r.captures, strict: r.strict, implementations: [...r.implementations], summary: r.summary, truncated: r.truncated };
}
