/**
 * pcapng resynchronisation (README "Hostile input"): a broken block frame after the first
 * section header is damage that reading gets past. The reader searches byte by byte for the next
 * plausible block, reads on from there and reports a 'resynchronised' notice (damaged block's
 * offset, where reading resumed, bytes skipped). The frames after it are exactly those of the
 * intact blocks, whatever the chunking.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, pcapngBlockBoundaries, writePcapng } from '../support/capture-writer.js';
import type { PcapngBlockSpec } from '../support/capture-writer.js';
import { readBytes, readFails, readOk } from './read-helpers.js';
import type { FrameView, ReadResult } from './read-helpers.js';

/** Packet bytes that never hold two zero bytes in a row, so no block type can be read in them. */
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);
const CHUNKINGS: ReadonlyArray<number | number[] | undefined> = [undefined, 1, 3, 7, 64, 4093, [5, 1, 300, 17]];

/** Ten EPBs of different lengths on one interface; `blocks[i]` is where block i starts (0 SHB, 1 IDB, 2.. EPBs). */
function sample(count = 10, extra: PcapngBlockSpec[] = []): { file: Uint8Array; blocks: number[] } {
  const epbs: PcapngBlockSpec[] = Array.from({ length: count }, (_, i) => ({ kind: 'epb', data: bytes(40 + 7 * i, i), tsSec: 1_700_000_000 + i, tsUsec: i }));
  const file = writePcapng([{ interfaces: [{}], blocks: [...epbs, ...extra] }]);
  return { file, blocks: pcapngBlockBoundaries(file) };
}

/** Frames without their numbers (renumbered after lost blocks), to compare by content. */
const content = (frames: readonly FrameView[]) => frames.map(({ number: _n, ...f }) => f);

function setU32(file: Uint8Array, at: number, value: number): Uint8Array {
  const out = Uint8Array.from(file);
  new DataView(out.buffer).setUint32(at, value, true);
  return out;
}

/** Reads with every chunking: all give `first`'s result. */
async function readEveryWay(file: Uint8Array): Promise<ReadResult> {
  const first = await readBytes(file);
  for (const chunks of CHUNKINGS.slice(1)) {
    const r = await readBytes(file, { chunks: chunks! });
    expect({ frames: r.frames, notices: r.notices, error: r.error?.message }, `chunks ${String(chunks)}`).toEqual({ frames: first.frames, notices: first.notices, error: first.error?.message });
  }
  return first;
}

