import { CLASSIC_HEADER_BYTES, classicMagic, couldBeClassicMagic, parseClassicHeader, rd32 } from './classic-header.js';
import type { ClassicHeader } from './classic-header.js';
import { ClassicFormat } from './classic-reader.js';
import { ChunkSource, gunzipSource } from './chunk-source.js';
import { ReadContext, headerCutShort, hex32 } from './context.js';
import { CaptureError } from './frame.js';
import type { CaptureOptions, CaptureSummary, FrameSink } from './frame.js';
import { Framer } from './framer.js';
import type { RecordReader } from './record-format.js';
import { describeIoError, openCaptureFile } from './open-file.js';
import { PcapParserReader } from './pcap-parser-reader.js';
import { SHB } from './pcapng-blocks.js';
import { PcapngFormat } from './pcapng-reader.js';

export { CaptureError } from './frame.js';
export type { CaptureErrorKind, CaptureFormat, CaptureNotice, CaptureOptions, CaptureSummary, Frame, FrameSink } from './frame.js';

/** The name standard input gets in messages. */
export const STDIN_LABEL = 'standard input';

/**
 * Reads a capture file (`-` for standard input): classic pcap (µs or ns, either byte order),
 * pcapng, each optionally gzip-compressed, recognised by content, never by name. Calls `sink`
 * synchronously for every frame, in order; stops early when it returns `false`.
 *
 * Rejects with `CaptureError` for a run-level problem, after every frame before it was
 * delivered. Memory stays bounded whatever the file size.
 */
export async function readCapture(source: string, sink: FrameSink, options: CaptureOptions = {}): Promise<CaptureSummary> {
  if (source === '-') return readCaptureStream(process.stdin, STDIN_LABEL, sink, options);
  return readCaptureStream(await openCaptureFile(source, options.reuseBuffers === true), source, sink, options);
}

/**
 * `readCapture` over any byte stream (a Readable, or any async iterable of Uint8Array). The
 * stream is destroyed when reading stops early or fails. `label` names it in messages.
 */
export async function readCaptureStream(
  input: AsyncIterable<unknown>,
  label: string,
  sink: FrameSink,
  options: CaptureOptions = {},
): Promise<CaptureSummary> {
  const ctx = new ReadContext(label, sink, options);
  const raw: ChunkSource = new ChunkSource(input, (e): CaptureError =>
    e instanceof CaptureError ? e : ctx.error('unreadable', `read error: ${describeIoError(e)}`, raw.bytes),
  );
  let inner: ChunkSource | undefined;
  try {
    const head = await raw.peek(2);
    if (head.length === 0) throw ctx.error('empty', label === STDIN_LABEL ? 'no data on standard input' : 'empty file', 0);
    if (head[0] === GZIP_MAGIC[0] && (head.length < 2 || head[1] === GZIP_MAGIC[1])) {
      if (head.length < 2) throw headerCutShort(ctx, 'gzip header', 2, head.length);
      inner = gunzipSource(raw, ctx);
      return await readContainer(inner, raw, ctx, true);
    }
    return await readContainer(raw, raw, ctx, false);
  } finally {
    inner?.close();
    raw.close();
  }
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Detects the container format of `src` by its magic number and reads it to the end. */
async function readContainer(src: ChunkSource, raw: ChunkSource, ctx: ReadContext, compressed: boolean): Promise<CaptureSummary> {
  const reader = await openReader(src, ctx, compressed);
  let stopped = false;
  for (let chunk = await src.next(); chunk !== undefined; chunk = await src.next()) {
    if (!reader.push(chunk)) {
      stopped = true;
      break;
    }
    ctx.progress(raw.bytes);
  }
  if (!stopped) reader.finish();
  return { format: reader.format, compressed, frames: ctx.frames, bytesRead: reader.consumed };
}

async function openReader(src: ChunkSource, ctx: ReadContext, compressed: boolean): Promise<RecordReader> {
  const head = await src.peek(4);
  if (head.length === 0) throw ctx.error('empty', 'empty file (nothing after gzip decompression)', 0);
  const magic = classicMagic(head);
  if (magic !== undefined) {
    const bytes = await src.peek(CLASSIC_HEADER_BYTES);
    if (bytes.length < CLASSIC_HEADER_BYTES) throw headerCutShort(ctx, 'file header', CLASSIC_HEADER_BYTES, bytes.length);
    const header = parseClassicHeader(bytes, magic, ctx);
    return ctx.classicReader === 'pcap-parser' && readsWithPcapParser(header) ? new PcapParserReader(ctx, header) : new Framer(new ClassicFormat(ctx, header));
  }
  if (head.length === 4 && rd32(head, 0, false) === SHB) return new Framer(new PcapngFormat(ctx));
  if (head.length < 4 && (couldBeClassicMagic(head) || head.every((b, i) => b === (SHB >>> (24 - 8 * i)) % 256))) {
    throw headerCutShort(ctx, 'file header', 4, head.length);
  }
  const shown = head.length === 4 ? hex32(rd32(head, 0, false)) : `0x${Buffer.from(head).toString('hex')}`;
  const what = compressed ? 'the gzip-compressed data is not a capture file' : 'not a capture file';
  throw ctx.error('not-a-capture', `${what} (unknown magic ${shown})`, 0);
}

/**
 * pcap-parser reads exactly the common case: microseconds, version 2.4, 16-byte record headers.
 * It does so only with `classicReader: 'pcap-parser'` (our reader is 3x faster, README "Performance").
 */
function readsWithPcapParser(h: ClassicHeader): boolean {
  return !h.nanos && !h.modified && h.lengths === 'ordered';
}
