/**
 * Streams frames into a classic pcap (µs), a pcapng and a gzip of the pcap at the same time,
 * through fixed-size chunks and with back-pressure, so memory stays constant whatever the size.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { MAX_FRAME } from './frames.js';

const CHUNK = 1 << 20;
const SNAPLEN = 262144;
const LINKTYPE_ETHERNET = 1;

export interface CaptureOutputs {
  readonly pcap: string;
  readonly pcapng?: string;
  readonly gzip?: string;
}

function pcapFileHeader(): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8);
  b.writeUInt32LE(0, 12);
  b.writeUInt32LE(SNAPLEN, 16);
  b.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return b;
}

function option(code: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16LE(code, 0);
  padded.writeUInt16LE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function block(type: number, body: Buffer): Buffer {
  const b = Buffer.alloc(12 + body.length);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(b.length, 4);
  body.copy(b, 8);
  b.writeUInt32LE(b.length, b.length - 4);
  return b;
}

/** Section header (little-endian, unknown section length) and one Ethernet interface in µs. */
function pcapngHeader(): Buffer {
  const shbFixed = Buffer.alloc(16);
  shbFixed.writeUInt32LE(0x1a2b3c4d, 0);
  shbFixed.writeUInt16LE(1, 4);
  shbFixed.writeUInt16LE(0, 6);
  shbFixed.writeBigInt64LE(-1n, 8);
  const shbOpts = Buffer.concat([option(4, Buffer.from('espy bench generator')), Buffer.alloc(4)]); // shb_userappl, opt_endofopt
  const idbFixed = Buffer.alloc(8);
  idbFixed.writeUInt16LE(LINKTYPE_ETHERNET, 0);
  idbFixed.writeUInt32LE(SNAPLEN, 4);
  const idbOpts = Buffer.concat([option(2, Buffer.from('eth0')), option(9, Buffer.from([6])), Buffer.alloc(4)]); // if_name, if_tsresol=µs
  return Buffer.concat([block(0x0a0d0d0a, Buffer.concat([shbFixed, shbOpts])), block(1, Buffer.concat([idbFixed, idbOpts]))]);
}

async function write(stream: Writable, data: Buffer): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

export class CaptureWriter {
  private readonly pcapFile: WriteStream;
  private readonly pcapngFile: WriteStream | undefined;
  private readonly gzip: Gzip | undefined;
  private readonly gzipDone: Promise<void> | undefined;
  private pcapChunk = Buffer.allocUnsafe(CHUNK);
  private pcapAt = 0;
  private ngChunk = Buffer.allocUnsafe(CHUNK);
  private ngAt = 0;
  /** Bytes of the classic pcap so far, including buffered ones. */
  pcapBytes = 0;
  pcapngBytes = 0;
  frames = 0;

  constructor(outputs: CaptureOutputs) {
    this.pcapFile = createWriteStream(outputs.pcap);
    if (outputs.pcapng) this.pcapngFile = createWriteStream(outputs.pcapng);
    if (outputs.gzip) {
      this.gzip = createGzip({ level: 6 });
      this.gzipDone = pipeline(this.gzip, createWriteStream(outputs.gzip));
    }
    const h = pcapFileHeader();
    h.copy(this.pcapChunk, 0);
    this.pcapAt = h.length;
    this.pcapBytes = h.length;
    if (this.pcapngFile) {
      const n = pcapngHeader();
      n.copy(this.ngChunk, 0);
      this.ngAt = n.length;
      this.pcapngBytes = n.length;
    }
  }

  /** True when the next frame might not fit: call `flush()` before adding more. */
  get full(): boolean {
    return this.pcapAt + 16 + MAX_FRAME > CHUNK || this.ngAt + 36 + MAX_FRAME > CHUNK;
  }

  /** Adds one frame (`frame[0..length)`) at `tsUs` microseconds since the epoch. */
  add(tsUs: number, frame: Uint8Array, length: number): void {
    const sec = Math.floor(tsUs / 1e6);
    const usec = tsUs - sec * 1e6;
    const p = this.pcapChunk;
    let o = this.pcapAt;
    p.writeUInt32LE(sec, o);
    p.writeUInt32LE(usec, o + 4);
    p.writeUInt32LE(length, o + 8);
    p.writeUInt32LE(length, o + 12);
    p.set(frame.subarray(0, length), o + 16);
    this.pcapAt = o + 16 + length;
    this.pcapBytes += 16 + length;
    if (this.pcapngFile) {
      const n = this.ngChunk;
      o = this.ngAt;
      const padded = (length + 3) & ~3;
      const total = 32 + padded;
      const hi = Math.floor(tsUs / 4294967296);
      n.writeUInt32LE(6, o); // Enhanced Packet Block
      n.writeUInt32LE(total, o + 4);
      n.writeUInt32LE(0, o + 8);
      n.writeUInt32LE(hi, o + 12);
      n.writeUInt32LE(tsUs - hi * 4294967296, o + 16);
      n.writeUInt32LE(length, o + 20);
      n.writeUInt32LE(length, o + 24);
      n.set(frame.subarray(0, length), o + 28);
      n.fill(0, o + 28 + length, o + 28 + padded);
      n.writeUInt32LE(total, o + 28 + padded);
      this.ngAt = o + total;
      this.pcapngBytes += total;
    }
    this.frames++;
  }

  async flush(): Promise<void> {
    const pcap = this.pcapChunk.subarray(0, this.pcapAt);
    const ng = this.ngChunk.subarray(0, this.ngAt);
    // The streams keep the chunks until written: fresh ones for what comes next.
    this.pcapChunk = Buffer.allocUnsafe(CHUNK);
    this.pcapAt = 0;
    this.ngChunk = Buffer.allocUnsafe(CHUNK);
    this.ngAt = 0;
    const pending: Promise<void>[] = [write(this.pcapFile, pcap)];
    if (this.pcapngFile) pending.push(write(this.pcapngFile, ng));
    if (this.gzip) pending.push(write(this.gzip, pcap));
    await Promise.all(pending);
  }

  async close(): Promise<void> {
    await this.flush();
    const ends: Promise<unknown>[] = [new Promise<void>((resolve, reject) => this.pcapFile.end((e?: Error | null) => (e ? reject(e) : resolve())))];
    if (this.pcapngFile) {
      const f = this.pcapngFile;
      ends.push(new Promise<void>((resolve, reject) => f.end((e?: Error | null) => (e ? reject(e) : resolve()))));
    }
    if (this.gzip) {
      this.gzip.end();
      ends.push(this.gzipDone!);
    }
    await Promise.all(ends);
  }
}
