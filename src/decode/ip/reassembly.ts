import type { ExpertId } from '../expert.js';
import { ReassembledBytes } from '../bytes.js';

/**
 * Bounded IPv4/IPv6 fragment reassembly, owned by the pipeline (`DissectState.fragments`).
 *
 * - Bounds: bytes per datagram (`maxDatagramBytes`, also caps the bytes held for it, so repeated
 *   overlaps cannot grow it), bytes across all datagrams (`maxTotalBytes`), datagrams in flight
 *   (`maxDatagrams`) and a capture-time timeout (`timeoutSeconds`, measured from a datagram's
 *   first fragment). Capacity evictions drop the oldest datagram first.
 * - Overlaps are resolved like Wireshark: bytes are taken in offset order, and a byte already
 *   written by a fragment at a lower offset (or the same offset, arrived earlier) is kept.
 *   Exact duplicates are dropped. Both are reported, overlaps with different bytes as conflicting.
 * - The first tail fragment (more-fragments clear) fixes the datagram length; bytes past it are
 *   dropped and reported.
 * Fragment bytes are copied (they outlive their frame); nothing else is allocated per call.
 */

export interface ReassemblyLimits {
  /** Largest datagram rebuilt (bytes). */
  readonly maxDatagramBytes: number;
  /** Bytes held across all datagrams in flight. */
  readonly maxTotalBytes: number;
  /** Datagrams in flight. */
  readonly maxDatagrams: number;
  /** A datagram whose fragments span more than this (seconds of capture time) is dropped. */
  readonly timeoutSeconds: number;
}

export interface FragmentInput {
  /** Datagram identity: family, addresses, protocol and id, built by the caller. */
  readonly key: string;
  readonly frame: number;
  /** Capture time in seconds. */
  readonly time: number;
  /** Byte offset of this fragment's data in the datagram payload. */
  readonly offset: number;
  readonly more: boolean;
  /** The fragment's payload bytes (a view; copied when kept). */
  readonly data: Uint8Array;
  /** A value carried from the offset-0 fragment to the result (IPv6: its next header). */
  readonly meta?: number;
}

export interface FragmentRecord {
  readonly frame: number;
  readonly offset: number;
  readonly length: number;
}

export interface Reassembled {
  readonly data: Uint8Array;
  /** In offset order (then arrival), duplicates excluded. */
  readonly fragments: readonly FragmentRecord[];
  readonly meta: number | undefined;
  readonly overlap: boolean;
}

/** What the table reports about the current call, turned into expert info by the IP decoders. */
export type ReassemblyReport = (id: ExpertId, message: string) => void;

export type AddResult = { readonly kind: 'held' } | { readonly kind: 'dropped' } | ({ readonly kind: 'complete' } & Reassembled);

interface Piece {
  readonly frame: number;
  readonly offset: number;
  readonly data: Uint8Array;
  readonly seq: number;
}

interface Pending {
  readonly key: string;
  readonly firstFrame: number;
  readonly firstTime: number;
  readonly pieces: Piece[];
  bytes: number;
  end: number | undefined;
  meta: number | undefined;
  overlap: boolean;
}

const HELD = { kind: 'held' } as const;
const DROPPED = { kind: 'dropped' } as const;

export class ReassemblyTable {
  private readonly pending = new Map<string, Pending>();
  private totalBytes = 0;
  private seq = 0;

  constructor(private readonly limits: ReassemblyLimits) {}

  /** Datagrams in flight. */
  get size(): number {
    return this.pending.size;
  }

  /** Fragment bytes held across all datagrams. */
  get bytes(): number {
    return this.totalBytes;
  }

