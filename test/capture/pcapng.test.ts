import { describe, expect, it } from 'vitest';
import { MICROSECONDS, toSecNsec, tsResolution } from '../../src/capture/pcapng-time.js';
import {
  concatBytes,
  pcapngBlock,
  pcapngBlockBoundaries,
  pcapngUnitsPerSecond,
  writePcapng,
} from '../support/capture-writer.js';
import type { PcapngBlockSpec, PcapngInterfaceSpec, PcapngSectionSpec } from '../support/capture-writer.js';
import { checkEveryPrefix, hex, readFails, readOk } from './read-helpers.js';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);

/** Exact expected sec/nsec for a raw time stamp, by BigInt. */
function expectTime(ts: bigint, iface: PcapngInterfaceSpec): { tsSec: number; tsNsec: number } {
  const units = pcapngUnitsPerSecond(iface.tsresol);
  return {
    tsSec: Number(ts / units + (iface.tsoffset ?? 0n)),
    tsNsec: Number(((ts % units) * 1_000_000_000n) / units),
  };
}

const sectionOf = (bigEndian: boolean): PcapngSectionSpec => ({
  bigEndian,
  interfaces: [
    { linkType: 1 },
    { linkType: 101, snaplen: 64, tsresol: 9, options: [{ code: 2, value: new TextEncoder().encode('eth0') }] },
  ],
  blocks: [
    { kind: 'epb', data: bytes(60, 1), tsSec: 1_700_000_000, tsUsec: 5, interfaceId: 0 },
    { kind: 'epb', data: bytes(33, 2), tsSec: 1_700_000_001, tsNsec: 987_654_321, interfaceId: 1, origLen: 1000 },
    { kind: 'raw', type: 5, body: bytes(20, 0) }, // ISB: silent
    { kind: 'spb', data: bytes(7, 3) },
    { kind: 'pb', data: bytes(10, 4), tsSec: 42, tsUsec: 999_999, interfaceId: 1 },
    { kind: 'epb', data: bytes(1, 5), interfaceId: 0, options: [{ code: 1, value: new TextEncoder().encode('a comment') }] },
  ],
});

const EXPECTED_SECTION = [
  { tsSec: 1_700_000_000, tsNsec: 5_000, capturedLength: 60, originalLength: 60, linkType: 1, interfaceId: 0, data: hex(bytes(60, 1)) },
  { tsSec: 1_700_000_001, tsNsec: 987_654_321, capturedLength: 33, originalLength: 1000, linkType: 101, interfaceId: 1, data: hex(bytes(33, 2)) },
  { tsSec: 0, tsNsec: 0, capturedLength: 7, originalLength: 7, linkType: 1, interfaceId: 0, data: hex(bytes(7, 3)) },
  { tsSec: 42, tsNsec: 999_999_000, capturedLength: 10, originalLength: 10, linkType: 101, interfaceId: 1, data: hex(bytes(10, 4)) },
  { tsSec: 0, tsNsec: 0, capturedLength: 1, originalLength: 1, linkType: 1, interfaceId: 0, data: hex(bytes(1, 5)) },
];
const numbered = <T>(list: T[], from = 1) => list.map((f, i) => ({ number: from + i, ...f }));

