import type { Packet } from '../decode/packet.js';
import { identitiesOf } from './identities.js';
import { endpointKey, sameEndpoint, type Endpoint, type IkeCarrier, type PacketFacts } from '../analysis/facts.js';
import { ikeMessageShortLabel, type IkeMessageRecord, type IkeSaIdentity } from '../analysis/ike-message.js';
import type { AnalysisListener, TrafficOwnerLookup, TrafficRecord } from '../analysis/listener.js';
import type { IkeSaReport } from '../analysis/report.js';

/** Per-message data for the ladder diagrams, which the AnalysisReport does not keep (`LadderCollector`). */

export const MAX_ROWS = 400;
const MAX_ROW_FRAMES = 256;
const MAX_IDENTITIES = 8;

export interface NatdMarks {
  /** Some source hash matches the sender as seen here; null when the message had none. */
  readonly source: boolean | null;
  readonly destination: boolean | null;
  readonly sourcePortZero: boolean;
}

interface RowBase {
  /** Stable anchor, unique in the page: `sa1-r4`. */
  readonly id: string;
  readonly fromInitiator: boolean;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly time: number;
}

export interface IkeRow extends RowBase {
  readonly kind: 'ike';
  readonly frame: number;
  /** "IKE_SA_INIT request", "Main Mode 3/6", "Quick Mode 2/3", "Informational". */
  readonly exchange: string;
  readonly messageId: number;
  readonly carrier: IkeCarrier;
  readonly encrypted: boolean;
  readonly retransmission: boolean;
  readonly floated: boolean;
  readonly natd?: NatdMarks;
}

export interface TrafficRow extends RowBase {
  readonly kind: 'traffic';
  readonly frames: number[];
  firstFrame: number;
  lastFrame: number;
  keepalives: number;
  esp: number;
  readonly espSpis: string[];
  rawEsp: boolean;
  /** Packets went both ways (an ESP exchange): drawn as a double-headed arrow. */
  bothWays: boolean;
}

/** An ICMP error quoting an IPsec packet of the SA (e.g. port unreachable for a stale mapping). */
export interface IcmpRow extends RowBase {
  readonly kind: 'icmp';
  readonly frame: number;
  readonly description: string;
  readonly quoted: string;
}

export type LadderRow = IkeRow | TrafficRow | IcmpRow;

export interface IdentityEntry {
  readonly frame: number;
  readonly type: string;
  /** Already made printable with escapeText (HTML escaping happens when rendered). */
  readonly value: string;
}

export interface SaLadder {
  readonly sa: IkeSaReport;
  readonly rows: LadderRow[];
  /** Rows not kept past MAX_ROWS. */
  omitted: number;
  readonly identities: { readonly initiator: IdentityEntry[]; readonly responder: IdentityEntry[] };
}

function rowFrames(row: LadderRow): readonly number[] {
  return row.kind === 'traffic' ? row.frames : [row.frame];
}

/** Frame → the anchor of the row that drew it (for links from findings). */
export function frameAnchors(ladders: readonly SaLadder[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const l of ladders) for (const r of l.rows) for (const f of rowFrames(r)) if (!out.has(f)) out.set(f, r.id);
  return out;
}

/** One SA's ladder while the pass runs: rows get their anchors once the report numbers the SA. */
interface Collecting {
  readonly rows: LadderRow[];
  omitted: number;
  readonly identities: { readonly initiator: IdentityEntry[]; readonly responder: IdentityEntry[] };
}

/**
 * Listens to the analysis pass (`AnalysisListener`) and collects, per IKE SA, the rows of its
 * ladder: each IKE message as the analysis classified it (sender, step, retransmission, float),
 * NAT keepalives and ESP as the analysis tied them to the SA (`SaDirectory`), and ICMP errors
 * quoting the SA's packets. Runs of keepalives and ESP between the same two endpoints collapse
 * into one row. Bounded: MAX_ROWS rows per SA, MAX_ROW_FRAMES frames per row.
 */
export class LadderCollector implements AnalysisListener {
  private readonly collecting = new Map<IkeSaIdentity, Collecting>();
  private readonly done: SaLadder[] = [];

  get ladders(): SaLadder[] {
    return this.done;
  }

  private of(sa: IkeSaIdentity): Collecting {
    let c = this.collecting.get(sa);
    if (!c) {
      c = { rows: [], omitted: 0, identities: { initiator: [], responder: [] } };
      this.collecting.set(sa, c);
    }
    return c;
  }

