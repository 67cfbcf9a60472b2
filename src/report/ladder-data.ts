import type { DecodeConfig } from '../decode/layer.js';
import type { Packet } from '../decode/packet.js';
import { decodeCapture } from '../decode/stream.js';
import { CaptureError } from '../capture/frame.js';
import { icmpQuote, type IcmpQuote } from './icmp-quote.js';
import { toHex } from '../decode/cursor.js';
import { identitiesOf } from './identities.js';
import { packetFacts } from '../analysis/packet-facts.js';
import { endpointKey, type Endpoint, type IkeCarrier, type PacketFacts } from '../analysis/facts.js';
import { exchangeName, EXCHANGE } from '../analysis/exchange-names.js';
import type { AnalysisReport, IkeSaReport } from '../analysis/report.js';

/**
 * Per-message data for the ladder diagrams, which the AnalysisReport does not keep: a second
 * pass over the capture that assigns each IKE message (by SPI), NAT keepalive and ESP packet
 * (by SPI, else by endpoints) to an IKE SA of the report. Runs of keepalives and ESP in one
 * direction collapse into one row. Bounded: MAX_ROWS rows per SA, MAX_ROW_FRAMES frames per row.
 */

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

interface SaIndex {
  readonly ladder: SaLadder;
  readonly number: number;
  readonly initiatorEndpoints: ReadonlySet<string>;
  readonly responderEndpoints: ReadonlySet<string>;
  readonly initiatorAddresses: ReadonlySet<string>;
  readonly responderAddresses: ReadonlySet<string>;
  readonly natd: ReadonlyMap<number, NatdMarks>;
  /** Message signature → its label, to spot retransmissions. */
  readonly labels: Map<string, string>;
  readonly ordinals: Map<string, number>;
}

const addressOf = (key: string): string => key.slice(0, key.lastIndexOf(':')).replace(/^\[|\]$/g, '');

/** Expected messages per exchange, for "Main Mode 3/6". */
const V1_EXCHANGE_LENGTH: Readonly<Record<number, number>> = { [EXCHANGE.MAIN]: 6, [EXCHANGE.AGGRESSIVE]: 3, [EXCHANGE.QUICK]: 3 };

export class LadderCollector {
  private readonly index: SaIndex[];
  private readonly byIspi = new Map<string, SaIndex[]>();
  private readonly byEspSpi = new Map<string, SaIndex>();

  constructor(report: AnalysisReport) {
    this.index = report.ikeSas.map((sa, i) => {
      const entry: SaIndex = {
        ladder: { sa, rows: [], omitted: 0, identities: { initiator: [], responder: [] } },
        number: i + 1,
        initiatorEndpoints: new Set(sa.initiatorEndpoints),
        responderEndpoints: new Set(sa.responderEndpoints),
        initiatorAddresses: new Set(sa.initiatorEndpoints.map(addressOf)),
        responderAddresses: new Set(sa.responderEndpoints.map(addressOf)),
        natd: new Map(sa.natd.map((n) => [n.frame, { source: n.sourceMatches, destination: n.destinationMatches, sourcePortZero: n.sourcePortZero }])),
        labels: new Map(),
        ordinals: new Map(),
      };
      const list = this.byIspi.get(`${sa.ikeVersion}:${sa.initiatorSpi}`) ?? [];
      list.push(entry);
      this.byIspi.set(`${sa.ikeVersion}:${sa.initiatorSpi}`, list);
      for (const spi of sa.espSpis) this.byEspSpi.set(spi, entry);
      return entry;
    });
  }

  get ladders(): SaLadder[] {
    return this.index.map((e) => e.ladder);
  }

  feed(packet: Packet, config: DecodeConfig): void {
    const quote = icmpQuote(packet);
    if (quote) {
      this.icmp(packet, quote);
      return;
    }
    const p = packetFacts(packet, config);
    if (!p) return;
    if (p.ike) this.ikeMessage(p, packet);
    else if (p.encap?.kind === 'keepalive' || p.esp) this.traffic(p);
  }

