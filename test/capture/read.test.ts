import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync, createGzip } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CaptureError, readCapture, readCaptureStream } from '../../src/capture/read.js';
import type { Frame } from '../../src/capture/read.js';
import { concatBytes, writePcap, writePcapng } from '../support/capture-writer.js';
import type { RecordSpec } from '../support/capture-writer.js';
import { FIXTURES } from '../support/environment.js';
import { readBytes, readFails, readOk, viewOf } from './read-helpers.js';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 5 + seed) & 0xff);
const RECORDS: RecordSpec[] = Array.from({ length: 40 }, (_, i) => ({ data: bytes(20 + i * 37, i), tsSec: 1000 + i, tsNsec: i * 1000 }));

const SAMPLES: Array<[string, Uint8Array, string]> = [
  ['pcap µs', writePcap(RECORDS), 'pcap'],
  ['pcap ns big-endian', writePcap(RECORDS, { nanos: true, bigEndian: true }), 'pcap-nsec'],
  [
    'pcapng',
    writePcapng([{ interfaces: [{}], blocks: RECORDS.map((r) => ({ kind: 'epb' as const, ...r, tsUsec: (r.tsNsec ?? 0) / 1000 })) }]),
    'pcapng',
  ],
];

const dir = mkdtempSync(path.join(tmpdir(), 'espy-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: Uint8Array | string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('gzip', () => {
  it.each(SAMPLES)('%s, detected by content whatever the name', async (_n, plain, format) => {
    const expected = (await readOk(plain)).frames;
    const gz = gzipSync(plain);
    for (const chunks of [gz.length, 1, 100]) {
      const r = await readOk(gz, { chunks });
      expect(r.frames).toEqual(expected);
      expect(r.summary).toEqual({ format, compressed: true, frames: 40, bytesRead: plain.length });
    }
    const viaFile = await readCapture(file(`sample-${format}.bin`, gz), () => true);
    expect(viaFile).toMatchObject({ compressed: true, frames: 40 });
  });

  it('reads concatenated gzip members as one capture', async () => {
    const plain = SAMPLES[0]![1];
    const cut = 24 + 16 + RECORDS[0]!.data.length + 7; // members split inside a record
    const gz = concatBytes([gzipSync(plain.subarray(0, cut)), gzipSync(plain.subarray(cut))]);
    expect((await readOk(gz)).frames).toHaveLength(40);
  });

  it('reports corrupt gzip data as kind gzip, after the frames before it', async () => {
    const plain = SAMPLES[2]![1];
    const gz = Uint8Array.from(gzipSync(plain, { level: 0 })); // stored: corruption is found by the CRC at the end
    gz[gz.length - 6] = gz[gz.length - 6]! ^ 0xff;
    // Node drops the output of the inflate step that fails: here the last 1000-byte chunk's.
    const r = await readFails(gz, 'gzip', { chunks: 1000 });
    expect(r.error.message).toMatch(/^test.pcap: the gzip-compressed data is corrupt \(incorrect data check after \d+ compressed bytes\)$/);
    expect(r.frames.length).toBeGreaterThan(36);
    expect(r.frames).toEqual((await readOk(plain)).frames.slice(0, r.frames.length));
    expect(r.error.framesRead).toBe(r.frames.length);

    const header = Uint8Array.from(gzipSync(plain));
    header[3] = 0xff; // reserved flag bits
    expect((await readFails(header, 'gzip')).frames).toEqual([]);
  });

  it('reports a cut-short gzip stream after every frame it could decompress', async () => {
    const plain = SAMPLES[0]![1];
    const gz = gzipSync(plain);
    const noTrailer = await readFails(gz.subarray(0, gz.length - 8), 'gzip');
    expect(noTrailer.error.message).toMatch(/the gzip-compressed data is cut short \(unexpected end of file/);
    expect(noTrailer.frames).toHaveLength(40);
    const half = await readFails(gz.subarray(0, gz.length >> 1), 'gzip', { chunks: 50 });
    expect(half.frames.length).toBeGreaterThan(5);
    expect(half.frames).toEqual((await readOk(plain)).frames.slice(0, half.frames.length));
  });

  it('an empty gzip member, or gzip of garbage', async () => {
    expect((await readFails(gzipSync(new Uint8Array(0)), 'empty')).error.message).toMatch(/nothing after gzip decompression/);
    expect((await readFails(gzipSync(Buffer.from('hello, world')), 'not-a-capture')).error.message).toBe(
      'test.pcap: the gzip-compressed data is not a capture file (unknown magic 0x68656c6c)',
    );
    await readFails(Uint8Array.of(0x1f), 'truncated-header');
  });
});

describe('files and run-level errors', () => {
  it('maps file-system problems to unreadable, with a one-line message', async () => {
    const missing = path.join(dir, 'nope.pcap');
    await expect(readCapture(missing, () => true)).rejects.toMatchObject({ kind: 'unreadable', message: `${missing}: no such file` });
    await expect(readCapture(dir, () => true)).rejects.toMatchObject({ kind: 'unreadable', message: `${dir}: is a directory` });
    const notDir = path.join(file('plain', 'x'), 'child.pcap');
    await expect(readCapture(notDir, () => true)).rejects.toMatchObject({ kind: 'unreadable' });
    const e = await readCapture(missing, () => true).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CaptureError);
    expect((e as CaptureError).framesRead).toBe(0);
  });

  it('empty file, wrong magic, too short to tell', async () => {
    await expect(readCapture(file('empty.pcap', ''), () => true)).rejects.toMatchObject({ kind: 'empty', message: `${dir}/empty.pcap: empty file` });
    await expect(readCapture(file('text.pcap', 'GET / HTTP/1.1\r\n'), () => true)).rejects.toMatchObject({
      kind: 'not-a-capture',
      message: `${dir}/text.pcap: not a capture file (unknown magic 0x47455420)`,
    });
    expect((await readFails(Uint8Array.of(0x12, 0x34), 'not-a-capture')).error.message).toMatch(/unknown magic 0x1234\)$/);
    await readFails(Uint8Array.of(0xd4, 0xc3), 'truncated-header');
    await readFails(Uint8Array.of(0x0a, 0x0d, 0x0d), 'truncated-header');
  });

  it('reads a real file with 1 MiB chunks and reports progress in file bytes', async () => {
    const big = writePcap(Array.from({ length: 3000 }, (_, i) => ({ data: bytes(1000, i), tsSec: i })));
    const p = file('big.pcap', big);
    const progress: number[] = [];
    let n = 0;
    const s = await readCapture(p, () => void n++, { onProgress: (b) => progress.push(b) });
    expect(s).toEqual({ format: 'pcap', compressed: false, frames: 3000, bytesRead: big.length });
    expect(progress.at(-1)).toBe(big.length);
    expect(progress.length).toBe(Math.ceil(big.length / (1024 * 1024)));
    const gzProgress: number[] = [];
    const gz = gzipSync(big);
    await readCapture(file('big.pcap.gz', gz), () => true, { onProgress: (b) => gzProgress.push(b) });
    expect(gzProgress.at(-1)).toBe(gz.length);
    expect([...gzProgress].sort((a, b) => a - b)).toEqual(gzProgress);
  });
});

