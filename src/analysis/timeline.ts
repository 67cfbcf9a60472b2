import type { Endpoint } from './facts.js';
import { endpointKey, sameEndpoint } from './facts.js';
import { EXCHANGE, exchangeName } from './exchange-names.js';
import type { AnalysisReport, EspSaReport, IkeSaReport } from './report.js';
import type { FindingId, FindingSeverity } from './findings.js';
import type { AnalysisListener, TrafficRecord } from './listener.js';
import { establishesSa, ikeMessageLabel, type IkeMessageRecord, type IkeSaIdentity } from './ike-message.js';

/**
 * The investigation timeline (`espy timeline`): what happened, in capture time order, with the
 * frames that show it. Built from the analysis report plus what `TimelineRecorder` notes while
 * the packets go by (each frame's time, the IKE messages of each SA, keepalive gaps). Events the
 * capture cannot prove (a delete inside an encrypted INFORMATIONAL, a rekey) say they are inferred.
 */
export type TimelineKind =
  | 'ike_sa.started'
  | 'ike_sa.established'
  | 'ike_sa.failed'
  | 'ike_sa.child_sa'
  | 'ike_sa.rekeyed'
  | 'ike_sa.deleted'
  | 'child_sa.deleted'
  | 'nat.detected'
  | 'ike_sa.floated'
  | 'nat.mapping_changed'
  | 'keepalive.started'
  | 'keepalive.gap'
  | 'esp_sa.first'
  | 'esp_sa.last'
  | 'finding';

export interface TimelineEvent {
  /** Microseconds since the Unix epoch (an exact integer), or null when no frame dates it. */
  readonly timeUs: number | null;
  readonly frame: number | null;
  readonly frames: readonly number[];
  /** "IKEv2 <ispi>/<rspi>" for IKE SA events (and ESP SAs tied to one), "ESP 0x<spi>" otherwise. */
  readonly sa: string | null;
  readonly kind: TimelineKind;
  /** The capture does not show it directly (encrypted, or concluded from what follows). */
  readonly inferred: boolean;
  readonly finding: FindingId | null;
  readonly severity: FindingSeverity | null;
  /** Built from report values; the renderers still escape it. */
  readonly message: string;
}

const MAX_SAS = 100_000;
const MAX_MARKS = 16;
const MAX_FLOWS = 100_000;
const MAX_GAPS_PER_FLOW = 16;
const CHUNK = 65_536;

interface IkeMessage {
  readonly frame: number;
  readonly exchange: number;
  readonly isResponse: boolean | undefined;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** Sent before the responder's SPI was known (an SA's opening message). */
  readonly rspiZero: boolean;
}

/** What one IKE SA's messages showed, from the analysis's classification of each (`IkeMessageRecord`). */
interface SaMessages {
  first?: IkeMessage;
  last?: IkeMessage;
  established?: { frame: number; why: string };
  readonly childExchanges: { frame: number; what: string; messageId: number }[];
  readonly deletes: { frame: number; spis: string[] }[];
  /** The SA's INFORMATIONAL requests (the last few), for dating an inferred delete. */
  readonly informationalRequests: number[];
  /** The message the SA floated with. */
  floated?: IkeMessage;
}

interface KeepaliveFlow {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly firstFrame: number;
  lastFrame: number;
  lastUs: number;
  count: number;
  readonly gaps: { from: number; to: number; seconds: number }[];
  moreGaps: number;
  /** The IKE SA of its latest keepalive. */
  owner: IkeSaIdentity | undefined;
}

/**
 * Listens to the analysis pass (`AnalysisListener`) and notes what the report does not keep:
 * each frame's time, the milestones of each IKE SA's messages (as the analysis classified them:
 * same SA, sender, step and retransmission rule as `espy analyze`), keepalive gaps. Bounded like
 * the analyzer.
 */
export class TimelineRecorder implements AnalysisListener {
  private readonly chunks: Float64Array[] = [];
  private readonly sas = new Map<IkeSaIdentity, SaMessages>();
  private readonly keepalives = new Map<string, KeepaliveFlow>();
  /** The report entry of each tracked SA, and back (filled by `saReported`). */
  private readonly reports = new Map<IkeSaIdentity, IkeSaReport>();
  private readonly byReport = new Map<IkeSaReport, SaMessages>();