  private ikeMessage(p: PacketFacts, packet: Packet): void {
    const ike = p.ike!;
    const candidates = this.byIspi.get(`${ike.ikeVersion}:${toHex(ike.ispi)}`);
    if (!candidates?.length) return;
    const rspi = toHex(ike.rspi);
    const entry =
      candidates.find((c) => c.ladder.sa.responderSpi === rspi) ??
      candidates.find((c) => p.frame >= c.ladder.sa.firstFrame && p.frame <= c.ladder.sa.lastFrame) ??
      candidates[0]!;
    const sa = entry.ladder.sa;
    const fromInitiator =
      ike.ikeVersion === 2 && ike.fromOriginalInitiator !== undefined
        ? ike.fromOriginalInitiator
        : entry.initiatorEndpoints.has(endpointKey(p.src)) || (!entry.responderEndpoints.has(endpointKey(p.src)) && entry.initiatorAddresses.has(p.src.address));
    // A retransmission repeats direction, exchange, message ID and length; it keeps the original's label.
    const signature = `${fromInitiator}|${ike.exchangeType}|${ike.messageId}|${ike.length}|${ike.isResponse ?? ''}`;
    const original = entry.labels.get(signature);
    const retransmission = original !== undefined;
    let exchange = original ?? exchangeName(ike.ikeVersion, ike.exchangeType);
    if (original === undefined) {
      if (ike.ikeVersion === 2) exchange += ike.isResponse ? ' response' : ' request';
      else {
        const expected = V1_EXCHANGE_LENGTH[ike.exchangeType];
        if (expected !== undefined) {
          const key = `${ike.exchangeType}|${ike.messageId}`;
          const n = (entry.ordinals.get(key) ?? 0) + 1;
          entry.ordinals.set(key, n);
          exchange += ` ${n}/${expected}`;
        }
      }
      if (entry.labels.size < MAX_ROWS) entry.labels.set(signature, exchange);
    }
    const natd = entry.natd.get(p.frame);
    this.push(entry, {
      kind: 'ike',
      id: '',
      frame: p.frame,
      time: p.time,
      fromInitiator,
      src: p.src,
      dst: p.dst,
      exchange,
      messageId: ike.messageId,
      carrier: ike.carrier,
      encrypted: ike.encrypted,
      retransmission,
      floated: sa.floatedAtFrame === p.frame,
      ...(natd ? { natd } : {}),
    });
    const ids = identitiesOf(packet);
    const side = fromInitiator ? entry.ladder.identities.initiator : entry.ladder.identities.responder;
    for (const id of ids) if (side.length < MAX_IDENTITIES && !side.some((s) => s.type === id.type && s.value === id.value)) side.push({ frame: p.frame, ...id });
  }

  private traffic(p: PacketFacts): void {
    const spi = p.esp ? p.esp.spi.toString(16).padStart(8, '0') : undefined;
    const s = endpointKey(p.src);
    const d = endpointKey(p.dst);
    let entry = spi !== undefined ? this.byEspSpi.get(spi) : undefined;
    if (!entry) {
      const exact = this.index.filter((e) => (e.initiatorEndpoints.has(s) && e.responderEndpoints.has(d)) || (e.responderEndpoints.has(s) && e.initiatorEndpoints.has(d)));
      const byAddress = exact.length
        ? exact
        : this.index.filter(
            (e) =>
              (e.initiatorAddresses.has(p.src.address) && e.responderAddresses.has(p.dst.address)) ||
              (e.responderAddresses.has(p.src.address) && e.initiatorAddresses.has(p.dst.address)),
          );
      entry = byAddress.filter((e) => e.ladder.sa.firstFrame <= p.frame).at(-1) ?? byAddress[0];
    }
    if (!entry) return;
    const fromInitiator = entry.initiatorEndpoints.has(s) || (!entry.responderEndpoints.has(s) && entry.initiatorAddresses.has(p.src.address));
    // Consecutive keepalives and ESP between the same two endpoints, either way, make one row.
    const last = entry.ladder.rows.at(-1);
    if (last?.kind === 'traffic') {
      const ls = endpointKey(last.src);
      const ld = endpointKey(last.dst);
      if ((ls === s && ld === d) || (ls === d && ld === s)) {
        if (ls !== s) last.bothWays = true;
        this.count(last, p, spi);
        return;
      }
    }
    const row: TrafficRow = { kind: 'traffic', id: '', frames: [], firstFrame: p.frame, lastFrame: p.frame, time: p.time, fromInitiator, src: p.src, dst: p.dst, keepalives: 0, esp: 0, espSpis: [], rawEsp: false, bothWays: false };
    this.count(row, p, spi);
    this.push(entry, row);
  }

