import type { Endpoint, PacketFacts } from './facts.js';
import { endpointKey } from './facts.js';
import { formatIpv4 } from '../decode/tree.js';
import { LruTable, type LruEntry, ipv4Of, mixKey } from './lru.js';
import type { SaOwner } from './sa-directory.js';
import type { IkeSaIdentity } from './ike-message.js';

/** One direction of a UDP conversation on a NAT-T port: keepalives and idle gaps. */
export interface UdpFlowState {
  readonly key: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly packets: number;
  readonly keepalives: number;
  readonly keepaliveFrames: readonly number[];
  readonly lastKeepaliveTime?: number;
  /** Longest interval between consecutive keepalives. */
  readonly maxKeepaliveInterval: number;
  readonly maxKeepaliveIntervalFrame?: number;
  readonly lastTime: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly checksumNonZero: number;
  readonly checksumNonZeroFrames: readonly number[];
  /** The IKE SA its latest keepalive belonged to (`SaDirectory.keepaliveOwner`), if any. */
  readonly owner: SaOwner<IkeSaIdentity> | undefined;
}

/** A flow as tracked; IPv4 flows are matched by numbers (see `lru.ts`), others by their text key. */
export class UdpFlow implements UdpFlowState, LruEntry<UdpFlow> {
  prev: UdpFlow | null = null;
  next: UdpFlow | null = null;
  chain: UdpFlow | null = null;
  packets = 0;
  keepalives = 0;
  readonly keepaliveFrames: number[] = [];
  lastKeepaliveTime?: number;
  maxKeepaliveInterval = 0;
  maxKeepaliveIntervalFrame?: number;
  lastTime: number;
  lastFrame: number;
  checksumNonZero = 0;
  readonly checksumNonZeroFrames: number[] = [];
  owner: SaOwner<IkeSaIdentity> | undefined = undefined;
  /** The `SaDirectory.version` `owner` was looked up at (-1: never). */
  ownerVersion = -1;

  constructor(
    readonly src: Endpoint,
    readonly dst: Endpoint,
    time: number,
    readonly firstFrame: number,
    readonly hash: number,
    readonly v4: boolean,
    readonly srcIp: number,
    readonly dstIp: number,
    readonly stringKey: string,
  ) {
    this.lastTime = time;
    this.lastFrame = firstFrame;
  }

  get key(): string {
    return this.v4 ? `${endpointKey(this.src)}>${endpointKey(this.dst)}` : this.stringKey;
  }
}

/** Bounded table of UDP flows (LRU). */
export class UdpFlowTracker {
  evicted = 0;
  private readonly table = new LruTable<UdpFlow>();

  constructor(private readonly maxFlows: number) {}

  /** Drops every state (the end of the analysis: the report has what it needs). */
  clear(): void {
    this.table.clear();
  }

  get size(): number {
    return this.table.size;
  }

  /** Flows, least recently updated first. */
  values(): UdpFlowState[] {
    return this.table.values();
  }

  update(p: PacketFacts): UdpFlow {
    const keepalive = p.encap?.kind === 'keepalive';
    const nonZero = (p.encap?.kind === 'esp' || keepalive) && p.ipVersion === 4 && p.udp !== undefined && p.udp.checksumStatus !== 'absent';
    if (p.ipVersion === 4 && p.srcAddr.length === 4 && p.dstAddr.length === 4) {
      return this.updateV4(ipv4Of(p.srcAddr), p.src.port, ipv4Of(p.dstAddr), p.dst.port, p.frame, p.time, keepalive, nonZero, p.src, p.dst);
    }
    const key = `${endpointKey(p.src)}>${endpointKey(p.dst)}`;
    let f = this.table.byKey(key);
    if (f) this.table.touch(f);
    else {
      this.makeRoom();
      f = new UdpFlow(p.src, p.dst, p.time, p.frame, 0, false, 0, 0, key);
      this.table.add(f);
    }
    this.count(f, p.frame, p.time, keepalive, nonZero);
    return f;
  }

  /**
   * One IPv4 packet by numbers. `keepalive`: a NAT keepalive; `checksumNonZero`: ESP or a
   * keepalive carrying a UDP checksum (RFC 3948 §2.1 asks for zero).
   */
  updateV4(srcIp: number, sport: number, dstIp: number, dport: number, frame: number, time: number, keepalive: boolean, checksumNonZero: boolean, src?: Endpoint, dst?: Endpoint): UdpFlow {
    const hash = mixKey(srcIp, dstIp, sport, dport, 0x5f);
    let f = this.table.bucket(hash);
    while (f !== null && !(f.srcIp === srcIp && f.dstIp === dstIp && f.src.port === sport && f.dst.port === dport)) f = f.chain;
    if (f !== null) this.table.touch(f);
    else {
      this.makeRoom();
      f = new UdpFlow(src ?? { address: formatIpv4(srcIp), port: sport }, dst ?? { address: formatIpv4(dstIp), port: dport }, time, frame, hash, true, srcIp, dstIp, '');
      this.table.add(f);
    }
    this.count(f, frame, time, keepalive, checksumNonZero);
    return f;
  }

  private makeRoom(): void {
    if (this.table.size < this.maxFlows) return;
    this.table.evictOldest();
    this.evicted++;
  }

  private count(f: UdpFlow, frame: number, time: number, keepalive: boolean, checksumNonZero: boolean): void {
    f.packets++;
    f.lastTime = time;
    f.lastFrame = frame;
    if (keepalive) {
      f.keepalives++;
      if (f.keepaliveFrames.length < 16) f.keepaliveFrames.push(frame);
      if (f.lastKeepaliveTime !== undefined) {
        const interval = time - f.lastKeepaliveTime;
        if (interval > f.maxKeepaliveInterval) {
          f.maxKeepaliveInterval = interval;
          f.maxKeepaliveIntervalFrame = frame;
        }
      }
      f.lastKeepaliveTime = time;
    }
    if (checksumNonZero) {
      f.checksumNonZero++;
      if (f.checksumNonZeroFrames.length < 16) f.checksumNonZeroFrames.push(frame);
    }
  }
}
