import type { Endpoint, PacketFacts } from './facts.js';
import { endpointKey } from './facts.js';
import { EXCHANGE, exchangeName } from './exchange-names.js';
import type { AnalysisReport, EspSaReport, IkeSaReport } from './report.js';
import type { FindingId, FindingSeverity } from './findings.js';
import { toHex } from '../decode/cursor.js';

/**
 * The investigation timeline (`espy timeline`): what happened, in capture time order, with the
 * frames that show it. Built from the analysis report plus what `TimelineRecorder` notes while
 * the packets go by (each frame's time, the IKE messages of each SA, keepalive gaps). Events the
 * capture cannot prove (a delete inside an encrypted INFORMATIONAL, a rekey) say they are inferred.
 */
export type TimelineKind =
  | 'ike_sa.started'
  | 'ike_sa.established'
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
  readonly rspi: string;
}

/** What one SPI pair's messages showed (a zero responder SPI is a pair of its own: the first messages). */
interface SaMessages {
  first?: IkeMessage;
  last?: IkeMessage;
  readonly signatures: Set<string>;
  /** Distinct (non-retransmitted) Main / Aggressive Mode messages (IKEv1), in order. */
  readonly phase1: { readonly frame: number; readonly exchange: number }[];
  authResponse?: number;
  firstQuick?: number;
  readonly childExchanges: { frame: number; what: string }[];
  readonly deletes: { frame: number; spis: string[] }[];
  readonly messageFrames: Map<number, IkeMessage>;
}

/** An IKE SA's messages: its SPI pair's, plus those sent before the responder SPI was known. */
interface SaView {
  readonly first?: IkeMessage;
  readonly last?: IkeMessage;
  readonly established?: { frame: number; why: string };
  readonly childExchanges: readonly { frame: number; what: string }[];
  readonly deletes: readonly { frame: number; spis: string[] }[];
  readonly messageFrames: ReadonlyMap<number, IkeMessage>;
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
}

/** Notes, while packets are read, what the report does not keep. Bounded like the analyzer. */
export class TimelineRecorder {
  private readonly chunks: Float64Array[] = [];
  readonly sas = new Map<string, SaMessages>();
  readonly keepalives = new Map<string, KeepaliveFlow>();

  constructor(private readonly keepaliveTimeout: number) {}

  /** Every frame read, so any evidence frame can be dated. */
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

  observe(p: PacketFacts): void {
    if (p.ike) this.ikeMessage(p);
    if (p.encap?.kind === 'keepalive') this.keepalive(p);
  }

  private ikeMessage(p: PacketFacts): void {
    const ike = p.ike!;
    const key = `${ike.ikeVersion}:${toHex(ike.ispi)}:${toHex(ike.rspi)}`;
    let sa = this.sas.get(key);
    if (!sa) {
      if (this.sas.size >= MAX_SAS) return;
      sa = { signatures: new Set(), phase1: [], childExchanges: [], deletes: [], messageFrames: new Map() };
      this.sas.set(key, sa);
    }
    const m: IkeMessage = { frame: p.frame, exchange: ike.exchangeType, isResponse: ike.isResponse, src: p.src, dst: p.dst, rspi: toHex(ike.rspi) };
    const signature = `${endpointKey(p.src)}|${ike.exchangeType}|${ike.messageId}|${ike.length}|${ike.flags}|${/^0+$/.test(m.rspi)}`;
    const retransmission = sa.signatures.has(signature);
    if (!retransmission && sa.signatures.size < 256) sa.signatures.add(signature);
    sa.first ??= m;
    sa.last = m;
    if (sa.messageFrames.size < MAX_MARKS * 4) sa.messageFrames.set(p.frame, m);
    if (retransmission) return;
    const v = ike.ikeVersion;
    const t = ike.exchangeType;
    if (v === 2) {
      if (t === EXCHANGE.IKE_AUTH && ike.isResponse) sa.authResponse ??= p.frame;
      if (t === EXCHANGE.CREATE_CHILD_SA && ike.isResponse === false && sa.childExchanges.length < MAX_MARKS)
        sa.childExchanges.push({ frame: p.frame, what: 'CREATE_CHILD_SA request (a new or rekeyed CHILD_SA, or an IKE SA rekey; encrypted)' });
    } else {
      if ((t === EXCHANGE.MAIN || t === EXCHANGE.AGGRESSIVE) && sa.phase1.length < 8) sa.phase1.push({ frame: p.frame, exchange: t });
      if (t === EXCHANGE.QUICK) {
        sa.firstQuick ??= p.frame;
        if (sa.childExchanges.length < MAX_MARKS && !sa.childExchanges.some((c) => c.what.endsWith(`0x${ike.messageId.toString(16).padStart(8, '0')}`)))
          sa.childExchanges.push({ frame: p.frame, what: `Quick Mode (CHILD SA negotiation), message ID 0x${ike.messageId.toString(16).padStart(8, '0')}` });
      }
      if (ike.deletedSpis.length && !ike.encrypted && sa.deletes.length < MAX_MARKS) sa.deletes.push({ frame: p.frame, spis: [...ike.deletedSpis] });
    }
  }