describe('pcapng round trips', () => {
  it.each([
    ['little-endian', false],
    ['big-endian', true],
  ])('%s: EPB, SPB, PB, two interfaces, options', async (_n, bigEndian) => {
    const file = writePcapng([sectionOf(bigEndian)]);
    for (const chunks of [file.length, 1, 5, 64]) {
      const r = await readOk(file, { chunks });
      expect(r.frames).toEqual(numbered(EXPECTED_SECTION));
      expect(r.summary).toEqual({ format: 'pcapng', compressed: false, frames: 5, bytesRead: file.length });
      expect(r.notices).toEqual([]);
    }
  });

  it('numbers frames across sections of both byte orders; each section resets interfaces', async () => {
    const file = writePcapng([sectionOf(false), sectionOf(true), sectionOf(false)]);
    const r = await readOk(file, { chunks: 100 });
    expect(r.frames).toEqual([...numbered(EXPECTED_SECTION), ...numbered(EXPECTED_SECTION, 6), ...numbered(EXPECTED_SECTION, 11)]);

    const reset = writePcapng([
      { interfaces: [{}, { linkType: 101 }], blocks: [{ kind: 'epb', data: bytes(4, 0), interfaceId: 1 }] },
      { bigEndian: true, interfaces: [{}], blocks: [{ kind: 'epb', data: bytes(4, 0), interfaceId: 1 }, { kind: 'epb', data: bytes(5, 0) }] },
    ]);
    const s = await readOk(reset);
    expect(s.frames.map((f) => [f.number, f.linkType, f.data.length / 2])).toEqual([
      [1, 101, 4],
      [2, 1, 5],
    ]);
    expect(s.notices).toHaveLength(1);
    expect(s.notices[0]).toMatchObject({ kind: 'skipped' });
    expect(s.notices[0]!.message).toMatch(/refers to interface 1, but the section defines 1 interface\(s\); skipped/);
  });

  it('accepts SHB version 1.2 and an IDB added mid-section', async () => {
    const file = writePcapng([
      {
        version: [1, 2],
        interfaces: [{}],
        blocks: [{ kind: 'idb', linkType: 228 }, { kind: 'epb', data: bytes(3, 0), interfaceId: 1 }],
      },
    ]);
    expect((await readOk(file)).frames[0]).toMatchObject({ linkType: 228, interfaceId: 1 });
  });

  it('cuts SPB data to the snaplen of interface 0 and keeps the original length', async () => {
    const file = writePcapng([{ interfaces: [{ snaplen: 8 }], blocks: [{ kind: 'spb', data: bytes(8, 0), origLen: 1500 }] }]);
    expect((await readOk(file)).frames[0]).toMatchObject({ capturedLength: 8, originalLength: 1500, data: hex(bytes(8, 0)) });
  });
});

describe('pcapng time stamps are exact', () => {
  const NOW = 1_700_000_000n;
  const cases: Array<[string, PcapngInterfaceSpec, bigint[]]> = [
    ['µs (default)', {}, [NOW * 1_000_000n + 123_456n, 0n, 0xffffffffffffffffn]],
    ['ms (10^-3)', { tsresol: 3 }, [NOW * 1000n + 999n, 1n]],
    ['ns (10^-9)', { tsresol: 9 }, [NOW * 1_000_000_000n + 999_999_999n, 1n, 0xffffffffffffffffn]],
    ['2^-20', { tsresol: 0x80 | 20 }, [(NOW << 20n) + 0xfffffn, (NOW << 20n) + 1n, 0xffffffffffffffffn]],
    ['2^-30 (BigInt path)', { tsresol: 0x80 | 30 }, [(NOW << 30n) + 0x3fffffffn, (NOW << 30n) + 12345n]],
    ['2^-63', { tsresol: 0x80 | 63 }, [0xffffffffffffffffn, 1n]],
    ['10^-12 (ps)', { tsresol: 12 }, [1_000_000n * 10n ** 12n + 999_999_999_999n]],
    ['10^-19', { tsresol: 19 }, [0xffffffffffffffffn]],
    ['seconds (10^0)', { tsresol: 0 }, [NOW, 0xffffffffn]],
    ['10^-7 (100 ns)', { tsresol: 7 }, [NOW * 10_000_000n + 9_999_999n]],
    ['if_tsoffset +3600, µs', { tsoffset: 3600n }, [NOW * 1_000_000n + 1n]],
    ['if_tsoffset -86400, ns', { tsoffset: -86400n, tsresol: 9 }, [NOW * 1_000_000_000n + 7n]],
  ];
  it.each(cases)('%s', async (_n, iface, stamps) => {
    for (const bigEndian of [false, true]) {
      const blocks: PcapngBlockSpec[] = stamps.map((timestamp) => ({ kind: 'epb', data: bytes(4, 0), timestamp }));
      const r = await readOk(writePcapng([{ bigEndian, interfaces: [iface], blocks }]));
      expect(r.frames.map((f) => ({ tsSec: f.tsSec, tsNsec: f.tsNsec }))).toEqual(stamps.map((t) => expectTime(t, iface)));
    }
  });

  it('the fast path equals BigInt arithmetic for random stamps and resolutions', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const out = { sec: 0, nsec: 0 };
    for (const byte of [0, 1, 3, 6, 7, 9, 10, 11, 12, 0x80, 0x81, 0x8a, 0x94, 0x9e, 0xa0, 0xa5, 0xbf]) {
      const res = tsResolution(byte);
      const units = pcapngUnitsPerSecond(byte);
      for (let i = 0; i < 2000; i++) {
        const hi = i % 3 === 0 ? rnd() >>> (rnd() % 32) : rnd();
        const lo = rnd();
        toSecNsec(res, hi, lo, 0, out);
        const ts = (BigInt(hi) << 32n) | BigInt(lo);
        expect([out.sec, out.nsec]).toEqual([Number(ts / units), Number(((ts % units) * 1_000_000_000n) / units)]);
      }
    }
    expect(MICROSECONDS.units).toBe(1e6);
  });
});

