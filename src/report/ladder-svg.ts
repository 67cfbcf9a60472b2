import type { IkeSaReport } from '../analysis/report.js';
import type { FindingSeverity } from '../analysis/findings.js';
import { endpointKey, type Endpoint } from '../analysis/facts.js';
import { html, type SafeHtml } from './html.js';
import type { IkeRow, LadderRow, SaLadder, TrafficRow } from './ladder-data.js';

/**
 * The ladder (sequence) diagram of one IKE SA as inline SVG: one column per party (initiator,
 * the initiator's NAT when it is behind one, the responder's NAT, responder), one arrow per IKE
 * message or run of keepalives/ESP, a dashed line where the capture sits, and numbered markers
 * for the findings whose evidence frames an arrow carries. Styled by the page's CSS classes.
 */

export interface FindingMark {
  readonly number: number;
  readonly id: string;
  readonly severity: FindingSeverity;
}

type ColumnKey = 'initiator' | 'initiator-nat' | 'responder-nat' | 'responder';

interface Column {
  readonly key: ColumnKey;
  readonly title: string;
  readonly lines: readonly string[];
  readonly nat: boolean;
}

/** Wider when four columns (both NATs) must fit. */
const widthFor = (columns: number): number => (columns > 3 ? 1090 : 1000);
const LEFT = 96; // frame numbers and times
const RIGHT = 236; // finding references
const MAX_REF_CHARS = 27;
const HEADER_TOP = 8;
const HEADER_HEIGHT = 58;
const BOX_WIDTH = 168;
const FIRST_ROW = HEADER_TOP + HEADER_HEIGHT + 34;
const IKE_ROW = 62;
const TRAFFIC_ROW = 50;

function addressesOf(keys: readonly string[]): string[] {
  return [...new Set(keys.map((k) => k.slice(0, k.lastIndexOf(':')).replace(/^\[|\]$/g, '')))];
}

function columnsOf(sa: IkeSaReport): Column[] {
  const iSeen = addressesOf(sa.initiatorEndpoints).join(', ') || '?';
  const rSeen = addressesOf(sa.responderEndpoints).join(', ') || '?';
  const cols: Column[] = [];
  const iNat = sa.nat.initiator === 'behind-nat';
  const rNat = sa.nat.responder === 'behind-nat';
  const ci = sa.nat.capturePoint.initiatorNat;
  const cr = sa.nat.capturePoint.responderNat;
  const hidden = (recovered: string | null): string[] => (recovered ? [`private ${recovered}`, 'recovered from NAT-D'] : ['private address hidden', 'try espy natd-recover']);
  cols.push({ key: 'initiator', title: 'Initiator', lines: iNat && ci !== 'inside' ? hidden(sa.nat.privateAddresses.initiator) : [iSeen], nat: false });
  if (iNat) cols.push({ key: 'initiator-nat', title: "Initiator's NAT", lines: ci === 'inside' ? ['public side not captured'] : ci === 'both-sides' ? ['translated on both sides'] : [`public ${iSeen}`], nat: true });
  if (rNat) cols.push({ key: 'responder-nat', title: "Responder's NAT", lines: cr === 'inside' ? ['public side not captured'] : cr === 'both-sides' ? ['translated on both sides'] : [`public ${rSeen}`], nat: true });
  cols.push({ key: 'responder', title: 'Responder', lines: rNat && cr !== 'inside' ? hidden(sa.nat.privateAddresses.responder) : [rSeen], nat: false });
  return cols;
}

