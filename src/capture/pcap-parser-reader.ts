import { EventEmitter } from 'node:events';
import pcapParser from 'pcap-parser';
import { CLASSIC_HEADER_BYTES, recordTooLong } from './classic-header.js';
import type { ClassicHeader } from './classic-header.js';
import { cutShort } from './context.js';
import type { ReadContext } from './context.js';
import type { RecordReader } from './record-format.js';

const RECORD_HEADER_BYTES = 16;

/**
 * The stream pcap-parser reads from. pcap-parser 0.2.1 subscribes to `data` and concatenates
 * every chunk onto what it holds, so a record claiming 4 GiB would make it buffer forever.
 * We therefore do not hand it a real stream: this feed is driven synchronously by `push`, and
 * our listeners run inside its `emit`. A listener that throws unwinds straight out of the
 * parser back to `push`, which is how a bad length stops it before any more data reaches it
 * and how `sink() === false` stops it in the middle of a chunk. `pause`/`resume` are no-ops:
 * the parser calls them, but the feed never emits on its own.
 */
class Feed extends EventEmitter {
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
}

/** Thrown through the parser when the sink asks to stop. */
const STOP = Symbol('stop');

/**
 * Classic microsecond pcap (version 2.4, either byte order) through pcap-parser. The driver has
 * already read and validated the 24-byte header (magic, version, snaplen); the parser is fed
 * the same bytes from offset 0. Frame data are views of the parser's buffer, which is one copy
 * of each chunk (its concatenation), never per record.
 */
export class PcapParserReader implements RecordReader {
  readonly format = 'pcap' as const;
  private readonly feed = new Feed();
  /** Bytes fed to the parser. */
  private fed = 0;
  /** File offset of the record the parser is working on. */
  private recordStart = CLASSIC_HEADER_BYTES;
  private capturedLength = 0;

  constructor(
    private readonly ctx: ReadContext,
    private readonly header: ClassicHeader,
  ) {
    const parser = pcapParser.parse(this.feed);
    parser.on('packetHeader', (h) => {
      if (h.capturedLength > header.recordLimit) throw recordTooLong(ctx, header, h.capturedLength, this.recordStart);
      this.capturedLength = h.capturedLength;
    });
    parser.on('packet', (p) => this.deliver(p));
    parser.on('error', (e) => {
      // Unreachable: the header it checks was validated before the parser was created.
      throw ctx.error('not-a-capture', `not a capture file (${e.message})`, 0);
    });
  }

  get consumed(): number {
    return Math.min(this.recordStart, this.fed);
  }

  push(chunk: Uint8Array): boolean {
    this.fed += chunk.length;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    try {
      this.feed.emit('data', buffer);
    } catch (e) {
      if (e === STOP) return false;
      throw e;
    }
    return true;
  }

  /** pcap-parser silently drops a last record that is cut short: detect it from the byte counts. */
  finish(): void {
    const present = this.fed - this.recordStart;
    if (present <= 0) return;
    const needed = present >= RECORD_HEADER_BYTES ? RECORD_HEADER_BYTES + this.capturedLength : undefined;
    throw cutShort(this.ctx, 'packet', this.recordStart, present, needed);
  }

  private deliver(p: pcapParser.Packet): void {
    const h = p.header;
    let tsSec = h.timestampSeconds;
    let usec = h.timestampMicroseconds;
    if (usec >= 1e6) {
      tsSec += Math.floor(usec / 1e6);
      usec %= 1e6;
    }
    this.recordStart += RECORD_HEADER_BYTES + p.data.length;
    if (!this.ctx.deliver(p.data, 0, p.data.length, h.originalLength, tsSec, usec * 1000, this.header.linkType, 0)) throw STOP;
  }
}