  constructor(private readonly keepaliveTimeout: number) {}

  /** Every frame read, so any evidence frame can be dated. */
  frame(frame: number, sec: number, nsec: number): void {
    this.frameTime(frame, sec, nsec);
  }

  frameTime(frame: number, sec: number, nsec: number): void {
    if (frame < 1) return;
    const i = frame - 1;
    const c = Math.floor(i / CHUNK);
    while (this.chunks.length <= c) this.chunks.push(new Float64Array(CHUNK).fill(NaN));
    this.chunks[c]![i % CHUNK] = sec * 1_000_000 + Math.floor(nsec / 1000);
  }

  timeOf(frame: number): number | null {
    const v = frame >= 1 ? this.chunks[Math.floor((frame - 1) / CHUNK)]?.[(frame - 1) % CHUNK] : undefined;
    return v === undefined || Number.isNaN(v) ? null : v;
  }

  ikeMessage(r: IkeMessageRecord): void {
    const ike = r.facts;
    let sa = this.sas.get(r.sa);
    if (!sa) {
      if (this.sas.size >= MAX_SAS) return;
      sa = { childExchanges: [], deletes: [], informationalRequests: [] };
      this.sas.set(r.sa, sa);
    }
    const m: IkeMessage = { frame: r.frame, exchange: ike.exchangeType, isResponse: ike.isResponse, src: r.src, dst: r.dst, rspiZero: isZero(ike.rspi) };
    sa.first ??= m;
    sa.last = m;
    if (r.floated) sa.floated = m;
    if (r.retransmission) return;
    const t = ike.exchangeType;
    if (!sa.established && establishesSa(r)) sa.established = { frame: r.frame, why: `${ikeMessageLabel(r)} seen` };
    if (r.ikeVersion === 2) {
      if (t === EXCHANGE.CREATE_CHILD_SA && ike.isResponse === false && sa.childExchanges.length < MAX_MARKS)
        sa.childExchanges.push({ frame: r.frame, what: 'CREATE_CHILD_SA request (a new or rekeyed CHILD_SA, or an IKE SA rekey; encrypted)', messageId: ike.messageId });
      if (t === EXCHANGE.INFORMATIONAL && ike.isResponse === false) {
        if (sa.informationalRequests.length >= MAX_MARKS) sa.informationalRequests.shift();
        sa.informationalRequests.push(r.frame);
      }
    } else {
      if (t === EXCHANGE.QUICK) {
        // Phase 2 needs Phase 1: a Quick Mode seen before Main Mode 6 / Aggressive Mode 3 dates the SA's establishment.
        sa.established ??= { frame: r.frame, why: 'first Quick Mode message seen' };
        if (sa.childExchanges.length < MAX_MARKS && !sa.childExchanges.some((c) => c.messageId === ike.messageId))
          sa.childExchanges.push({ frame: r.frame, what: `Quick Mode (CHILD SA negotiation), message ID 0x${ike.messageId.toString(16).padStart(8, '0')}`, messageId: ike.messageId });
      }
      if (ike.deletedSpis.length && !ike.encrypted && sa.deletes.length < MAX_MARKS) sa.deletes.push({ frame: r.frame, spis: [...ike.deletedSpis] });
    }
  }

  traffic(t: TrafficRecord): void {
    if (t.kind !== 'keepalive') return;
    const key = `${endpointKey(t.src)}>${endpointKey(t.dst)}`;
    const us = this.timeOf(t.frame) ?? Math.round(t.time * 1e6);
    const f = this.keepalives.get(key);
    if (!f) {
      if (this.keepalives.size >= MAX_FLOWS) return;
      this.keepalives.set(key, { src: t.src, dst: t.dst, firstFrame: t.frame, lastFrame: t.frame, lastUs: us, count: 1, gaps: [], moreGaps: 0, owner: t.owner?.sa });
      return;
    }
    const seconds = (us - f.lastUs) / 1e6;
    if (seconds > this.keepaliveTimeout) {
      if (f.gaps.length < MAX_GAPS_PER_FLOW) f.gaps.push({ from: f.lastFrame, to: t.frame, seconds });
      else f.moreGaps++;
    }
    f.count++;
    f.lastFrame = t.frame;
    f.lastUs = us;
    if (t.owner) f.owner = t.owner.sa;
  }

