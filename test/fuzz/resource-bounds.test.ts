/**
 * Resource bounds, measured on the real binary (bin/espy.js → dist/, built by `npm ci`) in a
 * child process: a record claiming 4 GiB, pcapng blocks of 2^32-1 and 2^32-4 bytes, and a flood
 * of 10^6 distinct IKE SAs (ESPY_FUZZ_IKE_SAS changes the number; measured: 12 s and 124 MB
 * with --max-ike-sas 10000, 38 s and 262 MB with the default cap). Each child runs with a 200 MB
 * V8 heap (`--max-old-space-size=200`): without a cap V8 grows the heap lazily and RSS measures its laziness, not espy's needs. The
 * peak RSS (process.resourceUsage().maxRSS, written at exit by a preload) must stay < 300 MB.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/environment.js';
import { pcapngBlock, writePcap, writePcapng } from '../support/capture-writer.js';
import { ether, ipv4, udp } from '../support/packet-builders.js';
import { writeIkeSaFlood } from './support/bulk-captures.js';

const CEILING_MB = 300;
const HEAP_MB = 200;
const SAS = Number(process.env['ESPY_FUZZ_IKE_SAS'] ?? '1000000');
const BIN = path.join(REPO_ROOT, 'bin', 'espy.js');
const built = existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'));
const dir = mkdtempSync(path.join(tmpdir(), 'espy-bounds-'));
const preload = path.join(dir, 'max-rss.mjs');
writeFileSync(preload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { if (process.env.ESPY_RSS_OUT) writeFileSync(process.env.ESPY_RSS_OUT, String(process.resourceUsage().maxRSS)); });\n");

interface Measured {
  readonly code: number | null;
  readonly out: string[];
  readonly err: string[];
  /** Peak RSS in MB, undefined when the child died before its exit handler (e.g. heap exhausted). */
  readonly rssMb: number | undefined;
  readonly seconds: number;
}

/** Extra environment for the child (ESPY_PCAP_READER=pcap-parser for the pcap-parser case). */
let childEnv: Record<string, string> = {};

function measure(...argv: string[]): Measured {
  const rssFile = path.join(dir, `rss-${process.hrtime.bigint()}.txt`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', preload, BIN, ...argv], {
    env: { ...process.env, ...childEnv, ESPY_RSS_OUT: rssFile, ESPY_DEBUG: '1' },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: 600_000,
  });
  const seconds = (performance.now() - started) / 1000;
  const rssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined;
  const lines = (s: string) => s.replace(/\n$/, '').split('\n').filter((l) => l !== '');
  const m = { code: r.status, out: lines(r.stdout ?? ''), err: lines(r.stderr ?? ''), rssMb, seconds };
  console.log(`espy ${argv.map((a) => (a.startsWith(dir) ? path.basename(a) : a)).join(' ')}: exit ${m.code}, peak RSS ${rssMb?.toFixed(0) ?? '(died)'} MB, ${seconds.toFixed(1)} s`);
  return m;
}

const good = (i: number) => ({ data: ether(ipv4(udp(500, 500, new Uint8Array(28).fill(i)))), tsSec: 1_700_000_000 + i });

/** A file error after two good packets: exit 2, one stderr line, both packets reported, little memory. */
function expectFileErrorAfterTwo(file: string): void {
  const p = measure('packets', file, '-T', 'json');
  expect(p.code, p.err.join('\n')).toBe(2);
  expect(p.err).toHaveLength(1);
  expect(p.out).toHaveLength(2);
  expect(p.rssMb).toBeLessThan(CEILING_MB);
  const a = measure('analyze', file, '--json', '-q', '--fail-on', 'never');
  expect(a.code, a.err.join('\n')).toBe(2);
  expect(a.err).toHaveLength(1);
  expect((JSON.parse(a.out[0]!) as { summary: { frames: number } }).summary.frames).toBe(2);
  expect(a.rssMb).toBeLessThan(CEILING_MB);
}

describe.skipIf(!built)('resource bounds (child process, peak RSS < 300 MB)', () => {
  it.each([
    ['µs pcap (own reader)', {}, {}],
    ['µs pcap (pcap-parser for analyze)', {}, { ESPY_PCAP_READER: 'pcap-parser' }],
    ['ns pcap (own reader)', { nanos: true }, {}],
    ['big-endian pcap', { bigEndian: true }, {}],
  ] as const)('a record claiming 4 GiB after two good ones: %s', (_name, options, env) => {
    childEnv = env;
    const file = path.join(dir, `huge-record-${_name.replace(/\W+/g, '-')}.pcap`);
    const head = writePcap([good(1), good(2)], options);
    const be = 'bigEndian' in options;
    const rec = new Uint8Array(16 + 64);
    const dv = new DataView(rec.buffer);
    dv.setUint32(8, 0xffffffff, !be);
    dv.setUint32(12, 0xffffffff, !be);
    writeFileSync(file, Buffer.concat([head, rec]));
    expectFileErrorAfterTwo(file);
    childEnv = {};
  });

  it.each([0xffffffff, 0xfffffffc])('a pcapng block claiming %i bytes after two good packets', (total) => {
    const file = path.join(dir, `huge-block-${total}.pcapng`);
    const head = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [{ kind: 'epb', ...good(1) }, { kind: 'epb', ...good(2) }] }]);
    const block = pcapngBlock(6, new Uint8Array(48));
    new DataView(block.buffer).setUint32(4, total, true);
    writeFileSync(file, Buffer.concat([head, block]));
    expectFileErrorAfterTwo(file);
  });

  const flood = path.join(dir, `ike-sa-flood-${SAS}.pcap`);
  const evictionOf = (stdout: string[]) => {
    const report = JSON.parse(stdout[0]!) as { summary: { frames: number; ikeSas: number }; findings: { id: string; count: number }[] };
    return { report, evicted: report.findings.find((f) => f.id === 'analysis.ike_sa_evicted') };
  };

  it(`${SAS} distinct IKE SAs with --max-ike-sas 10000: evictions reported, peak RSS < ${CEILING_MB} MB`, () => {
    const started = performance.now();
    writeIkeSaFlood(flood, SAS);
    console.log(`wrote ${SAS} IKE_SA_INIT requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const a = measure('analyze', flood, '--json', '-q', '--max-ike-sas', '10000', '--fail-on', 'never');
    expect(a.code, a.err.join('\n')).toBe(0);
    const { report, evicted } = evictionOf(a.out);
    expect(report.summary.frames).toBe(SAS);
    expect(report.summary.ikeSas).toBe(10_000);
    expect(evicted?.count).toBe(SAS - 10_000);
    expect(a.rssMb).toBeLessThan(CEILING_MB);
  }, 900_000);

  // The default cap (100 000 IKE SAs): ~0.9 KB of tracker state per SA of this flood (was ~3.3 KB
  // and the child ran out of its 200 MB heap); the JSON is written in pieces and each SA's state is
  // released once its report entry is made. Measured: peak RSS ~260 MB for 2e5 requests.
  it(`${SAS} distinct IKE SAs with the default --max-ike-sas: peak RSS < ${CEILING_MB} MB`, () => {
    if (!existsSync(flood)) writeIkeSaFlood(flood, SAS);
    const a = measure('analyze', flood, '--json', '-q', '--fail-on', 'never');
    rmSync(flood, { force: true });
    expect(a.code, a.err.slice(0, 3).join('\n')).toBe(0);
    const { report, evicted } = evictionOf(a.out);
    expect(evicted?.count ?? 0).toBe(SAS - report.summary.ikeSas);
    expect(a.rssMb).toBeLessThan(CEILING_MB);
  }, 900_000);
});
