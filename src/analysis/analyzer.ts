import type { Endpoint, PacketFacts } from './facts.js';
import { endpointKey, sameEndpoint } from './facts.js';
import { FindingSink } from './finding-sink.js';
import { IkeSaTracker, saLabel, type IkeSa, type IkeSaState } from './ike-sa.js';
import { EspSaTracker, type EspLink, type EspSaState, type EspTransport } from './esp-sa.js';
import { UdpFlowTracker, type UdpFlow } from './flows.js';
import { SaDirectory, type SaOwner } from './sa-directory.js';
import type { AnalysisListener } from './listener.js';
import type { IkeMessageRecord } from './ike-message.js';
import type { Packet } from '../decode/packet.js';
import { ChecksumTracker } from './checksums.js';
import { PrivateAddressRecoverer } from './private-address.js';
import { concludeSa, type SaConclusions } from './sa-checks.js';
import { concludeStatus, ICMP_KIND_CODE, NO_ESP, type EspDirections, type StaleEsp } from './sa-status.js';
import { HostVerdictMemory } from './nat-detection.js';
import { isPrivateAddress } from './addresses.js';
import { nattMethods } from './natt-method.js';
import { ANALYSIS_JSON_VERSION, type AnalysisReport, type CaptureReport, type EspDirectionReport, type EspSaReport, type IkeSaReport, type SaStatusReport } from './report.js';
import type { FindingSeverity } from './findings.js';
import { escapeText } from '../decode/tree.js';
import type { CaptureNotice, RawFrame } from '../capture/frame.js';
import { FAST_KEEPALIVE, FAST_NONE, FAST_RAW_ESP, FAST_UDP_ESP, classifyFrame, portClasses, type FastFrame } from './fast-esp.js';

interface KeepaliveStats {
  count: number;
  fromInitiator: number;
  fromResponder: number;
  maxInterval: number;
  maxIntervalFrame?: number;
  frames: number[];
}