describe('pcapng blocks that are not packets', () => {
  it('skips unknown blocks with one notice per type, known ones silently', async () => {
    const file = writePcapng([
      {
        interfaces: [{}],
        blocks: [
          { kind: 'raw', type: 0x1234, body: bytes(9, 0) },
          { kind: 'epb', data: bytes(4, 0) },
          { kind: 'raw', type: 0x1234, body: bytes(1, 0) },
          { kind: 'raw', type: 0x80000001, body: new Uint8Array(0) },
          { kind: 'raw', type: 4, body: bytes(8, 0) }, // NRB
          { kind: 'raw', type: 0x0a, body: bytes(8, 0) }, // DSB
          { kind: 'raw', type: 0xbad, body: bytes(8, 0) }, // custom
          { kind: 'raw', type: 0x40000bad, body: bytes(8, 0) },
          { kind: 'epb', data: bytes(5, 0) },
        ],
      },
    ]);
    const r = await readOk(file, { chunks: 7 });
    expect(r.frames.map((f) => f.number)).toEqual([1, 2]);
    expect(r.notices.map((n) => [n.kind, n.message])).toEqual([
      ['unknown-block', 'unknown pcapng block type 0x00001234 at offset 48 skipped (later blocks of this type are skipped silently)'],
      ['unknown-block', expect.stringMatching(/^unknown pcapng block type 0x80000001 at offset \d+ skipped/)],
    ]);
  });

  it('bounds what a hostile file can make it keep: notices and interfaces', async () => {
    const types = writePcapng([{ blocks: Array.from({ length: 300 }, (_, i) => ({ kind: 'raw' as const, type: 0x100 + i, body: new Uint8Array(0) })) }]);
    const r = await readOk(types);
    expect(r.notices).toHaveLength(101);
    expect(r.notices.at(-1)!.message).toBe('more than 100 different notices; the rest are not reported');

    const idbs = writePcapng([
      { interfaces: Array.from({ length: 65_537 }, () => ({})), blocks: [{ kind: 'epb', data: bytes(1, 0), interfaceId: 65_535 }, { kind: 'epb', data: bytes(2, 0), interfaceId: 65_536 }] },
    ]);
    const i = await readOk(idbs, { chunks: 1 << 20 });
    expect(i.frames.map((f) => f.interfaceId)).toEqual([65_535]);
    expect(i.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^more than 65536 interfaces in one section; the rest are ignored/),
      expect.stringMatching(/refers to interface 65536, but the section defines 65536 interface\(s\); skipped/),
    ]);
  });

  it('passes over a large non-packet block without holding it (any chunking)', async () => {
    const big = bytes(3 * 1024 * 1024 + 5, 9);
    const file = writePcapng([
      { interfaces: [{}], blocks: [{ kind: 'epb', data: bytes(4, 0) }, { kind: 'raw', type: 4, body: big }, { kind: 'epb', data: bytes(6, 0) }] },
    ]);
    for (const chunks of [file.length, 1 << 20, 65_537, 4093]) {
      const r = await readOk(file, { chunks });
      expect(r.frames.map((f) => f.capturedLength)).toEqual([4, 6]);
    }
    // Its trailing length is still checked: a wrong one is damage, and as the block's bytes were
    // passed over unread, the search for the next block starts after it, whatever the chunking.
    const broken = Uint8Array.from(file);
    const [, , , nrb, nrbEnd] = pcapngBlockBoundaries(file);
    broken[nrbEnd! - 4] = broken[nrbEnd! - 4]! ^ 4;
    for (const chunks of [file.length, 65_537, 4093]) {
      const r = await readOk(broken, { chunks });
      expect(r.frames.map((f) => f.capturedLength)).toEqual([4, 6]);
      expect(r.notices).toEqual([
        {
          kind: 'resynchronised',
          message: expect.stringMatching(/^block of type 0x00000004 at offset \d+: total length \d+ does not match its trailing copy \d+; reading resumed at offset \d+, \d+ bytes skipped$/),
          offset: nrb,
          resumedAt: nrbEnd,
          skippedBytes: nrbEnd! - nrb!,
        },
      ]);
    }
  });
});