  saReported(sa: IkeSaIdentity, report: IkeSaReport): void {
    this.reports.set(sa, report);
    const msgs = this.sas.get(sa);
    if (msgs) this.byReport.set(report, msgs);
    this.sas.delete(sa);
  }

  /** The messages of a report's SA. */
  messagesOf(report: IkeSaReport): SaMessages | undefined {
    return this.byReport.get(report);
  }

  /** Keepalive flows with the report entry of their SA (null when none, or it was evicted). */
  *keepaliveFlows(): Iterable<KeepaliveFlow & { readonly report: IkeSaReport | null }> {
    for (const f of this.keepalives.values()) yield { ...f, report: (f.owner && this.reports.get(f.owner)) ?? null };
  }
}

function isZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

export function ikeSaLabel(sa: { readonly ikeVersion: 1 | 2; readonly initiatorSpi: string; readonly responderSpi: string }): string {
  return `IKEv${sa.ikeVersion} ${sa.initiatorSpi}/${sa.responderSpi}`;
}

function endpointText(e: { address: string; port: number } | null): string {
  return e ? endpointKey(e) : '?';
}

const spiText = (spi: string): string => `0x${spi}`;

/** Findings that are the timeline's own events: their kind replaces the generic one. */
const FINDING_KINDS: Partial<Record<FindingId, TimelineKind>> = {
  'natt.nat_detected': 'nat.detected',
  'natt.port_float': 'ike_sa.floated',
  'natt.rebinding': 'nat.mapping_changed',
};

/** Sort order among events of one frame: the order things happen in a negotiation. */
const KIND_ORDER: readonly TimelineKind[] = [
  'ike_sa.started', 'nat.detected', 'ike_sa.floated', 'ike_sa.established', 'ike_sa.child_sa', 'esp_sa.first', 'keepalive.started',
  'nat.mapping_changed', 'keepalive.gap', 'ike_sa.rekeyed', 'finding', 'ike_sa.failed', 'child_sa.deleted', 'esp_sa.last', 'ike_sa.deleted',
];

export interface TimelineOptions {
  readonly keepaliveTimeout: number;
}

/** The events of one capture's report, in time order (undated ones last). */
export function buildTimeline(report: AnalysisReport, rec: TimelineRecorder, options: TimelineOptions): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const at = (frame: number | null): number | null => (frame === null ? null : rec.timeOf(frame));
  const push = (e: Omit<TimelineEvent, 'timeUs' | 'frames' | 'inferred' | 'finding' | 'severity'> & Partial<TimelineEvent>): void => {
    events.push({ timeUs: at(e.frame), frames: e.frame !== null ? [e.frame] : [], inferred: false, finding: null, severity: null, ...e });
  };
  const labels = new Map(report.ikeSas.map((sa) => [ikeSaLabel(sa), sa]));
  const findingSubjects = new Set(report.findings.filter((f) => FINDING_KINDS[f.id]).map((f) => `${f.id}|${f.subject}`));

  for (const sa of report.ikeSas) ikeSaEvents(sa, report, rec, push, findingSubjects);
  rekeys(report.ikeSas, rec, push);
  const versions = new Map(report.ikeSas.map((sa) => [`${sa.initiatorSpi}/${sa.responderSpi}`, sa.ikeVersion]));
  const espLabel = (e: EspSaReport): string => {
    const v = e.ikeSa ? versions.get(`${e.ikeSa.initiatorSpi}/${e.ikeSa.responderSpi}`) : undefined;
    return e.ikeSa && v ? ikeSaLabel({ ikeVersion: v, ...e.ikeSa }) : `ESP ${spiText(e.spi)}`;
  };
  for (const e of report.espSas) espEvents(e, espLabel(e), push);
  espMappingChanges(report.espSas, espLabel, push);
  keepaliveEvents(rec, options, push);

  for (const f of report.findings) {
    const frame = f.frames[0] ?? null;
    const sa = labels.has(f.subject) ? f.subject : null;
    events.push({
      timeUs: at(frame),
      frame,
      frames: f.frames,
      sa,
      kind: FINDING_KINDS[f.id] ?? 'finding',
      inferred: false,
      finding: f.id,
      severity: f.severity,
      message: `${f.id}: ${sa ? '' : `${f.subject}: `}${f.message}${f.count > 1 ? ` (${f.count}×)` : ''}`,
    });
  }
  const rank = (k: TimelineKind): number => KIND_ORDER.indexOf(k);
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => {
      const ta = a.e.timeUs ?? Infinity;
      const tb = b.e.timeUs ?? Infinity;
      return ta - tb || (a.e.frame ?? Infinity) - (b.e.frame ?? Infinity) || rank(a.e.kind) - rank(b.e.kind) || a.i - b.i;
    })
    .map(({ e }) => e);
}

