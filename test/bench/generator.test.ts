/**
 * The benchmark's capture generator (bench/): deterministic, well-formed (checksums, NAT-D
 * hashes, per-SPI sequence numbers, NAT-T float and keepalives), and the three outputs carry the
 * same frames. Small captures, so this runs in a second or two.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCapture, type GeneratedCapture } from '../../bench/generate.js';
import { DEFAULT_SCENARIO, type ScenarioParams } from '../../bench/scenario.js';
import { groundTruthMissing } from '../support/environment.js';
import { analyzeJson } from '../support/run-espy.js';

const SMALL: ScenarioParams = { ...DEFAULT_SCENARIO, clients: 120, nats: 6, gateways: 3, backgroundFlows: 10 };
const TARGET = 1_500_000;

interface Rec {
  readonly ts: number;
  readonly data: Buffer;
}

function readPcap(b: Buffer): Rec[] {
  expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(b.readUInt32LE(20)).toBe(1);
  const out: Rec[] = [];
  for (let o = 24; o < b.length; ) {
    const caplen = b.readUInt32LE(o + 8);
    expect(b.readUInt32LE(o + 12)).toBe(caplen);
    out.push({ ts: b.readUInt32LE(o) * 1e6 + b.readUInt32LE(o + 4), data: b.subarray(o + 16, o + 16 + caplen) });
    o += 16 + caplen;
  }
  return out;
}

function readPcapng(b: Buffer): Rec[] {
  const out: Rec[] = [];
  for (let o = 0; o < b.length; ) {
    const type = b.readUInt32LE(o);
    const len = b.readUInt32LE(o + 4);
    expect(b.readUInt32LE(o + len - 4)).toBe(len);
    if (type === 6) {
      const ts = b.readUInt32LE(o + 12) * 4294967296 + b.readUInt32LE(o + 16);
      out.push({ ts, data: b.subarray(o + 28, o + 28 + b.readUInt32LE(o + 20)) });
    }
    o += len;
  }
  return out;
}

function sum16(b: Buffer, from: number, to: number, initial = 0): number {
  let s = initial;
  for (let i = from; i < to; i += 2) s += (b[i]! << 8) | (i + 1 < to ? b[i + 1]! : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

const sha1 = (...parts: Uint8Array[]): string => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};
const port = (p: number): Buffer => Buffer.from([p >> 8, p & 0xff]);
const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

/** IKE payloads after the 28-byte header: [type, body]. */
function payloads(ike: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  let next = ike[16]!;
  let o = 28;
  while (next !== 0 && o + 4 <= ike.length) {
    const len = ike.readUInt16BE(o + 2);
    out.push([next, ike.subarray(o + 4, o + len)]);
    next = ike[o]!;
    o += len;
  }
  return out;
}

let meta: GeneratedCapture;
let frames: Rec[];

beforeAll(async () => {
  meta = await generateCapture({ targetBytes: TARGET, scenario: SMALL, outDir: mkdtempSync(path.join(tmpdir(), 'espy-bench-a-')), force: true });
  frames = readPcap(readFileSync(meta.files.pcap));
});

