/**
 * The analysis fast path (src/analysis/fast-esp.ts, Analyzer.feedFrame) must not change a
 * report: every capture in fixtures/ and ../shared/corpus, a generated benchmark sample (pcap,
 * pcapng, gzip) and a capture of crafted edge cases are analysed with the fast path on and off
 * (ESPY_FAST_PATH=0), and with both classic pcap readers, and the JSON reports compared.
 * The numeric ESP/flow trackers (two-word replay window, hash buckets, LRU list) are checked
 * against a model of the former BigInt / string-keyed Map implementation.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { readCapture } from '../../src/capture/read.js';
import { Analyzer, DEFAULT_ANALYZER_OPTIONS } from '../../src/analysis/analyzer.js';
import { EspSaTracker } from '../../src/analysis/esp-sa.js';
import { FindingSink } from '../../src/analysis/finding-sink.js';
import { generateCapture, type GeneratedCapture } from '../../bench/generate.js';
import { DEFAULT_SCENARIO } from '../../bench/scenario.js';
import { CORPUS, FIXTURES, capturesUnder } from '../support/environment.js';
import { tempCapture } from '../support/run-espy.js';
import { writePcap, type RecordSpec } from '../support/capture-writer.js';
import { ah, concat, esp, ether, fragmentIpv4, hex, ipv4, ipv6, isakmp, keepalive, nonEsp, tcp, udp, vlan, type Bytes } from '../support/packet-builders.js';
import { natSession } from '../support/natt-scenarios.js';

async function analyze(file: string, env: Record<string, string>, ...extra: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const io = memoryIo(env);
  // No NAT-D address search: its time budget is the only thing that could differ between runs.
  const code = await run(['analyze', file, '--json', '--fail-on', 'never', '--natd-search-hashes', '0', ...extra], io);
  return { code, out: io.stdout, err: io.stderr };
}

/** Analyses `file` with the fast path on and off (and both µs pcap readers); all reports must be equal. */
async function expectSameReports(file: string, ...extra: string[]): Promise<void> {
  const fast = await analyze(file, {}, ...extra);
  const slow = await analyze(file, { ESPY_FAST_PATH: '0' }, ...extra);
  const parser = await analyze(file, { ESPY_PCAP_READER: 'pcap-parser' }, ...extra);
  expect(fast.out.length, fast.err.join('\n')).toBe(1);
  expect(JSON.parse(fast.out[0]!)).toEqual(JSON.parse(slow.out[0]!));
  expect(JSON.parse(parser.out[0]!)).toEqual(JSON.parse(slow.out[0]!));
  expect([fast.code, fast.err]).toEqual([slow.code, slow.err]);
  expect([parser.code, parser.err]).toEqual([slow.code, slow.err]);
}

/** Frames the fast path takes from a capture (read directly, as `espy analyze` does). */
async function claimed(file: string): Promise<{ claimed: number; decoded: number }> {
  const analyzer = new Analyzer(DEFAULT_ANALYZER_OPTIONS);
  let n = 0;
  let decoded = 0;
  await readCapture(file, () => void decoded++, { claim: (raw) => analyzer.feedFrame(raw) && ++n > 0 });
  return { claimed: n, decoded };
}

const corpusFiles = [...capturesUnder(FIXTURES), ...capturesUnder(CORPUS)];

describe('fast path: same report on every fixture and corpus capture', () => {
  it('finds the captures', () => expect(capturesUnder(FIXTURES).length).toBeGreaterThan(10));
  it.each(corpusFiles.map((f) => [path.relative(path.dirname(FIXTURES), f), f]))('%s', async (_name, file) => {
    await expectSameReports(file);
  });
});

describe('fast path: generated benchmark sample', () => {
  let sample: GeneratedCapture | undefined;
  const get = async (): Promise<GeneratedCapture> =>
    (sample ??= await generateCapture({
      targetBytes: 5_000_000,
      scenario: { ...DEFAULT_SCENARIO, clients: 150, nats: 8, gateways: 4, backgroundFlows: 12 },
      outDir: mkdtempSync(path.join(tmpdir(), 'espy-fast-path-')),
      force: true,
    }));

  it.each(['pcap', 'pcapng', 'gzip'] as const)('%s', async (format) => {
    const files = (await get()).files;
    await expectSameReports(files[format]!);
  }, 120_000);

  it('with state caps small enough to evict ESP SAs and flows', async () => {
    await expectSameReports((await get()).files.pcap, '--max-esp-sas', '40', '--max-flows', '25');
  }, 120_000);

  it.each(['pcap', 'pcapng', 'gzip'] as const)('reused read buffers deliver the same frames (%s)', async (format) => {
    const file = (await get()).files[format]!;
    const digest = async (reuseBuffers: boolean): Promise<string[]> => {
      const out: string[] = [];
      await readCapture(file, (f) => void out.push(`${f.number} ${f.tsSec}.${f.tsNsec} ${f.originalLength} ${createHash('sha1').update(f.data).digest('hex')}`), { reuseBuffers });
      return out;
    };
    const reused = await digest(true);
    expect(reused.length).toBeGreaterThan(1000);
    expect(reused).toEqual(await digest(false));
  }, 120_000);

  it('takes most frames on the fast path', async () => {
    const g = await get();
    const { claimed: n, decoded } = await claimed(g.files.pcap);
    expect(n + decoded).toBe(g.frames);
    // A small sample is IKE-heavy (every tunnel starts in it); the 200 MB one is 96 % fast path.
    expect(n / g.frames).toBeGreaterThan(0.75);
  }, 120_000);
});

