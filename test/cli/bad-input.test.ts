import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { FIXTURES } from '../support/environment.js';

/** Classic pcap (µs, little-endian, Ethernet) from raw records, for hand-made damage. */
function pcap(records: { data: Uint8Array; capLen?: number; origLen?: number }[], linkType = 1): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [header];
  for (const r of records) {
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(1_700_000_000, 0);
    rh.writeUInt32LE(r.capLen ?? r.data.length, 8);
    rh.writeUInt32LE(r.origLen ?? r.data.length, 12);
    parts.push(rh, Buffer.from(r.data));
  }
  return Buffer.concat(parts);
}

const sample = path.join(FIXTURES, 'public', 'isakmp4500.pcap');
let dir = '';
const file = (name: string, bytes: Uint8Array | string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'espy-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function espy(...argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

function expectOneCleanError(r: { err: string[] }, pattern: RegExp): void {
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^espy: /);
  expect(r.err[0]).toMatch(pattern);
  expect(r.err[0]).not.toMatch(/\bat .*\.(js|ts):\d+/);
}

describe('bad input: one clear line on stderr, exit 2, earlier packets still printed', () => {
  it('not a capture', async () => {
    const r = await espy('packets', file('text.pcap', 'this is not a capture file at all\n'));
    expect(r.code).toBe(2);
    expectOneCleanError(r, /not a capture|magic/i);
  });

  it('empty file', async () => {
    const r = await espy('packets', file('empty.pcap', new Uint8Array()));
    expect(r.code).toBe(2);
    expectOneCleanError(r, /empty/i);
  });

  it('truncated global header', async () => {
    const r = await espy('packets', file('short.pcap', pcap([]).subarray(0, 13)));
    expect(r.code).toBe(2);
    expectOneCleanError(r, /truncated|cut short|header/i);
  });

  it('a record cut short at end of file keeps the packets before it', async () => {
    const whole = readFileSync(sample);
    const cut = file('cut.pcap', whole.subarray(0, whole.length - 10));
    const r = await espy('packets', cut);
    expect(r.code).toBe(2);
    expect(r.out).toHaveLength(34);
    expectOneCleanError(r, /cut short|truncated/i);
  });

  it('a record claiming 4 GiB is an error, not an allocation', async () => {
    const r = await espy('packets', file('huge.pcap', pcap([{ data: new Uint8Array(60) }, { data: new Uint8Array(60), capLen: 0xffffffff }])));
    expect(r.code).toBe(2);
    expect(r.out).toHaveLength(1);
    expectOneCleanError(r, /length|large|record/i);
  });

  it('unknown link type is reported once, not per packet, and frames are still listed', async () => {
    const r = await espy('packets', file('lt.pcap', pcap([{ data: new Uint8Array(20) }, { data: new Uint8Array(20) }, { data: new Uint8Array(20) }], 147)));
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(3);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/link-layer type 147/);
  });

  it('missing path', async () => {
    const r = await espy('packets', path.join(dir, 'does-not-exist.pcap'));
    expect(r.code).toBe(2);
    expectOneCleanError(r, /no such file|not found|cannot open/i);
  });

  it('a directory', async () => {
    const d = path.join(dir, 'adir.pcap');
    mkdirSync(d);
    const r = await espy('packets', d);
    expect(r.code).toBe(2);
    expectOneCleanError(r, /directory/i);
  });

  it('unsupported field names the supported ones', async () => {
    const r = await espy('packets', sample, '-T', 'fields', '-e', 'isakmp.bogus');
    expect(r.code).toBe(2);
    expectOneCleanError(r, /isakmp\.bogus.*supported:.*isakmp\.ispi/);
  });

  it('usage errors exit 2', async () => {
    expect((await espy('packets')).code).toBe(2);
    expect((await espy('packets', sample, '-c', 'zero')).code).toBe(2);
    expect((await espy('nonsense')).code).toBe(2);
  });

  it('-c stops after N packets', async () => {
    const r = await espy('packets', sample, '-c', '5');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(5);
  });
});