describe('pcapng resynchronises after damage in the middle', () => {
  const { file, blocks } = sample();
  const damaged = blocks[6]!; // the fifth EPB
  const next = blocks[7]!;

  it.each([
    ['a length under the minimum', (f: Uint8Array) => setU32(f, damaged + 4, 8), /total length 8 is less than the minimum of 12/],
    ['a length not a multiple of 4', (f: Uint8Array) => setU32(f, damaged + 4, next - damaged + 2), /is not a multiple of 4/],
    ['a huge length', (f: Uint8Array) => setU32(f, damaged + 4, 0x7ffffffc), /total length 2147483644 is larger than the maximum of 327680/],
    ['a trailing copy that differs', (f: Uint8Array) => setU32(f, next - 4, 0x44), /total length \d+ does not match its trailing copy 68/],
    ['an overwritten block header', (f: Uint8Array) => concatBytes([f.subarray(0, damaged), new Uint8Array(8).fill(0xee), f.subarray(damaged + 8)]), /block of type 0xeeeeeeee at offset \d+: total length 4008636142 is not a multiple of 4/],
    ['a length that runs past the end of the file', (f: Uint8Array) => setU32(f, damaged + 4, 8192), /total length 8192 runs past the end of the input/],
  ])('%s: the damaged block is lost, every other frame is read', async (_name, damage, detail) => {
    const whole = await readOk(file);
    const r = await readEveryWay(damage(file));
    expect(r.error).toBeUndefined();
    expect(r.frames.map((f) => f.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(content(r.frames)).toEqual(content([...whole.frames.slice(0, 4), ...whole.frames.slice(5)]));
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toEqual({ kind: 'resynchronised', message: expect.stringMatching(detail), offset: damaged, resumedAt: next, skippedBytes: next - damaged });
    expect(r.notices[0]!.message).toMatch(new RegExp(`at offset ${damaged}: .*; reading resumed at offset ${next}, ${next - damaged} bytes skipped$`));
    expect(r.summary!.bytesRead).toBe(file.length);
  });

  it.each([1, 2, 3, 5])('%i garbage byte(s) inserted between blocks: nothing lost, the garbage skipped', async (n) => {
    const whole = await readOk(file);
    for (const fill of [0xee, 0x00, 0x06]) {
      const r = await readEveryWay(concatBytes([file.subarray(0, damaged), new Uint8Array(n).fill(fill), file.subarray(damaged)]));
      expect(r.error).toBeUndefined();
      expect(r.frames).toEqual(whole.frames);
      expect(r.notices.map((x) => [x.kind, x.offset, x.resumedAt, x.skippedBytes])).toEqual([['resynchronised', damaged, damaged + n, n]]);
    }
  });

  it('resynchronises as often as needed, each time reported (past the 100-notice cap)', async () => {
    const big = sample(300);
    const whole = await readOk(big.file);
    // Every other EPB from the fourth on gets a broken length: 148 damaged blocks.
    const bad = Uint8Array.from(big.file);
    const hit: number[] = [];
    for (let i = 5; i < 301; i += 2) {
      new DataView(bad.buffer).setUint32(big.blocks[i]! + 4, 13, true);
      hit.push(i - 2);
    }
    const r = await readEveryWay(bad);
    expect(r.error).toBeUndefined();
    expect(content(r.frames)).toEqual(content(whole.frames.filter((_f, i) => !hit.includes(i))));
    expect(r.notices).toHaveLength(hit.length);
    expect(r.notices.map((x) => x.offset)).toEqual(hit.map((i) => big.blocks[i + 2]));
    expect(r.notices.every((x) => x.kind === 'resynchronised' && x.skippedBytes! > 0)).toBe(true);
  });

  it('garbage to the end of the file: bad-length at the offset of the damage, every frame before it read', async () => {
    for (const garbage of [new Uint8Array(5000).fill(0xee), bytes(70_000, 3), new Uint8Array(3)]) {
      const bad = concatBytes([file.subarray(0, damaged), garbage]);
      for (const chunks of [bad.length, 1, 4093]) {
        const r = await readFails(bad, garbage.length < 12 ? 'truncated-record' : 'bad-length', { chunks });
        expect(r.frames).toHaveLength(4);
        expect(r.error.offset).toBe(damaged);
        expect(r.error.framesRead).toBe(4);
        expect(r.notices).toEqual([]);
      }
    }
  });

  it('damage in the last block stops reading as before', async () => {
    const last = blocks.at(-2)!;
    const r = await readFails(setU32(file, last + 4, 30), 'bad-length');
    expect(r.frames).toHaveLength(9);
    expect(r.error.message).toBe(`test.pcap: the capture file appears to be damaged or corrupt (enhanced packet block at offset ${last}: total length 30 is not a multiple of 4)`);
  });

  it('a truncated last block is still cut short, not damage', async () => {
    const r = await readFails(file.subarray(0, file.length - 10), 'truncated-record');
    expect(r.frames).toHaveLength(9);
    expect(r.notices).toEqual([]);
  });

  it('lands only on a block it can read: an EPB on an interface the section lacks is passed over', async () => {
    const { file: f, blocks: b } = sample(6, [{ kind: 'epb', data: bytes(9, 0), interfaceId: 3 }, { kind: 'epb', data: bytes(11, 0) }]);
    const r = await readEveryWay(setU32(f, b[7]! + 4, 9)); // the last of the six, then the EPB on interface 3
    expect(r.frames.map((x) => x.capturedLength)).toEqual([40, 47, 54, 61, 68, 11]);
    expect(r.notices.map((x) => [x.offset, x.resumedAt])).toEqual([[b[7], b[9]]]);
  });

  it('the first section header is not resynchronised from', async () => {
    const r = await readFails(setU32(file, 4, 30), 'bad-length');
    expect(r.frames).toEqual([]);
  });
});

describe('pcapng resynchronisation at a later section header', () => {
  const sections = (secondBigEndian: boolean) =>
    writePcapng([
      { interfaces: [{}], blocks: [{ kind: 'epb', data: bytes(20, 1) }, { kind: 'epb', data: bytes(21, 2) }] },
      { bigEndian: secondBigEndian, interfaces: [{ linkType: 101 }], blocks: [{ kind: 'epb', data: bytes(22, 3) }, { kind: 'epb', data: bytes(23, 4) }] },
    ]);

  it.each([
    ['its length (other byte order)', true, (f: Uint8Array, at: number) => { const o = Uint8Array.from(f); new DataView(o.buffer).setUint32(at + 4, 31, false); return o; }],
    ['its trailing copy (other byte order)', true, (f: Uint8Array, at: number) => { const o = Uint8Array.from(f); o[at + 27] = 0x99; return o; }],
    ['its byte-order magic', false, (f: Uint8Array, at: number) => { const o = Uint8Array.from(f); o[at + 8] = 0; return o; }],
    ['its length (same byte order)', false, (f: Uint8Array, at: number) => { const o = Uint8Array.from(f); o[at + 4] = 0x1d; return o; }],
  ])('damage in %s: a new section starts, its packets are read on its own interfaces', async (_name, bigEndian, damage) => {
    const file = sections(bigEndian);
    const shb = pcapngBlockBoundaries(file)[4]!;
    const whole = await readOk(file);
    const r = await readEveryWay(damage(file, shb));
    expect(r.error).toBeUndefined();
    expect(r.frames).toEqual(whole.frames);
    expect(r.frames.map((f) => f.linkType)).toEqual([1, 1, 101, 101]);
    expect(r.notices.map((n) => [n.kind, n.offset, n.resumedAt])).toEqual([['resynchronised', shb, shb + 28]]);
  });

  it('a well-framed later section header of an unsupported version still stops reading', async () => {
    const file = Uint8Array.from(sections(false));
    file[pcapngBlockBoundaries(file)[4]! + 12] = 2;
    expect((await readFails(file, 'unsupported')).frames).toHaveLength(2);
  });

  it('lands on an intact later section header after damage in the section before', async () => {
    const file = sections(true);
    const b = pcapngBlockBoundaries(file);
    const whole = await readOk(file);
    const r = await readEveryWay(setU32(file, b[3]! + 4, 7)); // the second EPB of the first section
    expect(r.frames.map((f) => f.data)).toEqual(whole.frames.filter((_f, i) => i !== 1).map((f) => f.data));
    expect(r.notices.map((n) => [n.offset, n.resumedAt])).toEqual([[b[3], b[4]]]);
  });
});

describe('pcapng resynchronisation is bounded', () => {
  it('a long run of block-like garbage (each claiming 256 KiB) is searched through with a bounded buffer', async () => {
    // 12-byte units: an EPB type, a length of 262144, filler: every unit needs 256 KiB of look-ahead to rule out.
    const unit = Uint8Array.of(6, 0, 0, 0, 0, 0, 4, 0, 0xff, 0xff, 0xff, 0xff);
    const garbage = new Uint8Array(12 * 400_000);
    for (let i = 0; i < garbage.length; i += 12) garbage.set(unit, i);
    const { file, blocks } = sample(4);
    const bad = concatBytes([file.subarray(0, blocks[4]!), garbage, file.subarray(blocks[4]!)]);
    for (const chunks of [1 << 20, 65_537, 4093]) {
      const r = await readOk(bad, { chunks }); // linear time: checked by `npm run soak`
      expect(r.frames).toHaveLength(4);
      expect(r.notices.map((n) => [n.offset, n.skippedBytes])).toEqual([[blocks[4], garbage.length]]);
    }
  });
});