/** Index of the gap (between column g and g + 1) where the capture sits, if the verdict says. */
function captureGap(sa: IkeSaReport, cols: readonly Column[]): number | undefined {
  const at = (k: ColumnKey): number => cols.findIndex((c) => c.key === k);
  const ci = sa.nat.capturePoint.initiatorNat;
  const cr = sa.nat.capturePoint.responderNat;
  const fromI = at('initiator-nat') >= 0 ? (ci === 'inside' ? 0 : ci === 'outside' ? at('initiator-nat') : undefined) : undefined;
  const fromR = at('responder-nat') >= 0 ? (cr === 'inside' ? at('responder-nat') : cr === 'outside' ? at('responder-nat') - 1 : undefined) : undefined;
  if (fromI !== undefined && fromR !== undefined) return fromI === fromR ? fromI : undefined;
  if (fromI !== undefined || fromR !== undefined) return fromI ?? fromR;
  if (cols.length === 2 && ci === 'no-nat' && cr === 'no-nat') return 0;
  return undefined;
}

function columnX(count: number, width: number): number[] {
  const lo = LEFT + BOX_WIDTH / 2 + 6;
  const hi = width - RIGHT - BOX_WIDTH / 2 - 6;
  return Array.from({ length: count }, (_, i) => (count === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (count - 1)));
}

const seconds = (t: number): string => (t < 10 ? `+${t.toFixed(3)} s` : `+${t.toFixed(1)} s`);

function endpointText(e: Endpoint): SafeHtml {
  const address = e.address.includes(':') ? `[${e.address}]` : e.address;
  return html`${address}:<tspan class="port">${e.port}</tspan>`;
}

function carrierNote(row: IkeRow): string | undefined {
  switch (row.carrier) {
    case 'natt-port-no-marker':
      return 'NAT-T port without marker';
    case 'shape':
      return 'recognised by shape';
    default:
      return undefined;
  }
}

function natdMarks(row: IkeRow): SafeHtml | undefined {
  const n = row.natd;
  if (!n || (n.source === null && n.destination === null)) return undefined;
  const mark = (label: string, ok: boolean | null, extra = ''): SafeHtml | string =>
    ok === null ? '' : html` ${label} <tspan class="${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'}</tspan>${extra}`;
  return html`NAT-D${mark('src', n.source, n.sourcePortZero ? ' (port 0)' : '')}${mark('dst', n.destination)}`;
}

