import { describe, expect, it } from 'vitest';
import { pcapRecordBoundaries, writePcap } from '../support/capture-writer.js';
import type { PcapOptions, RecordSpec } from '../support/capture-writer.js';
import { checkEveryPrefix, hex, readFails, readOk } from './read-helpers.js';
import type { CaptureOptions } from '../../src/capture/read.js';

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

const RECORDS: RecordSpec[] = [
  { data: bytes(60, 1), tsSec: 1_700_000_000, tsNsec: 123_456_789, origLen: 60 },
  { data: bytes(1, 2), tsSec: 0, tsNsec: 0, origLen: 1500 }, // snapped
  { data: new Uint8Array(0), tsSec: 0xffffffff, tsNsec: 999_999_999 }, // empty record, largest time
  { data: bytes(1514, 3), tsSec: 1_234_567_890, tsNsec: 1_000 },
];

/** What the reader must produce for RECORDS written with `nanos`. */
function expected(nanos: boolean, linkType = 1) {
  return RECORDS.map((r, i) => ({
    number: i + 1,
    tsSec: r.tsSec ?? 0,
    tsNsec: nanos ? (r.tsNsec ?? 0) : Math.floor((r.tsNsec ?? 0) / 1000) * 1000,
    capturedLength: r.data.length,
    originalLength: r.origLen ?? r.data.length,
    linkType,
    interfaceId: 0,
    data: hex(r.data),
  }));
}

const VARIANTS: Array<[string, PcapOptions, 'pcap' | 'pcap-nsec', CaptureOptions?]> = [
  ['µs little-endian', {}, 'pcap'],
  ['µs big-endian', { bigEndian: true }, 'pcap'],
  ['µs little-endian (pcap-parser)', {}, 'pcap', { classicReader: 'pcap-parser' }],
  ['µs big-endian (pcap-parser)', { bigEndian: true }, 'pcap', { classicReader: 'pcap-parser' }],
  ['ns little-endian', { nanos: true }, 'pcap-nsec'],
  ['ns big-endian', { nanos: true, bigEndian: true }, 'pcap-nsec'],
  ['µs version 2.2 (lengths swapped)', { version: [2, 2] }, 'pcap'],
  ['ns version 2.2 big-endian', { version: [2, 2], nanos: true, bigEndian: true }, 'pcap-nsec'],
  ['µs version 2.3', { version: [2, 3] }, 'pcap'],
  ['modified pcap little-endian', { modified: true }, 'pcap'],
  ['modified pcap big-endian', { modified: true, bigEndian: true }, 'pcap'],
];

describe('classic pcap round trips', () => {
  it.each(VARIANTS)('%s', async (_name, options, format, reader) => {
    const file = writePcap(RECORDS, options);
    const nanos = format === 'pcap-nsec';
    for (const chunks of [file.length, 1, 3, 17, 1000]) {
      const r = await readOk(file, { chunks, ...(reader ? { options: reader } : {}) });
      expect(r.frames).toEqual(expected(nanos));
      expect(r.summary).toEqual({ format, compressed: false, frames: RECORDS.length, bytesRead: file.length });
      expect(r.notices).toEqual([]);
    }
  });

  it('reads a file with no records', async () => {
    const r = await readOk(writePcap([]));
    expect(r.summary).toEqual({ format: 'pcap', compressed: false, frames: 0, bytesRead: 24 });
  });

  it('takes the link type from the low 16 bits of the LinkType field (FCS bits above)', async () => {
    for (const nanos of [false, true]) {
      const r = await readOk(writePcap(RECORDS, { linkType: 0x40000001, nanos }));
      expect(r.frames.map((f) => f.linkType)).toEqual([1, 1, 1, 1]);
      expect((await readOk(writePcap(RECORDS, { linkType: 0x0400_0065, nanos }))).frames[0]!.linkType).toBe(101);
    }
  });

  it('carries an out-of-range fraction into the seconds', async () => {
    const us = await readOk(writePcap([{ data: bytes(4, 0), tsSec: 10, tsUsec: 2_500_000 }]));
    expect(us.frames[0]).toMatchObject({ tsSec: 12, tsNsec: 500_000_000 });
    const ns = await readOk(writePcap([{ data: bytes(4, 0), tsSec: 10, tsNsec: 4_000_000_001 }], { nanos: true }));
    expect(ns.frames[0]).toMatchObject({ tsSec: 14, tsNsec: 1 });
  });

  it('accepts a captured length above the original length', async () => {
    const r = await readOk(writePcap([{ data: bytes(100, 0), origLen: 10 }]));
    expect(r.frames[0]).toMatchObject({ capturedLength: 100, originalLength: 10 });
  });

  it('stops when the sink returns false, mid-chunk, for both readers', async () => {
    for (const options of [{}, { nanos: true }]) {
      const file = writePcap(RECORDS, options);
      const r = await readOk(file, { stopAfter: 2 });
      expect(r.frames.map((f) => f.number)).toEqual([1, 2]);
      expect(r.summary.frames).toBe(2);
      expect(r.summary.bytesRead).toBe(pcapRecordBoundaries(file)[2]);
    }
  });
});