  ikeMessage(m: IkeMessageRecord, _facts: PacketFacts, packet: Packet | undefined): void {
    const entry = this.of(m.sa);
    this.push(entry, {
      kind: 'ike',
      id: '',
      frame: m.frame,
      time: m.time,
      fromInitiator: m.fromInitiator,
      src: m.src,
      dst: m.dst,
      exchange: ikeMessageShortLabel(m),
      messageId: m.facts.messageId,
      carrier: m.facts.carrier,
      encrypted: m.facts.encrypted,
      retransmission: m.retransmission,
      floated: m.floated,
    });
    if (!packet) return;
    const side = m.fromInitiator ? entry.identities.initiator : entry.identities.responder;
    for (const id of identitiesOf(packet)) if (side.length < MAX_IDENTITIES && !side.some((s) => s.type === id.type && s.value === id.value)) side.push({ frame: m.frame, ...id });
  }

  traffic(t: TrafficRecord): void {
    if (!t.owner) return;
    const entry = this.of(t.owner.sa);
    const spi = t.spi !== undefined ? t.spi.toString(16).padStart(8, '0') : undefined;
    // Consecutive keepalives and ESP between the same two endpoints, either way, make one row.
    const last = entry.rows.at(-1);
    if (last?.kind === 'traffic') {
      const forward = sameEndpoint(last.src, t.src) && sameEndpoint(last.dst, t.dst);
      if (forward || (sameEndpoint(last.src, t.dst) && sameEndpoint(last.dst, t.src))) {
        if (!forward) last.bothWays = true;
        count(last, t, spi);
        return;
      }
    }
    const row: TrafficRow = { kind: 'traffic', id: '', frames: [], firstFrame: t.frame, lastFrame: t.frame, time: t.time, fromInitiator: t.owner.fromInitiator, src: t.src, dst: t.dst, keepalives: 0, esp: 0, espSpis: [], rawEsp: false, bothWays: false };
    count(row, t, spi);
    this.push(entry, row);
  }

  /** ICMP errors quoting an SA's packet: tied to the SA the quoted packet belongs to. */
  packet(packet: Packet, facts: PacketFacts | undefined, ownerOf: TrafficOwnerLookup): void {
    const q = facts?.icmpError;
    if (!q) return;
    const owner = ownerOf(q.inner.src, q.inner.dst);
    if (!owner) return;
    const entry = this.of(owner.sa);
    // The ICMP comes back from where the quoted packet was going.
    const what = q.espSpi !== undefined ? `ESP SPI ${q.espSpi}` : q.ikeSpi !== undefined ? 'IKE' : 'UDP';
    this.push(entry, {
      kind: 'icmp',
      id: '',
      frame: packet.frame.number,
      time: packet.frame.tsSec + packet.frame.tsNsec / 1e9,
      fromInitiator: !owner.fromInitiator,
      src: { address: q.src, port: 0 },
      dst: { address: q.dst, port: 0 },
      description: q.description,
      quoted: `quotes ${what} ${endpointKey(q.inner.src)} → ${endpointKey(q.inner.dst)}`,
    });
  }

  /** The SA's report entry: its ladder is complete, numbered in report order. */
  saReported(sa: IkeSaIdentity, report: IkeSaReport): void {
    const c = this.collecting.get(sa);
    this.collecting.delete(sa);
    const number = this.done.length + 1;
    const natd = new Map(report.natd.map((n) => [n.frame, { source: n.sourceMatches, destination: n.destinationMatches, sourcePortZero: n.sourcePortZero }]));
    const rows = (c?.rows ?? []).map((r, i) => {
      const id = `sa${number}-r${i + 1}`;
      if (r.kind !== 'ike') return { ...r, id };
      const marks = natd.get(r.frame);
      return { ...r, id, ...(marks ? { natd: marks } : {}) };
    });
    this.done.push({ sa: report, rows, omitted: c?.omitted ?? 0, identities: c?.identities ?? { initiator: [], responder: [] } });
  }

  private push(entry: Collecting, row: LadderRow): void {
    if (entry.rows.length >= MAX_ROWS) {
      entry.omitted++;
      return;
    }
    entry.rows.push(row);
  }
}


function count(row: TrafficRow, t: TrafficRecord, spi: string | undefined): void {
  if (row.frames.length < MAX_ROW_FRAMES) row.frames.push(t.frame);
  row.lastFrame = t.frame;
  if (t.kind === 'keepalive') row.keepalives++;
  else {
    row.esp++;
    if (spi !== undefined && !row.espSpis.includes(spi) && row.espSpis.length < 8) row.espSpis.push(spi);
    if (t.rawEsp) row.rawEsp = true;
  }
}