/** Crafted frames around every condition of the fast path, each next to its plain twin. */
function edgeCases(): RecordSpec[] {
  const A = '198.51.100.7';
  const B = '203.0.113.9';
  const C = '10.1.2.3';
  const frames: Bytes[] = [];
  const espUdp = (spi: number, seq: number, o: { sport?: number; dport?: number; checksum?: number | 'bad'; src?: string; dst?: string } = {}): Bytes =>
    ipv4({ src: o.src ?? A, dst: o.dst ?? B }, udp(o.sport ?? 4500, o.dport ?? 4500, esp(spi, seq), o.checksum === undefined ? { checksum: 0 } : o.checksum === 0 ? { checksum: 0 } : o.checksum === 'bad' ? { checksum: 'bad' } : {}));
  // Sequence behaviour on one SA: gaps, reordering, replays, jumps around the 32- and 64-bit window edges, a reset.
  const seqs = [1, 2, 3, 5, 4, 4, 36, 5, 4, 37, 69, 38, 37, 70, 134, 71, 70, 135, 167, 136, 135, 168, 231, 168, 200, 199, 1, 2, 2, 3, 100, 37, 36, 68, 69, 4294967295, 4294967231, 4294967232, 4294967294];
  for (const s of seqs) frames.push(ether(espUdp(0x1000, s)));
  // The same traffic in one and two VLAN tags, with IPv4 options, and the other direction.
  for (let s = 1; s <= 5; s++) {
    frames.push(ether(vlan(10, espUdp(0x2000, s))));
    frames.push(ether(vlan(10, vlan(20, espUdp(0x2001, s))), { type: 0x88a8 }));
    frames.push(ether(vlan(10, vlan(20, vlan(30, espUdp(0x2002, s))))));
    frames.push(ether(ipv4({ src: A, dst: B, options: Uint8Array.of(1, 1, 1, 0) }, udp(4500, 4500, esp(0x2003, s), { checksum: 0 }))));
    frames.push(ether(ipv4({ src: A, dst: B, options: Uint8Array.of(7, 3, 4) }, udp(4500, 4500, esp(0x2003, s + 10), { checksum: 0 }))));
    frames.push(ether(espUdp(0x2004, s, { src: B, dst: A, sport: 4500, dport: 61000 })));
  }
  // Checksums: good non-zero UDP (reported as non-zero), bad UDP, bad IPv4 header, zero IPv4 header.
  frames.push(ether(espUdp(0x3000, 1, { checksum: 1 })), ether(espUdp(0x3000, 2, { checksum: 'bad' })));
  frames.push(ether(ipv4({ src: A, dst: B, checksum: 'bad' }, udp(4500, 4500, esp(0x3001, 1), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B, checksum: 0 }, udp(4500, 4500, esp(0x3001, 2), { checksum: 0 }))));
  // Fragments of ESP-in-UDP, and a total length past the frame / zero.
  for (const f of fragmentIpv4(ipv4({ src: A, dst: B, id: 77 }, udp(4500, 4500, esp(0x3002, 1, new Uint8Array(200)), { checksum: 0 })), [64, 64])) frames.push(ether(f));
  frames.push(ether(ipv4({ src: A, dst: B, totalLength: 400 }, udp(4500, 4500, esp(0x3003, 1), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B, totalLength: 0 }, udp(4500, 4500, esp(0x3003, 2), { checksum: 0 }))));
  // Ethernet padding after the IP packet (a short keepalive), UDP length shorter than the IP payload / longer.
  frames.push(ether(concat(ipv4({ src: C, dst: B }, udp(4500, 4500, keepalive(), { checksum: 0 })), new Uint8Array(6))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(4500, 4500, esp(0x3004, 1), { checksum: 0, length: 16 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(4500, 4500, esp(0x3004, 2), { checksum: 0, length: 400 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(4500, 4500, esp(0x3004, 3), { checksum: 0, length: 7 }))));
  // UDP encapsulation shapes on 4500: keepalives (good, wrong value, with checksum, two 0xFF), marker + IKE,
  // unmarked IKE, all-0xFF, short payloads, empty, 4-7 octets.
  for (let i = 0; i < 3; i++) frames.push(ether(ipv4({ src: C, dst: B }, udp(4500, 4500, keepalive(), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: C, dst: B }, udp(4500, 4500, keepalive()))));
  frames.push(ether(ipv4({ src: C, dst: B }, udp(4500, 4500, Uint8Array.of(0xfe), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: C, dst: B }, udp(4500, 4500, Uint8Array.of(0xff, 0xff), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: C, dst: B }, udp(4500, 4500, new Uint8Array(8).fill(0xff), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: C, dst: B }, udp(4500, 4500, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(4500, 4500, nonEsp(isakmp()), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(4500, 4500, isakmp({ ispi: hex('aabbccdd00000001') }), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(4500, 4500, isakmp({ ispi: hex('aabbccdd00000001'), version: 0x30 }), { checksum: 0 }))));
  for (const n of [0, 2, 3, 4, 7]) frames.push(ether(ipv4({ src: A, dst: B }, udp(4500, 4500, Uint8Array.from({ length: n }, (_, i) => i + 1), { checksum: 0 }))));
  // ESP with SPI 0 … 255 and its first word zero (a marker).
  frames.push(ether(espUdp(5, 1)), ether(ipv4({ src: A, dst: B }, udp(4500, 4500, esp(0, 1), { checksum: 0 }))));
  // Ports: 500 on one side, L2TP, a NAT-T port on neither side, port 0.
  frames.push(ether(espUdp(0x4000, 1, { sport: 500, dport: 4500 })), ether(espUdp(0x4001, 1, { sport: 1701, dport: 4500 })));
  frames.push(ether(espUdp(0x4002, 1, { sport: 4501, dport: 4502 })), ether(espUdp(0x4003, 1, { sport: 0, dport: 4500 })));
  // Raw ESP (short header too), AH, IPv6 ESP-in-UDP and raw ESP.
  for (let s = 1; s <= 3; s++) frames.push(ether(ipv4({ src: A, dst: B }, esp(0x5000, s))));
  frames.push(ether(ipv4({ src: A, dst: B, proto: 50 }, Uint8Array.of(0, 0, 0x50, 1))));
  frames.push(ether(ipv4({ src: A, dst: B }, ah(0x5001, 1, new Uint8Array(8), { nxt: 59 }))));
  frames.push(ether(ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, udp(4500, 4500, esp(0x5002, 1)))));
  frames.push(ether(ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, esp(0x5003, 1))));
  // Background: TCP (good, bad checksum, PPTP control port, short header offset), UDP elsewhere (checksums
  // zero/good/bad, a keepalive shape, IKE shapes with and without the marker).
  frames.push(ether(ipv4({ src: A, dst: B }, tcp(443, 50000, new Uint8Array(100)))));
  frames.push(ether(ipv4({ src: A, dst: B }, tcp(443, 50000, new Uint8Array(101)))));
  frames.push(ether(ipv4({ src: A, dst: B }, tcp(443, 50000, new Uint8Array(100), { checksum: 'bad' }))));
  frames.push(ether(ipv4({ src: A, dst: B }, tcp(1723, 50000, new Uint8Array(16)))));
  frames.push(ether(ipv4({ src: A, dst: B }, tcp(443, 50001, new Uint8Array(0), { options: new Uint8Array(44) }))));
  frames.push(ether(ipv4({ src: A, dst: B, proto: 6 }, Uint8Array.of(1, 187, 195, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x40, 0x18, 255, 255, 0, 0, 0, 0))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(53, 40000, new Uint8Array(40), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(53, 40000, new Uint8Array(41)))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(53, 40000, new Uint8Array(40), { checksum: 'bad' }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(9999, 9998, keepalive(), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(7000, 7001, isakmp({ ispi: hex('0102030405060708') }), { checksum: 0 }))));
  frames.push(ether(ipv4({ src: A, dst: B }, udp(7000, 7001, nonEsp(isakmp({ ispi: hex('0102030405060708') })), { checksum: 0 }))));
  // Not Ethernet II / IPv4: 802.3 length, ARP, ISL, a runt.
  frames.push(ether(new Uint8Array(46), { type: 46 }), ether(new Uint8Array(28), { type: 0x0806 }));
  frames.push(ether(espUdp(0x6000, 1), { dst: '01:00:0c:00:00:00' }), new Uint8Array(20));
  const records: RecordSpec[] = frames.map((data, i) => ({ data, tsSec: 1_700_000_000 + i, tsUsec: (i * 7919) % 1_000_000 }));
  // A frame cut by the snap length.
  records.push({ data: ether(espUdp(0x1000, 400)).subarray(0, 60), origLen: ether(espUdp(0x1000, 400)).length, tsSec: 1_700_001_000 });
  return records;
}

describe('fast path: crafted edge cases', () => {
  const session = natSession({ version: 2, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [40500, 44500], responder: '203.0.113.9', capture: 'middle', keepalives: { count: 4, interval: 25, from: 'initiator' }, espPackets: 30 });
  const records = [...session.records.map((r, i) => ({ ...r, tsSec: 1_600_000_000 + i })), ...edgeCases()];

  it('same report, classic pcap (both readers)', async () => {
    await expectSameReports(tempCapture(writePcap(records), 'edge.pcap'));
  });

  it('same report, nanosecond pcap, and with tiny state caps', async () => {
    const file = tempCapture(writePcap(records, { nanos: true }), 'edge-ns.pcap');
    await expectSameReports(file);
    await expectSameReports(file, '--max-esp-sas', '3', '--max-flows', '2');
  });

  it('the fast path takes the plain frames and leaves the odd ones', async () => {
    const { claimed: n } = await claimed(tempCapture(writePcap(records), 'edge-claimed.pcap'));
    expect(n).toBeGreaterThan(60);
    expect(n).toBeLessThan(records.length - 40);
  });
});

/** The former tracker's sequence logic (BigInt window), as the model. */
function modelSequence(seqs: readonly number[]): { maxSeq: number; gaps: number; missing: number; replays: number; resets: number } {
  const WINDOW = 64;
  const st = { maxSeq: 0, window: 0n, gaps: 0, missing: 0, replays: 0, resets: 0 };
  seqs.forEach((seq, i) => {
    if (i === 0) {
      st.maxSeq = seq;
      st.window = 1n;
      return;
    }
    if (seq > st.maxSeq) {
      const jump = seq - st.maxSeq;
      if (jump > 1) {
        st.gaps++;
        st.missing += jump - 1;
      }
      st.window = jump >= WINDOW ? 1n : ((st.window << BigInt(jump)) | 1n) & ((1n << BigInt(WINDOW)) - 1n);
      st.maxSeq = seq;
      return;
    }
    const back = st.maxSeq - seq;
    if (seq <= 2 && st.maxSeq > WINDOW) {
      st.resets++;
      st.maxSeq = seq;
      st.window = 1n;
      return;
    }
    if (back < WINDOW && (st.window >> BigInt(back)) & 1n) {
      st.replays++;
      return;
    }
    if (back < WINDOW) st.window |= 1n << BigInt(back);
  });
  const { window: _w, ...counts } = st;
  return counts;
}

describe('ESP tracker: the two-word replay window equals the BigInt model', () => {
  it('on random sequences around the window edges', () => {
    const step = fc.oneof(fc.integer({ min: -70, max: 70 }), fc.constantFrom(-64, -63, -33, -32, -31, 31, 32, 33, 63, 64, 65), fc.constant(0));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4294967295 }), fc.array(step, { maxLength: 200 }), fc.boolean(), (start, steps, reset) => {
        const seqs = [start];
        for (const s of steps) seqs.push(Math.min(4294967295, Math.max(0, seqs[seqs.length - 1]! + s)));
        if (reset) seqs.push(1, 2, 3);
        const tracker = new EspSaTracker(10, new FindingSink());
        seqs.forEach((seq, i) => tracker.updateV4(0x1234, 0x0a000001, 4500, 0x0a000002, 4500, 'udp-natt', i + 1, i, 100, seq));
        const [sa] = tracker.values();
        const { maxSeq, gaps, missing, replays, resets } = sa!;
        expect({ maxSeq, gaps, missing, replays, resets }).toEqual(modelSequence(seqs));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps SAs in least-recently-updated order and evicts the oldest, as a Map re-set on each use did', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })), { maxLength: 120 }), fc.integer({ min: 1, max: 6 }), (packets, cap) => {
        const tracker = new EspSaTracker(cap, new FindingSink());
        const model = new Map<string, number>();
        packets.forEach(([spi, port, raw], i) => {
          const transport = raw ? 'raw' : 'udp-natt';
          const key = `${spi}|${raw ? 0 : port}|${transport}`;
          if (model.has(key)) model.delete(key);
          else if (model.size >= cap) model.delete(model.keys().next().value!);
          model.set(key, i + 1);
          tracker.updateV4(spi, 0xc0000201, raw ? 0 : 4500 + port, 0xc0000202, raw ? 0 : 4500, transport, i + 1, i, 100, i + 1);
        });
        expect(tracker.values().map((s) => `${s.spi}|${s.transport === 'raw' ? 0 : s.src.port - 4500}|${s.transport}`)).toEqual([...model.keys()]);
        expect(tracker.values().map((s) => s.lastFrame)).toEqual([...model.values()]);
      }),
      { numRuns: 300 },
    );
  });
});
