import { createGunzip } from 'node:zlib';
import { CaptureError } from './frame.js';
import type { ReadContext } from './context.js';

/**
 * Output buffer size of the gzip decompressor (each decompressed chunk is at most this long).
 * 1 MiB out / 256 KiB in cost 30 % less CPU than 256 KiB / 64 KiB on the benchmark capture
 * (fewer stream round trips and straddling records); see README "Performance".
 */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;
/** Compressed bytes per write to the decompressor: bounds what an error can take with it. */
const GUNZIP_WRITE_BYTES = 256 * 1024;

interface Destroyable {
  destroy(error?: Error): unknown;
}

const isDestroyable = (x: unknown): x is Destroyable =>
  typeof x === 'object' && x !== null && typeof (x as Partial<Destroyable>).destroy === 'function';

/**
 * Chunks from a stream, with a small look-ahead: `peek(n)` copies out the first n bytes for
 * format detection while the chunks themselves stay queued, so detection never copies or
 * buffers more than the few chunks that hold those bytes.
 */
export class ChunkSource {
  /** Bytes received from the underlying stream so far. */
  bytes = 0;
  private readonly queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private done = false;
  private readonly iterator: AsyncIterator<unknown>;

  constructor(
    private readonly input: AsyncIterable<unknown>,
    /** Turns whatever the stream threw into the run's error. */
    private readonly mapError: (error: unknown) => CaptureError,
    private readonly onClose?: () => void,
  ) {
    this.iterator = input[Symbol.asyncIterator]();
  }

  /** The first `n` bytes (fewer at end of input), copied; they will still be returned by `next`. */
  async peek(n: number): Promise<Uint8Array> {
    while (this.queuedBytes < n) {
      const chunk = await this.pull();
      if (chunk === undefined) break;
      this.queued.push(chunk);
      this.queuedBytes += chunk.length;
    }
    const out = new Uint8Array(Math.min(n, this.queuedBytes));
    let filled = 0;
    for (const chunk of this.queued) {
      if (filled === out.length) break;
      const part = chunk.subarray(0, out.length - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** The next chunk, or undefined at the end of input. */
  async next(): Promise<Uint8Array | undefined> {
    const queued = this.queued.shift();
    if (queued !== undefined) {
      this.queuedBytes -= queued.length;
      return queued;
    }
    return this.pull();
  }

  /** Stops reading now (destroying the stream); safe to call more than once. Never waits. */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.onClose?.();
    if (isDestroyable(this.input)) this.input.destroy();
    else void Promise.resolve(this.iterator.return?.()).catch(() => undefined);
  }

  private async pull(): Promise<Uint8Array | undefined> {
    if (this.done) return undefined;
    let result: IteratorResult<unknown>;
    try {
      result = await this.iterator.next();
    } catch (e) {
      this.done = true;
      throw this.mapError(e);
    }
    if (result.done === true) {
      this.done = true;
      return undefined;
    }
    const chunk = result.value;
    if (!(chunk instanceof Uint8Array)) {
      this.close();
      throw this.mapError(new TypeError('the input stream delivers text, not bytes'));
    }
    this.bytes += chunk.length;
    return chunk;
  }
}

/**
 * Decompresses `raw` (gzip, possibly several members) as a stream of chunks.
 *
 * Each compressed chunk is written only after the previous one was fully processed, and the
 * decompressor is ended only after the last one was: a truncated stream then fails in `end()`,
 * after all the output it could produce was delivered (writing the last chunk together with
 * the end would lose that chunk's output along with the error). Corrupt data fails where zlib
 * notices it, and Node drops the output of the failing inflate step: what the last write
 * (at most `GUNZIP_WRITE_BYTES` compressed) produced, capped at `GUNZIP_CHUNK_BYTES`. So for
 * corrupt (not cut-short) data, frames just before the corruption may not be delivered; they
 * are untrustworthy anyway. Backpressure keeps memory bounded even for extreme compression
 * ratios (zlib pauses mid-write when the reader is behind).
 */
export function gunzipSource(raw: ChunkSource, ctx: ReadContext): ChunkSource {
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  let stopped = false;
  const feed = async (): Promise<void> => {
    try {
      for (let chunk = await raw.next(); chunk !== undefined && !stopped; chunk = await raw.next()) {
        for (let at = 0; at < chunk.length && !stopped; at += GUNZIP_WRITE_BYTES) {
          const part = chunk.subarray(at, at + GUNZIP_WRITE_BYTES);
          await new Promise<void>((resolve, reject) => gunzip.write(part, (e) => (e ? reject(e) : resolve())));
        }
      }
      if (!stopped && !gunzip.destroyed) gunzip.end();
    } catch (e) {
      // A read error on the compressed input becomes the decompressed stream's error.
      if (!gunzip.destroyed) gunzip.destroy(e instanceof CaptureError ? e : undefined);
    }
  };
  void feed();
  const mapError = (e: unknown): CaptureError => {
    if (e instanceof CaptureError) return e;
    const code = (e as { code?: unknown } | null)?.code;
    const detail = e instanceof Error ? e.message : String(e);
    const where = `after ${raw.bytes} compressed bytes`;
    return code === 'Z_BUF_ERROR'
      ? ctx.error('gzip', `the gzip-compressed data is cut short (${detail} ${where})`, inner.bytes)
      : ctx.error('gzip', `the gzip-compressed data is corrupt (${detail} ${where})`, inner.bytes);
  };
  const inner: ChunkSource = new ChunkSource(gunzip, mapError, () => {
    stopped = true;
    raw.close();
  });
  return inner;
}