describe('zero copy', () => {
  it.each(SAMPLES)('%s: frame data are views of the chunk that holds them', async (_n, plain) => {
    const source = Buffer.from(plain);
    const buffers = new Set<ArrayBufferLike>();
    await readCaptureStream(Readable.from([source]), 'one chunk', (f) => void buffers.add(f.data.buffer));
    expect([...buffers]).toEqual([source.buffer]);
  });
});

describe('stopping early', () => {
  /** An endless pcap stream that records whether it was destroyed. */
  function endless(): { stream: Readable; destroyed: () => boolean } {
    let destroyed = false;
    let sent = 0;
    const header = writePcap([]);
    const record = writePcap([{ data: bytes(100, 1) }]).subarray(24);
    const stream = new Readable({
      read() {
        this.push(sent++ === 0 ? header : Buffer.from(concatBytes(Array(50).fill(record))));
      },
      destroy(err, cb) {
        destroyed = true;
        cb(err);
      },
    });
    return { stream, destroyed: () => destroyed };
  }

  it('stops at once when the sink returns false, and destroys the stream', async () => {
    const { stream, destroyed } = endless();
    let calls = 0;
    const s = await readCaptureStream(stream, 'live', () => ++calls < 75);
    expect(calls).toBe(75);
    expect(s.frames).toBe(75);
    expect(destroyed()).toBe(true);
  });

  it('also through gzip', async () => {
    const { stream, destroyed } = endless();
    const gz = stream.pipe(createGzip());
    let calls = 0;
    const s = await readCaptureStream(gz, 'live.gz', () => ++calls < 1000);
    expect(s).toMatchObject({ frames: 1000, compressed: true });
    expect(gz.destroyed).toBe(true);
    void destroyed;
  });

  it('lets a sink exception through unchanged, and still closes the stream', async () => {
    const { stream, destroyed } = endless();
    const boom = new Error('sink bug');
    await expect(
      readCaptureStream(stream, 'live', () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(destroyed()).toBe(true);
  });
});

describe('standard input', () => {
  it('reads "-" from process.stdin', async () => {
    const plain = SAMPLES[1]![1];
    const spy = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(gzipSync(plain))]) as typeof process.stdin);
    try {
      const frames: number[] = [];
      const s = await readCapture('-', (f) => void frames.push(f.number));
      expect(s).toMatchObject({ format: 'pcap-nsec', compressed: true, frames: 40 });
      expect(frames).toHaveLength(40);
    } finally {
      spy.mockRestore();
    }
    const empty = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([]) as typeof process.stdin);
    try {
      await expect(readCapture('-', () => true)).rejects.toMatchObject({ kind: 'empty', message: 'standard input: no data on standard input' });
    } finally {
      empty.mockRestore();
    }
  });

  const hasTcpdump = ((): boolean => {
    try {
      execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasTcpdump)('reads `tcpdump -r FILE -w -` piped in (small pipe chunks)', async () => {
    const fixture = path.join(FIXTURES, 'public', 'isakmp4500.pcap');
    const child = spawn('tcpdump', ['-r', fixture, '-w', '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const frames: Frame[] = [];
    const s = await readCaptureStream(child.stdout, 'standard input', (f) => void frames.push(f));
    const direct: Frame[] = [];
    await readCapture(fixture, (f) => void direct.push(f));
    expect(s.frames).toBe(direct.length);
    expect(frames.map(viewOf)).toEqual(direct.map(viewOf));
    expect(readFileSync(fixture).length).toBeGreaterThan(0);
  });
});

describe('hostile input never escapes as anything but CaptureError', () => {
  it('random corruption of every sample (plain and gzip), random chunking', async () => {
    let seed = 99;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const max = 4096;
    const inputs = SAMPLES.flatMap(([, b]) => [b, Uint8Array.from(gzipSync(b))]);
    for (let round = 0; round < 600; round++) {
      const base = inputs[round % inputs.length]!;
      const m = Uint8Array.from(base.subarray(0, base.length - rnd(3) * rnd(base.length)));
      for (let k = 1 + rnd(4); k > 0; k--) {
        const at = rnd(Math.min(m.length, rnd(2) ? 64 : m.length) || 1);
        if (rnd(3) === 0) m.set([0xff, 0xff, 0xff, 0xff].slice(0, m.length - at), at);
        else m[at] = rnd(256);
      }
      const r = await readBytes(m, { chunks: [1 + rnd(300), 1 + rnd(5000)], options: { maxRecordBytes: max } });
      for (const f of r.frames) expect(f.capturedLength).toBeLessThanOrEqual(max);
      if (r.error) expect(r.error.message).not.toMatch(/\n/);
    }
  });
});
