import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { FIXTURES, REPO_ROOT } from '../support/environment.js';
import { pcapngBlockBoundaries, writePcapng } from '../support/capture-writer.js';
import type { PcapngBlockSpec } from '../support/capture-writer.js';
import type { AnalysisReport } from '../../src/analysis/report.js';
import { ether, ipv4, udp } from '../support/packet-builders.js';

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

async function analyzeJsonOf(capture: string): Promise<{ code: number; err: string[]; report: AnalysisReport }> {
  const r = await espy('analyze', capture, '--json', '--fail-on', 'never');
  return { code: r.code, err: r.err, report: JSON.parse(r.out[0]!) as AnalysisReport };
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

/**
 * The README's exit-code table, case by case, for both commands that read captures the usual way:
 * a bad file is exit 2 and exactly one line on stderr (`espy: FILE: what`), no stack trace, and
 * whatever came before the problem is still reported. An unsupported link type alone is not a
 * failure: `packets` lists its frames undecoded with one notice line (exit 0); when reading then
 * fails, the notice is part of the one error line.
 */
describe('bad files: exit 2 and exactly one stderr line, for packets and analyze', () => {
  const whole = () => readFileSync(sample);
  const ngPacket = Uint8Array.from(readFileSync(sample).subarray(40, 40 + 90));
  const cases: { name: string; make: () => string; error: RegExp; frames: number }[] = [
    { name: 'wrong magic', make: () => file('magic.pcap', 'garbage-garbage-garbage-garbage-'), error: /not a capture file \(unknown magic/, frames: 0 },
    { name: 'truncated file header', make: () => file('header.pcap', pcap([]).subarray(0, 10)), error: /cut short in the middle of the file header/, frames: 0 },
    { name: 'truncated last record', make: () => file('last.pcap', whole().subarray(0, whole().length - 7)), error: /cut short in the middle of a packet/, frames: 34 },
    {
      name: 'corrupt pcapng block length mid-file',
      make: () => {
        const ng = writePcapng([{ interfaces: [{}], blocks: [1, 2, 3].map((i) => ({ kind: 'epb' as const, data: ngPacket, tsSec: i })) }]);
        const third = pcapngBlockBoundaries(ng)[4]!; // SHB, IDB, EPB, EPB, then the third EPB
        const bad = Buffer.from(ng);
        bad.writeUInt32LE(13, third + 4);
        return file('corrupt.pcapng', bad);
      },
      error: /damaged or corrupt .*not a multiple of 4/,
      frames: 2,
    },
    { name: 'corrupt gzip', make: () => file('corrupt.pcap.gz', Buffer.concat([Buffer.from('1f8b0800000000000003', 'hex'), Buffer.from('garbagegarbage')])), error: /gzip-compressed data is corrupt/, frames: 0 },
    { name: 'gzip cut short', make: () => file('cut.pcap.gz', gzipSync(whole()).subarray(0, 1800)), error: /gzip-compressed data is cut short/, frames: -1 },
    { name: 'missing path', make: () => path.join(dir, 'nothing-here.pcap'), error: /no such file/, frames: 0 },
    { name: 'path through a file (unreadable)', make: () => path.join(sample, 'x.pcap'), error: /no such file \(a component of the path is not a directory\)/, frames: 0 },
    {
      name: 'a directory',
      make: () => {
        const d = path.join(dir, 'dir2.pcap');
        mkdirSync(d, { recursive: true });
        return d;
      },
      error: /is a directory/,
      frames: 0,
    },
    { name: 'empty file', make: () => file('empty2.pcap', new Uint8Array()), error: /empty file/, frames: 0 },
    {
      name: 'unsupported link type, then a truncated record',
      make: () => file('lt-cut.pcap', pcap([{ data: new Uint8Array(20) }, { data: new Uint8Array(20) }], 147).subarray(0, 24 + 36 + 30)),
      error: /cut short in the middle of a packet .*; link-layer type 147 is not supported; its frames are listed undecoded \(first: frame 1\)$|cut short in the middle of a packet/,
      frames: 1,
    },
  ];
  for (const command of ['packets', 'analyze'] as const) {
    it.each(cases.map((c) => [c.name, c] as const))(`${command}: %s`, async (_name, c) => {
      const capture = c.make();
      const r = command === 'packets' ? await espy('packets', capture, '-T', 'json') : await espy('analyze', capture, '--json', '--fail-on', 'never');
      expect(r.code).toBe(2);
      expectOneCleanError(r, c.error);
      expect(r.err[0]).toContain(path.basename(capture));
      if (command === 'packets' && c.frames >= 0) expect(r.out).toHaveLength(c.frames);
      if (command === 'analyze' && c.frames > 0) expect((JSON.parse(r.out[0]!) as { captures: { frames: number }[] }).captures[0]!.frames, r.out.join('\n')).toBe(c.frames);
      if (command === 'packets' && c.name.startsWith('unsupported link type')) expect(r.err[0]).toMatch(/; link-layer type 147 is not supported; its frames are listed undecoded \(first: frame 1\)$/);
    });
  }

  it('an unsupported link type alone: packets exit 0 with one notice line after the frames; analyze exit 0, nothing on stderr', async () => {
    const capture = file('lt-only.pcap', pcap([{ data: new Uint8Array(20) }, { data: new Uint8Array(20) }], 147));
    const p = await espy('packets', capture);
    expect(p.code).toBe(0);
    expect(p.out).toHaveLength(2);
    expect(p.err).toEqual(['espy: link-layer type 147 is not supported; its frames are listed undecoded (first: frame 1)']);
    const a = await espy('analyze', capture, '--json');
    expect(a.code).toBe(0);
    expect(a.err).toEqual([]);
  });

  /** A NAT keepalive from port 4500 + i: something the analysis counts. */
  const keepalive = (i: number) => ether(ipv4({ src: '198.51.100.7', dst: '203.0.113.5' }, udp(4500 + i, 4500, Uint8Array.of(0xff), { checksum: 0 })));

  /** Five EPBs of NAT keepalives; the third one's length broken (optionally after an unusable block, or cut short at the end). */
  function resyncCapture(name: string, extra: { skippedBlock?: boolean; cut?: boolean } = {}): { path: string; third: number; fourth: number } {
    const blocks: PcapngBlockSpec[] = [1, 2, 3, 4, 5].map((i) => ({ kind: 'epb' as const, data: keepalive(i), tsSec: 1_700_000_000 + i }));
    if (extra.skippedBlock) blocks.splice(1, 0, { kind: 'epb', data: ngPacket, interfaceId: 7 });
    const ng = writePcapng([{ interfaces: [{}], blocks }]);
    const bounds = pcapngBlockBoundaries(ng);
    const third = bounds[extra.skippedBlock ? 5 : 4]!;
    const bad = Buffer.from(ng);
    bad.writeUInt32LE(13, third + 4);
    const bytes = extra.cut ? bad.subarray(0, bad.length - 9) : bad;
    return { path: file(name, bytes), third, fourth: bounds[extra.skippedBlock ? 6 : 5]! };
  }

  it('packets: a resynchronised pcapng lists every intact frame, then exit 2 and one line saying where', async () => {
    const { path: capture, third, fourth } = resyncCapture('resync.pcapng');
    const r = await espy('packets', capture, '-T', 'json');
    expect(r.code).toBe(2);
    expect(r.out).toHaveLength(4);
    expect(r.out.map((l) => (JSON.parse(l) as { time: string }).time.slice(0, 10))).toEqual(['1700000001', '1700000002', '1700000004', '1700000005']);
    expectOneCleanError(r, new RegExp(`resync\\.pcapng: the capture file is damaged: enhanced packet block at offset ${third}: total length 13 is not a multiple of 4; reading resumed at offset ${fourth}, ${fourth - third} bytes skipped$`));
  });

  it('analyze: a resynchronised pcapng is analysed whole, with a capture.resynchronised finding, exit 2 and one line', async () => {
    const { path: capture, third, fourth } = resyncCapture('resync-a.pcapng');
    for (const format of [['--json'], ['--ndjson'], []]) {
      const r = await espy('analyze', capture, '--fail-on', 'never', ...format);
      expect(r.code).toBe(2);
      expectOneCleanError(r, /resync-a\.pcapng: the capture file is damaged: .*reading resumed at offset/);
      if (format[0] === '--json') {
        const report = JSON.parse(r.out[0]!) as AnalysisReport;
        expect(report.captures[0]).toMatchObject({ frames: 4, bytes: readFileSync(capture).length });
        expect(report.captures[0]!.error).toBeUndefined();
        const found = report.findings.filter((f) => f.id.startsWith('capture.'));
        expect(found).toEqual([expect.objectContaining({ id: 'capture.resynchronised', severity: 'error', subject: capture, frames: [2], count: 1 })]);
        expect(found[0]!.message).toMatch(new RegExp(`at offset ${third}: .*reading resumed at offset ${fourth}, ${fourth - third} bytes skipped`));
      }
      if (format[0] === '--ndjson') expect(r.out.some((l) => l.includes('"capture.resynchronised"'))).toBe(true);
      if (format.length === 0) expect(r.out.join('\n')).toMatch(/capture\.resynchronised/);
    }
  });

  it('timeline, verify, report, natd-recover: a resynchronised pcapng is read whole, exit 2 and one line', async () => {
    const { path: capture } = resyncCapture('resync-t.pcapng');
    for (const argv of [['timeline', capture], ['verify', capture, '--json'], ['report', capture, '-q'], ['natd-recover', capture, '--json', '-q', '--max-seconds', '1']]) {
      const r = await espy(...argv);
      expect(r.code, argv[0]).toBe(2);
      expectOneCleanError(r, /resync-t\.pcapng: the capture file is damaged: .*reading resumed at offset/);
      expect(r.out.length, argv[0]).toBeGreaterThan(0);
    }
  });

  it('a resynchronised pcapng that is then cut short: one line with both, the packets before the cut still listed', async () => {
    const { path: capture } = resyncCapture('resync-cut.pcapng', { cut: true });
    const p = await espy('packets', capture);
    expect(p.code).toBe(2);
    expect(p.out).toHaveLength(3);
    expectOneCleanError(p, /cut short in the middle of a packet .*; earlier damage: enhanced packet block at offset \d+: total length 13 .*reading resumed/);
    const a = await analyzeJsonOf(capture);
    expect(a.code).toBe(2);
    expectOneCleanError(a, /cut short .*; earlier damage: /);
    expect(a.report.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['capture.read_error', 'capture.resynchronised']));
  });

  it('blocks skipped (well framed, unusable): packets prints a notice line after the frames, exit 0; analyze a capture.blocks_skipped finding', async () => {
    const ng = writePcapng([{ interfaces: [{}], blocks: [{ kind: 'epb', data: ngPacket }, { kind: 'epb', data: ngPacket, interfaceId: 7 }, { kind: 'raw', type: 0x77, body: new Uint8Array(4) }, { kind: 'epb', data: ngPacket }] }]);
    const capture = file('skipped.pcapng', ng);
    const p = await espy('packets', capture);
    expect(p.code).toBe(0);
    expect(p.out).toHaveLength(2);
    expect(p.err).toEqual([
      expect.stringMatching(/^espy: .*skipped\.pcapng: enhanced packet block at offset \d+ refers to interface 7, but the section defines 1 interface\(s\); skipped$/),
      expect.stringMatching(/^espy: .*skipped\.pcapng: unknown pcapng block type 0x00000077 at offset \d+ skipped/),
    ]);
    const a = await analyzeJsonOf(capture);
    expect(a.code).toBe(0);
    expect(a.err).toEqual([]);
    const skipped = a.report.findings.find((f) => f.id === 'capture.blocks_skipped');
    expect(skipped).toMatchObject({ severity: 'warning', subject: capture, frames: [1], count: 2 });
    expect(skipped!.message).toMatch(/refers to interface 7/);
  });

  it('blocks skipped, then damage: one line, the notice folded in', async () => {
    const { path: capture } = resyncCapture('resync-skip.pcapng', { skippedBlock: true });
    const p = await espy('packets', capture);
    expect(p.code).toBe(2);
    expect(p.out).toHaveLength(4);
    expectOneCleanError(p, /the capture file is damaged: .*bytes skipped; enhanced packet block at offset \d+ refers to interface 7/);
  });

  // Standard input needs a real process: bin/espy.js (dist/) with stdin a pipe that closes early.
  const built = existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'));
  it.skipIf(!built)('standard input closed early (mid-record, and before any byte): exit 2, one line', () => {
    for (const command of ['packets', 'analyze']) {
      for (const [input, error, frames] of [[whole().subarray(0, 3000), /^espy: standard input: the capture file appears to have been cut short in the middle of a packet/, 9], [new Uint8Array(0), /^espy: standard input: no data on standard input$/, 0]] as const) {
        const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'espy.js'), command, '-', ...(command === 'analyze' ? ['--json', '--fail-on', 'never'] : ['-T', 'json'])], { input, encoding: 'utf8' });
        const err = r.stderr.split('\n').filter((l) => l !== '');
        expect(r.status, `${command}: ${r.stderr}`).toBe(2);
        expect(err, command).toHaveLength(1);
        expect(err[0]).toMatch(error);
        const out = r.stdout.split('\n').filter((l) => l !== '');
        if (command === 'packets') expect(out).toHaveLength(frames);
        else if (frames) expect((JSON.parse(out[0]!) as { captures: { frames: number }[] }).captures[0]!.frames).toBe(frames);
      }
    }
  });
});
