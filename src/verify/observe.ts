import type { Packet } from '../decode/packet.js';
import type { Endpoint, IkeMessageFacts, PacketFacts } from '../analysis/facts.js';
import { endpointKey } from '../analysis/facts.js';
import { checkNatd } from '../analysis/nat-detection.js';
import { toHex } from '../decode/cursor.js';
import { SILENCE_RECORDED, type DirectionActivity, type EncapFlow, type FlowKind, type IkeMsg, type MappingChange, type MarkerWithoutIke, type OddIkePortPacket, type SaRecord, type Silence } from './model.js';
import { layerExtras } from './layer-extras.js';
import { natdWrongFormula } from './natd-formula.js';

export interface ObserverLimits {
  readonly ikePorts: readonly number[];
  readonly nattPorts: readonly number[];
  readonly maxSas: number;
  readonly maxMessagesPerSa: number;
  readonly maxFlows: number;
}

export const DEFAULT_OBSERVER_LIMITS: ObserverLimits = { ikePorts: [500], nattPorts: [4500], maxSas: 20_000, maxMessagesPerSa: 256, maxFlows: 100_000 };

const IP_UDP = 17;
const IP_ESP = 50;
const MAX_FRAMES = 8;
const MAX_CHANGES = 256;
const MAX_ODD = 256;
const MAX_SILENCES = 64;
const MAX_CAPTURE_GAPS = 4096;
const EXCHANGE_MAIN = 2;
const EXCHANGE_AGGRESSIVE = 4;
const EXCHANGE_IKE_SA_INIT = 34;

function sameEndpoint(a: Endpoint | undefined, b: Endpoint): boolean {
  return a !== undefined && a.address === b.address && a.port === b.port;
}

function push(list: number[], frame: number, cap = MAX_FRAMES): void {
  if (list.length < cap) list.push(frame);
}

const isZeroHex = (h: string): boolean => /^0*$/.test(h);

/**
 * Sees every decoded packet in capture order and keeps what the conformance checks need, all of
 * it bounded: IKE messages per SA (by SPI pair), UDP-encapsulation / ESP flows, activity per
 * direction, mapping changes and who followed them.
 */
export class VerifyObserver {
  readonly sas = new Map<string, SaRecord>();
  readonly flows = new Map<string, EncapFlow>();
  readonly activity = new Map<string, DirectionActivity>();
  readonly changes: MappingChange[] = [];
  readonly oddIkePort: OddIkePortPacket[] = [];
  readonly markerWithoutIke: MarkerWithoutIke[] = [];
  readonly orphanMarkerMissing: { frame: number; src: Endpoint; dst: Endpoint }[] = [];
  /** Stretches with no packet at all in the capture (longer than SILENCE_RECORDED), bounded. */
  readonly captureGaps: Silence[] = [];
  captureGapsTruncated = false;
  private lastPacket: { time: number; frame: number } | undefined;
  evictedSas = 0;
  droppedFlows = 0;
  private readonly ikeSenders = new Map<string, Endpoint>();
  private readonly espSenders = new Map<string, { src: Endpoint; maxSeq: number }>();

  constructor(private readonly limits: ObserverLimits = DEFAULT_OBSERVER_LIMITS) {}

  feed(packet: Packet, p: PacketFacts): void {
    // ICMP errors quote the packet that failed: its UDP and ESP headers are not this packet's.
    if (p.ipProto !== IP_UDP && p.ipProto !== IP_ESP) return;
    this.watchChanges(p);
    this.noteActivity(p);
    if (p.ike) {
      this.ike(packet, p, p.ike);
      return;
    }
    const markerMissing = p.expertIds.includes('udpencap.marker_missing');
    if (markerMissing && p.esp) {
      this.markerMissing(p);
      return;
    }
    if (p.expertIds.includes('udpencap.marker_without_ike')) {
      if (this.markerWithoutIke.length < MAX_ODD) this.markerWithoutIke.push({ frame: p.frame, src: p.src, dst: p.dst });
      return;
    }
    if (p.encap?.kind === 'keepalive') {
      this.flow(p, 'keepalive', undefined, p.encap.onNattPort ? 'udp-natt' : 'udp-other');
      return;
    }
    if (p.esp) {
      const transport = !p.esp.inUdp ? 'raw' : p.encap?.nonIkeMarker ? 'udp-500-draft' : p.encap?.onNattPort ? 'udp-natt' : 'udp-other';
      this.flow(p, p.esp.inUdp ? 'esp-udp' : 'esp-raw', p.esp.spi, transport);
      this.espChange(p, p.esp.spi, p.esp.sequence, transport);
      return;
    }
    const onIkePort = this.limits.ikePorts.includes(p.src.port) || this.limits.ikePorts.includes(p.dst.port);
    if (onIkePort && p.udp && this.oddIkePort.length < MAX_ODD) {
      const word = firstUdpWord(packet);
      if (word !== undefined && word !== 0) this.oddIkePort.push({ frame: p.frame, src: p.src, dst: p.dst, firstWord: word });
    }
  }