  private keepalive(p: PacketFacts): void {
    const key = `${endpointKey(p.src)}>${endpointKey(p.dst)}`;
    const us = this.timeOf(p.frame) ?? Math.round(p.time * 1e6);
    let f = this.keepalives.get(key);
    if (!f) {
      if (this.keepalives.size >= MAX_FLOWS) return;
      this.keepalives.set(key, { src: p.src, dst: p.dst, firstFrame: p.frame, lastFrame: p.frame, lastUs: us, count: 1, gaps: [], moreGaps: 0 });
      return;
    }
    const seconds = (us - f.lastUs) / 1e6;
    if (seconds > this.keepaliveTimeout) {
      if (f.gaps.length < MAX_GAPS_PER_FLOW) f.gaps.push({ from: f.lastFrame, to: p.frame, seconds });
      else f.moreGaps++;
    }
    f.count++;
    f.lastFrame = p.frame;
    f.lastUs = us;
  }
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
  'nat.mapping_changed', 'keepalive.gap', 'ike_sa.rekeyed', 'finding', 'child_sa.deleted', 'esp_sa.last', 'ike_sa.deleted',
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
  keepaliveEvents(report.ikeSas, rec, options, push);

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

const ZERO_SPI = '0000000000000000';

function recorded(rec: TimelineRecorder, sa: IkeSaReport): SaView | undefined {
  const parts = [rec.sas.get(`${sa.ikeVersion}:${sa.initiatorSpi}:${sa.responderSpi}`), sa.responderSpi !== ZERO_SPI ? rec.sas.get(`${sa.ikeVersion}:${sa.initiatorSpi}:${ZERO_SPI}`) : undefined].filter(
    (x): x is SaMessages => x !== undefined,
  );
  if (!parts.length) return undefined;
  const byFrame = (a: { frame: number }, b: { frame: number }): number => a.frame - b.frame;
  const firsts = parts.map((p) => p.first).filter((m): m is IkeMessage => m !== undefined).sort(byFrame);
  const last = parts.map((p) => p.last).filter((m): m is IkeMessage => m !== undefined).sort(byFrame).at(-1);
  const phase1 = parts.flatMap((p) => p.phase1).sort(byFrame);
  const main = phase1.filter((m) => m.exchange === EXCHANGE.MAIN);
  const aggressive = phase1.filter((m) => m.exchange === EXCHANGE.AGGRESSIVE);
  const quick = parts.map((p) => p.firstQuick).filter((f): f is number => f !== undefined);
  const auth = parts.map((p) => p.authResponse).filter((f): f is number => f !== undefined);
  const candidates: { frame: number; why: string }[] = [
    ...auth.map((frame) => ({ frame, why: 'IKE_AUTH response seen' })),
    ...(main[5] ? [{ frame: main[5].frame, why: 'Main Mode message 6 seen' }] : []),
    ...(aggressive[2] ? [{ frame: aggressive[2].frame, why: 'Aggressive Mode message 3 seen' }] : []),
    ...quick.map((frame) => ({ frame, why: 'first Quick Mode message seen' })),
  ].sort(byFrame);
  const messageFrames = new Map<number, IkeMessage>();
  for (const p of parts) for (const [f, m] of p.messageFrames) messageFrames.set(f, m);
  return {
    ...(firsts[0] ? { first: firsts[0] } : {}),
    ...(last ? { last } : {}),
    ...(candidates[0] ? { established: candidates[0] } : {}),
    childExchanges: parts.flatMap((p) => p.childExchanges).sort(byFrame),
    deletes: parts.flatMap((p) => p.deletes).sort(byFrame),
    messageFrames,
  };
}

function ikeSaEvents(sa: IkeSaReport, report: AnalysisReport, rec: TimelineRecorder, push: Push, findingSubjects: Set<string>): void {
  const label = ikeSaLabel(sa);
  const msgs = recorded(rec, sa);
  const first = msgs?.first;
  const initial = first && (first.exchange === EXCHANGE.IKE_SA_INIT || ((first.exchange === EXCHANGE.MAIN || first.exchange === EXCHANGE.AGGRESSIVE) && /^0+$/.test(first.rspi)));
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
    const m = msgs?.messageFrames.get(sa.floatedAtFrame);
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
      const start = sa.ikeVersion === 2 && last.isResponse ? [...(msgs?.messageFrames.values() ?? [])].filter((m) => m.exchange === informational && m.frame < last.frame).at(-1) : undefined;
      push({
        frame: start?.frame ?? last.frame,
        sa: label,
        kind: 'ike_sa.deleted',
        inferred: true,
        message: `IKE SA deleted (inferred: the last exchange is an encrypted ${exchangeName(sa.ikeVersion, informational)} and nothing of this SA follows)`,
      });
    }
  }
}