/** A valid file plus the offset of its last block (an EPB). */
function withLastEpb(bigEndian = false): { file: Uint8Array; last: number } {
  const file = writePcapng([{ bigEndian, interfaces: [{}], blocks: [{ kind: 'epb', data: bytes(8, 0) }, { kind: 'epb', data: bytes(8, 1) }] }]);
  const b = pcapngBlockBoundaries(file);
  return { file, last: b[b.length - 2]! };
}

describe('pcapng errors', () => {
  it.each([
    ['0xFFFFFFFF', 0xffffffff, /total length 4294967295 is not a multiple of 4/],
    ['0xFFFFFFFC', 0xfffffffc, /total length 4294967292 is larger than the maximum of 327680/],
    ['8', 8, /total length 8 is less than the minimum of 12/],
    ['30', 30, /total length 30 is not a multiple of 4/],
  ])('an EPB length of %s is bad-length after the earlier frames', async (_n, length, message) => {
    for (const bigEndian of [false, true]) {
      const { file, last } = withLastEpb(bigEndian);
      const bad = Uint8Array.from(file);
      new DataView(bad.buffer).setUint32(last + 4, length, !bigEndian);
      const r = await readFails(bad, 'bad-length');
      expect(r.frames).toHaveLength(1);
      expect(r.error.offset).toBe(last);
      expect(r.error.framesRead).toBe(1);
      expect(r.error.message).toMatch(message);
      expect(r.error.message).toMatch(new RegExp(`^test.pcap: the capture file appears to be damaged or corrupt \\(enhanced packet block at offset ${last}`));
    }
  });

  it('a trailing length that differs from the leading one is bad-length', async () => {
    const { file, last } = withLastEpb();
    const bad = Uint8Array.from(file);
    bad[bad.length - 4] = 99;
    const r = await readFails(bad, 'bad-length');
    expect(r.frames).toHaveLength(1);
    expect(r.error.message).toMatch(`enhanced packet block at offset ${last}: total length 40 does not match its trailing copy 99`);
  });

  it('an unknown byte-order magic: not a capture first, corrupt later', async () => {
    const { file } = withLastEpb();
    const first = Uint8Array.from(file);
    first[8] = 0;
    expect((await readFails(first, 'not-a-capture')).error.message).toMatch(/pcapng byte-order magic 0x003c2b1a unknown/);
    // Later, with nothing after it: damage that stops reading.
    const later = concatBytes([file, file.subarray(0, 28)]);
    later[file.length + 8] = 0;
    const r = await readFails(later, 'bad-length');
    expect(r.frames).toHaveLength(2);
    expect(r.error.offset).toBe(file.length);
    expect(r.error.message).toMatch(/section header block at offset \d+ has an unknown byte-order magic/);
    // With a section after it: reading resumes at its interface (test/capture/pcapng-resync.test.ts).
    const resumed = concatBytes([file, file]);
    resumed[file.length + 8] = 0;
    const s = await readOk(resumed);
    expect(s.frames).toHaveLength(4);
    expect(s.notices.map((n) => [n.kind, n.offset, n.resumedAt])).toEqual([['resynchronised', file.length, file.length + 28]]);
  });

  it('an unsupported SHB version', async () => {
    const r = await readFails(writePcapng([{ version: [2, 0], blocks: [] }]), 'unsupported');
    expect(r.error.message).toBe('test.pcap: unsupported pcapng version 2.0 (section at offset 0)');
  });

  it('a truncated section header is truncated-header; a truncated block truncated-record', async () => {
    const { file, last } = withLastEpb();
    expect((await readFails(file.subarray(0, 20), 'truncated-header')).error.message).toMatch(
      /cut short in the middle of the section header block \(28 bytes needed, 20 present\)/,
    );
    const r = await readFails(file.subarray(0, file.length - 3), 'truncated-record');
    expect(r.frames).toHaveLength(1);
    expect(r.error.message).toBe(
      `test.pcap: the capture file appears to have been cut short in the middle of a packet (block at offset ${last}: block needs 40 bytes, 37 present)`,
    );
  });

  it('skips well-framed but unusable packet blocks with a notice and goes on', async () => {
    const epbClaiming = (captured: number): Uint8Array => {
      const body = new Uint8Array(20 + 8);
      new DataView(body.buffer).setUint32(12, captured, true);
      return pcapngBlock(6, body);
    };
    const file = concatBytes([
      writePcapng([{ interfaces: [{}], blocks: [{ kind: 'epb', data: bytes(3, 0) }] }]),
      epbClaiming(9), // 9 captured bytes in an 8-byte data area
      pcapngBlock(6, bytes(8, 0)), // shorter than an EPB's fixed fields
      epbClaiming(9),
      writePcapng([{ blocks: [{ kind: 'spb', data: bytes(3, 0) }] }]).subarray(0), // new section: no interface 0
    ]);
    const r = await readOk(file);
    expect(r.frames).toHaveLength(1);
    expect(r.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/enhanced packet block captured length 9 runs past the block \(40 bytes\) \(offset \d+\); skipped/),
      expect.stringMatching(/enhanced packet block of 20 bytes is shorter than the minimum 32/),
      expect.stringMatching(/simple packet block at offset \d+ refers to interface 0, but the section defines 0 interface\(s\)/),
    ]);
  });
});

describe('pcapng truncated at every byte', () => {
  it.each([
    ['little-endian', false],
    ['big-endian', true],
  ])('%s', async (_n, bigEndian) => {
    const file = writePcapng([
      {
        bigEndian,
        interfaces: [{ tsresol: 9 }],
        blocks: [
          { kind: 'epb', data: bytes(5, 0), tsSec: 1 },
          { kind: 'raw', type: 0x99, body: bytes(3, 0) },
          { kind: 'spb', data: bytes(2, 0) },
        ],
      },
      { bigEndian: !bigEndian, interfaces: [{}], blocks: [{ kind: 'pb', data: bytes(1, 0), tsSec: 7 }] },
    ]);
    await checkEveryPrefix(file, pcapngBlockBoundaries(file));
    await checkEveryPrefix(file, pcapngBlockBoundaries(file), 7);
  });
});
