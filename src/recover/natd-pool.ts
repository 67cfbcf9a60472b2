import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AddressRange, NatdSearchAlgorithm } from '../analysis/natd-search.js';
import { CHUNK_PROTOCOL, portCount, searchChunk, type ChunkRequest, type ChunkResult, type PortChoice } from './natd-chunk.js';

/**
 * Runs a NAT-D search on every core: the candidate space is cut into chunks, in priority order,
 * and each worker thread pulls the next chunk when it finishes one, so the likeliest candidates
 * are tried first and a slow worker never holds the others up. The search stops at the first
 * match, at the deadline, or when every chunk is done.
 */

/** Hashes per chunk: about a quarter of a second of one core on the fast path. */
export const CHUNK_HASHES = 1 << 20;

/** A labelled part of the candidate space, reported on its own ("10.0.0.0/8 × 3 ports: 41 %"). */
export interface SearchGroup {
  readonly label: string;
  readonly ranges: readonly AddressRange[];
  readonly ports: PortChoice;
}

export interface SearchJob {
  readonly algorithm: NatdSearchAlgorithm;
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
  readonly target: Uint8Array;
  readonly groups: readonly SearchGroup[];
}

export interface GroupWork {
  readonly label: string;
  readonly hashes: number;
  readonly total: number;
}

export interface JobOutcome {
  readonly found?: { readonly address: string; readonly port: number };
  readonly hashes: number;
  readonly total: number;
  readonly elapsedMs: number;
  readonly stoppedBy: 'found' | 'time' | 'exhausted';
  readonly groups: readonly GroupWork[];
}

export interface Progress {
  readonly hashes: number;
  readonly total: number;
  readonly elapsedMs: number;
}

/** Runs chunks one at a time; a thread, or the main thread when no worker could be started. */
interface Executor {
  run(request: ChunkRequest): Promise<ChunkResult>;
  close(): Promise<void>;
}

export interface SearchPool {
  readonly mode: 'threads' | 'main-thread';
  readonly size: number;
  search(job: SearchJob, deadline: number, onProgress?: (p: Progress) => void): Promise<JobOutcome>;
  close(): Promise<void>;
}

/**
 * The compiled worker: beside this module in dist/, or, when running from the TypeScript sources
 * (the test suite), the one `npm run build` left in dist/. A stale build is refused by the
 * protocol check in startWorker.
 */
function workerScript(): URL | undefined {
  for (const rel of ['./natd-worker.js', './recover/natd-worker.js', '../../dist/recover/natd-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

function startWorker(script: URL): Promise<Executor | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(script);
    let pending: { resolve: (r: ChunkResult) => void; reject: (e: Error) => void } | undefined;
    let ready = false;
    const fail = (e: Error): void => {
      if (!ready) resolve(undefined);
      pending?.reject(e);
      pending = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`NAT-D search worker exited with code ${code}`)));
    worker.on('message', (msg: { type: 'ready'; protocol: number } | { type: 'result'; result: ChunkResult }) => {
      if (msg.type === 'ready') {
        if (msg.protocol !== CHUNK_PROTOCOL) {
          void worker.terminate();
          resolve(undefined);
          return;
        }
        ready = true;
        resolve({
          run: (request) =>
            new Promise<ChunkResult>((res, rej) => {
              pending = { resolve: res, reject: rej };
              worker.postMessage({ type: 'chunk', request });
            }),
          close: async () => {
            worker.removeAllListeners('exit');
            await worker.terminate();
          },
        });
        return;
      }
      const p = pending;
      pending = undefined;
      p?.resolve(msg.result);
    });
    worker.postMessage({ type: 'hello' });
  });
}

const mainThreadExecutor: Executor = {
  // Yield to the event loop between chunks so progress is drawn.
  run: (request) => new Promise((resolve) => setImmediate(() => resolve(searchChunk(request)))),
  close: async () => undefined,
};