/** A later IKE SA between the same two addresses that continues an earlier one. */
function rekeys(sas: readonly IkeSaReport[], rec: TimelineRecorder, push: Push): void {
  const pair = (s: IkeSaReport): string => [s.initiator?.address ?? '', s.responder?.address ?? ''].sort().join('|');
  for (const b of sas) {
    const mb = recorded(rec, b);
    if (!mb?.first) continue;
    // A real start: IKE_SA_INIT, or Main/Aggressive Mode before the responder chose its SPI.
    const bInitial = mb.first.exchange === EXCHANGE.IKE_SA_INIT || ((mb.first.exchange === EXCHANGE.MAIN || mb.first.exchange === EXCHANGE.AGGRESSIVE) && mb.first.rspi === ZERO_SPI);
    // Only an established SA is rekeyed.
    const candidates = sas.filter((a) => a !== b && a.ikeVersion === b.ikeVersion && pair(a) === pair(b) && a.firstFrame < b.firstFrame && (recorded(rec, a)?.established?.frame ?? Infinity) < b.firstFrame);
    if (!candidates.length) continue;
    if (b.ikeVersion === 2 && !bInitial) {
      // IKEv2 rekeys an IKE SA inside CREATE_CHILD_SA; the new SPIs then appear without IKE_SA_INIT.
      const a = candidates.filter((x) => recorded(rec, x)?.childExchanges.some((c) => c.frame < b.firstFrame)).at(-1);
      // (an IKEv2 rekey shows no IKE_SA_INIT: the new SPIs first appear in the new SA's own exchanges)
      if (a)
        push({ frame: b.firstFrame, frames: [b.firstFrame], sa: ikeSaLabel(a), kind: 'ike_sa.rekeyed', inferred: true, message: `IKE SA rekeyed (inferred): ${ikeSaLabel(b)} appears without IKE_SA_INIT after a CREATE_CHILD_SA of this SA` });
    } else if (b.ikeVersion === 1 && bInitial) {
      const a = candidates.filter((x) => !recorded(rec, x)?.deletes.some((d) => d.frame < b.firstFrame)).at(-1);
      if (a)
        push({ frame: b.firstFrame, sa: ikeSaLabel(a), kind: 'ike_sa.rekeyed', inferred: true, message: `New Phase 1 ${ikeSaLabel(b)} between the same peers while this SA was not deleted (inferred: re-keyed or re-authenticated)` });
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
  for (const e of esp) bySpi.set(e.spi, [...(bySpi.get(e.spi) ?? []), e]);
  for (const list of bySpi.values()) {
    const sorted = [...list].sort((a, b) => a.firstFrame - b.firstFrame);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      const same = (x: EndpointLike, y: EndpointLike): boolean => x.address === y.address && x.port === y.port;
      const srcChanged = !same(prev.src, cur.src) && same(prev.dst, cur.dst);
      const dstChanged = same(prev.src, cur.src) && !same(prev.dst, cur.dst);
      if (!srcChanged && !dstChanged) continue;
      const [was, now] = srcChanged ? [prev.src, cur.src] : [prev.dst, cur.dst];
      push({ frame: cur.firstFrame, frames: [prev.lastFrame, cur.firstFrame], sa: labelOf(cur), kind: 'nat.mapping_changed', message: `ESP SPI ${spiText(cur.spi)} ${srcChanged ? 'source' : 'destination'} moved from ${endpointKey(was)} to ${endpointKey(now)}` });
    }
  }
}

type EndpointLike = { readonly address: string; readonly port: number };

function keepaliveEvents(sas: readonly IkeSaReport[], rec: TimelineRecorder, options: TimelineOptions, push: Push): void {
  for (const f of rec.keepalives.values()) {
    const s = endpointKey(f.src);
    const d = endpointKey(f.dst);
    const owner = sas.find((sa) => (sa.initiatorEndpoints.includes(s) && sa.responderEndpoints.includes(d)) || (sa.responderEndpoints.includes(s) && sa.initiatorEndpoints.includes(d)));
    const sa = owner ? ikeSaLabel(owner) : null;
    push({ frame: f.firstFrame, sa, kind: 'keepalive.started', message: `NAT keepalives start: ${s} → ${d} (${f.count} in all)` });
    for (const g of f.gaps)
      push({ frame: g.to, frames: [g.from, g.to], sa, kind: 'keepalive.gap', message: `No NAT keepalive for ${g.seconds.toFixed(1)} s (above ${options.keepaliveTimeout} s): ${s} → ${d}, frames ${g.from} → ${g.to}` });
    if (f.moreGaps) push({ frame: f.lastFrame, sa, kind: 'keepalive.gap', message: `${f.moreGaps} further keepalive gap(s) above ${options.keepaliveTimeout} s: ${s} → ${d}` });
  }
}