  add(f: FragmentInput, report: ReassemblyReport): AddResult {
    const lim = this.limits;
    this.expire(f.time, report);
    const len = f.data.length;
    const fragEnd = f.offset + len;
    let p = this.pending.get(f.key);
    if (fragEnd > lim.maxDatagramBytes || (p !== undefined && p.bytes + len > lim.maxDatagramBytes)) {
      const why = `datagram larger than ${lim.maxDatagramBytes} bytes (fragment ends at ${fragEnd})`;
      if (p) this.drop(p, why, report);
      else report('ip.reassembly_evicted', `Fragment in frame ${f.frame} not reassembled: ${why}`);
      return DROPPED;
    }
    if (p && p.end !== undefined && (fragEnd > p.end || (!f.more && fragEnd !== p.end))) {
      report('ip.fragment_inconsistent', `Fragment ${f.offset}-${fragEnd - 1} (frame ${f.frame}) disagrees with the datagram end ${p.end} set by an earlier last fragment; its extra bytes are ignored`);
    }
    if (p) {
      if (this.isDuplicate(p, f, report)) return HELD;
    } else {
      if (this.pending.size >= lim.maxDatagrams) this.evictOldest(`more than ${lim.maxDatagrams} datagrams in flight`, report);
      p = { key: f.key, firstFrame: f.frame, firstTime: f.time, pieces: [], bytes: 0, end: undefined, meta: undefined, overlap: false };
      this.pending.set(f.key, p);
    }
    while (this.totalBytes + len > lim.maxTotalBytes) {
      const oldest = this.pending.values().next().value as Pending | undefined;
      if (!oldest || oldest === p) {
        this.drop(p, `more than ${lim.maxTotalBytes} fragment bytes held`, report);
        return DROPPED;
      }
      this.drop(oldest, `more than ${lim.maxTotalBytes} fragment bytes held`, report);
    }
    p.pieces.push({ frame: f.frame, offset: f.offset, data: f.data.slice(), seq: this.seq++ });
    p.bytes += len;
    this.totalBytes += len;
    if (!f.more && p.end === undefined) {
      p.end = fragEnd;
      for (const q of p.pieces) {
        if (q.offset + q.data.length <= fragEnd) continue;
        report('ip.fragment_inconsistent', `Fragment in frame ${q.frame} extends past the datagram end ${fragEnd} set by the last fragment (frame ${f.frame}); its extra bytes are ignored`);
        break;
      }
    }
    if (f.offset === 0 && p.meta === undefined) p.meta = f.meta;
    return this.tryComplete(p) ?? HELD;
  }

  /** Reports an overlap with held pieces; true when `f` exactly repeats one (then it is not kept). */
  private isDuplicate(p: Pending, f: FragmentInput, report: ReassemblyReport): boolean {
    const start = f.offset;
    const end = f.offset + f.data.length;
    for (const q of p.pieces) {
      const qEnd = q.offset + q.data.length;
      if (qEnd <= start || q.offset >= end) continue;
      const lo = Math.max(start, q.offset);
      const hi = Math.min(end, qEnd);
      let same = true;
      for (let i = lo; i < hi && same; i++) same = f.data[i - start] === q.data[i - q.offset];
      if (same && q.offset === start && qEnd === end) {
        report('ip.fragment_duplicate', `Fragment ${start}-${end - 1} in frame ${f.frame} repeats frame ${q.frame}; ignored`);
        return true;
      }
      p.overlap = true;
      report(
        'ip.fragment_overlap',
        `Fragment ${start}-${end - 1} in frame ${f.frame} overlaps bytes ${lo}-${hi - 1} of frame ${q.frame}` +
          (same ? ' (same data)' : ' with conflicting data; the lower-offset, earlier bytes are kept'),
      );
      return false;
    }
    return false;
  }

  private tryComplete(p: Pending): (Reassembled & { kind: 'complete' }) | undefined {
    const end = p.end;
    if (end === undefined) return undefined;
    const pieces = p.pieces.slice().sort((a, b) => a.offset - b.offset || a.seq - b.seq);
    let covered = 0;
    for (const q of pieces) {
      if (q.offset > covered) return undefined;
      covered = Math.max(covered, q.offset + q.data.length);
      if (covered >= end) break;
    }
    if (covered < end) return undefined;
    const out = new ReassembledBytes(end);
    const fragments: FragmentRecord[] = [];
    let written = 0;
    for (const q of pieces) {
      const qEnd = Math.min(q.offset + q.data.length, end);
      if (qEnd > written) out.set(q.data.subarray(written - q.offset, qEnd - q.offset), written);
      written = Math.max(written, qEnd);
      fragments.push({ frame: q.frame, offset: q.offset, length: q.data.length });
    }
    this.remove(p);
    return { kind: 'complete', data: out, fragments, meta: p.meta, overlap: p.overlap };
  }

  private expire(now: number, report: ReassemblyReport): void {
    const timeout = this.limits.timeoutSeconds;
    for (const p of this.pending.values()) {
      if (now - p.firstTime <= timeout) break;
      this.remove(p);
      report(
        'ip.reassembly_timeout',
        `Datagram first seen in frame ${p.firstFrame} incomplete after ${timeout} s; ${p.pieces.length} fragment(s), ${p.bytes} bytes dropped`,
      );
    }
  }

  private evictOldest(why: string, report: ReassemblyReport): void {
    const oldest = this.pending.values().next().value as Pending | undefined;
    if (oldest) this.drop(oldest, why, report);
  }

  private drop(p: Pending, why: string, report: ReassemblyReport): void {
    this.remove(p);
    report('ip.reassembly_evicted', `Datagram first seen in frame ${p.firstFrame} dropped (${why}); ${p.pieces.length} fragment(s), ${p.bytes} bytes`);
  }

  private remove(p: Pending): void {
    this.pending.delete(p.key);
    this.totalBytes -= p.bytes;
  }
}