  /** Any frame: the capture was running then (only IPsec-related frames reach `feed`). */
  noteFrame(frame: number, time: number): void {
    const last = this.lastPacket;
    if (last && time - last.time > SILENCE_RECORDED) {
      if (this.captureGaps.length < MAX_CAPTURE_GAPS) this.captureGaps.push({ from: last.time, to: time, fromFrame: last.frame, toFrame: frame });
      else this.captureGapsTruncated = true;
    }
    this.lastPacket = { time, frame };
  }

  private noteActivity(p: PacketFacts): void {
    const key = `${p.src.address}>${p.dst.address}`;
    let a = this.activity.get(key);
    if (!a) {
      if (this.activity.size >= this.limits.maxFlows) return;
      a = { src: p.src.address, dst: p.dst.address, firstTime: p.time, lastTime: p.time, lastFrame: p.frame, packets: 0, silences: [] };
      this.activity.set(key, a);
    }
    if (a.packets > 0 && p.time - a.lastTime > SILENCE_RECORDED && a.silences.length < MAX_SILENCES) a.silences.push({ from: a.lastTime, to: p.time, fromFrame: a.lastFrame, toFrame: p.frame });
    a.packets++;
    a.lastTime = p.time;
    a.lastFrame = p.frame;
  }

  /** Records which later packets go to the old and to the new IP:port of each mapping change. */
  private watchChanges(p: PacketFacts): void {
    for (const c of this.changes) {
      if (c.firstToNew !== undefined || p.frame <= c.frame) continue;
      if (p.src.address === c.now.address || p.src.address === c.old.address) continue;
      if (sameEndpoint(c.old, p.dst)) c.firstToOld ??= p.frame;
      else if (sameEndpoint(c.now, p.dst)) c.firstToNew = p.frame;
    }
  }

  private addChange(c: MappingChange): void {
    if (this.changes.length < MAX_CHANGES) this.changes.push(c);
  }

  private espChange(p: PacketFacts, spi: number, seq: number, transport: string): void {
    if (transport === 'raw') return;
    const key = `${spi}|${transport}`;
    const prev = this.espSenders.get(key);
    if (!prev) {
      if (this.espSenders.size < this.limits.maxFlows) this.espSenders.set(key, { src: p.src, maxSeq: seq });
      return;
    }
    if (!sameEndpoint(prev.src, p.src) && seq > prev.maxSeq) {
      this.addChange({ frame: p.frame, time: p.time, via: 'esp', spi, old: prev.src, now: p.src });
      prev.src = p.src;
    }
    if (seq > prev.maxSeq) prev.maxSeq = seq;
  }

  private flow(p: PacketFacts, kind: FlowKind, spi: number | undefined, transport: string): void {
    const key = `${kind}|${spi ?? ''}|${endpointKey(p.src)}|${endpointKey(p.dst)}|${transport}`;
    let f = this.flows.get(key);
    if (!f) {
      if (this.flows.size >= this.limits.maxFlows) {
        this.droppedFlows++;
        return;
      }
      const onIkePort = this.limits.ikePorts.includes(p.src.port) || this.limits.ikePorts.includes(p.dst.port);
      f = {
        key, kind, src: p.src, dst: p.dst, ipv4: p.ipVersion === 4, spi, transport, onIkePort, packets: 0,
        firstFrame: p.frame, firstTime: p.time, lastFrame: p.frame, lastTime: p.time, frames: [],
        checksumNonZero: 0, checksumNonZeroFrames: [], badKeepalives: 0, badKeepaliveFrames: [],
      };
      this.flows.set(key, f);
    }
    f.packets++;
    f.lastFrame = p.frame;
    f.lastTime = p.time;
    push(f.frames, p.frame);
    if (kind !== 'esp-raw' && p.udp && p.udp.checksumStatus !== 'absent' && p.udp.checksum !== 0) {
      f.checksumNonZero++;
      push(f.checksumNonZeroFrames, p.frame);
    }
    if (kind === 'keepalive' && !p.encap?.keepaliveValid) {
      f.badKeepalives++;
      push(f.badKeepaliveFrames, p.frame);
    }
  }

