import type { Packet } from '../decode/packet.js';
import type { Endpoint, PacketFacts } from '../analysis/facts.js';
import { endpointKey, sameEndpoint } from '../analysis/facts.js';
import { checkNatd } from '../analysis/nat-detection.js';
import type { AnalysisListener, MappingChangeRecord, TrafficRecord } from '../analysis/listener.js';
import type { IkeSaReport } from '../analysis/report.js';
import type { IkeMessageRecord, IkeSaIdentity } from '../analysis/ike-message.js';
import { SILENCE_RECORDED, type DirectionActivity, type EncapFlow, type FlowKind, type IkeMsg, type MappingChange, type MarkerWithoutIke, type OddIkePortPacket, type SaRecord, type Silence } from './model.js';
import { layerExtras } from './layer-extras.js';
import { hexOf } from '../analysis/hex.js';
import { EXCHANGE } from '../decode/isakmp/exchanges.js';
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


function push(list: number[], frame: number, cap = MAX_FRAMES): void {
  if (list.length < cap) list.push(frame);
}

const isZeroHex = (h: string): boolean => /^0*$/.test(h);
const NO_EXTRAS = { natdTypes: [], natdNotifyShapes: [], idPorts: [], natOa: [] } as const;

/**
 * Listens to the analysis pass (every decoded packet, and each IKE message as the analysis
 * classified it: SA, sender, step, retransmission) and keeps what the conformance checks need,
 * all of it bounded: IKE messages per SA, UDP-encapsulation / ESP flows, activity per
 * direction, mapping changes and who followed them.
 */
export class VerifyObserver implements AnalysisListener {
  /** Flows and activity count every packet: no fast path. */
  readonly decodeEveryFrame = true;
  /** The record of each of the analysis's SAs. */
  private readonly byIdentity = new Map<IkeSaIdentity, SaRecord>();
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

  constructor(private readonly limits: ObserverLimits = DEFAULT_OBSERVER_LIMITS) {}

  frame(number: number, tsSec: number, tsNsec: number): void {
    this.noteFrame(number, tsSec + tsNsec / 1e9);
  }

  /** Every decoded packet (IKE messages come again, classified, to `ikeMessage`). */
  packet(packet: Packet, p: PacketFacts | undefined): void {
    if (p) this.feed(packet, p);
  }

  feed(packet: Packet, p: PacketFacts): void {
    // ICMP errors quote the packet that failed: its UDP and ESP headers are not this packet's.
    if (p.ipProto !== IP_UDP && p.ipProto !== IP_ESP) return;
    this.watchChanges(p);
    this.noteActivity(p);
    if (p.ike) return;
    const markerMissing = p.expertIds.includes('udpencap.marker_missing');
    if (markerMissing && p.esp) {
      this.markerMissing(p);
      return;
    }
    if (p.expertIds.includes('udpencap.marker_without_ike')) {
      if (this.markerWithoutIke.length < MAX_ODD) this.markerWithoutIke.push({ frame: p.frame, src: p.src, dst: p.dst });
      return;
    }
    // Keepalives and ESP come again, tied to their IKE SA by the analysis, to `traffic`.
    if (p.encap?.kind === 'keepalive' || p.esp) return;
    const onIkePort = this.limits.ikePorts.includes(p.src.port) || this.limits.ikePorts.includes(p.dst.port);
    // The first word of a UDP payload on the IKE port that is not IKE (packet-facts.ts reads it, reassembled or not).
    if (onIkePort && p.udp && p.espOnIkePort !== undefined && this.oddIkePort.length < MAX_ODD) this.oddIkePort.push({ frame: p.frame, src: p.src, dst: p.dst, firstWord: p.espOnIkePort });
  }

  /** A keepalive or ESP packet, with the IKE SA the analysis tied it to. */
  traffic(t: TrafficRecord, p: PacketFacts | undefined): void {
    if (!p || (p.ipProto !== IP_UDP && p.ipProto !== IP_ESP)) return;
    if (p.expertIds.includes('udpencap.marker_missing') || p.expertIds.includes('udpencap.marker_without_ike')) return;
    const owner = t.owner ? { sa: t.owner.sa, fromInitiator: t.owner.fromInitiator } : undefined;
    if (t.kind === 'keepalive') {
      this.flow(p, 'keepalive', undefined, p.encap?.onNattPort ? 'udp-natt' : 'udp-other', owner);
      return;
    }
    if (!p.esp) return;
    const transport = !p.esp.inUdp ? 'raw' : p.encap?.nonIkeMarker ? 'udp-500-draft' : p.encap?.onNattPort ? 'udp-natt' : 'udp-other';
    this.flow(p, p.esp.inUdp ? 'esp-udp' : 'esp-raw', p.esp.spi, transport, owner);
  }