/** One direction's ESP with one more ESP SA in it. */
function addDirection(d: EspDirectionReport | null, e: EspSaState, spi: string): EspDirectionReport {
  if (d === null) return { packets: e.packets, bytes: e.bytes, firstFrame: e.firstFrame, lastFrame: e.lastFrame, firstTime: e.firstTime, lastTime: e.lastTime, spis: [spi] };
  return {
    packets: d.packets + e.packets,
    bytes: d.bytes + e.bytes,
    firstFrame: Math.min(d.firstFrame, e.firstFrame),
    lastFrame: Math.max(d.lastFrame, e.lastFrame),
    firstTime: Math.min(d.firstTime, e.firstTime),
    lastTime: Math.max(d.lastTime, e.lastTime),
    spis: d.spis.includes(spi) || d.spis.length >= 16 ? d.spis : [...d.spis, spi],
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface AnalyzerOptions {
  readonly ikePorts: readonly number[];
  readonly nattPorts: readonly number[];
  /** A typical NAT UDP mapping timeout (s): keepalive intervals above it are flagged (RFC 3948 §4: 20 s). */
  readonly keepaliveTimeout: number;
  readonly maxIkeSas: number;
  readonly maxEspSas: number;
  readonly maxFlows: number;
  readonly maxFindings: number;
  /**
   * Hashes the whole capture may spend recovering private addresses from NAT-D hashes (0 = off;
   * a SHA-384/512 hash counts 16, private-address.ts). A count, never a time: the verdicts must
   * not depend on the machine or its load.
   */
  readonly natdSearchHashes: number;
  /** `feedFrame` may take plain ESP / keepalive frames without a full decode (default true; same report either way). */
  readonly fastPath?: boolean;
  /** Told every IKE message, ESP packet and keepalive as the analysis classified it (timeline, report, verify). */
  readonly listener?: AnalysisListener;
}

export const DEFAULT_ANALYZER_OPTIONS: AnalyzerOptions = {
  ikePorts: [500],
  nattPorts: [4500],
  keepaliveTimeout: 20,
  maxIkeSas: 100_000,
  maxEspSas: 200_000,
  maxFlows: 200_000,
  maxFindings: 10_000,
  natdSearchHashes: 3_200_000,
};

/** Decode expert ids that the analysis reports as findings of its own. */
const EXPERT_TO_FINDING = {
  'udpencap.marker_missing': 'natt.marker_missing',
  'udpencap.keepalive_bad_value': 'natt.keepalive_bad',
  'udpencap.keepalive_bad_length': 'natt.keepalive_bad',
  'udpencap.non_ike_marker': 'natt.non_ike_marker',
  'udpencap.keepalive_on_ike_port': 'natt.keepalive_on_500',
  'udpencap.marker_without_ike': 'natt.marker_without_ike',
  'udpencap.short': 'natt.udpencap_short',
} as const;

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * Sees packets in capture order and keeps all cross-packet state, bounded by the option caps.
 * `finish()` draws the conclusions that need the whole capture and builds the report.
 */
export class Analyzer {
  readonly findings: FindingSink;
  private readonly ike: IkeSaTracker;
  private readonly esp: EspSaTracker;
  private readonly flows: UdpFlowTracker;
  private readonly checksums = new ChecksumTracker();
  private readonly recoverer: PrivateAddressRecoverer;
  private readonly ahPairs = new Map<string, number[]>();
  private frames = 0;
  private keepalivesTotal = 0;
  /** Fast path: port classes, or undefined when it is off; the reused result of `classifyFrame`. */
  private readonly fastPorts: Uint8Array | undefined;
  private readonly fast: FastFrame = { srcIp: 0, dstIp: 0, sport: 0, dport: 0, spi: 0, sequence: 0, udpChecksum: false };
  /** Traffic → IKE SA, the one index (sa-directory.ts). */
  private readonly directory: SaDirectory<IkeSa>;
  private readonly listener: AnalysisListener | undefined;
  /** The first PPTP frame per address pair (a fallback after a failed IPsec attempt). */
  private readonly pptpFirst = new Map<string, number>();
  /** NAT verdicts per host across the capture's SAs (`concludeSa`). */
  private readonly hostVerdicts = new HostVerdictMemory();
  /** The ESP SA that last sent each SPI (per transport), for mapping changes. */
  private readonly espSenders = new Map<string, EspSaState>();

  constructor(private readonly options: AnalyzerOptions = DEFAULT_ANALYZER_OPTIONS) {
    this.findings = new FindingSink(options.maxFindings);
    this.directory = new SaDirectory<IkeSa>(options.maxIkeSas);
    this.ike = new IkeSaTracker({ ikePorts: options.ikePorts, nattPorts: options.nattPorts, maxIkeSas: options.maxIkeSas }, this.findings, this.directory, (c) => this.listener?.mappingChanged?.(c));
    this.esp = new EspSaTracker(options.maxEspSas, this.findings, (e, sequence, time) => this.newEspSa(e, sequence, time));
    this.listener = options.listener;
    this.flows = new UdpFlowTracker(options.maxFlows);
    this.recoverer = new PrivateAddressRecoverer(options.natdSearchHashes, [...options.ikePorts, ...options.nattPorts]);
    this.fastPorts = options.fastPath === false ? undefined : portClasses(options.ikePorts, options.nattPorts);
  }

  /**
   * The fast path (`fast-esp.ts`): takes a frame that is plain IPv4 ESP-in-UDP on a NAT-T port,
   * raw ESP or a NAT keepalive straight from its bytes, with the same effect `feed` would have
   * had on its decoded facts. Returns false (and changes nothing) for every other frame, which
   * the caller then decodes and passes to `feed`. The decode configuration must be the one
   * these options were built from (ports), with nothing else looking at the packets.
   */
  feedFrame(frame: RawFrame): boolean {
    if (this.fastPorts === undefined) return false;
    const f = this.fast;
    const kind = classifyFrame(frame, this.fastPorts, f);
    if (kind === FAST_NONE) return false;
    this.frames++;
    const time = frame.tsSec + frame.tsNsec / 1e9;
    const listener = this.listener;
    listener?.frame?.(frame.number, frame.tsSec, frame.tsNsec);
    if (kind === FAST_UDP_ESP) {
      this.flows.updateV4(f.srcIp, f.sport, f.dstIp, f.dport, frame.number, time, false, f.udpChecksum);
      const e = this.esp.updateV4(f.spi, f.srcIp, f.sport, f.dstIp, f.dport, 'udp-natt', frame.number, time, frame.originalLength, f.sequence);
      if (listener?.traffic) listener.traffic({ frame: frame.number, time, kind: 'esp', src: e.src, dst: e.dst, spi: f.spi, rawEsp: false, owner: e.owner }, undefined);
    } else if (kind === FAST_RAW_ESP) {
      const e = this.esp.updateV4(f.spi, f.srcIp, 0, f.dstIp, 0, 'raw', frame.number, time, frame.originalLength, f.sequence);
      if (listener?.traffic) listener.traffic({ frame: frame.number, time, kind: 'esp', src: e.src, dst: e.dst, spi: f.spi, rawEsp: true, owner: e.owner }, undefined);
    } else if (kind === FAST_KEEPALIVE) {
      const flow = this.flows.updateV4(f.srcIp, f.sport, f.dstIp, f.dport, frame.number, time, true, f.udpChecksum);
      this.keepalivesTotal++;
      this.keepaliveOwner(flow);
      if (listener?.traffic) listener.traffic({ frame: frame.number, time, kind: 'keepalive', src: flow.src, dst: flow.dst, spi: undefined, rawEsp: false, owner: flow.owner }, undefined);
    }
    return true;
  }

  /**
   * The IKE SA of a new ESP SA: the one whose IKE used its endpoints (addresses for raw ESP),
   * else the one its SPI was tied to before: ESP from a new NAT mapping keeps its SPI, and its
   * first packet from the initiator's new endpoint dates the rebinding.
   */
  private newEspSa(e: EspSaState, sequence: number, time: number): { owner: SaOwner<IkeSa>; link: EspLink } | undefined {
    const raw = e.transport === 'raw';
    const known = this.directory.espSpi(e.spi);
    const owner = (known?.how === 'sa-payload' ? known.owner : undefined) ?? this.directory.espOwner(e.src, e.dst, raw) ?? known?.owner;
    this.espMappingChange(e, sequence, time, owner);
    if (owner === undefined) return undefined;
    if (known === undefined || known.src === undefined) this.directory.noteEspSpi(e.spi, owner, e.src);
    return { owner, link: known?.how === 'sa-payload' && known.owner === owner ? 'sa-payload' : 'address-pairing' };
  }

  /**
   * ESP of a known SPI (and transport) from a new endpoint, with a higher sequence number than
   * the SPI had reached: the sender's NAT mapping moved (a replay or reordering is not a move).
   * Seen only when an ESP SA is new, which a new source always makes it. The initiator's first
   * move is the SA's rebinding unless IKE showed one before.
   */
  private espMappingChange(e: EspSaState, sequence: number, time: number, owner: SaOwner<IkeSa> | undefined): void {
    if (e.transport === 'raw') return;
    const key = `${e.spi}|${e.transport}`;
    const before = this.espSenders.get(key);
    if (before === undefined) {
      if (this.espSenders.size >= this.options.maxEspSas) this.espSenders.delete(this.espSenders.keys().next().value as string);
      this.espSenders.set(key, e);
      return;
    }
    if (sameEndpoint(before.src, e.src)) return;
    if (sequence <= before.maxSeq) return;
    this.espSenders.set(key, e);
    const sa = owner !== undefined ? this.tracked(owner) : undefined;
    if (sa?.fromInitiator) this.ike.rebound(sa.sa, true, before.src, e.firstFrame);
    this.listener?.mappingChanged?.({ frame: e.firstFrame, time, via: 'esp', sa: sa?.sa, moverIsInitiator: sa?.fromInitiator, old: before.src, now: e.src, spi: e.spi });
  }

  /** The IKE SA that traffic between two endpoints belongs to now (endpoints, then addresses). */
  trafficOwner(src: Endpoint, dst: Endpoint): SaOwner<IkeSa> | undefined {
    return this.directory.keepaliveOwner(src, dst);
  }

  /** The flow's IKE SA as of now: looked up again only when the directory changed since. */
  private keepaliveOwner(flow: UdpFlow): void {
    if (flow.ownerVersion === this.directory.version) return;
    flow.owner = this.directory.keepaliveOwner(flow.src, flow.dst);
    flow.ownerVersion = this.directory.version;
  }

  /**
   * One decoded packet's facts (`packet`: the packet itself, passed on to the listener). Returns
   * the classification of its IKE message, if it carries one.
   */
  feed(p: PacketFacts, packet?: Packet): IkeMessageRecord | undefined {
    this.frames++;
    let record: IkeMessageRecord | undefined;
    this.checksums.update(p);
    if (p.malformed) this.findings.add('decode.malformed', 'decoder', p.frame);
    for (const id of p.expertIds) {
      if (id === 'ip.reassembly_evicted') this.findings.add('analysis.reassembly_limit', 'reassembly: size limits', p.frame);
      else if (id === 'ip.reassembly_timeout') this.findings.add('analysis.reassembly_limit', 'reassembly: timeout', p.frame);
    }
    for (const id of p.expertIds) {
      const f = EXPERT_TO_FINDING[id as keyof typeof EXPERT_TO_FINDING];
      if (f) this.findings.add(f, `${endpointKey(p.src)} → ${endpointKey(p.dst)}`, p.frame);
    }
    const listener = this.listener;
    if (p.ike) {
      record = this.ike.update(p);
      this.recoverer.observe(p.srcAddr);
      this.recoverer.observe(p.dstAddr);
      if (record && listener?.ikeMessage) listener.ikeMessage(record, p, packet);
    }
    if (p.encap) {
      const flow = p.encap.onNattPort || p.encap.kind === 'keepalive' ? this.flows.update(p) : undefined;
      if (p.encap.kind === 'keepalive') {
        this.keepalivesTotal++;
        if (flow) {
          this.keepaliveOwner(flow);
          if (listener?.traffic) listener.traffic({ frame: p.frame, time: p.time, kind: 'keepalive', src: p.src, dst: p.dst, spi: undefined, rawEsp: false, owner: flow.owner }, p);
        }
      }
      if (p.encap.kind === 'esp' && p.ipVersion === 6 && p.udp?.checksumStatus === 'absent')
        this.findings.add('udpencap.ipv6_zero_checksum', `${endpointKey(p.src)} → ${endpointKey(p.dst)}`, p.frame);
    }
    if (p.esp) {
      const transport: EspTransport = !p.esp.inUdp ? 'raw' : p.encap?.nonIkeMarker ? 'udp-500-draft' : p.encap?.onNattPort ? 'udp-natt' : 'udp-other';
      const e = this.esp.update(p, transport);
      if (e && listener?.traffic) listener.traffic({ frame: p.frame, time: p.time, kind: 'esp', src: p.src, dst: p.dst, spi: p.esp.spi, rawEsp: !p.esp.inUdp, owner: e.owner }, p);
    }
    if (p.espOnIkePort !== undefined)
      this.findings.add('natt.esp_on_500', `${endpointKey(p.src)} → ${endpointKey(p.dst)}`, p.frame, `UDP ${p.src.port}→${p.dst.port} carries what is not IKE (first word 0x${p.espOnIkePort.toString(16).padStart(8, '0')}, read as an ESP SPI) without the drafts' non-IKE marker`);
    if (p.heldFragment) {
      const owner = this.tracked(this.directory.byAddressPair(p.src.address, p.dst.address));
      if (owner) owner.sa.fragmentHeld(p.frame, owner.fromInitiator);
    }
    if (p.icmpError) {
      // Tied to the SA the quoted packet belongs to (its endpoints, then addresses).
      const owner = this.tracked(this.directory.keepaliveOwner(p.icmpError.inner.src, p.icmpError.inner.dst));
      if (owner) owner.sa.icmpError(ICMP_KIND_CODE[p.icmpError.kind], p.frame);
    }
    if (p.ah) this.remember(this.ahPairs, pairKey(p.src.address, p.dst.address), p.frame);
    if (p.l2tp) this.findings.add('tunnel.l2tp_cleartext', pairKey(endpointKey(p.src), endpointKey(p.dst)), p.frame);
    if (p.pptp && !this.pptpFirst.has(pairKey(p.src.address, p.dst.address)) && this.pptpFirst.size < 4096) this.pptpFirst.set(pairKey(p.src.address, p.dst.address), p.frame);
    if (p.pptp) this.findings.add('tunnel.pptp', pairKey(p.src.address, p.dst.address), p.frame, `PPTP ${p.pptp === 'gre' ? 'enhanced GRE data' : 'control connection (TCP 1723)'} between ${p.src.address} and ${p.dst.address}`);
    return record;
  }

  private remember(map: Map<string, number[]>, key: string, frame: number): void {
    let list = map.get(key);
    if (!list) {
      if (map.size >= this.options.maxFlows) return;
      list = [];
      map.set(key, list);
    }
    if (list.length < 16) list.push(frame);
  }

  /**
   * A notice from reading `file`, after `frame` (the last frame read), as a finding: damage
   * resynchronised past (`capture.resynchronised`, counted per file), blocks or records that were
   * well framed but unusable (`capture.blocks_skipped`). Other notices are not findings.
   */
  captureNotice(file: string, notice: CaptureNotice, frame: number): void {
    const id = notice.kind === 'resynchronised' ? 'capture.resynchronised' : notice.kind === 'skipped' || notice.kind === 'unknown-block' ? 'capture.blocks_skipped' : undefined;
    if (id !== undefined) this.findings.add(id, file, frame > 0 ? frame : [], notice.message);
  }

  /**
   * Draws the conclusions and builds the report. Releases the tracker state as it goes (each IKE
   * SA's once its report entry is made), so that the state and the report it turns into do not
   * both peak in memory: call once, at the end.
   */
  finish(captures: readonly CaptureReport[]): AnalysisReport {
    for (const c of captures) if (c.error !== undefined) this.findings.add('capture.read_error', c.file, c.frames > 0 ? c.frames : [], `Reading stopped after frame ${c.frames}: ${c.error}`);
    const { conclusions, keepalivesBySa, espLinks } = this.conclude();
    this.translationChecks(conclusions);
    for (const f of this.flows.values()) {
      if (f.checksumNonZero) this.findings.add('udpencap.checksum_nonzero', `${endpointKey(f.src)} → ${endpointKey(f.dst)}`, f.checksumNonZeroFrames, `${f.checksumNonZero} UDP-encapsulated packet(s) with a non-zero UDP checksum`);
    }
    this.checksums.report(this.findings);
    if (this.flows.evicted) this.findings.add('analysis.flow_evicted', 'flow table', [], `${this.flows.evicted} flow state(s) evicted (cap ${this.options.maxFlows})`);

    // The SPIs of the ESP SAs each IKE SA owns, in ESP report order; its ESP per direction; ESP still sent to an old mapping.
    const owned = new Map<IkeSaState, string[]>();
    const directions = new Map<IkeSaState, EspDirections>();
    const stale = new Map<IkeSaState, StaleEsp[]>();
    for (const e of espLinks) {
      if (!e.owner) continue;
      push(owned, e.owner, e.report.spi);
      const fromInitiator = e.state.owner?.sa === e.owner ? e.state.owner.fromInitiator : e.owner.initiatorEndpoints.includes(endpointKey(e.state.src));
      let d = directions.get(e.owner);
      if (!d) directions.set(e.owner, (d = { initiatorToResponder: null, responderToInitiator: null }));
      const key = fromInitiator ? 'initiatorToResponder' : 'responderToInitiator';
      d[key] = addDirection(d[key], e.state, e.report.spi);
      const old = e.owner.oldInitiatorEndpoint;
      const moved = e.owner.rebindingFrame;
      if (!fromInitiator && old && moved !== undefined && e.state.transport !== 'raw' && sameEndpoint(e.state.dst, old) && e.state.lastFrame > moved)
        push(stale, e.owner, { spi: e.report.spi, dst: e.state.dst, lastFrame: e.state.lastFrame, packets: e.state.packets });
    }
    const espReports = espLinks.map((e) => e.report);
    espLinks.length = 0;
    this.esp.clear();
    this.flows.clear();
    let natDetected = 0;
    for (const c of conclusions.values()) if (c.natPresent) natDetected++;
    const sas: (IkeSaState | undefined)[] = [...this.ike.sas.values()].sort((a, b) => a.firstFrame - b.firstFrame);
    this.ike.sas.clear();
    const ikeReports: IkeSaReport[] = new Array<IkeSaReport>(sas.length);
    for (let i = 0; i < sas.length; i++) {
      const sa = sas[i]!;
      const status = this.sharedStatus(concludeStatus(sa, this.findings, { esp: directions.get(sa) ?? NO_ESP, staleEsp: stale.get(sa) ?? [], keepaliveTimeout: this.options.keepaliveTimeout }));
      ikeReports[i] = this.ikeReport(sa, conclusions.get(sa)!, keepalivesBySa.get(sa) ?? 0, owned.get(sa), status);
      if ((status.ike === 'failed' || status.child === 'failed') && sa.initiator && sa.responder) {
        const pptp = this.pptpFirst.get(pairKey(sa.initiator.address, sa.responder.address));
        if (pptp !== undefined && pptp > sa.firstFrame)
          this.findings.add('tunnel.pptp_fallback', saLabel(sa), [status.failedFrame ?? sa.lastFrame, pptp], `After this IPsec attempt failed (${status.verdict}), the same peers switched to PPTP (frame ${pptp}): the fallback administrators used when L2TP/IPsec could not cross a NAT (PPTP's MPPE is weak; fix NAT-T instead)`);
      }
      directions.delete(sa);
      stale.delete(sa);
      this.listener?.saReported?.(sa, ikeReports[i]!);
      sas[i] = undefined;
      conclusions.delete(sa);
      keepalivesBySa.delete(sa);
      owned.delete(sa);
    }
    const findings = this.findings.take();
    const counts: Record<FindingSeverity, number> = { error: 0, warning: 0, note: 0, chat: 0 };
    for (const f of findings) counts[f.severity]++;
    return {
      type: 'analysis',
      v: ANALYSIS_JSON_VERSION,
      captures,
      summary: {
        frames: this.frames,
        ikeSas: ikeReports.length,
        espSas: espReports.length,
        natDetected,
        keepalives: this.keepalivesTotal,
        findings: counts,
      },
      ikeSas: ikeReports,
      espSas: espReports,
      findings,
    };
  }

  /** Per-SA conclusions and keepalive findings, and the ESP SAs linked to their IKE SAs (the endpoint index lives only here). */
  private conclude(): { conclusions: Map<IkeSaState, SaConclusions>; keepalivesBySa: Map<IkeSaState, number>; espLinks: { state: EspSaState; report: EspSaReport; owner?: IkeSaState }[] } {
    const conclusions = new Map<IkeSaState, SaConclusions>();
    const keepalivesBySa = new Map<IkeSaState, number>();
    const allKeepalives = this.keepaliveStats();
    const none: KeepaliveStats = { count: 0, fromInitiator: 0, fromResponder: 0, maxInterval: 0, frames: [] };
    for (const sa of this.ike.sas.values()) {
      const { count, fromInitiator, fromResponder, maxInterval, maxIntervalFrame, frames } = allKeepalives.get(sa) ?? none;
      keepalivesBySa.set(sa, count);
      const c = concludeSa(sa, this.findings, {
        initiatorKeepalives: fromInitiator > 0,
        responderKeepalives: fromResponder > 0,
        keepaliveTimeout: this.options.keepaliveTimeout,
        recover: (check) => this.recoverer.recover(check),
        hosts: this.hostVerdicts,
      });
      conclusions.set(sa, c);
      const label = saLabel(sa);
      // Only where the negotiation was seen can the absence of NAT-T be told.
      if (count && !c.nattMethod && sa.initiatorFirstSeen && sa.messages >= 2) this.findings.add('natt.keepalive_without_natt', label, frames);
      if (c.natPresent && maxInterval > this.options.keepaliveTimeout && maxIntervalFrame !== undefined)
        this.findings.add('natt.keepalive_interval_long', label, maxIntervalFrame, `Keepalive interval of ${maxInterval.toFixed(1)} s exceeds ${this.options.keepaliveTimeout} s: the NAT mapping may expire`);
      if ((fromInitiator && c.verdict.initiator === 'not-behind-nat' && !c.verdict.forcedEncapsulation) || (fromResponder && c.verdict.responder === 'not-behind-nat'))
        this.findings.add('natt.keepalive_from_public_side', label, frames);
      // A keepalive silence longer than the NAT's UDP timeout, then the initiator back from a new mapping: the mapping expired.
      if (maxInterval > this.options.keepaliveTimeout && maxIntervalFrame !== undefined && sa.rebindingFrame !== undefined && sa.rebindingFrame >= maxIntervalFrame)
        this.findings.add('natt.mapping_expired', label, [maxIntervalFrame, sa.rebindingFrame], `No keepalive for ${maxInterval.toFixed(1)} s (until frame ${maxIntervalFrame}), longer than a NAT's UDP timeout (${this.options.keepaliveTimeout} s), then the initiator came back from a new endpoint at frame ${sa.rebindingFrame}: the NAT mapping expired in the silence`);
      // IKE between a private and a public address without NAT-T: a NAT on the path that ESP will not cross.
      if (!c.nattMethod && sa.initiatorFirstSeen && sa.messages >= 2 && sa.initiator && sa.responder && isPrivateAddress(sa.initiator.address) !== isPrivateAddress(sa.responder.address))
        this.findings.add('natt.not_negotiated_across_nat', label, sa.firstFrame, `IKE between ${sa.initiator.address} and ${sa.responder.address}: one is a private (RFC 1918 / RFC 6598) address, so a NAT sits on the path, yet NAT-T was not negotiated (no common NAT-T vendor ID or NAT-D): ESP will go out raw (protocol 50) and not cross the NAT`);
    }
    const espLinks = this.linkEsp(conclusions);
    return { conclusions, keepalivesBySa, espLinks };
  }

  /**
   * Keepalives per IKE SA: a keepalive flow belongs to the SA its latest keepalive was tied to
   * (`SaDirectory.keepaliveOwner`: the SA whose IKE last used its endpoints, else its addresses,
   * for peers that send to 4500 without having floated). Linear in flows.
   */
  private keepaliveStats(): Map<IkeSaState, KeepaliveStats> {
    const stats = new Map<IkeSaState, KeepaliveStats>();
    for (const f of this.flows.values()) {
      if (!f.keepalives) continue;
      const owner = this.tracked(f.owner);
      if (owner === undefined) continue;
      {
        const { sa, fromInitiator } = owner;
        let st = stats.get(sa);
        if (!st) {
          st = { count: 0, fromInitiator: 0, fromResponder: 0, maxInterval: 0, frames: [] };
          stats.set(sa, st);
        }
        st.count += f.keepalives;
        if (fromInitiator) st.fromInitiator += f.keepalives;
        else st.fromResponder += f.keepalives;
        if (f.maxKeepaliveInterval > st.maxInterval) {
          st.maxInterval = f.maxKeepaliveInterval;
          if (f.maxKeepaliveIntervalFrame !== undefined) st.maxIntervalFrame = f.maxKeepaliveIntervalFrame;
        }
        if (st.frames.length < 16) st.frames.push(...f.keepaliveFrames.slice(0, 4));
      }
    }
    return stats;
  }

  /** The owner's SA, if the tracker still has it (not evicted). */
  private tracked(owner: { readonly sa: object; readonly fromInitiator: boolean } | undefined): { sa: IkeSa; fromInitiator: boolean } | undefined {
    if (owner === undefined) return undefined;
    const sa = owner.sa as IkeSa;
    return this.ike.sas.get(sa.key) === sa ? { sa, fromInitiator: owner.fromInitiator } : undefined;
  }

  /**
   * The ESP SAs' reports with their IKE SAs, as tied when each ESP SA's first packet arrived
   * (`espOwner`: by SPI from a cleartext SA payload, else the IKE SA that last used its
   * endpoints, or for raw ESP its addresses, else its SPI's earlier SA).
   */
  private linkEsp(conclusions: Map<IkeSaState, SaConclusions>): { state: EspSaState; report: EspSaReport; owner?: IkeSaState }[] {
    const out: { state: EspSaState; report: EspSaReport; owner?: IkeSaState }[] = [];
    for (const e of this.esp.values().sort((a, b) => a.firstFrame - b.firstFrame)) {
      const spi = e.spi.toString(16).padStart(8, '0');
      // Tied when its first packet arrived (espOwner): the same tie every listener was told.
      const owner = this.tracked(e.owner)?.sa;
      const link: EspLink | null = owner ? (e.ownerLink ?? 'address-pairing') : null;
      if (owner && link === 'address-pairing' && owner.espSpiCount < 64 && !owner.hasEspSpi(spi)) owner.setEspSpi(spi, 'address-pairing');
      if (owner && e.transport === 'raw') {
        const c = conclusions.get(owner);
        if (c?.natPresent) this.findings.add('natt.raw_esp_after_nat', saLabel(owner), e.firstFrame, `Raw ESP SPI 0x${spi} between ${e.src.address} and ${e.dst.address}, whose IKE SA detected a NAT`);
      }
      // Raw ESP from a private address to a public one: a NAT on the path has no ports to translate it by.
      if (e.transport === 'raw' && isPrivateAddress(e.src.address) !== isPrivateAddress(e.dst.address))
        this.findings.add('natt.raw_esp_private_to_public', owner ? saLabel(owner) : `${e.src.address} → ${e.dst.address}`, e.firstFrame, `Raw ESP (IP protocol 50) SPI 0x${spi} from ${e.src.address} to ${e.dst.address}: one side is a private (RFC 1918 / RFC 6598) address, so a NAT sits on the path, and ESP has no ports for it to translate: without NAT-T (UDP 4500) it does not get through (the classic L2TP/IPsec-behind-NAT failure)`);
      out.push({
        state: e,
        ...(owner ? { owner } : {}),
        report: {
          spi,
          src: { address: e.src.address, port: e.src.port },
          dst: { address: e.dst.address, port: e.dst.port },
          transport: e.transport,
          packets: e.packets,
          bytes: e.bytes,
          firstFrame: e.firstFrame,
          lastFrame: e.lastFrame,
          firstTime: e.firstTime,
          lastTime: e.lastTime,
          sequence: { max: e.maxSeq, gaps: e.gaps, missing: e.missing, replays: e.replays, resets: e.resets },
          ikeSa: owner ? { initiatorSpi: owner.ispi, responderSpi: owner.rspi } : null,
          ikeSaLink: link,
        },
      });
    }
    return out;
  }

  /** Mapping reuse, shared public addresses, AH across a NAT. */
  private translationChecks(conclusions: Map<IkeSaState, SaConclusions>): void {
    const natAddressPairs = new Set<string>();
    const byInitiatorEndpoint = new Map<string, IkeSaState[]>();
    const byPublicAddressAndResponder = new Map<string, IkeSaState[]>();
    for (const [sa, c] of conclusions) {
      if (!sa.initiator || !sa.responder) continue;
      if (c.natPresent) natAddressPairs.add(pairKey(sa.initiator.address, sa.responder.address));
      // Only outside the initiator's NAT does the address seen stand for the NAT, not the host.
      if (c.verdict.initiator !== 'behind-nat' || c.verdict.capturePoint.initiatorNat !== 'outside') continue;
      const endpoint = endpointKey(sa.lastInitiator ?? sa.initiator);
      push(byInitiatorEndpoint, endpoint, sa);
      const group = `${sa.initiator.address}|${endpointKey(sa.responder)}`;
      push(byPublicAddressAndResponder, group, sa);
    }
    const fingerprint = (sa: IkeSaState): string => sa.initiatorVids.map((v) => v.hex).sort().join(',');
    for (const [endpoint, sas] of byInitiatorEndpoint) {
      if (sas.length < 2) continue;
      const prints = new Set(sas.map(fingerprint).filter((f) => f !== ''));
      const oas = new Set(sas.flatMap((s) => s.natOa.map((o) => o.address)));
      if (prints.size > 1 || oas.size > 1)
        this.findings.add('natt.mapping_reuse', endpoint, sas.map((s) => s.firstFrame), `${endpoint} carried IKE SAs of ${prints.size > 1 ? 'different implementations (vendor IDs differ)' : 'different original addresses (NAT-OA differs)'}: ${sas.map(saLabel).join(', ')}`);
    }
    // Several clients behind one NAT: concurrently active SAs from different public ports.
    for (const [group, sas] of byPublicAddressAndResponder) {
      const concurrent = sas.filter((a) => sas.some((b) => b !== a && b.initiator!.port !== a.initiator!.port && a.firstTime <= b.lastTime && b.firstTime <= a.lastTime));
      const ports = new Set(concurrent.map((s) => s.initiator!.port));
      if (ports.size < 2) continue;
      const [address, responder] = group.split('|');
      this.findings.add('natt.shared_public_address', group, concurrent.map((s) => s.firstFrame), `${ports.size} clients behind ${address} (source ports ${[...ports].join(', ')}) talk to ${responder} at the same time`);
    }
    for (const [pair, frames] of this.ahPairs) {
      if (natAddressPairs.has(pair)) this.findings.add('natt.ah_across_nat', pair.replace('|', ' ↔ '), frames);
    }
  }

  /**
   * Reasoning sentences repeat across SAs (a flood of opening messages gives every SA the same
   * two): one copy each while the table has room, so the report of 100 000 SAs does not hold
   * 100 000 copies.
   */
  private readonly sentences = new Map<string, string>();
  /** Statuses without frames or ESP (every SA of an IKE_SA_INIT flood has the same one): one object each. */
  private readonly statuses = new Map<string, SaStatusReport>();
  private sharedStatus(s: SaStatusReport): SaStatusReport {
    if (s.establishedFrame !== null || s.failedFrame !== null || s.deletedFrame !== null || s.esp !== NO_ESP || s.icmpErrors.length > 0) return { ...s, verdict: this.shared(s.verdict) };
    const key = `${s.ike}|${s.child}|${s.cause}|${s.verdict}`;
    const known = this.statuses.get(key);
    if (known) return known;
    if (this.statuses.size < 64) this.statuses.set(key, s);
    return s;
  }
  private shared(text: string): string {
    const known = this.sentences.get(text);
    if (known !== undefined) return known;
    if (this.sentences.size < 4096) this.sentences.set(text, text);
    return text;
  }

  /** Vendor ID names repeat across SAs: escaped once each. */
  private readonly escapedNames = new Map<string, string>();
  private escapedName(name: string): string {
    let e = this.escapedNames.get(name);
    if (e === undefined) {
      if (this.escapedNames.size >= 4096) this.escapedNames.clear();
      e = escapeText(name);
      this.escapedNames.set(name, e);
    }
    return e;
  }

  private ikeReport(sa: IkeSaState, c: SaConclusions, keepalives: number, owned: readonly string[] | undefined, status: SaStatusReport): IkeSaReport {
    const espSpis = owned ? [...owned] : [];
    const listed = new Set(espSpis);
    for (const [spi] of sa.espSpiEntries()) if (!listed.has(spi)) {
      espSpis.push(spi);
      listed.add(spi);
    }
    const vid = (v: { hex: string; name?: string }) => ({ hex: v.hex, name: v.name !== undefined ? this.escapedName(v.name) : null });
    return {
      initiatorSpi: sa.ispi,
      responderSpi: sa.rspi,
      ikeVersion: sa.ikeVersion,
      initiator: sa.initiator ? { address: sa.initiator.address, port: sa.initiator.port } : null,
      responder: sa.responder ? { address: sa.responder.address, port: sa.responder.port } : null,
      initiatorEndpoints: [...sa.initiatorEndpoints],
      responderEndpoints: [...sa.responderEndpoints],
      rolesInferred: sa.rolesInferred,
      nat: {
        initiator: c.verdict.initiator,
        responder: c.verdict.responder,
        forcedEncapsulation: c.verdict.forcedEncapsulation,
        capturePoint: c.verdict.capturePoint,
        reasoning: c.verdict.reasoning.map((r) => this.shared(r)),
        privateAddresses: {
          initiator: c.verdict.recovered.initiator ? endpointKey(c.verdict.recovered.initiator) : null,
          responder: c.verdict.recovered.responder ? endpointKey(c.verdict.recovered.responder) : null,
        },
      },
      nattMethod: c.nattMethod,
      nattOffered: { initiator: nattMethods(sa.initiatorVids), responder: nattMethods(sa.responderVids) },
      floatedAtFrame: sa.floatedAtFrame,
      floatedAt: sa.floatedAt ?? null,
      firstFrame: sa.firstFrame,
      lastFrame: sa.lastFrame,
      firstTime: sa.firstTime,
      lastTime: sa.lastTime,
      messages: sa.messages,
      retransmissions: sa.retransmissions,
      exchanges: sa.exchangeNames(),
      espSpis,
      espSpiLinks: Object.fromEntries([...sa.espSpiEntries()].filter(([spi]) => listed.has(spi))),
      keepalives,
      vendorIds: { initiator: sa.initiatorVids.map(vid), responder: sa.responderVids.map(vid) },
      natOa: sa.natOa.map((o) => ({ ...o })),
      natd: sa.natdChecks.map((n) => ({ frame: n.frame, from: n.fromInitiator ? 'initiator' : 'responder', destinationMatches: n.dstOk ?? null, sourceMatches: n.srcOk ?? null, sourcePortZero: n.srcPortZero })),
      windowsAssumeUdpEncapsulationRule: c.windowsRule,
      status,
    };
  }
}
