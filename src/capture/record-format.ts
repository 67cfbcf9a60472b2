import { CaptureError } from './frame.js';
import type { CaptureFormat } from './frame.js';

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
   * Whether the record of `length` bytes whose header is at `at` may be passed over without
   * holding it in memory (`skipped` is then called instead of `consume`).
   */
  skippable(bytes: Uint8Array, at: number, length: number): boolean;
  /** Handles a complete record; `false` when the sink asked to stop. */
  consume(bytes: Uint8Array, at: number, length: number, offset: number): boolean;
  /** A record passed over: its first `headerBytes` bytes and its last 4 bytes. */
  skipped(head: Uint8Array, tail: Uint8Array, length: number, offset: number): void;
  /** The error for input ending `present` bytes into a record (`needed` unknown while its header is incomplete). */
  truncated(offset: number, present: number, needed: number | undefined): CaptureError;
  /**
   * Resynchronisation, for formats whose framing is redundant (pcapng repeats each block's
   * length at its end); a format without it never throws `FramingError`. Whether a plausible
   * record starts at `at`, given the `available` bytes from there: 'more' when it takes more
   * bytes to tell, never more than `searchWindow` from `at`.
   */
  plausibleRecordAt?(bytes: Uint8Array, at: number, available: number): Plausibility;
  /** The most bytes `plausibleRecordAt` needs from one position. */
  readonly searchWindow?: number;
  /** The search for the next record after `damage` begins. */
  resyncStarted?(damage: FramingError): void;
  /** Reading resumes at file offset `resumedAt`, the first plausible record after `damage`. */
  resynchronised?(damage: FramingError, resumedAt: number): void;
}

/** What `RecordFormat.plausibleRecordAt` says of a position. */
export type Plausibility = 'yes' | 'no' | 'more';

/**
 * A broken record frame that reading can recover from: the Framer searches from `scanFrom` for
 * the next plausible record and goes on there. Thrown out (a `bad-length` CaptureError) when
 * no plausible record follows before the end of the input.
 */
export class FramingError extends CaptureError {
  constructor(
    error: CaptureError,
    /** What was wrong, without the file name ("enhanced packet block at offset 96: total length 13 is not a multiple of 4"). */
    readonly detail: string,
    /** File offset where the search starts: just after the damaged record's start, or after its end when its bytes were passed over. */
    readonly scanFrom: number,
  ) {
    super(error.kind, error.message, error.offset, error.framesRead);
  }
}
