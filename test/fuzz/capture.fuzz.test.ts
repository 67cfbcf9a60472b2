/**
 * Property-based tests of the capture readers on generated and damaged files: classic pcap (both
 * byte orders, µs/ns, old versions, Kuznetsov's modified format) and pcapng (several sections,
 * either byte order, interfaces with time resolutions, EPB/SPB/PB and unknown blocks), plain or
 * gzip-compressed, read in arbitrary chunks. Only CaptureError may come out, every frame before
 * the problem is delivered, and chunking never changes the result.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CaptureError, readCapture, type Frame } from '../../src/capture/read.js';
import { checkEveryPrefix, readBytes, type ReadResult } from '../capture/read-helpers.js';
import { concatBytes, pcapRecordBoundaries, pcapngBlockBoundaries, writePcap, writePcapng, type PcapngBlockSpec } from '../support/capture-writer.js';
import { applyEdits, edits } from './support/edits.js';
import { controlCharIn } from './support/invariants.js';
import { FUZZ_TIMEOUT, fcOptions } from './support/config.js';

const record = fc.record({
  data: fc.uint8Array({ maxLength: 200 }),
  tsSec: fc.integer({ min: 0, max: 0xffffffff }),
  tsUsec: fc.integer({ min: 0, max: 999_999 }),
  extra: fc.nat({ max: 3000 }),
}).map(({ extra, ...r }) => ({ ...r, origLen: r.data.length + extra }));

const pcapFile = fc
  .record({
    records: fc.array(record, { maxLength: 8 }),
    nanos: fc.boolean(),
    bigEndian: fc.boolean(),
    modified: fc.boolean(),
    version: fc.constantFrom([2, 4] as const, [2, 2] as const, [2, 3] as const),
    linkType: fc.constantFrom(1, 101, 0, 113, 276, 228, 229, 147, 0x1000001),
    snaplen: fc.constantFrom(65535, 262144, 0, 64),
  })
  .map((o) => ({ bytes: writePcap(o.records, { ...o, nanos: o.nanos && !o.modified }), bounds: pcapRecordBoundaries(writePcap(o.records, { ...o, nanos: o.nanos && !o.modified }), o.modified ? 24 : 16), count: o.records.length }));

const packetBlock: fc.Arbitrary<PcapngBlockSpec> = fc.oneof(
  record.map((r) => ({ kind: 'epb' as const, ...r })),
  fc.tuple(record, fc.nat({ max: 2 })).map(([r, interfaceId]) => ({ kind: 'epb' as const, ...r, interfaceId })),
  record.map((r) => ({ kind: 'pb' as const, ...r })),
  fc.uint8Array({ maxLength: 64 }).map((data) => ({ kind: 'spb' as const, data })),
  fc.tuple(fc.constantFrom(4, 5, 0xbad, 0x40000bad, 99), fc.uint8Array({ maxLength: 40 })).map(([type, body]) => ({ kind: 'raw' as const, type, body })),
  fc.constantFrom(6, 9, 0x94).map((tsresol) => ({ kind: 'idb' as const, linkType: 1, tsresol })),
);

const pcapngFile = fc
  .array(
    fc.record({
      bigEndian: fc.boolean(),
      interfaces: fc.array(fc.record({ linkType: fc.constantFrom(1, 101, 113), tsresol: fc.constantFrom(6, 9, 0x94, 0x80, 19), snaplen: fc.constantFrom(0, 64, 65535) }), { minLength: 1, maxLength: 2 }),
      blocks: fc.array(packetBlock, { maxLength: 8 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((sections) => {
    const bytes = writePcapng(sections);
    return { bytes, bounds: pcapngBlockBoundaries(bytes) };
  });

const captureFile = fc.oneof(pcapFile, pcapngFile);
const chunking = fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 64 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }));

/** The contract of any read, whatever the bytes. */
function readViolations(r: ReadResult): string[] {
  const v: string[] = [];
  r.frames.forEach((f, i) => {
    if (f.number !== i + 1) v.push(`frame ${i + 1} numbered ${f.number}`);
    if (f.capturedLength > 262_144) v.push(`frame ${f.number}: ${f.capturedLength} bytes delivered past the record limit`);
    if (f.data.length !== 2 * f.capturedLength) v.push(`frame ${f.number}: data length differs from capturedLength`);
  });
  if (r.error) {
    if (r.error.framesRead !== undefined && r.error.framesRead !== r.frames.length) v.push(`error says ${r.error.framesRead} frames read, ${r.frames.length} delivered`);
    if (/\n/.test(r.error.message) || controlCharIn(r.error.message)) v.push(`error message not one clean line: ${JSON.stringify(r.error.message)}`);
  } else if (!r.summary) v.push('neither a summary nor an error');
  return v;
}

