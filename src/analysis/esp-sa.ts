import type { Endpoint, PacketFacts } from './facts.js';
import { endpointKey } from './facts.js';
import type { FindingSink } from './finding-sink.js';

export type EspTransport = 'raw' | 'udp-natt' | 'udp-500-draft' | 'udp-other';

/** Anti-replay style window (RFC 4303 §3.4.3) for telling duplicates from reordering. */
const WINDOW = 64;

export interface EspSaState {
  readonly key: string;
  readonly spi: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly transport: EspTransport;
  readonly firstFrame: number;
  lastFrame: number;
  readonly firstTime: number;
  lastTime: number;
  packets: number;
  bytes: number;
  maxSeq: number;
  /** Bit i set: sequence maxSeq - i was seen. */
  window: bigint;
  gaps: number;
  missing: number;
  replays: number;
  resets: number;
  /** IKE SA this SPI belongs to, and how that was decided. */
  ikeSa?: string;
  ikeSaLink?: 'sa-payload' | 'address-pairing';
}

function spiHex(spi: number): string {
  return '0x' + spi.toString(16).padStart(8, '0');
}

/** Tracks ESP SAs by SPI and outer endpoints: volume, timing and sequence behaviour; bounded (LRU). */
export class EspSaTracker {
  readonly sas = new Map<string, EspSaState>();
  evicted = 0;

  constructor(
    private readonly maxEspSas: number,
    private readonly findings: FindingSink,
  ) {}

  update(p: PacketFacts, transport: EspTransport): EspSaState | undefined {
    const esp = p.esp;
    if (!esp) return undefined;
    const key = `${esp.spi}|${endpointKey(p.src)}|${endpointKey(p.dst)}|${transport}`;
    let sa = this.sas.get(key);
    if (sa) {
      this.sas.delete(key);
    } else {
      if (this.sas.size >= this.maxEspSas) {
        const oldest = this.sas.keys().next().value as string;
        this.sas.delete(oldest);
        this.evicted++;
        this.findings.add('analysis.esp_sa_evicted', 'ESP SA table', p.frame, `ESP SA state evicted (cap ${this.maxEspSas})`);
      }
      sa = {
        key, spi: esp.spi, src: p.src, dst: p.dst, transport, firstFrame: p.frame, lastFrame: p.frame, firstTime: p.time, lastTime: p.time,
        packets: 0, bytes: 0, maxSeq: 0, window: 0n, gaps: 0, missing: 0, replays: 0, resets: 0,
      };
    }
    this.sas.set(key, sa);
    sa.packets++;
    sa.bytes += esp.length;
    sa.lastFrame = p.frame;
    sa.lastTime = p.time;
    this.sequence(sa, esp.sequence, p.frame);
    return sa;
  }

  private sequence(sa: EspSaState, seq: number, frame: number): void {
    const subject = `ESP SPI ${spiHex(sa.spi)} ${endpointKey(sa.src)} → ${endpointKey(sa.dst)}`;
    if (sa.packets === 1) {
      sa.maxSeq = seq;
      sa.window = 1n;
      return;
    }
    if (seq > sa.maxSeq) {
      const jump = seq - sa.maxSeq;
      if (jump > 1) {
        sa.gaps++;
        sa.missing += jump - 1;
        this.findings.add('esp.sequence_gap', subject, frame, `${jump - 1} sequence number(s) missing before ${seq}`);
      }
      sa.window = jump >= WINDOW ? 1n : ((sa.window << BigInt(jump)) | 1n) & ((1n << BigInt(WINDOW)) - 1n);
      sa.maxSeq = seq;
      return;
    }
    const back = sa.maxSeq - seq;
    if (seq <= 2 && sa.maxSeq > WINDOW) {
      sa.resets++;
      this.findings.add('esp.sequence_reset', subject, frame, `sequence went from ${sa.maxSeq} back to ${seq} on the same SPI`);
      sa.maxSeq = seq;
      sa.window = 1n;
      return;
    }
    if (back < WINDOW && (sa.window >> BigInt(back)) & 1n) {
      sa.replays++;
      this.findings.add('esp.sequence_replay', subject, frame, `sequence ${seq} seen before`);
      return;
    }
    if (back < WINDOW) sa.window |= 1n << BigInt(back);
  }
}
