import { ALL_PRIVATE_RANGES, type AddressRange } from '../analysis/natd-search.js';
import { isPrivateAddress } from '../analysis/addresses.js';
import type { DecodeConfig } from '../decode/layer.js';
import { toHex } from '../decode/cursor.js';
import { endpointKey } from '../analysis/facts.js';
import { formatRange } from './cidr.js';
import { createSearchPool, groupTotal, type GroupWork, type JobOutcome, type Progress, type SearchGroup } from './natd-pool.js';
import type { CaptureNotice } from '../capture/frame.js';
import { scanNatdTargets, type RecoveryTarget, type Role, type WrongLengthHash } from './natd-targets.js';

/**
 * `espy natd-recover`: brute-forces the NAT-D hashes that do not match what the capture sees
 * (RFC 3947 §8 puts it at about 2^24 work). A SOURCE hash gives the address:port the sender used
 * behind its NAT; a DESTINATION hash gives the address:port the sender sent to, which, inside
 * the receiver's NAT, is the NAT's public mapping. Bounded in time, on every core.
 */

export const NATD_RECOVERY_JSON_VERSION = 1;

export interface RecoverOptions {
  /** Source search address space; default the RFC 1918 and RFC 6598 ranges (ALL_PRIVATE_RANGES). */
  readonly ranges?: readonly AddressRange[];
  /** Extra addresses for the destination search (each × all 65 536 ports). */
  readonly publicRanges?: readonly AddressRange[];
  /** Extra ports for the source search (500, 4500 and the ports seen are always tried). */
  readonly ports?: readonly number[];
  readonly maxSeconds: number;
  readonly workers: number;
  /** Told of what reading noticed without stopping (a resynchronisation after damage, skipped blocks). */
  readonly onCaptureNotice?: (notice: CaptureNotice) => void;
}

export interface TargetResult {
  readonly kind: RecoveryTarget['kind'];
  readonly ikeVersion: 1 | 2;
  readonly initiatorSpi: string;
  readonly responderSpi: string;
  readonly frame: number;
  readonly exchange: string;
  readonly sender: Role;
  readonly subject: Role;
  readonly observed: string;
  readonly algorithm: string;
  readonly hash: string;
  readonly found: { readonly address: string; readonly port: number } | null;
  /** What a match means, in one sentence. */
  readonly meaning: string;
  readonly work: {
    readonly hashes: number;
    readonly total: number;
    readonly elapsedMs: number;
    readonly hashesPerSecond: number;
    readonly stoppedBy: JobOutcome['stoppedBy'];
    readonly groups: readonly GroupWork[];
  };
}

export interface RecoveryReport {
  readonly type: 'natd-recovery';
  readonly v: number;
  readonly capture: { readonly file: string; readonly format: string; readonly frames: number };
  readonly workers: number;
  readonly mode: 'threads' | 'main-thread';
  readonly maxSeconds: number;
  readonly natdMessages: number;
  /**
   * Frames left alone: source hashed with port 0 (forced encapsulation), unknown hash, IPv6, and
   * hashes whose length is not their algorithm's digest size (nothing can match them).
   */
  readonly skipped: {
    readonly portZeroSource: readonly number[];
    readonly unverifiable: readonly number[];
    readonly ipv6: readonly number[];
    readonly wrongLength: readonly WrongLengthHash[];
  };
  readonly targets: readonly TargetResult[];
  readonly totals: { readonly hashes: number; readonly elapsedMs: number; readonly hashesPerSecond: number; readonly found: number };
}

export interface RecoverProgress extends Progress {
  readonly target: number;
  readonly targets: number;
  readonly label: string;
}

const uniquePorts = (ports: readonly number[]): number[] => [...new Set(ports.filter((p) => Number.isInteger(p) && p >= 0 && p <= 0xffff))];

export function targetLabel(t: Pick<RecoveryTarget, 'subject' | 'sender' | 'kind' | 'frame'>): string {
  return t.kind === 'source' ? `${t.sender}'s source NAT-D, frame ${t.frame}` : `${t.sender}'s destination NAT-D (the ${t.subject}'s mapping), frame ${t.frame}`;
}

function meaningOf(t: RecoveryTarget, found: { address: string; port: number } | undefined): string {
  if (t.kind === 'source') {
    if (!found) return `the address:port the ${t.subject} hashed as its own (seen here as ${endpointKey(t.observed)})`;
    if (found.address === t.observed.address) return `the ${t.subject} hashed its own address with port ${found.port}; the capture sees port ${t.observed.port}: only the port was translated`;
    return isPrivateAddress(found.address)
      ? `the private address and port the ${t.subject} used behind its NAT (seen here as ${endpointKey(t.observed)})`
      : `the address and port the ${t.subject} used before translation (seen here as ${endpointKey(t.observed)})`;
  }
  return found
    ? `the ${t.sender} sent to ${found.address}:${found.port}: the ${t.subject}'s public NAT mapping (seen here as ${endpointKey(t.observed)}, so the capture is inside the ${t.subject}'s NAT)`
    : `the address:port the ${t.sender} sent to: the ${t.subject}'s public mapping (seen here as ${endpointKey(t.observed)})`;
}