const outcome = (r: ReadResult) => ({ frames: r.frames, error: r.error ? `${r.error.kind}@${r.error.offset}` : undefined });
/** The outcome with the notices (resynchronisations, blocks skipped): also independent of chunking. */
const fullOutcome = (r: ReadResult) => ({ ...outcome(r), notices: r.notices });

/**
 * pcapng whose bytes can be read as a plausible block nowhere but at the real block starts: one
 * little-endian section, one interface, EPBs with data bytes >= 0x80, 16..300 of them, raw time
 * stamps whose bytes are all >= 0x80 (every 4-byte window inside them, or inside the data, is
 * >= 2^31, no known type, no valid length; the header fields around them are worked through in
 * the property below). Read with `maxRecordBytes` 512, so one block of look-ahead is 66 048 bytes.
 */
const RESYNC_MAX_RECORD = 512;
const RESYNC_HELD = RESYNC_MAX_RECORD + 65_536;
const resyncSample = fc.record({ seed: fc.integer(), count: fc.integer({ min: 1400, max: 1600 }) }).map(({ seed, count }) => {
  // A small PRNG instead of fc.array: the files are ~250 KB, and fast-check shrinks a seed cheaply.
  let x = seed | 1;
  const next = (): number => ((x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) ^ (x + 0x6d2b79f5)) >>> 0);
  const blocks: PcapngBlockSpec[] = Array.from({ length: count }, (_, i) => ({
    kind: 'epb' as const,
    data: Uint8Array.from({ length: 16 + (next() % 285) }, () => 0x80 | (next() & 0x7f)),
    timestamp: 0x8080808080808080n + BigInt(i % 128) * 0x0101010101010101n,
  }));
  const bytes = writePcapng([{ interfaces: [{}], blocks }]);
  return { bytes, bounds: pcapngBlockBoundaries(bytes) };
});
/** Damage to one block near the start: its length, inserted bytes before it, its header overwritten, its trailing copy. */
const middleDamage = fc.record({
  block: fc.integer({ min: 3, max: 30 }),
  kind: fc.constantFrom('length', 'insert', 'overwrite', 'trailer'),
  value: fc.oneof(fc.constantFrom(0, 8, 13, 30, 36, 1 << 20, 0x7ffffffc, 0xffffffff), fc.nat({ max: 0xffffffff })),
  garbage: fc.uint8Array({ minLength: 1, maxLength: 8 }),
});

