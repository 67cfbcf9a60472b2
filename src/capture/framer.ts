import type { CaptureError, CaptureFormat } from './frame.js';

/**
 * What the driver in read.ts sees of every container reader (our own and the pcap-parser
 * wrapper alike): chunks in, frames out through the shared sink.
 */
export interface RecordReader {
  readonly format: CaptureFormat;
  /** Bytes of the capture in complete records handled so far. */
  readonly consumed: number;
  /**
   * Handles one chunk, delivering every record it completes; `false` when the sink asked to
   * stop. Throws `CaptureError` for a fatal problem, after the frames before it were delivered.
   */
  push(chunk: Uint8Array): boolean;
  /** End of input: throws `CaptureError` when it stopped inside a record. */
  finish(): void;
}

/**
 * A container format as a sequence of length-prefixed records (classic pcap records,
 * pcapng blocks). `Framer` does the chunk bookkeeping; the format only reads records.
 */
export interface RecordFormat {
  readonly format: CaptureFormat;
  /** Bytes of a record needed before `measure` can tell its length (may change between records). */
  readonly headerBytes: number;
  /**
   * Total length of the record at `at` (at least `headerBytes`, which are present). Must not
   * change any state (it may be called twice for one record). Throws `CaptureError` when the
   * length is absurd, so nothing is ever allocated from it.
   */
  measure(bytes: Uint8Array, at: number, offset: number): number;
  /**
   * Whether the record whose header is at `at` may be passed over without holding it in
   * memory (`skipped` is then called instead of `consume`).
   */
  skippable(bytes: Uint8Array, at: number): boolean;
  /** Handles a complete record; `false` when the sink asked to stop. */
  consume(bytes: Uint8Array, at: number, length: number, offset: number): boolean;
  /** A record passed over: its first `headerBytes` bytes and its last 4 bytes. */
  skipped(head: Uint8Array, tail: Uint8Array, length: number, offset: number): void;
  /** The error for input ending `present` bytes into a record (`needed` unknown while its header is incomplete). */
  truncated(offset: number, present: number, needed: number | undefined): CaptureError;
}

/** Records at least this long that straddle chunks are skipped by streaming when skippable. */
const STREAM_SKIP_MIN = 64 * 1024;

/**
 * Cuts chunks into records without copying: a record inside one chunk is handed over as a
 * view of that chunk; only a record straddling chunks is copied, once, into a buffer of its
 * validated length (or passed over by streaming, for large skippable records).
 */
export class Framer implements RecordReader {
  readonly format: CaptureFormat;
  private offset = 0;
  /** A record straddling chunks: its bytes so far, in a buffer of `headerBytes` or of its full length. */
  private pending: Uint8Array | undefined;
  private pendingFilled = 0;
  private pendingMeasured = false;
  /** A record being passed over: bytes still to skip, its header and its last 4 bytes. */
  private skipLeft = 0;
  private skipLength = 0;
  private skipHead: Uint8Array = new Uint8Array(0);
  private readonly skipTail = new Uint8Array(4);

  constructor(private readonly fmt: RecordFormat) {
    this.format = fmt.format;
  }

  get consumed(): number {
    return this.offset;
  }

  push(chunk: Uint8Array): boolean {
    let at = 0;
    if (this.skipLeft > 0) {
      at = this.continueSkip(chunk, 0);
      if (this.skipLeft > 0) return true;
    } else if (this.pending !== undefined) {
      at = this.continuePending(chunk);
      if (at < 0) return false;
      if (this.pending !== undefined || this.skipLeft > 0) return true;
    }
    return this.scan(chunk, at);
  }

  finish(): void {
    if (this.skipLeft > 0) throw this.fmt.truncated(this.offset, this.skipLength - this.skipLeft, this.skipLength);
    if (this.pending !== undefined) {
      throw this.fmt.truncated(this.offset, this.pendingFilled, this.pendingMeasured ? this.pending.length : undefined);
    }
  }

  /** The tight loop: every record wholly inside `chunk` from `at` on. */
  private scan(chunk: Uint8Array, at: number): boolean {
    const fmt = this.fmt;
    const end = chunk.length;
    let length = -1;
    for (;;) {
      const avail = end - at;
      if (avail < fmt.headerBytes) {
        length = -1;
        break;
      }
      length = fmt.measure(chunk, at, this.offset);
      if (length > avail) break;
      const go = fmt.consume(chunk, at, length, this.offset);
      at += length;
      this.offset += length;
      if (!go) return false;
    }
    if (at === end) return true;
    if (length >= STREAM_SKIP_MIN && fmt.skippable(chunk, at)) {
      this.startSkip(new Uint8Array(chunk.subarray(at, at + fmt.headerBytes)), length);
      this.continueSkip(chunk, at + fmt.headerBytes);
      return true;
    }
    const rest = end - at;
    this.pendingMeasured = length >= 0;
    this.pending = new Uint8Array(this.pendingMeasured ? length : fmt.headerBytes);
    this.pending.set(chunk.subarray(at, end));
    this.pendingFilled = rest;
    return true;
  }

  /**
   * Adds the start of `chunk` to the straddling record. Returns where the rest of the chunk
   * starts, or -1 when the sink asked to stop.
   */
  private continuePending(chunk: Uint8Array): number {
    const fmt = this.fmt;
    let pending = this.pending!;
    let at = 0;
    if (!this.pendingMeasured) {
      at = Math.min(pending.length - this.pendingFilled, chunk.length);
      pending.set(chunk.subarray(0, at), this.pendingFilled);
      this.pendingFilled += at;
      if (this.pendingFilled < pending.length) return at;
      const length = fmt.measure(pending, 0, this.offset);
      this.pendingMeasured = true;
      if (length >= STREAM_SKIP_MIN && fmt.skippable(pending, 0)) {
        this.pending = undefined;
        this.startSkip(pending, length);
        return this.continueSkip(chunk, at);
      }
      const full = new Uint8Array(length);
      full.set(pending);
      this.pending = pending = full;
    }
    const take = Math.min(pending.length - this.pendingFilled, chunk.length - at);
    pending.set(chunk.subarray(at, at + take), this.pendingFilled);
    this.pendingFilled += take;
    at += take;
    if (this.pendingFilled < pending.length) return at;
    this.pending = undefined;
    const go = fmt.consume(pending, 0, pending.length, this.offset);
    this.offset += pending.length;
    return go ? at : -1;
  }

  private startSkip(head: Uint8Array, length: number): void {
    this.skipHead = head;
    this.skipLength = length;
    this.skipLeft = length - head.length;
  }

  /** Passes over skipped bytes from `at`, keeping the record's last 4; returns where the rest starts. */
  private continueSkip(chunk: Uint8Array, at: number): number {
    const take = Math.min(this.skipLeft, chunk.length - at);
    // Record positions [pos, pos + take) are in this chunk; the tail is [length - 4, length).
    const pos = this.skipLength - this.skipLeft;
    const tailStart = this.skipLength - 4;
    for (let p = Math.max(pos, tailStart); p < pos + take; p++) this.skipTail[p - tailStart] = chunk[at + p - pos]!;
    this.skipLeft -= take;
    if (this.skipLeft === 0) {
      this.fmt.skipped(this.skipHead, this.skipTail, this.skipLength, this.offset);
      this.offset += this.skipLength;
    }
    return at + take;
  }
}