  private markerMissing(p: PacketFacts): void {
    const esp = p.esp!;
    const ispi = esp.spi.toString(16).padStart(8, '0') + esp.sequence.toString(16).padStart(8, '0');
    const sa = this.sas.get(`1:${ispi}`) ?? this.sas.get(`2:${ispi}`);
    if (sa) {
      if (sa.markerMissing.length < MAX_FRAMES) sa.markerMissing.push({ frame: p.frame, time: p.time, src: p.src, dst: p.dst });
    } else if (this.orphanMarkerMissing.length < MAX_ODD) this.orphanMarkerMissing.push({ frame: p.frame, src: p.src, dst: p.dst });
  }

  private lookup(ike: IkeMessageFacts): SaRecord | undefined {
    const ispi = toHex(ike.ispi);
    const rspi = toHex(ike.rspi);
    const base = this.sas.get(`${ike.ikeVersion}:${ispi}`);
    if (!base) return undefined;
    if (isZeroHex(base.rspi) || isZeroHex(rspi) || base.rspi === rspi) return base;
    return this.sas.get(`${ike.ikeVersion}:${ispi}:${rspi}`);
  }

  private create(p: PacketFacts, ike: IkeMessageFacts): SaRecord {
    const ispi = toHex(ike.ispi);
    const rspi = toHex(ike.rspi);
    const key = this.sas.has(`${ike.ikeVersion}:${ispi}`) ? `${ike.ikeVersion}:${ispi}:${rspi}` : `${ike.ikeVersion}:${ispi}`;
    if (this.sas.size >= this.limits.maxSas) {
      this.sas.delete(this.sas.keys().next().value as string);
      this.evictedSas++;
    }
    const sa: SaRecord = {
      key, ikeVersion: ike.ikeVersion, ispi, rspi, firstFrame: p.frame, firstTime: p.time, lastFrame: p.frame, lastTime: p.time,
      rolesInferred: false, messages: [], droppedMessages: 0, signatures: new Set(), initiatorVids: [], responderVids: [], markerMissing: [],
    };
    this.sas.set(key, sa);
    return sa;
  }

  /** IKEv2 says who sent a message (I flag); IKEv1 roles follow the SA's endpoints. */
  private fromInitiator(sa: SaRecord, p: PacketFacts, ike: IkeMessageFacts, isNew: boolean): boolean {
    if (ike.fromOriginalInitiator !== undefined) return ike.fromOriginalInitiator;
    if (isNew) {
      sa.rolesInferred = !/^0*$/.test(toHex(ike.rspi));
      return true;
    }
    if (sameEndpoint(sa.lastInitiator, p.src) || sameEndpoint(sa.lastResponder, p.dst)) return true;
    if (sameEndpoint(sa.lastResponder, p.src) || sameEndpoint(sa.lastInitiator, p.dst)) return false;
    if (sa.lastInitiator && p.src.address === sa.lastInitiator.address) return true;
    if (sa.lastResponder && p.src.address === sa.lastResponder.address) return false;
    return sa.lastResponder !== undefined && p.dst.address === sa.lastResponder.address;
  }