  /** A NAT mapping change, as the analysis saw it (IKE or ESP from a side's new endpoint). */
  mappingChanged(c: MappingChangeRecord): void {
    this.addChange({ frame: c.frame, time: c.time, via: c.via, ...(c.sa ? { sa: c.sa } : {}), ...(c.spi !== undefined ? { spi: c.spi } : {}), ...(c.moverIsInitiator !== undefined ? { moverIsInitiator: c.moverIsInitiator } : {}), old: c.old, now: c.now });
  }

  /** The analysis's report entry for one of its SAs. */
  saReported(sa: IkeSaIdentity, report: IkeSaReport): void {
    const record = this.byIdentity.get(sa);
    if (record) record.report = report;
  }

  /** The record kept for one of the analysis's SAs. */
  recordOf(sa: IkeSaIdentity): SaRecord | undefined {
    return this.byIdentity.get(sa);
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

  private flow(p: PacketFacts, kind: FlowKind, spi: number | undefined, transport: string, owner: EncapFlow['owner']): void {
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
        checksumNonZero: 0, checksumNonZeroFrames: [], badKeepalives: 0, badKeepaliveFrames: [], owner,
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

  /** The record of the analysis's SA (made on its first message; bounded, oldest dropped first). */
  private recordFor(m: IkeMessageRecord): SaRecord {
    let sa = this.byIdentity.get(m.sa);
    if (sa) {
      this.byIdentity.delete(m.sa);
      this.byIdentity.set(m.sa, sa);
      this.sas.delete(sa.key);
      this.sas.set(sa.key, sa);
      return sa;
    }
    if (this.byIdentity.size >= this.limits.maxSas) {
      const [oldest, record] = this.byIdentity.entries().next().value as [IkeSaIdentity, SaRecord];
      this.byIdentity.delete(oldest);
      if (this.sas.get(record.key) === record) this.sas.delete(record.key);
      this.evictedSas++;
    }
    sa = {
      key: m.sa.key, ikeVersion: m.ikeVersion, ispi: m.sa.ispi, rspi: m.sa.rspi, firstFrame: m.frame, firstTime: m.time, lastFrame: m.frame, lastTime: m.time,
      // The first message seen is not the opening one: IKEv1 roles are the analysis's guess.
      rolesInferred: m.ikeVersion === 1 && !isZeroHex(hexOf(m.facts.rspi)),
      messages: [], droppedMessages: 0, initiatorVids: [], responderVids: [], markerMissing: [],
    };
    this.byIdentity.set(m.sa, sa);
    this.sas.delete(sa.key);
    this.sas.set(sa.key, sa);
    return sa;
  }

  /** One IKE message, as the analysis classified it. */
  ikeMessage(m: IkeMessageRecord, p: PacketFacts, packet: Packet | undefined): void {
    const ike = m.facts;
    const sa = this.recordFor(m);
    sa.rspi = m.sa.rspi;
    const fromInit = m.fromInitiator;
    const onNatt = ike.carrier === 'natt-port';
    const retransmission = m.retransmission;
    sa.lastFrame = p.frame;
    sa.lastTime = p.time;
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
      const phase1 = ike.exchangeType === EXCHANGE.MAIN || ike.exchangeType === EXCHANGE.AGGRESSIVE;
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
    const extras = packet ? layerExtras(packet) : NO_EXTRAS;
    sa.messages.push({
      frame: p.frame, time: p.time, src: p.src, dst: p.dst, fromInitiator: fromInit,
      exchangeType: ike.exchangeType, messageId: ike.messageId, isResponse: ike.isResponse,
      encrypted: ike.encrypted, onNattPort: onNatt, retransmission, step: m.step, isRequest: m.isRequest, responseTo: m.responseTo, rspiZero: isZeroHex(hexOf(ike.rspi)), hasSa: ike.hasSa,
      nattVids: ike.vendorIds.flatMap((v) => (v.nattMethod !== undefined ? [v.nattMethod] : [])),
      natd: ike.natd, natdTypes: extras.natdTypes, natdCheck,
      natdWrongFormula: natdCheck ? natdWrongFormula(ike, natdCheck, p) : undefined,
      natdNotifyShapes: extras.natdNotifyShapes, idPorts: extras.idPorts, natOa: extras.natOa, encapModes: ike.encapModes,
    });
  }


  /** The IKE_SA_INIT / Phase-1 opener: `sa.messages[0]` when the capture has it. */
  static opener(sa: SaRecord): IkeMsg | undefined {
    const m = sa.messages[0];
    if (!m || !m.fromInitiator || !m.rspiZero) return undefined;
    return m.exchangeType === EXCHANGE.MAIN || m.exchangeType === EXCHANGE.AGGRESSIVE || m.exchangeType === EXCHANGE.IKE_SA_INIT ? m : undefined;
  }
}