describe('bench capture generator', () => {
  it('is deterministic: same parameters, same bytes in all three outputs; another seed differs', async () => {
    const again = await generateCapture({ targetBytes: TARGET, scenario: SMALL, outDir: mkdtempSync(path.join(tmpdir(), 'espy-bench-b-')), force: true });
    for (const k of ['pcap', 'pcapng', 'gzip'] as const) expect(sha256(again.files[k]!)).toBe(sha256(meta.files[k]!));
    const other = await generateCapture({ targetBytes: TARGET, scenario: { ...SMALL, seed: 2 }, outDir: mkdtempSync(path.join(tmpdir(), 'espy-bench-c-')), allFormats: false });
    expect(sha256(other.files.pcap)).not.toBe(sha256(meta.files.pcap));
  });

  it('reuses a capture generated with the same parameters', async () => {
    const reused = await generateCapture({ targetBytes: TARGET, scenario: SMALL, outDir: path.dirname(meta.files.pcap) });
    expect(reused.reused).toBe(true);
    expect(reused.files.pcap).toBe(meta.files.pcap);
  });

  it('writes the same frames as pcap, pcapng and gzip of the pcap, in time order, up to the size asked', () => {
    expect(meta.bytes.pcap).toBeGreaterThanOrEqual(TARGET);
    expect(meta.bytes.pcap).toBeLessThan(TARGET + 1600);
    expect(frames.length).toBe(meta.frames);
    expect(gunzipSync(readFileSync(meta.files.gzip!)).equals(readFileSync(meta.files.pcap))).toBe(true);
    const ng = readPcapng(readFileSync(meta.files.pcapng!));
    expect(ng.length).toBe(frames.length);
    for (let i = 0; i < frames.length; i++) {
      expect(ng[i]!.ts).toBe(frames[i]!.ts);
      expect(ng[i]!.data.equals(frames[i]!.data)).toBe(true);
      if (i > 0) expect(frames[i]!.ts).toBeGreaterThanOrEqual(frames[i - 1]!.ts);
    }
  });

  it('has valid IPv4 and UDP/TCP checksums, zero UDP checksums on ESP-in-UDP and keepalives, increasing ESP sequence numbers', () => {
    const lastSeq = new Map<number, number>();
    let esp = 0;
    let keepalives = 0;
    for (const { data: f } of frames) {
      expect(f.readUInt16BE(12)).toBe(0x0800);
      expect(sum16(f, 14, 34)).toBe(0xffff);
      const proto = f[23]!;
      const src = f.subarray(26, 30);
      const dst = f.subarray(30, 34);
      const l4 = f.subarray(34);
      const pseudo = (len: number): number => sum16(Buffer.concat([src, dst]), 0, 8) + proto + len;
      let espAt: number | undefined;
      if (proto === 17) {
        const sport = l4.readUInt16BE(0);
        const dport = l4.readUInt16BE(2);
        const natt = sport === 4500 || dport === 4500;
        const isKeepalive = natt && l4.length === 9 && l4[8] === 0xff;
        const isEsp = natt && !isKeepalive && l4.readUInt32BE(8) !== 0;
        if (isEsp || isKeepalive) expect(l4.readUInt16BE(6)).toBe(0);
        else expect(sum16(l4, 0, l4.length, pseudo(l4.length))).toBe(0xffff);
        if (isKeepalive) keepalives++;
        if (isEsp) espAt = 8;
      } else if (proto === 6) {
        expect(sum16(l4, 0, l4.length, pseudo(l4.length))).toBe(0xffff);
      } else {
        expect(proto).toBe(50);
        espAt = 0;
      }
      if (espAt !== undefined) {
        esp++;
        const spi = l4.readUInt32BE(espAt);
        const seq = l4.readUInt32BE(espAt + 4);
        const ipLength = f.readUInt16BE(16);
        expect(ipLength).toBeGreaterThanOrEqual(64);
        expect(ipLength).toBeLessThanOrEqual(1400);
        const prev = lastSeq.get(spi);
        if (prev !== undefined) expect(seq).toBe(prev + 1);
        lastSeq.set(spi, seq);
      }
    }
    expect(esp).toBe(meta.counts.espUdp + meta.counts.espRaw);
    expect(keepalives).toBe(meta.counts.keepalives);
    expect(keepalives).toBeGreaterThan(0);
  });

  it('has valid NAT-D hashes (IKEv2 notifies, IKEv1 Main Mode payloads), the RFC 3947 vendor ID, and the float to 4500', () => {
    let v2Requests = 0;
    let v1Nated = 0;
    let floats = 0;
    for (const { data: f } of frames) {
      if (f[23] !== 17) continue;
      const udp = f.subarray(34);
      const sport = udp.readUInt16BE(0);
      const dport = udp.readUInt16BE(2);
      const src = f.subarray(26, 30);
      const dst = f.subarray(30, 34);
      let ike: Buffer;
      if (sport === 500 || dport === 500) ike = udp.subarray(8);
      else if ((sport === 4500 || dport === 4500) && udp.length > 12 && udp.readUInt32BE(8) === 0) {
        ike = udp.subarray(12);
        if (ike[18] === 2) floats++; // Main Mode on 4500: messages 5 and 6
        continue;
      } else continue;
      const spiI = ike.subarray(0, 8);
      const spiR = ike.subarray(8, 16);
      const observedSrc = sha1(spiI, spiR, src, port(sport));
      const observedDst = sha1(spiI, spiR, dst, port(dport));
      // Gateways are 203.0.113.x; NAT public addresses 198.51.100.x; direct clients 198.18/15.
      const fromClient = dst[0] === 203;
      const client = fromClient ? src : dst;
      const natted = client[0] === 198 && client[1] === 51;
      const pl = payloads(ike);
      if (ike[17] === 0x20 && ike[18] === 34) {
        const notify = (type: number): string | undefined => {
          const n = pl.find(([t, b]) => t === 41 && b.readUInt16BE(2) === type);
          return n ? n[1].subarray(4).toString('hex') : undefined;
        };
        const request = (ike[19]! & 0x20) === 0;
        if (request) {
          expect(spiR.every((x) => x === 0)).toBe(true);
          v2Requests++;
        }
        expect(notify(16389)).toBe(observedDst);
        // Behind a NAT (translated port) the client hashes its private address: no match here.
        if (request && natted) expect(notify(16388)).not.toBe(observedSrc);
        else expect(notify(16388)).toBe(observedSrc);
      } else if (ike[17] === 0x10 && ike[18] === 2) {
        const natd = pl.filter(([t]) => t === 20).map(([, b]) => b.toString('hex'));
        const vids = pl.filter(([t]) => t === 13).map(([, b]) => b.toString('hex'));
        if (spiR.every((x) => x === 0) || pl.some(([t]) => t === 1)) expect(vids).toContain('4a131c81070358455c5728f20e95452f');
        if (natd.length) {
          expect(natd).toHaveLength(2);
          expect(natd[0]).toBe(observedDst);
          if (fromClient && natted) {
            expect(natd[1]).not.toBe(observedSrc);
            v1Nated++;
          } else expect(natd[1]).toBe(observedSrc);
        }
      }
    }
    expect(v2Requests).toBeGreaterThan(0);
    expect(v1Nated).toBeGreaterThan(0);
    expect(floats).toBeGreaterThan(0);
  });

  it('is understood by espy analyze: NAT detected outside the clients’ NATs, no checksum findings', async () => {
    const { report } = await analyzeJson(meta.files.pcap);
    expect(report.summary.natDetected).toBeGreaterThan(0);
    expect(report.summary.keepalives).toBe(meta.counts.keepalives);
    expect(report.findings.filter((f) => f.id.includes('checksum'))).toEqual([]);
  });

  const missing = groundTruthMissing({ tshark: true });
  it.skipIf(missing !== undefined)('is decoded by tshark with good checksums and no warnings or errors', () => {
    const tshark = (args: string[]): string =>
      execFileSync('tshark', ['-r', meta.files.pcap, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 64 << 20,
      });
    const lines = tshark(['-T', 'fields', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'tcp.checksum.status']).replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(meta.frames);
    for (const line of lines) {
      const [ip, udp, tcp] = line.split('\t');
      expect(ip).toBe('1');
      expect(['', '1', '3']).toContain(udp); // 3: zero checksum (not present) on ESP-in-UDP and keepalives
      expect(['', '1']).toContain(tcp);
    }
    expect(tshark(['-q', '-z', 'expert'])).not.toMatch(/^(Errors|Warnings) \(\d+\)/m);
  });
});
