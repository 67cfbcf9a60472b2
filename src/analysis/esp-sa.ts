import type { Endpoint, PacketFacts } from './facts.js';
import { endpointKey } from './facts.js';
import type { FindingSink } from './finding-sink.js';
import { formatIpv4 } from '../decode/tree.js';
import { LruTable, type LruEntry, ipv4Of, mixKey } from './lru.js';
import type { SaOwner } from './sa-directory.js';
import type { IkeSaIdentity } from './ike-message.js';

export type EspTransport = 'raw' | 'udp-natt' | 'udp-500-draft' | 'udp-other';

/** Anti-replay style window (RFC 4303 §3.4.3) for telling duplicates from reordering. */
const WINDOW = 64;

export interface EspSaState {
  readonly spi: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly transport: EspTransport;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstTime: number;
  readonly lastTime: number;
  readonly packets: number;
  readonly bytes: number;
  readonly maxSeq: number;
  readonly gaps: number;
  readonly missing: number;
  readonly replays: number;
  readonly resets: number;
  /** The IKE SA whose traffic this is (`SaDirectory.espOwner` when the first packet arrived), if any. */
  readonly owner: SaOwner<IkeSaIdentity> | undefined;
  readonly ownerLink: EspLink | undefined;
}

/** Finds the IKE SA of a new ESP SA (the analysis's `SaDirectory`). */
export type EspOwnerLookup = (sa: EspSaState, sequence: number, time: number) => { readonly owner: SaOwner<IkeSaIdentity>; readonly link: EspLink } | undefined;

/** How an ESP SA was tied to its IKE SA: its SPI in a cleartext SA payload, or the endpoints IKE used. */
export type EspLink = 'sa-payload' | 'address-pairing';

const TRANSPORT_CODE: Readonly<Record<EspTransport, number>> = { raw: 0, 'udp-natt': 1, 'udp-500-draft': 2, 'udp-other': 3 };

/**
 * One ESP SA as tracked. IPv4 SAs are found by numbers (SPI, addresses as u32, ports,
 * transport) so that a packet costs no strings; the endpoint strings are made once, when the
 * SA is first seen. The 64-packet replay window is two 32-bit words: bit i of `winLo`/`winHi`
 * (i < 32 / i ≥ 32) set means sequence number maxSeq - i was seen.
 */
class EspSa implements EspSaState, LruEntry<EspSa> {
  prev: EspSa | null = null;
  next: EspSa | null = null;
  /** Next SA in the same hash bucket (IPv4). */
  chain: EspSa | null = null;
  lastFrame: number;
  lastTime: number;
  packets = 0;
  bytes = 0;
  maxSeq = 0;
  winLo = 0;
  winHi = 0;
  gaps = 0;
  missing = 0;
  replays = 0;
  resets = 0;
  owner: SaOwner<IkeSaIdentity> | undefined = undefined;
  ownerLink: EspLink | undefined = undefined;
  private subjectText: string | undefined;

  constructor(
    readonly spi: number,
    readonly src: Endpoint,
    readonly dst: Endpoint,
    readonly transport: EspTransport,
    readonly firstFrame: number,
    readonly firstTime: number,
    /** IPv4: hash bucket and numeric endpoints; otherwise the string key (`v4` false). */
    readonly hash: number,
    readonly v4: boolean,
    readonly srcIp: number,
    readonly dstIp: number,
    readonly stringKey: string,
  ) {
    this.lastFrame = firstFrame;
    this.lastTime = firstTime;
  }

  get subject(): string {
    return (this.subjectText ??= `ESP SPI 0x${this.spi.toString(16).padStart(8, '0')} ${endpointKey(this.src)} → ${endpointKey(this.dst)}`);
  }
}

/** Tracks ESP SAs by SPI and outer endpoints: volume, timing and sequence behaviour; bounded (LRU). */
export class EspSaTracker {
  evicted = 0;
  /** IPv4 SAs by a hash of SPI, addresses, ports and transport, IPv6 by text; least recently updated first (the order the report and eviction rely on). */
  private readonly table = new LruTable<EspSa>();

  constructor(
    private readonly maxEspSas: number,
    private readonly findings: FindingSink,
    private readonly ownerOf?: EspOwnerLookup,
  ) {}

  /** Drops every state (the end of the analysis: the report has what it needs). */
  clear(): void {
    this.table.clear();
  }

  get size(): number {
    return this.table.size;
  }

  /** SAs, least recently updated first. */
  values(): EspSaState[] {
    return this.table.values();
  }