describe('capture readers on generated and damaged files', () => {
  it('well-formed files: every record delivered, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(pcapFile, chunking, async (f, chunks) => {
        const r = await readBytes(f.bytes, chunks === undefined ? {} : { chunks });
        expect(readViolations(r)).toEqual([]);
        expect(r.error?.message).toBeUndefined();
        expect(r.frames).toHaveLength(f.count);
      }),
      fcOptions(150),
    );
  }, FUZZ_TIMEOUT);

  it('damaged files (flips, 0/1/max lengths, stores, cuts): frames or CaptureError only, independent of chunking', async () => {
    await fc.assert(
      fc.asyncProperty(captureFile, edits, chunking, async (f, e, chunks) => {
        const bytes = applyEdits(f.bytes, e);
        const whole = await readBytes(bytes);
        expect(readViolations(whole)).toEqual([]);
        const split = await readBytes(bytes, chunks === undefined ? {} : { chunks });
        expect(fullOutcome(split)).toEqual(fullOutcome(whole));
      }),
      fcOptions(600),
    );
  }, FUZZ_TIMEOUT);

  it('record and block length fields set to 0, 1, the limit ± 1 and 2^32-1', async () => {
    const field = captureFile.filter((f) => f.bounds.length > 1).chain((f) =>
      fc.record({
        f: fc.constant(f),
        at: fc.constantFrom(...f.bounds.slice(0, -1)).chain((b) => fc.constantFrom(b + 4, b + 8, b + 12, b + 20)),
        value: fc.constantFrom(0, 1, 3, 262_143, 262_144, 262_145, 0x7fffffff, 0xfffffffc, 0xffffffff),
        le: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(field, async ({ f, at, value, le }) => {
        if (at + 4 > f.bytes.length) return;
        const bytes = f.bytes.slice();
        new DataView(bytes.buffer).setUint32(at, value, le);
        const r = await readBytes(bytes);
        expect(readViolations(r)).toEqual([]);
      }),
      fcOptions(400),
    );
  }, FUZZ_TIMEOUT);

  // A resynchronisation may land on a block-like run of bytes inside the damage (a fake block
  // covers at most one block of look-ahead after it), so only what is true is asserted: every
  // frame before the damaged block, and every frame of an intact block that starts more than one
  // block of look-ahead past the damage, are delivered, in order.
  it('pcapng damage in the middle: intact frames before it and far from it are never lost, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(resyncSample, middleDamage, chunking, async (f, d, chunks) => {
        const options = { maxRecordBytes: RESYNC_MAX_RECORD };
        const whole = await readBytes(f.bytes, { options });
        const at = f.bounds[d.block]!;
        const next = f.bounds[d.block + 1]!;
        let bytes: Uint8Array = f.bytes.slice();
        let shift = 0;
        const dv = new DataView(bytes.buffer);
        if (d.kind === 'length') dv.setUint32(at + 4, d.value, true);
        else if (d.kind === 'trailer') dv.setUint32(next - 4, d.value, true);
        else if (d.kind === 'overwrite') bytes.set(new Uint8Array(8).map((_, i) => d.garbage[i % d.garbage.length]! ^ (i * 37)), at);
        else {
          bytes = concatBytes([f.bytes.subarray(0, at), d.garbage, f.bytes.subarray(at)]);
          shift = d.garbage.length;
        }
        const damageEnd = next + shift;
        const packetsBefore = d.block - 2; // blocks 0 and 1 are the SHB and the IDB
        const far = f.bounds.slice(0, -1).map((b, i) => ({ start: b + shift, frame: i - 2 })).filter((b) => b.frame >= 0 && b.start >= damageEnd + RESYNC_HELD);
        const key = (fr: ReadResult['frames'][number]) => `${fr.tsSec}.${fr.tsNsec}:${fr.data}`;
        for (const how of [{ options }, { options, ...(chunks === undefined ? {} : { chunks }) }]) {
          const r = await readBytes(bytes, how);
          expect(readViolations(r)).toEqual([]);
          expect(r.error?.message).toBeUndefined();
          expect(r.frames.slice(0, packetsBefore)).toEqual(whole.frames.slice(0, packetsBefore));
          const expected = far.map((b) => key(whole.frames[b.frame]!));
          expect(expected.length).toBeGreaterThan(0);
          expect(r.frames.slice(-expected.length).map(key)).toEqual(expected);
          if (r.notices.length > 0) expect(r.notices[0]).toMatchObject({ kind: 'resynchronised', offset: at });
        }
      }),
      fcOptions(25),
    );
  }, FUZZ_TIMEOUT);

  it('gzip-compressed damaged files behave like the plain ones; damaged gzip is a CaptureError', async () => {
    await fc.assert(
      fc.asyncProperty(captureFile, edits, fc.boolean(), async (f, e, damageGzip) => {
        const plain = applyEdits(f.bytes, e);
        const gz = gzipSync(plain);
        const r = await readBytes(damageGzip ? applyEdits(gz, e) : gz, { chunks: 7 });
        expect(readViolations(r)).toEqual([]);
        if (!damageGzip) expect(outcome(r).frames).toEqual(outcome(await readBytes(plain)).frames);
      }),
      fcOptions(200),
    );
  }, FUZZ_TIMEOUT);

  it('readCapture on damaged files on disk: the same frames, or a CaptureError and nothing else', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'espy-capture-fuzz-'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(captureFile, edits, async (f, e) => {
        const bytes = applyEdits(f.bytes, e);
        const file = path.join(dir, `damaged-${n++ % 4}.cap`);
        writeFileSync(file, bytes);
        const frames: string[] = [];
        let error: unknown;
        try {
          await readCapture(file, (fr: Frame) => void frames.push(Buffer.from(fr.data).toString('hex')));
        } catch (x) {
          error = x;
        }
        if (error !== undefined) expect(error).toBeInstanceOf(CaptureError);
        const stream = await readBytes(bytes);
        expect(frames).toEqual(stream.frames.map((fr) => fr.data));
        expect(error === undefined).toBe(stream.error === undefined);
      }),
      fcOptions(150),
    );
  }, FUZZ_TIMEOUT);

  it('truncated at every offset: success exactly at record boundaries, earlier frames always delivered', async () => {
    await fc.assert(
      fc.asyncProperty(captureFile.filter((f) => f.bytes.length < 1500), async (f) => {
        await checkEveryPrefix(f.bytes, f.bounds);
      }),
      fcOptions(15),
    );
  }, FUZZ_TIMEOUT);
});
