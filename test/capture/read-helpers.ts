import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { CaptureError, readCaptureStream } from '../../src/capture/read.js';
import type { CaptureNotice, CaptureOptions, CaptureSummary, Frame } from '../../src/capture/read.js';

/** A frame with its data as hex: comparable with toEqual, safe to keep after the read. */
export interface FrameView {
  readonly number: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly capturedLength: number;
  readonly originalLength: number;
  readonly linkType: number;
  readonly interfaceId: number;
  readonly data: string;
}

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');

export function viewOf(f: Frame): FrameView {
  expect(f.data.length).toBe(f.capturedLength);
  return { ...f, data: hex(f.data) };
}

export interface ReadResult {
  readonly frames: FrameView[];
  readonly notices: CaptureNotice[];
  readonly summary?: CaptureSummary;
  readonly error?: CaptureError;
}

export interface ReadHow {
  /** Chunk sizes, cycled (default: the whole input as one chunk). */
  readonly chunks?: number | readonly number[];
  readonly options?: CaptureOptions;
  /** The sink returns false after this many frames. */
  readonly stopAfter?: number;
  readonly label?: string;
}

/** Splits `bytes` into chunks (sizes cycled), each a view of one shared buffer. */
export function chunked(bytes: Uint8Array, sizes: number | readonly number[] = bytes.length): Buffer[] {
  const list = typeof sizes === 'number' ? [sizes] : sizes;
  const all = Buffer.from(bytes);
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < all.length; i++) {
    const n = Math.max(1, list[i % list.length]!);
    out.push(all.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Reads `bytes` through `readCaptureStream`; a CaptureError is returned, anything else thrown. */
export async function readBytes(bytes: Uint8Array, how: ReadHow = {}): Promise<ReadResult> {
  const frames: FrameView[] = [];
  const notices: CaptureNotice[] = [];
  const options: CaptureOptions = { ...how.options, onNotice: (n) => notices.push(n) };
  const sink = (f: Frame): boolean => {
    frames.push(viewOf(f));
    return how.stopAfter === undefined || frames.length < how.stopAfter;
  };
  try {
    const summary = await readCaptureStream(Readable.from(chunked(bytes, how.chunks)), how.label ?? 'test.pcap', sink, options);
    return { frames, notices, summary };
  } catch (e) {
    if (e instanceof CaptureError) return { frames, notices, error: e };
    throw e;
  }
}

/** Reads and expects success. */
export async function readOk(bytes: Uint8Array, how: ReadHow = {}): Promise<ReadResult & { summary: CaptureSummary }> {
  const r = await readBytes(bytes, how);
  expect(r.error, r.error?.message).toBeUndefined();
  return r as ReadResult & { summary: CaptureSummary };
}

/** Reads and expects a CaptureError of `kind`. */
export async function readFails(bytes: Uint8Array, kind: CaptureError['kind'], how: ReadHow = {}): Promise<ReadResult & { error: CaptureError }> {
  const r = await readBytes(bytes, how);
  expect(r.error, `expected a ${kind} error, got ${r.summary ? 'success' : ''}`).toBeInstanceOf(CaptureError);
  expect(r.error!.kind, r.error!.message).toBe(kind);
  return r as ReadResult & { error: CaptureError };
}

/**
 * Reads every prefix of `file`: only CaptureError may come out, the frames delivered are a
 * prefix of the full read, and the read succeeds exactly at record boundaries.
 */
export async function checkEveryPrefix(file: Uint8Array, boundaries: readonly number[], chunks?: number, options?: CaptureOptions): Promise<void> {
  const full = await readOk(file, options ? { options } : {});
  const ends = new Set(boundaries.filter((b) => b > 0));
  for (let n = 0; n < file.length; n++) {
    const r = await readBytes(file.subarray(0, n), { ...(chunks === undefined ? {} : { chunks }), ...(options ? { options } : {}) });
    expect(full.frames.slice(0, r.frames.length)).toEqual(r.frames);
    if (ends.has(n)) {
      expect(r.error, `prefix ${n} is a whole file`).toBeUndefined();
      expect(r.summary!.bytesRead).toBe(n);
    } else {
      expect(r.error, `prefix ${n} of ${file.length}`).toBeInstanceOf(CaptureError);
      expect(r.error!.framesRead).toBe(r.frames.length);
      expect(r.error!.message).not.toMatch(/\n|\bat .*\.ts:/);
    }
  }
}