describe('classic pcap errors', () => {
  it.each([
    ['µs', {}],
    ['ns', { nanos: true }],
  ])('%s: a record claiming 4 GiB is bad-length, not an allocation, after earlier frames', async (_n, options) => {
    const file = writePcap(RECORDS.slice(0, 2), options);
    const bad = new Uint8Array([...file, ...new Uint8Array(16), ...bytes(64, 0)]);
    new DataView(bad.buffer).setUint32(file.length + 8, 0xffffffff, true);
    for (const chunks of [bad.length, 5]) {
      const r = await readFails(bad, 'bad-length', { chunks });
      expect(r.frames).toHaveLength(2);
      expect(r.error.framesRead).toBe(2);
      expect(r.error.offset).toBe(file.length);
      expect(r.error.message).toBe(
        `test.pcap: the capture file appears to be damaged or corrupt (frame 3 at offset ${file.length} claims 4294967295 captured bytes, more than the maximum of 262144 bytes)`,
      );
    }
  });

  it('refuses a record longer than the snapshot length, or than maxRecordBytes', async () => {
    for (const nanos of [false, true]) {
      const file = writePcap([{ data: bytes(100, 0) }, { data: bytes(101, 0) }], { snaplen: 100, nanos });
      const r = await readFails(file, 'bad-length');
      expect(r.frames).toHaveLength(1);
      expect(r.error.message).toMatch(/claims 101 captured bytes, more than the file's snapshot length of 100 bytes/);
      // snaplen 0 (unknown) falls back to maxRecordBytes
      const zero = writePcap([{ data: bytes(300, 0) }], { snaplen: 0, nanos });
      await readOk(zero);
      await readFails(zero, 'bad-length', { options: { maxRecordBytes: 299 } });
      await readOk(zero, { options: { maxRecordBytes: 300 } });
    }
  });

  it('reports a truncated last record after delivering the earlier frames', async () => {
    for (const options of [{}, { nanos: true }, { bigEndian: true }]) {
      const file = writePcap(RECORDS, options);
      const start = pcapRecordBoundaries(file)[3]!;
      const cut = file.subarray(0, start + 16 + 600);
      const r = await readFails(cut, 'truncated-record', { label: 'fixtures/x.pcap' });
      expect(r.frames).toHaveLength(3);
      expect(r.error.framesRead).toBe(3);
      expect(r.error.offset).toBe(start);
      expect(r.error.message).toBe(
        `fixtures/x.pcap: the capture file appears to have been cut short in the middle of a packet (frame 4 at offset ${start}: record needs 1530 bytes, 616 present)`,
      );
      const inHeader = await readFails(file.subarray(0, start + 5), 'truncated-record');
      expect(inHeader.error.message).toMatch(/frame 4 at offset \d+: only 5 byte\(s\) of its header present/);
    }
  });

  it('reports a truncated file header', async () => {
    const file = writePcap(RECORDS);
    for (const n of [1, 3, 4, 10, 23]) {
      const r = await readFails(file.subarray(0, n), 'truncated-header');
      expect(r.error.message).toMatch(/cut short in the middle of the file header \((4|24) bytes needed, \d+ present\)/);
    }
  });

  it.each([
    [3, 0],
    [2, 5],
    [1, 0],
    [0, 0],
  ])('refuses version %i.%i as unsupported', async (major, minor) => {
    const r = await readFails(writePcap(RECORDS, { version: [major, minor] }), 'unsupported');
    expect(r.error.message).toBe(`test.pcap: unsupported pcap file format version ${major}.${minor} (only 2.0 to 2.4 are defined)`);
  });
});

describe('classic pcap truncated at every byte', () => {
  const small: RecordSpec[] = [
    { data: bytes(5, 1), tsSec: 1, tsNsec: 2000 },
    { data: bytes(0, 0), tsSec: 2 },
    { data: bytes(9, 3), tsSec: 3, origLen: 100 },
  ];
  it.each([
    ['µs little-endian', {}],
    ['µs big-endian', { bigEndian: true }],
    ['µs little-endian (pcap-parser)', {}, { classicReader: 'pcap-parser' } as const],
    ['µs big-endian (pcap-parser)', { bigEndian: true }, { classicReader: 'pcap-parser' } as const],
    ['ns big-endian', { nanos: true, bigEndian: true }],
    ['version 2.2', { version: [2, 2] as const }],
  ])('%s', async (_n, options: PcapOptions, reader?: CaptureOptions) => {
    const file = writePcap(small, options);
    await checkEveryPrefix(file, pcapRecordBoundaries(file), undefined, reader);
    await checkEveryPrefix(file, pcapRecordBoundaries(file), 3, reader);
  });
  it('modified pcap', async () => {
    const file = writePcap(small, { modified: true });
    await checkEveryPrefix(file, pcapRecordBoundaries(file, 24));
  });
});