function trafficLabel(row: TrafficRow): string {
  const parts: string[] = [];
  if (row.esp) parts.push(`ESP ×${row.esp}${row.espSpis.length ? ` (SPI ${row.espSpis.join(', ')})` : ''}${row.rawEsp ? ', raw IP 50' : ''}`);
  if (row.keepalives) parts.push(`×${row.keepalives} keepalive${row.keepalives === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function rowHeight(row: LadderRow, marks: readonly FindingMark[]): number {
  const base = row.kind === 'traffic' ? TRAFFIC_ROW : IKE_ROW;
  return Math.max(base, 22 + Math.min(marks.length, 4) * 15);
}

function arrowClass(row: LadderRow): string {
  if (row.kind === 'traffic') return row.esp ? 'esp' : 'keepalive';
  if (row.kind === 'icmp') return 'icmp';
  return row.carrier === 'natt-port' ? 'natt' : row.carrier === 'natt-port-no-marker' ? 'bad' : 'ike';
}

interface RowPlace {
  readonly y: number;
  /** The arrow's y. */
  readonly ay: number;
  readonly x1: number;
  readonly x2: number;
  readonly dir: 1 | -1;
  readonly mid: number;
}

function frameText(row: LadderRow): string {
  if (row.kind !== 'traffic') return String(row.frame);
  return row.firstFrame === row.lastFrame ? String(row.firstFrame) : `${row.firstFrame}–${row.lastFrame}`;
}

function titleOf(row: LadderRow): string {
  switch (row.kind) {
    case 'ike':
      return `Frame ${row.frame}: ${row.exchange}, message ID ${row.messageId}, ${endpointKey(row.src)} → ${endpointKey(row.dst)}${row.encrypted ? ', encrypted' : ''}${row.retransmission ? ', retransmission' : ''}`;
    case 'icmp':
      return `Frame ${row.frame}: ${row.description} from ${row.src.address} to ${row.dst.address}, ${row.quoted}`;
    default:
      return `Frames ${frameText(row)}: ${trafficLabel(row)}, ${endpointKey(row.src)} ${row.bothWays ? '⇄' : '→'} ${endpointKey(row.dst)}`;
  }
}

/** The text above the arrow and the line below it. */
function labels(row: LadderRow, at: RowPlace): SafeHtml {
  const above = (cls: string, content: SafeHtml | string): SafeHtml => html`<text class="lbl${cls}" x="${at.mid}" y="${at.ay - 9}">${content}</text>`;
  const below = (parts: readonly (SafeHtml | string)[]): SafeHtml => html`<text class="sub" x="${at.mid}" y="${at.ay + 19}">${parts.map((p, i) => (i ? html` · ${p}` : p))}</text>`;
  if (row.kind === 'icmp') return html`${above(' icmp', `${row.description} from ${row.src.address}`)}${below([row.quoted])}`;
  if (row.kind === 'traffic') return html`${above(' traffic', trafficLabel(row))}${below([html`${endpointText(row.src)} ${row.bothWays ? '⇄' : '→'} ${endpointText(row.dst)}`])}`;
  const title = html`${row.exchange}${row.encrypted ? html`<tspan class="muted"> · encrypted</tspan>` : ''}${row.retransmission ? html`<tspan class="muted"> · retransmission</tspan>` : ''}${
    row.floated ? html`<tspan class="float"> ⇢ float to ${row.fromInitiator ? row.dst.port : row.src.port}</tspan>` : ''
  }`;
  const note = carrierNote(row);
  const natd = natdMarks(row);
  return html`${above('', title)}${below([html`${endpointText(row.src)} → ${endpointText(row.dst)}`, ...(note ? [note] : []), ...(natd ? [natd] : [])])}`;
}

function renderRow(row: LadderRow, y: number, xs: readonly number[], cols: readonly Column[], marks: readonly FindingMark[], t0: number, prefix: string, width: number): SafeHtml {
  const xi = xs[0]!;
  const xr = xs[xs.length - 1]!;
  const dir = row.fromInitiator ? 1 : -1;
  const at: RowPlace = { y, ay: y + (row.kind === 'traffic' ? 24 : 30), x1: row.fromInitiator ? xi : xr, x2: row.fromInitiator ? xr : xi, dir, mid: (xi + xr) / 2 };
  const cls = arrowClass(row);
  const both = row.kind === 'traffic' && row.bothWays;
  const crossings = cols.map((c, i) => (c.nat ? html`<circle class="xing" cx="${xs[i]!}" cy="${at.ay}" r="3.5"/>` : ''));
  const markers = marks.slice(0, 6).map((m, k) => {
    const cx = at.x1 + dir * (20 + k * 19);
    return html`<g class="fmark sev-${m.severity}"><circle cx="${cx}" cy="${at.ay}" r="8"/><text x="${cx}" y="${at.ay + 3.5}">${m.number}</text></g>`;
  });
  const refX = width - RIGHT + 14;
  const refs = marks.slice(0, 4).map(
    (m, k) =>
      html`<text class="fref sev-${m.severity}" x="${refX}" y="${at.ay - 6 + k * 15}"><title>F${m.number} ${m.id}</title>F${m.number} ${m.id.length > MAX_REF_CHARS ? `${m.id.slice(0, MAX_REF_CHARS - 1)}…` : m.id}</text>`,
  );
  const more = marks.length > 4 ? html`<text class="fref" x="${refX}" y="${at.ay - 6 + 4 * 15}">+${marks.length - 4} more</text>` : '';
  const firstFrame = row.kind === 'traffic' ? row.firstFrame : row.frame;
  return html`<g class="msg ${row.kind} ${cls}" id="${row.id}" data-kind="${row.kind}" data-frame="${firstFrame}"${row.kind === 'ike' && row.floated ? html` data-float="1"` : ''}>
<title>${titleOf(row)}</title>
<rect class="hit" x="${LEFT - 80}" y="${y}" width="${width - LEFT + 80}" height="${rowHeight(row, marks)}"/>
<text class="gut" x="${LEFT - 14}" y="${at.ay - 2}">#${frameText(row)}</text><text class="gut time" x="${LEFT - 14}" y="${at.ay + 12}">${seconds(Math.max(0, row.time - t0))}</text>
<line class="arrow ${cls}" x1="${both ? at.x1 + dir * 2 : at.x1}" y1="${at.ay}" x2="${at.x2 - dir * 2}" y2="${at.ay}"${both ? html` marker-start="url(#${prefix}ah-${cls})"` : ''} marker-end="url(#${prefix}ah-${cls})"/>
${crossings}${labels(row, at)}${markers}${refs}${more}
</g>`;
}

/** `number` is the SA's position in the report; it keeps the SVG's ids unique in the page. */
export function renderLadderSvg(ladder: SaLadder, marksByRow: ReadonlyMap<string, readonly FindingMark[]>, number: number): SafeHtml {
  const prefix = `sa${number}-`;
  const sa = ladder.sa;
  const cols = columnsOf(sa);
  const width = widthFor(cols.length);
  const xs = columnX(cols.length, width);
  let y = FIRST_ROW;
  const rows: SafeHtml[] = [];
  for (const row of ladder.rows) {
    const marks = marksByRow.get(row.id) ?? [];
    rows.push(renderRow(row, y, xs, cols, marks, sa.firstTime, prefix, width));
    y += rowHeight(row, marks);
  }
  if (ladder.omitted) {
    rows.push(html`<text class="sub" x="${(xs[0]! + xs[xs.length - 1]!) / 2}" y="${y + 18}">… ${ladder.omitted} more row(s) not drawn</text>`);
    y += 30;
  }
  const height = y + 14;
  const gap = captureGap(sa, cols);
  const capture =
    gap === undefined
      ? ''
      : html`<g class="capture"><line x1="${(xs[gap]! + xs[gap + 1]!) / 2}" y1="${HEADER_TOP + HEADER_HEIGHT + 6}" x2="${(xs[gap]! + xs[gap + 1]!) / 2}" y2="${height - 6}"/><rect x="${(xs[gap]! + xs[gap + 1]!) / 2 - 46}" y="${HEADER_TOP + HEADER_HEIGHT + 8}" width="92" height="18" rx="9"/><text x="${(xs[gap]! + xs[gap + 1]!) / 2}" y="${HEADER_TOP + HEADER_HEIGHT + 21}">capture point</text></g>`;
  const heads = cols.map(
    (c, i) => html`<g class="col ${c.nat ? 'nat' : 'host'}" data-column="${c.key}">
<line class="life" x1="${xs[i]!}" y1="${HEADER_TOP + HEADER_HEIGHT}" x2="${xs[i]!}" y2="${height - 6}"/>
<rect class="box" x="${xs[i]! - BOX_WIDTH / 2}" y="${HEADER_TOP}" width="${BOX_WIDTH}" height="${HEADER_HEIGHT}" rx="8"/>
<text class="head" x="${xs[i]!}" y="${HEADER_TOP + 20}">${c.title}</text>
${c.lines.map((l, k) => html`<text class="headsub" x="${xs[i]!}" y="${HEADER_TOP + 37 + k * 14}">${l.length > 30 ? `${l.slice(0, 29)}…` : l}</text>`)}
</g>`,
  );
  const markerDefs = ['ike', 'natt', 'bad', 'esp', 'keepalive', 'icmp'].map(
    (k) => html`<marker id="${prefix}ah-${k}" class="ah ${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
  );
  const gutterHead = html`<text class="gut head-gut" x="${LEFT - 14}" y="${FIRST_ROW - 12}">frame</text>${
    marksByRow.size ? html`<text class="fref head-gut" x="${width - RIGHT + 14}" y="${FIRST_ROW - 12}">findings</text>` : ''
  }`;
  return html`<svg class="ladder" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Ladder diagram of IKE SA ${sa.initiatorSpi}/${sa.responderSpi}">
<defs>${markerDefs}</defs>
${heads}${capture}${gutterHead}
${rows}
</svg>`;
}