function groupsFor(t: RecoveryTarget, observed: readonly number[], ports: readonly number[], options: RecoverOptions): SearchGroup[] {
  const seen: AddressRange[] = observed.map((a) => ({ first: a, last: a }));
  const seenLabel = `addresses seen in the capture (${observed.length})`;
  if (t.kind === 'source') {
    const ranges = options.ranges ?? ALL_PRIVATE_RANGES;
    const portsLabel = ` × ${ports.length} port${ports.length === 1 ? '' : 's'}`;
    return [...(seen.length ? [{ label: seenLabel + portsLabel, ranges: seen, ports }] : []), ...ranges.map((r) => ({ label: formatRange(r) + portsLabel, ranges: [r], ports }))];
  }
  // Likely ports everywhere first (most NATs keep the port), then every port.
  const extra = options.publicRanges ?? [];
  const extraLabel = extra.map(formatRange).join(', ');
  return [
    ...(seen.length ? [{ label: `${seenLabel} × likely ports`, ranges: seen, ports }] : []),
    ...(extra.length ? [{ label: `${extraLabel} × likely ports`, ranges: extra, ports }] : []),
    ...(seen.length ? [{ label: `${seenLabel} × all ports`, ranges: seen, ports: 'all' as const }] : []),
    ...(extra.length ? [{ label: `${extraLabel} × all ports`, ranges: extra, ports: 'all' as const }] : []),
  ];
}

export async function recoverNatd(
  source: string,
  config: DecodeConfig,
  options: RecoverOptions,
  onProgress?: (p: RecoverProgress) => void,
): Promise<RecoveryReport> {
  const scan = await scanNatdTargets(source, config, options.onCaptureNotice ? { onNotice: options.onCaptureNotice } : {});
  const ports = uniquePorts([...config.ikePorts, ...config.nattPorts, 500, 4500, ...scan.observedPorts, ...(options.ports ?? [])]);
  const results: TargetResult[] = [];
  const pool = scan.targets.length ? await createSearchPool(options.workers) : undefined;
  const deadline = performance.now() + options.maxSeconds * 1000;
  try {
    for (const [i, t] of scan.targets.entries()) {
      const groups = groupsFor(t, scan.observedAddresses, ports, options);
      const label = targetLabel(t);
      const outcome: JobOutcome = await pool!.search({ algorithm: t.algorithm, spiI: t.spiI, spiR: t.spiR, target: t.hash, groups }, deadline, (p) =>
        onProgress?.({ ...p, target: i + 1, targets: scan.targets.length, label }),
      );
      results.push({
        kind: t.kind,
        ikeVersion: t.ikeVersion,
        initiatorSpi: t.initiatorSpi,
        responderSpi: t.responderSpi,
        frame: t.frame,
        exchange: t.exchange,
        sender: t.sender,
        subject: t.subject,
        observed: endpointKey(t.observed),
        algorithm: t.algorithm,
        hash: toHex(t.hash),
        found: outcome.found ?? null,
        meaning: meaningOf(t, outcome.found),
        work: {
          hashes: outcome.hashes,
          total: outcome.total,
          elapsedMs: Math.round(outcome.elapsedMs),
          hashesPerSecond: rate(outcome.hashes, outcome.elapsedMs),
          stoppedBy: outcome.stoppedBy,
          groups: outcome.groups.length ? outcome.groups : groups.map((g) => ({ label: g.label, hashes: 0, total: groupTotal(g) })),
        },
      });
    }
  } finally {
    await pool?.close();
  }
  const hashes = results.reduce((n, r) => n + r.work.hashes, 0);
  const elapsedMs = results.reduce((n, r) => n + r.work.elapsedMs, 0);
  return {
    type: 'natd-recovery',
    v: NATD_RECOVERY_JSON_VERSION,
    capture: { file: source, format: scan.capture.format, frames: scan.capture.frames },
    workers: pool?.size ?? 0,
    mode: pool?.mode ?? 'main-thread',
    maxSeconds: options.maxSeconds,
    natdMessages: scan.natdMessages,
    skipped: { portZeroSource: scan.portZeroSources, unverifiable: scan.unverifiable, ipv6: scan.ipv6, wrongLength: scan.wrongLength },
    targets: results,
    totals: { hashes, elapsedMs, hashesPerSecond: rate(hashes, elapsedMs), found: results.filter((r) => r.found).length },
  };
}

function rate(hashes: number, ms: number): number {
  return ms > 0 ? Math.round((hashes / ms) * 1000) : 0;
}