  update(p: PacketFacts, transport: EspTransport): EspSaState | undefined {
    const esp = p.esp;
    if (!esp) return undefined;
    if (p.ipVersion === 4 && p.srcAddr.length === 4 && p.dstAddr.length === 4) {
      return this.updateV4(esp.spi, ipv4Of(p.srcAddr), p.src.port, ipv4Of(p.dstAddr), p.dst.port, transport, p.frame, p.time, esp.length, esp.sequence, p.src, p.dst);
    }
    const key = `${esp.spi}|${endpointKey(p.src)}|${endpointKey(p.dst)}|${transport}`;
    let sa = this.table.byKey(key);
    if (sa) this.table.touch(sa);
    else {
      this.makeRoom(p.frame);
      sa = new EspSa(esp.spi, p.src, p.dst, transport, p.frame, p.time, 0, false, 0, 0, key);
      this.tie(sa, esp.sequence, p.time);
      this.table.add(sa);
    }
    this.count(sa, p.frame, p.time, esp.length, esp.sequence);
    return sa;
  }

  /**
   * One IPv4 ESP packet, by numbers (the fast path's entry, and the full path's for IPv4).
   * `src`/`dst` are used only when the SA is new; made from the numbers when not given.
   */
  updateV4(
    spi: number,
    srcIp: number,
    sport: number,
    dstIp: number,
    dport: number,
    transport: EspTransport,
    frame: number,
    time: number,
    length: number,
    sequence: number,
    src?: Endpoint,
    dst?: Endpoint,
  ): EspSaState {
    const hash = mixKey(spi, srcIp, dstIp, (sport << 16) | dport, TRANSPORT_CODE[transport]);
    let sa = this.table.bucket(hash);
    while (sa !== null && !(sa.spi === spi && sa.srcIp === srcIp && sa.dstIp === dstIp && sa.src.port === sport && sa.dst.port === dport && sa.transport === transport)) sa = sa.chain;
    if (sa !== null) this.table.touch(sa);
    else {
      this.makeRoom(frame);
      sa = new EspSa(spi, src ?? { address: formatIpv4(srcIp), port: sport }, dst ?? { address: formatIpv4(dstIp), port: dport }, transport, frame, time, hash, true, srcIp, dstIp, '');
      this.tie(sa, sequence, time);
      this.table.add(sa);
    }
    this.count(sa, frame, time, length, sequence);
    return sa;
  }

  /** A new ESP SA (its first packet, not yet counted): tied to its IKE SA. */
  private tie(sa: EspSa, sequence: number, time: number): void {
    const found = this.ownerOf?.(sa, sequence, time);
    if (found === undefined) return;
    sa.owner = found.owner;
    sa.ownerLink = found.link;
  }

  private makeRoom(frame: number): void {
    if (this.table.size < this.maxEspSas) return;
    this.table.evictOldest();
    this.evicted++;
    this.findings.add('analysis.esp_sa_evicted', 'ESP SA table', frame, `ESP SA state evicted (cap ${this.maxEspSas})`);
  }

  private count(sa: EspSa, frame: number, time: number, length: number, seq: number): void {
    sa.packets++;
    sa.bytes += length;
    sa.lastFrame = frame;
    sa.lastTime = time;
    if (sa.packets === 1) {
      sa.maxSeq = seq;
      sa.winLo = 1;
      sa.winHi = 0;
      return;
    }
    if (seq > sa.maxSeq) {
      const jump = seq - sa.maxSeq;
      if (jump > 1) {
        sa.gaps++;
        sa.missing += jump - 1;
        this.findings.add('esp.sequence_gap', sa.subject, frame, `${jump - 1} sequence number(s) missing before ${seq}`);
      }
      if (jump >= WINDOW) {
        sa.winLo = 1;
        sa.winHi = 0;
      } else if (jump >= 32) {
        sa.winHi = jump === 32 ? sa.winLo : (sa.winLo << (jump - 32)) >>> 0;
        sa.winLo = 1;
      } else {
        sa.winHi = ((sa.winHi << jump) | (sa.winLo >>> (32 - jump))) >>> 0;
        sa.winLo = ((sa.winLo << jump) | 1) >>> 0;
      }
      sa.maxSeq = seq;
      return;
    }
    const back = sa.maxSeq - seq;
    if (seq <= 2 && sa.maxSeq > WINDOW) {
      sa.resets++;
      this.findings.add('esp.sequence_reset', sa.subject, frame, `sequence went from ${sa.maxSeq} back to ${seq} on the same SPI`);
      sa.maxSeq = seq;
      sa.winLo = 1;
      sa.winHi = 0;
      return;
    }
    if (back >= WINDOW) return;
    if (back < 32) {
      const bit = (1 << back) >>> 0;
      if ((sa.winLo & bit) !== 0) {
        sa.replays++;
        this.findings.add('esp.sequence_replay', sa.subject, frame, `sequence ${seq} seen before`);
        return;
      }
      sa.winLo = (sa.winLo | bit) >>> 0;
    } else {
      const bit = (1 << (back - 32)) >>> 0;
      if ((sa.winHi & bit) !== 0) {
        sa.replays++;
        this.findings.add('esp.sequence_replay', sa.subject, frame, `sequence ${seq} seen before`);
        return;
      }
      sa.winHi = (sa.winHi | bit) >>> 0;
    }
  }
}