/** Starts `size` worker threads, or falls back to searching on the main thread. */
export async function createSearchPool(size: number): Promise<SearchPool> {
  const script = workerScript();
  let executors: Executor[] = [];
  if (script) {
    const started = await Promise.all(Array.from({ length: Math.max(1, size) }, () => startWorker(script)));
    executors = started.filter((e): e is Executor => e !== undefined);
    if (executors.length < started.length) {
      await Promise.all(executors.map((e) => e.close()));
      executors = [];
    }
  }
  const mode = executors.length ? 'threads' : 'main-thread';
  if (!executors.length) executors = [mainThreadExecutor];
  return {
    mode,
    size: executors.length,
    search: (job, deadline, onProgress) => searchWith(executors, job, deadline, onProgress),
    close: async () => {
      await Promise.all(executors.map((e) => e.close()));
    },
  };
}

interface PlannedChunk {
  readonly group: number;
  readonly ranges: readonly AddressRange[];
  readonly ports: PortChoice;
  readonly hashes: number;
}

/** The chunks of a job, lazily, in priority order (groups in order, addresses ascending). */
function* chunksOf(groups: readonly SearchGroup[]): Generator<PlannedChunk> {
  for (let g = 0; g < groups.length; g++) {
    const { ranges, ports } = groups[g]!;
    const perPort = portCount(ports);
    if (perPort === 0) continue;
    const perChunk = Math.max(1, Math.floor(CHUNK_HASHES / perPort));
    let slice: AddressRange[] = [];
    let sliceSize = 0;
    for (const r of ranges) {
      let first = r.first;
      while (first <= r.last) {
        const take = Math.min(r.last - first + 1, perChunk - sliceSize);
        slice.push({ first, last: first + take - 1 });
        sliceSize += take;
        first += take;
        if (sliceSize === perChunk) {
          yield { group: g, ranges: slice, ports, hashes: sliceSize * perPort };
          slice = [];
          sliceSize = 0;
        }
      }
    }
    if (sliceSize) yield { group: g, ranges: slice, ports, hashes: sliceSize * perPort };
  }
}

export function groupTotal(group: SearchGroup): number {
  let n = 0;
  for (const r of group.ranges) n += r.last - r.first + 1;
  return n * portCount(group.ports);
}

async function searchWith(executors: readonly Executor[], job: SearchJob, deadline: number, onProgress?: (p: Progress) => void): Promise<JobOutcome> {
  const start = performance.now();
  const totals = job.groups.map(groupTotal);
  const total = totals.reduce((a, b) => a + b, 0);
  const tried = job.groups.map(() => 0);
  const chunks = chunksOf(job.groups);
  let nextId = 0;
  let hashes = 0;
  let allExhausted = true;
  let timedOut = false;
  const best: { found?: { id: number; address: string; port: number } } = {};
  const lane = async (executor: Executor): Promise<void> => {
    for (;;) {
      if (best.found) return;
      const remaining = deadline - performance.now();
      const next = chunks.next();
      if (next.done) return;
      const chunk = next.value;
      if (remaining <= 0) {
        timedOut = true;
        allExhausted = false;
        return;
      }
      const id = nextId++;
      const r = await executor.run({ id, algorithm: job.algorithm, spiI: job.spiI, spiR: job.spiR, target: job.target, ranges: chunk.ranges, ports: chunk.ports, budgetMs: remaining });
      tried[chunk.group]! += r.tried;
      hashes += r.tried;
      if (!r.exhausted && !r.found) {
        allExhausted = false;
        timedOut = true;
      }
      // Another lane may have found a match while this chunk ran (TypeScript keeps the narrowing above).
      const earlier = best.found as { id: number } | undefined;
      if (r.found && (!earlier || id < earlier.id)) best.found = { id, ...r.found };
      onProgress?.({ hashes, total, elapsedMs: performance.now() - start });
    }
  };
  await Promise.all(executors.map(lane));
  const found = best.found;
  const stoppedBy = found ? 'found' : timedOut || !allExhausted ? 'time' : 'exhausted';
  return {
    ...(found ? { found: { address: found.address, port: found.port } } : {}),
    hashes,
    total,
    elapsedMs: performance.now() - start,
    stoppedBy,
    groups: job.groups.map((g, i) => ({ label: g.label, hashes: tried[i]!, total: totals[i]! })),
  };
}
