/**
 * `npm run soak`: the time and CPU bounds that used to sit in `npm test`, where they made the
 * result depend on the machine and its load. Each names the `npm test` file that keeps the
 * functional half of the check (what is produced, exit codes, output bounded in lines or bytes).
 * The limits are ratios where possible (machine speed cancels out) and generous absolute bounds
 * otherwise; run on a quiet machine.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { renderBoxTable } from '../../src/output/text-table.js';
import type { RecoveryReport } from '../../src/recover/recover.js';
import { CORPUS, FIXTURES, capturesUnder } from '../support/environment.js';
import { concatBytes, pcapngBlockBoundaries, writePcapng } from '../support/capture-writer.js';
import type { PcapngBlockSpec } from '../support/capture-writer.js';
import { readOk } from '../capture/read-helpers.js';
import { decode } from '../decode/isakmp/helpers.js';
import { encodeMessage } from '../fuzz/support/ike-arb.js';

async function espy(...argv: string[]) {
  const io = memoryIo({ ESPY_DEBUG: '1' });
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** CPU seconds (user + system) of this process spent in `f`. */
async function cpuOf(f: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await f();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

describe('costly runs, timed and logged (the timing itself is npm run bench\'s)', () => {
  // From test/fuzz/regressions.test.ts (analysis-quadratic-finish): quadratic pairing in
  // Analyzer.finish cost ~10× a decode (0.27 s vs 2.5 s CPU); linear analysis about one decode more.
  it('analysing 2000 hosts × (IKE SA, ESP SA, keepalive flow): decode and analysis CPU, logged', async () => {
    const capture = path.join(FIXTURES, 'malformed', 'analysis-many-sas-quadratic.pcap.gz');
    await espy('packets', capture, '-T', 'fields', '-e', 'frame.number'); // warm-up: module loading and JIT
    const decode = await cpuOf(() => espy('packets', capture, '-T', 'fields', '-e', 'frame.number'));
    const analyze = await cpuOf(() => espy('analyze', capture, '--json', '--fail-on', 'never'));
    // Timed, not asserted: npm run bench reports "analyze / packets CPU" on its 8000-host capture.
    console.log(`decode ${decode.toFixed(2)} s CPU, analyze ${analyze.toFixed(2)} s CPU`);
    expect(decode).toBeGreaterThan(0);
    expect(analyze).toBeGreaterThan(0);
  });

  // From test/fuzz/isakmp.fuzz.test.ts: a runaway chain of self-referencing payloads is cut at
  // the payload cap, in well under a second whatever its length.
  it('a runaway ISAKMP payload chain (2000 payloads) is cut at the cap (time logged)', () => {
    for (const type of [13, 43, 200]) {
      const count = 2000;
      const body = new Uint8Array(count * 4);
      for (let i = 0; i < count; i++) body.set([type, 0, 0, 4], i * 4);
      const m = encodeMessage({ version: type === 43 ? 2 : 1, exchange: 34, flags: 8, mid: 0, ispi: new Uint8Array(8).fill(1), rspi: new Uint8Array(8), payloads: [] });
      const b = new Uint8Array(28 + body.length);
      b.set(m.bytes);
      b.set(body, 28);
      b[16] = type;
      new DataView(b.buffer).setUint32(24, b.length);
      const started = performance.now();
      const r = decode(b, { offset: 46 });
      console.log(`chain of ${count} payloads of type ${type}: ${(performance.now() - started).toFixed(1)} ms`);
      expect(r.ids).toContain('isakmp.chain_too_long');
    }
  });

  // From test/output/text-table.test.ts: cli-table3 was quadratic (16× for 4× the rows).
  it('text tables of 4000 and 16 000 rows: every line there (times logged)', () => {
    const head = ['#', 'IKE', 'Initiator ↔ Responder', 'SPIs (i/r)', 'NAT-T', 'NAT at', 'Floated at', 'ESP SPIs', 'Keep-\nalives', 'Msgs'];
    const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => head.map((_h, x) => `${i}:${x}\n↔ ${x}`));
    const time = (n: number): number => {
      const rows = rowsOf(n);
      const started = performance.now();
      const lines = renderBoxTable(head, rows, { color: false, compact: false });
      expect(lines).toHaveLength(1 + 2 + 1 + n * 3);
      return performance.now() - started;
    };
    time(2000); // warm-up
    const small = Math.min(time(4000), time(4000));
    const large = Math.min(time(16_000), time(16_000));
    console.log(`4000 rows ${small.toFixed(0)} ms, 16 000 rows ${large.toFixed(0)} ms`);
  });

  // From test/malformed-corpus.test.ts: every reproducer of a past dissector loop ends quickly.
  it('every malformed capture, in every packets mode: exit 0 or 2 (times logged)', async () => {
    const malformed = [...capturesUnder(path.join(CORPUS, 'malformed')), ...capturesUnder(path.join(FIXTURES, 'malformed'))];
    expect(malformed.length).toBeGreaterThan(0);
    for (const capture of malformed) {
      for (const mode of [['-V'], ['-T', 'json'], []]) {
        const started = Date.now();
        const r = await espy('packets', capture, ...mode);
        console.log(`${path.basename(capture)} ${mode.join(' ')}: ${Date.now() - started} ms`);
        expect([0, 2], `${path.basename(capture)} ${mode.join(' ')}`).toContain(r.code);
      }
    }
  }, 600_000);

  // From test/capture/pcapng-resync.test.ts: 4.8 MB of block-like garbage, each unit claiming
  // 256 KiB, is searched through in linear time (quadratic would take minutes).
  it('pcapng resynchronisation through 400 000 block-like units finds the 4 packets, in every chunking (times logged)', async () => {
    const unit = Uint8Array.of(6, 0, 0, 0, 0, 0, 4, 0, 0xff, 0xff, 0xff, 0xff);
    const garbage = new Uint8Array(12 * 400_000);
    for (let i = 0; i < garbage.length; i += 12) garbage.set(unit, i);
    const epbs: PcapngBlockSpec[] = Array.from({ length: 4 }, (_, i) => ({ kind: 'epb', data: Uint8Array.from({ length: 40 + 7 * i }, (_, j) => (j * 13 + i) & 0xff), tsSec: 1_700_000_000 + i, tsUsec: i }));
    const file = writePcapng([{ interfaces: [{}], blocks: epbs }]);
    const blocks = pcapngBlockBoundaries(file);
    const bad = concatBytes([file.subarray(0, blocks[4]!), garbage, file.subarray(blocks[4]!)]);
    for (const chunks of [1 << 20, 65_537, 4093]) {
      const started = performance.now();
      const r = await readOk(bad, { chunks });
      console.log(`resynchronised through 400 000 units in chunks of ${chunks}: ${(performance.now() - started).toFixed(0)} ms`);
      expect(r.frames).toHaveLength(4);
    }
  }, 120_000);

  // From test/recover/natd-recover.test.ts: the full default ranges, searched for the lab client.
  it('natd-recover finds the lab client 10.1.0.2 over the full default ranges (time logged)', async () => {
    const started = Date.now();
    const r = await espy('natd-recover', path.join(FIXTURES, 'lab/ikev2-client-behind-nat/outside-nat.pcap'), '--json');
    expect(r.code, r.err.join('\n')).toBe(0);
    const report = JSON.parse(r.out[0]!) as RecoveryReport;
    expect(report.targets[0]?.found).toEqual({ address: '10.1.0.2', port: 500 });
    console.log(`natd-recover over the default ranges: ${Date.now() - started} ms (npm run bench times it too)`);
  }, 120_000);
});
