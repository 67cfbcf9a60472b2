/**
 * Mutation fuzzing of the whole CLI, CI-sized: mutated copies of every capture in fixtures/ and
 * ../shared/corpus/ (scripts/fuzz-engine.mjs) go through `espy packets -T json`, `espy analyze
 * --json` and one more view each, in process, for ESPY_FUZZ_INPUTS inputs (default 150, seeded:
 * the same inputs on every machine, whatever its speed). Known open bugs (support/known-bugs.ts)
 * are left out; anything else fails with the input saved. The time-bounded run with a CPU limit
 * per CLI run is `npm run soak` (test/soak/cli-mutation.soak.ts); the long one is
 * `npm run fuzz -- --minutes N` (worker threads, per-run timeout, against dist/).
 *
 * Also here: one hostile packet never stops the next from being decoded, and a file-level error
 * is one stderr line and exit code 2 with every earlier packet reported.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CORPUS, FIXTURES, REPO_ROOT } from '../support/environment.js';
import { writePcap } from '../support/capture-writer.js';
import { ether, ipv4, nonEsp, udp } from '../support/packet-builders.js';
import { MODES, checkRun, createRng, listCaptures, packetsOf, parseCapture } from '../../scripts/fuzz-engine.mjs';
import { KNOWN_BUGS } from './support/known-bugs.js';
import { argvFor, cliMutationCampaign, espyInProcess } from './support/cli-campaign.js';
import { encodeMessage } from './support/ike-arb.js';

const INPUTS = Number(process.env['ESPY_FUZZ_INPUTS'] ?? '150');
const SEED = Number(process.env['ESPY_FUZZ_SEED'] ?? '20240601');
const work = mkdtempSync(path.join(tmpdir(), 'espy-fuzz-cli-'));

const espy = espyInProcess;

describe('mutation fuzzing through the CLI', () => {
  // Open-bug reproducers are left out (they would only fail again), and so is the 6000-packet
  // resource reproducer (it would eat the time budget without exercising a new parser path).
  const open = new Set([...KNOWN_BUGS.map((b) => path.join(REPO_ROOT, b.reproducer)), path.join(FIXTURES, 'malformed', 'analysis-many-sas-quadratic.pcap.gz')]);
  const files = listCaptures([FIXTURES, CORPUS]).filter((f) => !open.has(f));
  const inputs = files.map((f) => ({ file: f, bytes: readFileSync(f) }));
  const donors = inputs.flatMap((i) => packetsOf(i.bytes)).filter((p) => p.length > 0 && p.length < 4096);

  it('an unmutated sample passes every mode (the oracle is live)', async () => {
    const sample = path.join(FIXTURES, 'public', 'isakmp4500.pcap');
    for (const mode of MODES) {
      const argv = argvFor(mode, sample);
      const r = await espy(argv);
      expect(checkRun(argv, r.code, r.out, r.err), argv.join(' ')).toEqual([]);
      expect(r.code, `${argv.join(' ')}: ${r.err.join(' | ')}`).toBe(0);
    }
  });

  it(`${INPUTS} mutated captures: exit codes, no internal error, clean text, valid JSON`, async () => {
    expect(inputs.length).toBeGreaterThan(0);
    const { tried, runs, failures } = await cliMutationCampaign({ inputs, donors, rng: createRng(SEED), seed: SEED, work, more: (n) => n < INPUTS });
    console.log(`cli mutation fuzzing: ${tried} inputs, ${runs} CLI runs (seed ${SEED}), ${inputs.length} captures`);
    expect(failures).toEqual([]);
    expect(tried).toBe(INPUTS);
  });
});

describe('damage stays in its packet; file errors keep what came before', () => {
  const good = ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.2' }, udp(4500, 4500, nonEsp(encodeMessage({ version: 2, exchange: 34, flags: 8, mid: 0, ispi: new Uint8Array(8).fill(7), rspi: new Uint8Array(8), payloads: [{ type: 40, body: new Uint8Array(16), inner: [] }] }).bytes))));

  it('hostile packets between two good ones: the last is decoded exactly as on its own', async () => {
    const hostile = [good.slice(0, 33), Uint8Array.from(good, (b, i) => (i >= 42 && i < 50 ? 0xff : b)), good.map((b, i) => (i > 50 ? 0 : b)), new Uint8Array(0)];
    const mixed = path.join(work, 'mixed.pcap');
    writeFileSync(mixed, writePcap([good, ...hostile, good].map((data, i) => ({ data, tsSec: 1_700_000_000 + i }))));
    const alone = path.join(work, 'alone.pcap');
    writeFileSync(alone, writePcap([{ data: good, tsSec: 1_700_000_000 }]));
    const r = await espy(['packets', mixed, '-T', 'json']);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(hostile.length + 2);
    const last = JSON.parse(r.out.at(-1)!) as { layers: unknown[]; expert: unknown[] };
    const ref = JSON.parse((await espy(['packets', alone, '-T', 'json'])).out[0]!) as { layers: unknown[]; expert: unknown[] };
    expect(last.layers).toEqual(ref.layers);
    expect(last.expert).toEqual(ref.expert);
  });

  it('a capture cut inside record k: exit 2, one stderr line, records 1..k-1 reported by packets and analyze', async () => {
    const rng = createRng(SEED);
    const pcaps = listCaptures([FIXTURES, CORPUS]).filter((f) => f.endsWith('.pcap'));
    for (let i = 0; i < 12; i++) {
      const bytes = readFileSync(rng.pick(pcaps));
      const model = parseCapture(bytes);
      const packets = model.parts.filter((p) => !(p instanceof Uint8Array));
      if (packets.length < 2) continue;
      const k = 1 + rng.int(packets.length - 1); // cut inside the k-th record (0-based k)
      let at = 0;
      for (const p of model.parts.slice(0, model.parts.indexOf(packets[k]!))) at += p instanceof Uint8Array ? p.length : p.head.length + (p.pad ? (p.data.length + 3) & ~3 : p.data.length) + p.tail.length;
      const cut = path.join(work, `cut-${i}.pcap`);
      writeFileSync(cut, bytes.subarray(0, at + 8 + rng.int(8)));
      const p = await espy(['packets', cut, '-T', 'json']);
      expect(p.code).toBe(2);
      expect(p.err).toHaveLength(1);
      expect(p.out).toHaveLength(k);
      const a = await espy(['analyze', cut, '--json', '--fail-on', 'never', '--natd-search-hashes', '300000']);
      expect(a.code).toBe(2);
      expect(a.err).toHaveLength(1);
      // The analysis counts the IP frames among them (an ARP frame has nothing to analyse).
      const ipFrames = p.out.filter((l) => (JSON.parse(l) as { layers: { proto: string }[] }).layers.some((x) => x.proto === 'ip' || x.proto === 'ipv6')).length;
      expect((JSON.parse(a.out[0]!) as { summary: { frames: number } }).summary.frames).toBe(ipFrames);
    }
  });
});