  private icmp(packet: Packet, q: IcmpQuote): void {
    const i = q.inner;
    const s = endpointKey(i.src);
    const d = endpointKey(i.dst);
    const pairs = (e: SaIndex): boolean =>
      (e.initiatorEndpoints.has(s) && e.responderEndpoints.has(d)) ||
      (e.responderEndpoints.has(s) && e.initiatorEndpoints.has(d)) ||
      (e.initiatorAddresses.has(i.src.address) && e.responderAddresses.has(i.dst.address)) ||
      (e.responderAddresses.has(i.src.address) && e.initiatorAddresses.has(i.dst.address));
    const entry =
      (q.espSpi !== undefined ? this.byEspSpi.get(q.espSpi) : undefined) ??
      (q.ikeSpi !== undefined ? this.index.find((e) => e.ladder.sa.initiatorSpi === q.ikeSpi) : undefined) ??
      this.index.filter(pairs).filter((e) => e.ladder.sa.firstFrame <= packet.frame.number).at(-1);
    if (!entry) return;
    // The ICMP comes back from where the quoted packet was going.
    const fromInitiator = entry.initiatorAddresses.has(q.src) || (!entry.responderAddresses.has(q.src) && entry.responderAddresses.has(q.dst));
    const what = q.espSpi !== undefined ? `ESP SPI ${q.espSpi}` : q.ikeSpi !== undefined ? 'IKE' : 'UDP';
    this.push(entry, {
      kind: 'icmp',
      id: '',
      frame: packet.frame.number,
      time: packet.frame.tsSec + packet.frame.tsNsec / 1e9,
      fromInitiator,
      src: { address: q.src, port: 0 },
      dst: { address: q.dst, port: 0 },
      description: q.description,
      quoted: `quotes ${what} ${s} → ${d}`,
    });
  }

  private count(row: TrafficRow, p: PacketFacts, spi: string | undefined): void {
    if (row.frames.length < MAX_ROW_FRAMES) row.frames.push(p.frame);
    row.lastFrame = p.frame;
    if (p.encap?.kind === 'keepalive') row.keepalives++;
    else {
      row.esp++;
      if (spi !== undefined && !row.espSpis.includes(spi) && row.espSpis.length < 8) row.espSpis.push(spi);
      if (p.esp && !p.esp.inUdp) row.rawEsp = true;
    }
  }

  private push(entry: SaIndex, row: LadderRow): void {
    const rows = entry.ladder.rows;
    if (rows.length >= MAX_ROWS) {
      entry.ladder.omitted++;
      return;
    }
    rows.push({ ...row, id: `sa${entry.number}-r${rows.length + 1}` } as LadderRow);
  }
}

/** The second pass: ladder data for every IKE SA of the report. */
export async function collectLadders(source: string, config: DecodeConfig, report: AnalysisReport): Promise<SaLadder[]> {
  const collector = new LadderCollector(report);
  if (!report.ikeSas.length) return collector.ladders;
  try {
    await decodeCapture(source, config, (packet) => collector.feed(packet, config));
  } catch (e) {
    // The analysis pass already reported a file error; draw what was read before it.
    if (!(e instanceof CaptureError)) throw e;
  }
  return collector.ladders;
}
