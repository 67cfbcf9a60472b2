import { CLASSIC_HEADER_BYTES, rd32, recordTooLong } from './classic-header.js';
import type { ClassicHeader } from './classic-header.js';
import { cutShort, headerCutShort } from './context.js';
import type { ReadContext } from './context.js';
import type { CaptureError, CaptureFormat } from './frame.js';
import type { RecordFormat } from './record-format.js';

/**
 * Our classic libpcap reader: microsecond and nanosecond files, versions 2.0-2.3 (lengths
 * swapped), and modified pcap (24-byte record headers). Microsecond v2.4 files go through
 * pcap-parser instead only when asked (`classicReader`): it was measured 3x slower (README
 * "Performance"). The file header is treated as the first record, so a chunk boundary inside
 * it needs no special case. Records reach the sink through `ReadContext.deliver`.
 */
export class ClassicFormat implements RecordFormat {
  readonly format: CaptureFormat;
  headerBytes = CLASSIC_HEADER_BYTES;
  private inFileHeader = true;
  private readonly le: boolean;
  private readonly recordHeaderBytes: number;
  private readonly units: number;
  private readonly nsPerUnit: number;

  constructor(
    private readonly ctx: ReadContext,
    private readonly header: ClassicHeader,
  ) {
    this.format = header.nanos ? 'pcap-nsec' : 'pcap';
    this.le = header.littleEndian;
    this.recordHeaderBytes = header.recordHeaderBytes;
    this.units = header.nanos ? 1e9 : 1e6;
    this.nsPerUnit = header.nanos ? 1 : 1000;
  }

  measure(b: Uint8Array, at: number, offset: number): number {
    if (this.inFileHeader) return CLASSIC_HEADER_BYTES;
    const captured = this.lengthsAt(b, at, true);
    if (captured > this.header.recordLimit) throw recordTooLong(this.ctx, this.header, captured, offset);
    return this.recordHeaderBytes + captured;
  }

  skippable(): boolean {
    return false;
  }

  consume(b: Uint8Array, at: number, length: number): boolean {
    if (this.inFileHeader) {
      this.inFileHeader = false;
      this.headerBytes = this.recordHeaderBytes;
      return true;
    }
    const le = this.le;
    let tsSec = rd32(b, at, le);
    let frac = rd32(b, at + 4, le);
    if (frac >= this.units) {
      // Out-of-range fraction (seen in hand-made files): carry it into the seconds.
      tsSec += Math.floor(frac / this.units);
      frac %= this.units;
    }
    return this.ctx.deliver(b, at + this.recordHeaderBytes, length - this.recordHeaderBytes, this.lengthsAt(b, at, false), tsSec, frac * this.nsPerUnit, this.header.linkType, 0);
  }

  skipped(): void {}

  truncated(offset: number, present: number, needed: number | undefined): CaptureError {
    if (this.inFileHeader) return headerCutShort(this.ctx, 'file header', CLASSIC_HEADER_BYTES, present);
    return cutShort(this.ctx, 'packet', offset, present, needed);
  }

  /** The captured (`captured` true) or original length of the record at `at`, in the version's order. */
  private lengthsAt(b: Uint8Array, at: number, captured: boolean): number {
    const first = rd32(b, at + 8, this.le);
    const second = rd32(b, at + 12, this.le);
    switch (this.header.lengths) {
      case 'ordered':
        return captured ? first : second;
      case 'swapped':
        return captured ? second : first;
      case 'maybe-swapped':
        return captured ? Math.min(first, second) : Math.max(first, second);
    }
  }
}
