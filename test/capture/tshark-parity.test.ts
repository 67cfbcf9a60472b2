import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/read.js';
import { writePcap, writePcapng } from '../support/capture-writer.js';
import type { RecordSpec } from '../support/capture-writer.js';
import { CORPUS, IN_CI, capturesUnder, groundTruthMissing, tshark } from '../support/environment.js';

/**
 * Ground truth: tshark 4.0 must see the same frames, lengths and time stamps (sec.nsec, exact
 * string) as readCapture, on every corpus capture and on generated files in every variant.
 */
const missing = groundTruthMissing({ tshark: true, corpus: true });

describe('capture ground truth environment', () => {
  it.runIf(IN_CI)('has tshark and the shared corpus under CI', () => {
    expect(missing).toBeUndefined();
  });
});

const FIELDS = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len'];

async function espyRows(capture: string): Promise<string[]> {
  const rows: string[] = [];
  await readCapture(capture, (f) => {
    rows.push([f.number, `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`, f.originalLength, f.capturedLength].join('\t'));
  });
  return rows;
}

/** tshark's rows; a frame without a time stamp (pcapng SPB) shows an empty time, ours is 0. */
function tsharkRows(capture: string): string[] {
  const out = tshark(capture, ['-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])]);
  return out === '' ? [] : out.replace(/\n$/, '').split('\n').map((row) => row.replace(/^(\d+)\t\t/, '$1\t0.000000000\t'));
}

describe.skipIf(missing !== undefined)('frames, lengths and time stamps match tshark', () => {
  const captures = capturesUnder(CORPUS);

  it('finds the corpus', () => {
    expect(captures.length).toBeGreaterThan(50);
  });

  it.each(captures.map((c) => [path.relative(CORPUS, c), c]))('%s', async (_name, capture) => {
    expect(await espyRows(capture)).toEqual(tsharkRows(capture));
  });

  describe('generated variants', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'espy-parity-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const data = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 3) & 0xff);
    const records: RecordSpec[] = [
      { data: data(60), tsSec: 1_700_000_000, tsNsec: 123_456_789 },
      { data: data(14), tsSec: 1, tsNsec: 999_999_999, origLen: 1514 },
      { data: data(100), tsSec: 0x7fffffff, tsNsec: 1 },
    ];
    const variants: Array<[string, Uint8Array]> = [
      ['pcap-us-be', writePcap(records, { bigEndian: true })],
      ['pcap-ns-le', writePcap(records, { nanos: true })],
      ['pcap-ns-be', writePcap(records, { nanos: true, bigEndian: true })],
      ['pcap-2.2', writePcap(records, { version: [2, 2] })],
      ['pcap-modified', writePcap(records, { modified: true })],
      ['pcap-fcs-bits', writePcap(records, { linkType: 0x40000001 })],
      [
        'pcapng-resolutions',
        writePcapng([
          {
            bigEndian: true,
            interfaces: [
              { tsresol: 3 },
              { tsresol: 9 },
              { tsresol: 0x80 | 20 },
              { tsresol: 0x80 | 30 },
              { tsresol: 0 },
              { tsresol: 9, tsoffset: -3600n },
            ],
            blocks: [0, 1, 2, 3, 4, 5].flatMap((interfaceId) =>
              records.map((r) => ({ kind: 'epb' as const, ...r, interfaceId })),
            ),
          },
          {
            interfaces: [{ snaplen: 20 }, { tsresol: 0x80 | 20 }],
            blocks: [
              { kind: 'spb', data: data(20), origLen: 1500 },
              { kind: 'pb', ...records[0]!, interfaceId: 1 },
              { kind: 'raw', type: 0x1234, body: data(10) },
              { kind: 'epb', timestamp: 0xffffffffffffffffn, data: data(4), interfaceId: 1 },
            ],
          },
        ]),
      ],
    ];
    it.each(variants)('%s (and gzipped)', async (name, bytes) => {
      const plain = path.join(dir, `${name}.pcap`);
      writeFileSync(plain, bytes);
      const expected = tsharkRows(plain);
      expect(expected.length).toBeGreaterThan(0);
      expect(await espyRows(plain)).toEqual(expected);
      const gz = path.join(dir, `${name}.pcap.gz`);
      writeFileSync(gz, gzipSync(bytes));
      expect(await espyRows(gz)).toEqual(expected);
    });
  });
});