type Push = (e: Omit<TimelineEvent, 'timeUs' | 'frames' | 'inferred' | 'finding' | 'severity'> & Partial<TimelineEvent>) => void;

function ikeSaEvents(sa: IkeSaReport, report: AnalysisReport, rec: TimelineRecorder, push: Push, findingSubjects: Set<string>): void {
  const label = ikeSaLabel(sa);
  const msgs = rec.messagesOf(sa);
  const first = msgs?.first;
  const initial = first !== undefined && isOpening(first);
  const how = first ? exchangeName(sa.ikeVersion, first.exchange) : 'a message';
  push({
    frame: sa.firstFrame,
    sa: label,
    kind: 'ike_sa.started',
    message: initial
      ? `IKEv${sa.ikeVersion} SA started: ${how} from ${endpointText(sa.initiator)} (initiator) to ${endpointText(sa.responder)} (responder)`
      : `IKEv${sa.ikeVersion} SA first seen in ${how} between ${endpointText(sa.initiator)} and ${endpointText(sa.responder)}: its negotiation is not in the capture${sa.rolesInferred ? ' (roles inferred)' : ''}`,
  });
  if (msgs?.established) push({ frame: msgs.established.frame, sa: label, kind: 'ike_sa.established', message: `IKE SA established (${msgs.established.why})` });
  // The tunnel's failure (the analysis's status), dated where the failure shows.
  const st = sa.status;
  if (st.ike === 'failed' || st.child === 'failed' || st.child === 'one-way') {
    const frame = st.failedFrame ?? st.esp.initiatorToResponder?.lastFrame ?? st.esp.responderToInitiator?.lastFrame ?? sa.lastFrame;
    push({ frame, sa: label, kind: 'ike_sa.failed', message: `Tunnel ${st.ike === 'failed' ? 'failed' : 'not working'}: ${st.verdict}` });
  }

  const natSides = (['initiator', 'responder'] as const).filter((s) => sa.nat[s] === 'behind-nat');
  if (natSides.length && !findingSubjects.has(`natt.nat_detected|${label}`)) {
    const frame = sa.natd.find((n) => n.sourceMatches === false || n.destinationMatches === false)?.frame ?? sa.firstFrame;
    const sides = natSides.map((s) => {
      const where = sa.nat.capturePoint[s === 'initiator' ? 'initiatorNat' : 'responderNat'];
      const priv = sa.nat.privateAddresses[s];
      return `${s} behind a NAT (capture ${where === 'both-sides' ? 'between two NATs' : `${where} it`})${priv ? `, private address ${priv}` : ''}`;
    });
    push({ frame, sa: label, kind: 'nat.detected', message: `NAT detected: ${sides.join('; ')}` });
  }
  if (sa.floatedAtFrame !== null && !findingSubjects.has(`natt.port_float|${label}`)) {
    const m = msgs?.floated?.frame === sa.floatedAtFrame ? msgs.floated : undefined;
    push({ frame: sa.floatedAtFrame, sa: label, kind: 'ike_sa.floated', message: `Floated to the NAT-T port at ${sa.floatedAt ?? 'this message'}${m ? `: ${endpointKey(m.src)} → ${endpointKey(m.dst)}` : ''}` });
  }
  for (const c of msgs?.childExchanges ?? []) push({ frame: c.frame, sa: label, kind: 'ike_sa.child_sa', message: c.what });

  // Deletes: a Delete payload in clear (IKEv1) is proof; a final INFORMATIONAL is an inference.
  let deleted = false;
  for (const d of msgs?.deletes ?? []) {
    const ike = d.spis.filter((s) => s.length === 32);
    const child = d.spis.filter((s) => s.length !== 32);
    if (ike.length) {
      deleted = true;
      push({ frame: d.frame, sa: label, kind: 'ike_sa.deleted', message: `IKE SA deleted (Delete payload in clear: ${ike.map((s) => `${s.slice(0, 16)}/${s.slice(16)}`).join(', ')})` });
    }
    if (child.length) push({ frame: d.frame, sa: label, kind: 'child_sa.deleted', message: `CHILD SA deleted (Delete payload in clear: SPI ${child.map(spiText).join(', ')})` });
  }
  const last = msgs?.last;
  const informational = sa.ikeVersion === 2 ? EXCHANGE.INFORMATIONAL : EXCHANGE.INFORMATIONAL_V1;
  if (!deleted && last && last.exchange === informational && last.frame === sa.lastFrame) {
    const espAfter = report.espSas.some((e) => e.ikeSa?.initiatorSpi === sa.initiatorSpi && e.ikeSa.responderSpi === sa.responderSpi && e.lastFrame > last.frame);
    if (!espAfter) {
      // The exchange's request, when the last message is its response.
      const start = sa.ikeVersion === 2 && last.isResponse ? msgs?.informationalRequests.filter((f) => f < last.frame).at(-1) : undefined;
      push({
        frame: start ?? last.frame,
        sa: label,
        kind: 'ike_sa.deleted',
        inferred: true,
        message: `IKE SA deleted (inferred: the last exchange is an encrypted ${exchangeName(sa.ikeVersion, informational)} and nothing of this SA follows)`,
      });
    }
  }
}

