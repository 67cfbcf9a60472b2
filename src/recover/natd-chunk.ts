import { searchNatdSource, type AddressRange, type NatdSearchAlgorithm } from '../analysis/natd-search.js';

/**
 * One unit of NAT-D search work, small enough (about a million hashes) that a worker reports
 * progress and notices the time bound often. The same function runs inside a worker thread
 * (natd-worker.ts) and, when no worker can be started, on the main thread.
 */

/** Changes whenever ChunkRequest or ChunkResult change shape: a stale compiled worker is refused. */
export const CHUNK_PROTOCOL = 1;

/** Explicit ports, or every port 0–65535 (address-major: each address tries all its ports). */
export type PortChoice = readonly number[] | 'all';

export interface ChunkRequest {
  readonly id: number;
  readonly algorithm: NatdSearchAlgorithm;
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  readonly target: Uint8Array;
  readonly ranges: readonly AddressRange[];
  readonly ports: PortChoice;
  readonly budgetMs: number;
}

export interface ChunkResult {
  readonly id: number;
  readonly tried: number;
  readonly exhausted: boolean;
  readonly elapsedMs: number;
  readonly found?: { readonly address: string; readonly port: number };
}

let allPorts: number[] | undefined;

export function expandPorts(ports: PortChoice): readonly number[] {
  if (ports !== 'all') return ports;
  allPorts ??= Array.from({ length: 65_536 }, (_, i) => i);
  return allPorts;
}

export function portCount(ports: PortChoice): number {
  return ports === 'all' ? 65_536 : ports.length;
}

export function searchChunk(req: ChunkRequest): ChunkResult {
  // The search itself is clock-free (the analysis bounds it by a hash count); natd-recover's time bound is applied here.
  const start = performance.now();
  const budgetMs = Math.max(0, req.budgetMs);
  const r = searchNatdSource({
    algorithm: req.algorithm,
    spiI: req.spiI,
    spiR: req.spiR,
    target: req.target,
    ports: expandPorts(req.ports),
    candidates: req.ranges,
    shouldStop: () => performance.now() - start >= budgetMs,
  });
  return { id: req.id, tried: r.tried, exhausted: r.exhausted, elapsedMs: performance.now() - start, ...(r.found ? { found: r.found } : {}) };
}
