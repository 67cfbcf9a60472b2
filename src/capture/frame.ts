/** One record from a capture file, before any protocol decoding. */
export interface Frame {
  /** 1-based position in the capture, across all pcapng sections. */
  readonly number: number;
  /** Seconds since the Unix epoch (integer part). */
  readonly tsSec: number;
  /** Nanoseconds within `tsSec` (0..999 999 999), whatever the file's resolution. */
  readonly tsNsec: number;
  /** Bytes present in the file (`data.length`). */
  readonly capturedLength: number;
  /** Length of the packet on the wire (may exceed `capturedLength` when snapped). */
  readonly originalLength: number;
  /** LINKTYPE_* value of the interface the frame came from. */
  readonly linkType: number;
  /** pcapng interface id (0 for classic pcap). */
  readonly interfaceId: number;
  /** The captured bytes: a view, never copied by the readers. */
  readonly data: Uint8Array;
}

/**
 * A record offered to `CaptureOptions.claim` before a `Frame` is made of it: the same fields,
 * with the bytes as `buffer[offset, offset + capturedLength)` instead of a view. The object is
 * reused for every record: read it during the call, never keep it.
 */
export interface RawFrame {
  number: number;
  tsSec: number;
  tsNsec: number;
  capturedLength: number;
  originalLength: number;
  linkType: number;
  interfaceId: number;
  buffer: Uint8Array;
  offset: number;
}

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcapng';

/**
 * Something in the file worth telling the user that does not stop reading. 'skipped' and
 * 'unknown-block' are reported once per kind of problem; 'resynchronised' (a damaged pcapng
 * block frame, reading resumed at the next plausible block) every time, with `offset` the
 * damaged block's, `resumedAt` and `skippedBytes`.
 */
export interface CaptureNotice {
  readonly kind: 'unknown-block' | 'unknown-link-type' | 'skipped' | 'resynchronised';
  readonly message: string;
  readonly offset?: number;
  readonly resumedAt?: number;
  readonly skippedBytes?: number;
}

export interface CaptureOptions {
  /** A record or block larger than this is a file error, never an allocation. Default 256 KiB. */
  readonly maxRecordBytes?: number;
  /** Called for non-fatal oddities (each reported once where it would repeat). */
  readonly onNotice?: (notice: CaptureNotice) => void;
  /** Called after each chunk of the (decompressed) input is consumed; for progress meters. */
  readonly onProgress?: (compressedBytesRead: number) => void;
  /**
   * Reader for classic microsecond pcap (v2.4, 16-byte record headers): espy's own (default,
   * about 5x faster, see README "Performance") or the `pcap-parser` package. Other classic
   * variants (nanoseconds, v2.0-2.3, modified) are always read by espy's own reader.
   */
  readonly classicReader?: 'espy' | 'pcap-parser';
  /**
   * Sees every record first, as a reused `RawFrame` (no allocation): a record it returns true
   * for has been handled (it keeps its frame number) and is not passed to the sink.
   */
  readonly claim?: (raw: RawFrame) => boolean;
  /**
   * The sink and claim keep nothing of a frame's bytes after they return (no view, no packet
   * holding one): a file is then read into a few reused buffers instead of a new buffer per
   * chunk, which saves memory and GC work. Default false.
   */
  readonly reuseBuffers?: boolean;
}

export interface CaptureSummary {
  readonly format: CaptureFormat;
  readonly compressed: boolean;
  readonly frames: number;
  /** Bytes of the (decompressed) capture consumed. */
  readonly bytesRead: number;
}

/**
 * What kind of run-level problem stopped reading. Every one maps to exit code 2.
 * Frames before the problem have already been delivered.
 */
export type CaptureErrorKind =
  | 'unreadable' // ENOENT, EACCES, EISDIR, ...
  | 'empty'
  | 'not-a-capture' // unknown magic
  | 'unsupported' // known format, unsupported variant (pcap version, ...)
  | 'truncated-header'
  | 'truncated-record' // last record cut short: tshark's "cut short in the middle of a packet"
  | 'bad-length' // a record/block length that is absurd or inconsistent
  | 'gzip'; // corrupt compressed stream

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    readonly kind: CaptureErrorKind,
    message: string,
    /** Byte offset in the (decompressed) capture where the problem is. */
    readonly offset?: number,
    /** Frames successfully delivered before the problem. */
    readonly framesRead?: number,
  ) {
    super(message);
  }
}

/** Receives frames in order; return `false` to stop reading early (e.g. `-c N`). */
export type FrameSink = (frame: Frame) => boolean | void;