/** An SA's opening message: IKE_SA_INIT, or Main/Aggressive Mode before the responder chose its SPI. */
function isOpening(m: IkeMessage): boolean {
  return m.exchange === EXCHANGE.IKE_SA_INIT || ((m.exchange === EXCHANGE.MAIN || m.exchange === EXCHANGE.AGGRESSIVE) && m.rspiZero);
}

/** Earlier SAs of one pair of addresses looked at for each rekey: a bound on the work per SA. */
const MAX_REKEY_CANDIDATES = 64;

/** A later IKE SA between the same two addresses that continues an earlier one (linear: SAs grouped by address pair). */
function rekeys(sas: readonly IkeSaReport[], rec: TimelineRecorder, push: Push): void {
  const groups = new Map<string, IkeSaReport[]>();
  for (const s of sas) {
    const a = s.initiator?.address ?? '';
    const b = s.responder?.address ?? '';
    const key = `${s.ikeVersion}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((x, y) => x.firstFrame - y.firstFrame);
    for (let i = 1; i < group.length; i++) {
      const b = group[i]!;
      const mb = rec.messagesOf(b);
      if (!mb?.first) continue;
      const bInitial = isOpening(mb.first);
      // The latest earlier, established SA that fits (only an established SA is rekeyed).
      let a: IkeSaReport | undefined;
      for (let j = i - 1; j >= 0 && j >= i - MAX_REKEY_CANDIDATES; j--) {
        const x = group[j]!;
        const mx = rec.messagesOf(x);
        if (x.firstFrame >= b.firstFrame || (mx?.established?.frame ?? Infinity) >= b.firstFrame) continue;
        if (b.ikeVersion === 2 && !bInitial && mx?.childExchanges.some((c) => c.frame < b.firstFrame)) {
          a = x;
          break;
        }
        if (b.ikeVersion === 1 && bInitial && !mx?.deletes.some((d) => d.frame < b.firstFrame)) {
          a = x;
          break;
        }
      }
      if (!a) continue;
      // IKEv2 rekeys an IKE SA inside CREATE_CHILD_SA; the new SPIs then appear without IKE_SA_INIT.
      if (b.ikeVersion === 2)
        push({ frame: b.firstFrame, frames: [b.firstFrame], sa: ikeSaLabel(a), kind: 'ike_sa.rekeyed', inferred: true, message: `IKE SA rekeyed (inferred): ${ikeSaLabel(b)} appears without IKE_SA_INIT after a CREATE_CHILD_SA of this SA` });
      else push({ frame: b.firstFrame, sa: ikeSaLabel(a), kind: 'ike_sa.rekeyed', inferred: true, message: `New Phase 1 ${ikeSaLabel(b)} between the same peers while this SA was not deleted (inferred: re-keyed or re-authenticated)` });
    }
  }
}

function espEvents(e: EspSaReport, owner: string, push: Push): void {
  // Raw ESP has no ports (the report keeps 0).
  const flow = e.transport === 'raw' ? `${e.src.address} → ${e.dst.address}` : `${endpointText(e.src)} → ${endpointText(e.dst)}`;
  const seconds = Math.max(0, e.lastTime - e.firstTime);
  push({ frame: e.firstFrame, sa: owner, kind: 'esp_sa.first', message: `ESP SPI ${spiText(e.spi)} first packet: ${flow} (${e.transport})` });
  push({
    frame: e.lastFrame,
    sa: owner,
    kind: 'esp_sa.last',
    message: `ESP SPI ${spiText(e.spi)} last packet: ${flow}, ${e.packets} packet${e.packets === 1 ? '' : 's'}, ${e.bytes} bytes over ${seconds.toFixed(3)} s${e.sequence.gaps ? `, ${e.sequence.missing} missing in ${e.sequence.gaps} gap(s)` : ''}${e.sequence.replays ? `, ${e.sequence.replays} replayed` : ''}`,
  });
}

/** The same SPI from a new endpoint on one side while the other side stays: a NAT mapping change. */
function espMappingChanges(esp: readonly EspSaReport[], labelOf: (e: EspSaReport) => string, push: Push): void {
  const bySpi = new Map<string, EspSaReport[]>();
  for (const e of esp) {
    const list = bySpi.get(e.spi);
    if (list) list.push(e);
    else bySpi.set(e.spi, [e]);
  }
  for (const list of bySpi.values()) {
    const sorted = [...list].sort((a, b) => a.firstFrame - b.firstFrame);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      const srcChanged = !sameEndpoint(prev.src, cur.src) && sameEndpoint(prev.dst, cur.dst);
      const dstChanged = sameEndpoint(prev.src, cur.src) && !sameEndpoint(prev.dst, cur.dst);
      if (!srcChanged && !dstChanged) continue;
      const [was, now] = srcChanged ? [prev.src, cur.src] : [prev.dst, cur.dst];
      push({ frame: cur.firstFrame, frames: [prev.lastFrame, cur.firstFrame], sa: labelOf(cur), kind: 'nat.mapping_changed', message: `ESP SPI ${spiText(cur.spi)} ${srcChanged ? 'source' : 'destination'} moved from ${endpointKey(was)} to ${endpointKey(now)}` });
    }
  }
}

function keepaliveEvents(rec: TimelineRecorder, options: TimelineOptions, push: Push): void {
  for (const f of rec.keepaliveFlows()) {
    const s = endpointKey(f.src);
    const d = endpointKey(f.dst);
    const sa = f.report ? ikeSaLabel(f.report) : null;
    push({ frame: f.firstFrame, sa, kind: 'keepalive.started', message: `NAT keepalives start: ${s} → ${d} (${f.count} in all)` });
    for (const g of f.gaps)
      push({ frame: g.to, frames: [g.from, g.to], sa, kind: 'keepalive.gap', message: `No NAT keepalive for ${g.seconds.toFixed(1)} s (above ${options.keepaliveTimeout} s): ${s} → ${d}, frames ${g.from} → ${g.to}` });
    if (f.moreGaps) push({ frame: f.lastFrame, sa, kind: 'keepalive.gap', message: `${f.moreGaps} further keepalive gap(s) above ${options.keepaliveTimeout} s: ${s} → ${d}` });
  }
}
