import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { CaptureError } from './frame.js';

/** Read size for capture files: large chunks keep per-chunk costs negligible. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** One short phrase for a Node I/O error ("no such file"), never a stack or raw errno text. */
export function describeIoError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'no such file (a component of the path is not a directory)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    case 'ENXIO':
    case 'ENODEV':
      return 'no such device';
    default:
      if (typeof code === 'string') return `cannot read (${code})`;
      return `cannot read (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Read buffers in the ring of `ReusedChunks`. The next chunk is read ahead, into the next
 * buffer, while this one is handled; the one before stays valid meanwhile: three buffers.
 */
const RING = 3;

/**
 * The file's bytes in chunks read into a small ring of buffers, reused: no allocation (or page
 * faults, or garbage for the GC) per chunk. Only for readers that keep nothing of a chunk once
 * they asked for the next-but-one (see `CaptureOptions.reuseBuffers`). `destroy` closes the file.
 * One read is always in flight ahead of the consumer, so the thread pool reads the next chunk
 * while the main thread analyses this one instead of waiting for it afterwards.
 */
class ReusedChunks implements AsyncIterable<Uint8Array> {
  private closed = false;

  constructor(private readonly handle: FileHandle) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const ring = Array.from({ length: RING }, () => Buffer.allocUnsafeSlow(READ_CHUNK_BYTES));
    const readInto = (buffer: Buffer) => this.handle.read(buffer, 0, buffer.length, null);
    let ahead = readInto(ring[0]!);
    try {
      for (let i = 0; !this.closed; i = (i + 1) % RING) {
        const { bytesRead } = await ahead;
        if (bytesRead === 0) return;
        // Chunk i is handed out below and chunk i - 1 may still be in use: read into i + 1.
        ahead = readInto(ring[(i + 1) % RING]!);
        yield ring[i]!.subarray(0, bytesRead);
      }
    } finally {
      // A read still in flight when the consumer stops: its outcome no longer matters.
      ahead.catch(() => undefined);
      this.destroy();
    }
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    void this.handle.close().catch(() => undefined);
  }
}

/**
 * Opens a capture file for streaming. Directories are refused here (on Linux opening one
 * succeeds and only reading fails); FIFOs and devices (/dev/stdin, <(tcpdump -w -)) are fine.
 * With `reuseBuffers`, chunks come from a ring of reused buffers (see `ReusedChunks`).
 */
export async function openCaptureFile(path: string, reuseBuffers = false): Promise<AsyncIterable<unknown>> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new CaptureError('unreadable', `${path}: ${describeIoError(e)}`, 0, 0);
  }
  let problem: string | undefined;
  try {
    if ((await handle.stat()).isDirectory()) problem = 'is a directory';
  } catch (e) {
    problem = describeIoError(e);
  }
  if (problem !== undefined) {
    await handle.close().catch(() => undefined);
    throw new CaptureError('unreadable', `${path}: ${problem}`, 0, 0);
  }
  return reuseBuffers ? new ReusedChunks(handle) : handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
}
