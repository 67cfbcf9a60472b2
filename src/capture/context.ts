import { CaptureError } from './frame.js';
import type { CaptureErrorKind, CaptureNotice, CaptureOptions, Frame, FrameSink, RawFrame } from './frame.js';

/** Largest record or block accepted by default (tcpdump's and Wireshark's usual maximum snaplen). */
export const DEFAULT_MAX_RECORD_BYTES = 262_144;
/** Distinct notices reported per run; then one saying the rest are suppressed. */
const MAX_NOTICES = 100;

/**
 * What every reader of one run shares: the sink, the frame counter (frame numbers continue
 * across pcapng sections), limits, once-only notices and the way errors are worded.
 */
export class ReadContext {
  /** Frames delivered so far; the number of the last delivered frame. */
  frames = 0;
  readonly maxRecordBytes: number;
  readonly classicReader: 'espy' | 'pcap-parser';
  private readonly claim: ((raw: RawFrame) => boolean) | undefined;
  private readonly raw: RawFrame = { number: 0, tsSec: 0, tsNsec: 0, capturedLength: 0, originalLength: 0, linkType: 0, interfaceId: 0, buffer: new Uint8Array(0), offset: 0 };
  private readonly noticed = new Set<string>();

  constructor(
    /** How the input is named in messages: the path as given, or "standard input". */
    readonly label: string,
    readonly sink: FrameSink,
    private readonly options: CaptureOptions,
  ) {
    const max = options.maxRecordBytes;
    this.maxRecordBytes = max !== undefined && Number.isSafeInteger(max) && max > 0 ? max : DEFAULT_MAX_RECORD_BYTES;
    this.classicReader = options.classicReader ?? 'espy';
    this.claim = options.claim;
  }

  /**
   * Delivers the next record (its bytes are `buffer[offset, offset + capturedLength)`): to the
   * claim hook when there is one, else (or when it declines) as a `Frame` viewing those bytes.
   * Returns false when the sink asked to stop.
   */
  deliver(buffer: Uint8Array, offset: number, capturedLength: number, originalLength: number, tsSec: number, tsNsec: number, linkType: number, interfaceId: number): boolean {
    const number = ++this.frames;
    const claim = this.claim;
    if (claim !== undefined) {
      const raw = this.raw;
      raw.number = number;
      raw.tsSec = tsSec;
      raw.tsNsec = tsNsec;
      raw.capturedLength = capturedLength;
      raw.originalLength = originalLength;
      raw.linkType = linkType;
      raw.interfaceId = interfaceId;
      raw.buffer = buffer;
      raw.offset = offset;
      if (claim(raw)) return true;
    }
    const frame: Frame = {
      number,
      tsSec,
      tsNsec,
      capturedLength,
      originalLength,
      linkType,
      interfaceId,
      data: new Uint8Array(buffer.buffer, buffer.byteOffset + offset, capturedLength),
    };
    return this.sink(frame) !== false;
  }

  /** A run-level error worded `label: detail`, carrying the offset and the frames delivered so far. */
  error(kind: CaptureErrorKind, detail: string, offset?: number): CaptureError {
    return new CaptureError(kind, `${this.label}: ${detail}`, offset, this.frames);
  }

  /** Reports a notice the first time `key` is seen (one notice per unknown block type, ...). */
  notice(kind: CaptureNotice['kind'], key: string, message: string, offset?: number): void {
    const onNotice = this.options.onNotice;
    if (onNotice === undefined || this.noticed.has(key) || this.noticed.size > MAX_NOTICES) return;
    this.noticed.add(key);
    if (this.noticed.size > MAX_NOTICES) {
      // A hostile file could make endless distinct notices (a new block type every block).
      onNotice({ kind, message: `more than ${MAX_NOTICES} different notices; the rest are not reported` });
      return;
    }
    onNotice(offset === undefined ? { kind, message } : { kind, message, offset });
  }

  /**
   * Reports that reading resumed at `resumedAt` after damage at `offset`: every time (callers
   * count them), outside the once-per-key notices, so the count stays right however many.
   */
  resynchronised(message: string, offset: number, resumedAt: number): void {
    this.options.onNotice?.({ kind: 'resynchronised', message, offset, resumedAt, skippedBytes: resumedAt - offset });
  }

  progress(compressedBytesRead: number): void {
    this.options.onProgress?.(compressedBytesRead);
  }
}

/** tshark's wording for a file that ends inside a record, with our numbers appended. */
export function cutShort(
  ctx: ReadContext,
  what: 'packet' | 'block',
  offset: number,
  present: number,
  needed: number | undefined,
): CaptureError {
  const where = what === 'packet' ? `frame ${ctx.frames + 1} at offset ${offset}` : `block at offset ${offset}`;
  const noun = what === 'packet' ? 'record' : 'block';
  const sizes =
    needed === undefined ? `only ${present} byte(s) of its header present` : `${noun} needs ${needed} bytes, ${present} present`;
  return ctx.error(
    'truncated-record',
    `the capture file appears to have been cut short in the middle of a packet (${where}: ${sizes})`,
    offset,
  );
}

/** The file header itself is incomplete. */
export function headerCutShort(ctx: ReadContext, what: string, needed: number, present: number): CaptureError {
  return ctx.error(
    'truncated-header',
    `the capture file appears to have been cut short in the middle of the ${what} (${needed} bytes needed, ${present} present)`,
    0,
  );
}

export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}