  private ike(packet: Packet, p: PacketFacts, ike: IkeMessageFacts): void {
    let sa = this.lookup(ike);
    const isNew = !sa;
    sa ??= this.create(p, ike);
    this.sas.delete(sa.key);
    this.sas.set(sa.key, sa);
    const rspi = toHex(ike.rspi);
    if (isZeroHex(sa.rspi) && !isZeroHex(rspi)) sa.rspi = rspi;
    const fromInit = this.fromInitiator(sa, p, ike, isNew);
    const onNatt = ike.carrier === 'natt-port';
    sa.lastFrame = p.frame;
    sa.lastTime = p.time;
    const signature = `${fromInit}|${ike.exchangeType}|${ike.messageId}|${ike.length}|${isZeroHex(rspi)}|${ike.flags}`;
    const retransmission = sa.signatures.has(signature);
    if (!retransmission && sa.signatures.size < 512) sa.signatures.add(signature);
    this.ikeChange(sa, p, fromInit, onNatt, retransmission);
    if (fromInit) {
      sa.initiator ??= p.src;
      sa.responder ??= p.dst;
      sa.lastInitiator = p.src;
      sa.lastResponder ??= p.dst;
      for (const v of ike.vendorIds) if (sa.initiatorVids.length < 32 && !sa.initiatorVids.some((x) => x.hex === v.hex)) sa.initiatorVids.push(v);
    } else {
      sa.responder ??= p.src;
      sa.initiator ??= p.dst;
      sa.lastResponder = p.src;
      sa.lastInitiator ??= p.dst;
      for (const v of ike.vendorIds) if (sa.responderVids.length < 32 && !sa.responderVids.some((x) => x.hex === v.hex)) sa.responderVids.push(v);
      const phase1 = ike.exchangeType === EXCHANGE_MAIN || ike.exchangeType === EXCHANGE_AGGRESSIVE;
      if (ike.ikeVersion === 1 && phase1 && ike.phase1Hashes.length === 1) sa.negotiatedHash = ike.phase1Hashes[0]!;
    }
    if (sa.messages.length >= this.limits.maxMessagesPerSa) {
      sa.droppedMessages++;
      return;
    }
    const natdCheck = ike.natd.length
      ? checkNatd({
          frame: p.frame, fromInitiator: fromInit, ikeVersion: ike.ikeVersion, ispi: ike.ispi, rspi: ike.rspi,
          srcAddr: p.srcAddr, srcPort: p.src.port, dstAddr: p.dstAddr, dstPort: p.dst.port, natd: ike.natd,
          ...(sa.negotiatedHash !== undefined ? { negotiatedHash: sa.negotiatedHash } : {}),
        })
      : undefined;
    const extras = layerExtras(packet);
    sa.messages.push({
      frame: p.frame, time: p.time, src: p.src, dst: p.dst, fromInitiator: fromInit,
      exchangeType: ike.exchangeType, messageId: ike.messageId, isResponse: ike.isResponse,
      encrypted: ike.encrypted, onNattPort: onNatt, retransmission, rspiZero: isZeroHex(rspi), hasSa: ike.hasSa,
      nattVids: ike.vendorIds.flatMap((v) => (v.nattMethod !== undefined ? [v.nattMethod] : [])),
      natd: ike.natd, natdTypes: extras.natdTypes, natdCheck,
      natdWrongFormula: natdCheck ? natdWrongFormula(ike, natdCheck, p) : undefined,
      natdNotifyShapes: extras.natdNotifyShapes, idPorts: extras.idPorts, natOa: extras.natOa, encapModes: ike.encapModes,
    });
  }

  private ikeChange(sa: SaRecord, p: PacketFacts, fromInit: boolean, onNatt: boolean, retransmission: boolean): void {
    const key = `${sa.key}|${fromInit}|${onNatt}`;
    const prev = this.ikeSenders.get(key);
    if (prev && !sameEndpoint(prev, p.src) && !retransmission) {
      this.addChange({ frame: p.frame, time: p.time, via: 'ike', saKey: sa.key, moverIsInitiator: fromInit, old: prev, now: p.src });
    }
    if (!prev || !retransmission) {
      if (this.ikeSenders.size < this.limits.maxFlows || prev) this.ikeSenders.set(key, p.src);
    }
  }

  /** The IKE_SA_INIT / Phase-1 opener: `sa.messages[0]` when the capture has it. */
  static opener(sa: SaRecord): IkeMsg | undefined {
    const m = sa.messages[0];
    if (!m || !m.fromInitiator || !m.rspiZero) return undefined;
    return m.exchangeType === EXCHANGE_MAIN || m.exchangeType === EXCHANGE_AGGRESSIVE || m.exchangeType === EXCHANGE_IKE_SA_INIT ? m : undefined;
  }
}

/** The first 4 bytes of a UDP payload (from the frame, valid during the packet callback). */
function firstUdpWord(packet: Packet): number | undefined {
  const udp = packet.layers.find((l) => l.proto === 'udp');
  if (!udp) return undefined;
  const at = udp.offset + 8;
  const d = packet.frame.data;
  if (at + 8 > d.length) return undefined;
  return ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
}
