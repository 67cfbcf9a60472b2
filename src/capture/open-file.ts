import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
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
 * Opens a capture file for streaming. Directories are refused here (on Linux opening one
 * succeeds and only reading fails); FIFOs and devices (/dev/stdin, <(tcpdump -w -)) are fine.
 */
export async function openCaptureFile(path: string): Promise<Readable> {
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
  return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
}
