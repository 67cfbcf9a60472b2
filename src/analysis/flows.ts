import type { Endpoint, PacketFacts } from './facts.js';
import { endpointKey } from './facts.js';

/** One direction of a UDP conversation on a NAT-T port: keepalives and idle gaps. */
export interface UdpFlowState {
  readonly key: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  packets: number;
  keepalives: number;
  readonly keepaliveFrames: number[];
  lastKeepaliveTime?: number;
  /** Longest interval between consecutive keepalives. */
  maxKeepaliveInterval: number;
  maxKeepaliveIntervalFrame?: number;
  lastTime: number;
  readonly firstFrame: number;
  lastFrame: number;
  checksumNonZero: number;
  checksumNonZeroFrames: number[];
}

/** Bounded table of UDP flows (LRU). */
export class UdpFlowTracker {
  readonly flows = new Map<string, UdpFlowState>();
  evicted = 0;

  constructor(private readonly maxFlows: number) {}

  update(p: PacketFacts): UdpFlowState {
    const key = `${endpointKey(p.src)}>${endpointKey(p.dst)}`;
    let f = this.flows.get(key);
    if (f) this.flows.delete(key);
    else {
      if (this.flows.size >= this.maxFlows) {
        this.flows.delete(this.flows.keys().next().value as string);
        this.evicted++;
      }
      f = { key, src: p.src, dst: p.dst, packets: 0, keepalives: 0, keepaliveFrames: [], maxKeepaliveInterval: 0, lastTime: p.time, firstFrame: p.frame, lastFrame: p.frame, checksumNonZero: 0, checksumNonZeroFrames: [] };
    }
    this.flows.set(key, f);
    f.packets++;
    f.lastTime = p.time;
    f.lastFrame = p.frame;
    if (p.encap?.kind === 'keepalive') {
      f.keepalives++;
      if (f.keepaliveFrames.length < 16) f.keepaliveFrames.push(p.frame);
      if (f.lastKeepaliveTime !== undefined) {
        const interval = p.time - f.lastKeepaliveTime;
        if (interval > f.maxKeepaliveInterval) {
          f.maxKeepaliveInterval = interval;
          f.maxKeepaliveIntervalFrame = p.frame;
        }
      }
      f.lastKeepaliveTime = p.time;
    }
    if ((p.encap?.kind === 'esp' || p.encap?.kind === 'keepalive') && p.ipVersion === 4 && p.udp && p.udp.checksumStatus !== 'absent') {
      f.checksumNonZero++;
      if (f.checksumNonZeroFrames.length < 16) f.checksumNonZeroFrames.push(p.frame);
    }
    return f;
  }
}
