import type { DissectContext, LayerStatus } from '../layer.js';
import { ISAKMP_EXPERT, type IsakmpExpertId } from './expert.js';

/**
 * A byte range being decoded: the structure claims to end at `claimedEnd`, the bytes really end at
 * `availEnd` (≤ claimedEnd). When they differ, `cut` says why: the capture was snapped
 * ('truncated') or an enclosing length pointed past the data ('malformed').
 */
export interface Scope {
  readonly availEnd: number;
  readonly claimedEnd: number;
  readonly cut: 'truncated' | 'malformed' | undefined;
}

export function worse(a: LayerStatus, b: LayerStatus): LayerStatus {
  if (a === 'malformed' || b === 'malformed') return 'malformed';
  if (a === 'truncated' || b === 'truncated') return 'truncated';
  return 'ok';
}

/** Decoding state for one message: where the bytes are, which version, and what went wrong. */
export class MessageDecoder {
  status: LayerStatus = 'ok';
  /** Set once an IKEv1 SA with the GDOI DOI (2) was seen: types 15/16 are then GDOI SAK/SAT. */
  gdoi = false;

  constructor(
    /** The message bytes (index 0 = first header byte). */
    readonly data: Uint8Array,
    /** Absolute frame offset of `data[0]`. */
    readonly base: number,
    readonly ctx: DissectContext,
    readonly version: 1 | 2,
    readonly exchangeType: number,
  ) {}

  /** Raises an expert entry at a message-relative offset; entries of the 'malformed' group mark the status. */
  report(id: IsakmpExpertId, at: number, message: string, field?: string): void {
    this.ctx.expert(id, { offset: this.base + at, message, ...(field ? { field } : {}) });
    if (ISAKMP_EXPERT[id].group === 'malformed') this.mark('malformed');
  }

  /**
   * Replaces the running status and returns the previous one. Used in pairs around a nested
   * structure: `const before = m.swap('ok'); ...; const own = m.swap(before)` yields the nested
   * status; fold it back with `mark` (or `worse`) where it belongs.
   */
  swap(status: LayerStatus): LayerStatus {
    const previous = this.status;
    this.status = status;
    return previous;
  }

  mark(status: LayerStatus): LayerStatus {
    this.status = worse(this.status, status);
    return status;
  }

  /**
   * The scope of a structure starting in `outer` and claiming `length` bytes from `start`. Returns
   * the scope and the status it implies: a claim past the real end is truncation or inherited
   * damage when the outer claim also covers it, and a fresh 'malformed' (reported) otherwise.
   */
  inner(outer: Scope, start: number, length: number, what: string, id: IsakmpExpertId, field?: string): { scope: Scope; status: LayerStatus } {
    const claimedEnd = start + length;
    if (claimedEnd <= outer.availEnd) return { scope: { availEnd: claimedEnd, claimedEnd, cut: undefined }, status: 'ok' };
    if (claimedEnd <= outer.claimedEnd && outer.cut) {
      return { scope: { availEnd: outer.availEnd, claimedEnd, cut: outer.cut }, status: this.mark(outer.cut) };
    }
    this.report(id, start, `${what} length ${length} exceeds the ${Math.max(0, outer.claimedEnd - start)} bytes left`, field);
    return { scope: { availEnd: outer.availEnd, claimedEnd, cut: 'malformed' }, status: this.mark('malformed') };
  }

  /**
   * Status for `need` bytes at `at` inside `scope` that are not all there: the structure's own
   * length was too small (malformed, reported as `id`) or the bytes were cut (the scope's reason).
   */
  short(scope: Scope, at: number, need: number, id: IsakmpExpertId, message: string, field?: string): LayerStatus {
    if (at + need <= scope.claimedEnd && scope.cut) return this.mark(scope.cut);
    this.report(id, at, message, field);
    return this.mark('malformed');
  }

  u8(at: number): number {
    return this.data[at] ?? 0;
  }

  u16(at: number): number {
    return ((this.data[at] ?? 0) << 8) | (this.data[at + 1] ?? 0);
  }

  u32(at: number): number {
    return (((this.data[at] ?? 0) << 24) >>> 0) + (((this.data[at + 1] ?? 0) << 16) | ((this.data[at + 2] ?? 0) << 8) | (this.data[at + 3] ?? 0));
  }

  /** View of [from, to) clamped to the data. */
  view(from: number, to: number): Uint8Array {
    const end = Math.min(to, this.data.length);
    return this.data.subarray(Math.min(from, end), end);
  }
}
