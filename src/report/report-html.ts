import type { AnalysisReport, EspSaReport, IkeSaReport, VendorIdReport } from '../analysis/report.js';
import type { Finding } from '../analysis/finding-sink.js';
import type { FindingSeverity } from '../analysis/findings.js';
import type { CapturePosition, NatSide } from '../analysis/nat-detection.js';
import { bytesToLatin1, escapeText } from '../decode/tree.js';
import { html, joinHtml, styleSheet, type SafeHtml } from './html.js';
import { frameAnchors, type IdentityEntry, type SaLadder } from './ladder-data.js';
import { renderLadderSvg, type FindingMark } from './ladder-svg.js';
import { REPORT_CSS } from './style.js';

/**
 * `espy report`: one self-contained HTML page (inline CSS and SVG, no script, no fetch; the
 * Content-Security-Policy forbids both). Every value comes through the `html` template, which
 * escapes it; strings from packets were made printable with escapeText before that.
 */

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'note', 'chat'];
const SEVERITY_TITLE: Readonly<Record<FindingSeverity, string>> = { error: 'Errors', warning: 'Warnings', note: 'Notes', chat: 'Chat' };

function sideText(side: NatSide): string {
  return side === 'behind-nat' ? 'behind a NAT' : side === 'not-behind-nat' ? 'not behind a NAT' : 'unknown';
}

function positionText(p: CapturePosition, who: string): string {
  switch (p) {
    case 'inside':
      return `capture inside the ${who}'s NAT (private side)`;
    case 'outside':
      return `capture outside the ${who}'s NAT (public side)`;
    case 'both-sides':
      return `translated on both sides of the capture point`;
    case 'no-nat':
      return 'no translation on the path';
    default:
      return 'capture position unknown';
  }
}

const endpoint = (e: { address: string; port: number } | null): string => (e ? (e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`) : '?');
const time = (t: number): string => (Number.isFinite(t) && t > 0 ? new Date(t * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '—');
const duration = (s: number): string => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);

/** One sentence per SA for the summary. */
function headline(sa: IkeSaReport): string {
  const parts: string[] = [];
  const side = (who: 'initiator' | 'responder', seen: string): void => {
    const nat = sa.nat[who];
    if (nat !== 'behind-nat') return;
    const where = sa.nat.capturePoint[who === 'initiator' ? 'initiatorNat' : 'responderNat'];
    const priv = sa.nat.privateAddresses[who];
    parts.push(`The ${who} (${seen}) is behind a NAT${priv ? `, private address ${priv}` : ''}; ${where === 'outside' ? 'the capture is outside that NAT' : where === 'inside' ? 'the capture is inside that NAT' : 'the capture position is unclear'}.`);
  };
  side('initiator', endpoint(sa.initiator));
  side('responder', endpoint(sa.responder));
  if (sa.nat.forcedEncapsulation) parts.push('UDP encapsulation was forced (a faked NAT-D hash), not caused by a NAT.');
  if (!parts.length) parts.push(sa.nat.initiator === 'not-behind-nat' && sa.nat.responder === 'not-behind-nat' ? 'No NAT between the peers.' : 'Whether a NAT is involved cannot be told from this capture.');
  if (sa.floatedAtFrame !== null) parts.push(`Floated to UDP 4500 at frame ${sa.floatedAtFrame}${sa.floatedAt ? ` (${sa.floatedAt})` : ''}.`);
  return parts.join(' ');
}

function vendorText(v: VendorIdReport): string {
  if (v.name) return v.name;
  const bytes = Uint8Array.from(v.hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  const printable = bytes.filter((b) => b >= 0x20 && b < 0x7f).length;
  // Readable vendor strings (libreswan, OpenIKED, crafted ones) are shown as text, made printable.
  return bytes.length >= 4 && printable >= bytes.length * 0.75 ? `"${escapeText(bytesToLatin1(bytes))}"` : 'unknown';
}

function identityRows(who: string, ids: readonly IdentityEntry[], vids: readonly VendorIdReport[]): SafeHtml[] {
  return [
    ...ids.map((i) => html`<tr><td>${who}</td><td>ID ${i.type}</td><td class="mono">${i.value}</td><td class="num">${i.frame}</td></tr>`),
    ...vids.map((v) => html`<tr><td>${who}</td><td>Vendor ID</td><td><span class="mono">${vendorText(v)}</span><br><small class="mono">${v.hex.length > 64 ? `${v.hex.slice(0, 64)}…` : v.hex}</small></td><td class="num">—</td></tr>`),
  ];
}

function verdictSection(sa: IkeSaReport): SafeHtml {
  const cell = (label: string, value: string, small?: string): SafeHtml => html`<div><dt>${label}</dt><dd>${value}${small ? html`<small>${small}</small>` : ''}</dd></div>`;
  const priv = [sa.nat.privateAddresses.initiator ? `initiator ${sa.nat.privateAddresses.initiator}` : '', sa.nat.privateAddresses.responder ? `responder ${sa.nat.privateAddresses.responder}` : ''].filter(Boolean).join(', ');
  return html`<dl class="verdict">
${cell('Initiator', sideText(sa.nat.initiator), `${endpoint(sa.initiator)}${sa.rolesInferred ? ' (role inferred)' : ''} · ${positionText(sa.nat.capturePoint.initiatorNat, 'initiator')}`)}
${cell('Responder', sideText(sa.nat.responder), `${endpoint(sa.responder)} · ${positionText(sa.nat.capturePoint.responderNat, 'responder')}`)}
${cell('Forced encapsulation', sa.nat.forcedEncapsulation ? 'yes' : 'no', sa.nat.forcedEncapsulation ? 'a NAT-D source hash was faked to force UDP encapsulation' : undefined)}
${cell('Recovered private addresses', priv || 'none', priv ? 'brute-forced from the NAT-D source hash' : 'espy natd-recover searches all of RFC 1918')}
${cell('NAT-T', sa.nattMethod ?? 'not negotiated', sa.floatedAtFrame !== null ? `floated at frame ${sa.floatedAtFrame}${sa.floatedAt ? ` (${sa.floatedAt})` : ''}` : 'no float to 4500')}
${cell('Traffic', `${sa.messages} IKE message${sa.messages === 1 ? '' : 's'}${sa.retransmissions ? ` (${sa.retransmissions} retransmitted)` : ''}`, `${sa.keepalives} keepalive${sa.keepalives === 1 ? '' : 's'} · ESP SPIs ${sa.espSpis.join(', ') || 'none'}`)}
</dl>`;
}

function saSection(sa: IkeSaReport, ladder: SaLadder | undefined, n: number, marks: ReadonlyMap<string, readonly FindingMark[]>): SafeHtml {
  const ids = ladder?.identities ?? { initiator: [], responder: [] };
  const idRows = [...identityRows('initiator', ids.initiator, sa.vendorIds.initiator), ...identityRows('responder', ids.responder, sa.vendorIds.responder)];
  return html`<section class="sa" id="sa${n}">
<header><h3>IKE SA ${n} · IKEv${sa.ikeVersion}</h3><span class="spis">${sa.initiatorSpi} / ${sa.responderSpi}</span><span class="span">frames ${sa.firstFrame}–${sa.lastFrame} · ${duration(Math.max(0, sa.lastTime - sa.firstTime))} · from ${time(sa.firstTime)}</span></header>
<p class="headline">${headline(sa)}</p>
<p class="headline status-${sa.status.ike}">Tunnel: ${sa.status.verdict}</p>
${verdictSection(sa)}
${sa.nat.reasoning.length ? html`<h4>Why</h4><ul class="reasons">${sa.nat.reasoning.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
<h4>Message ladder</h4>
${ladder ? html`<div class="ladder-wrap">${renderLadderSvg(ladder, marks, n)}</div>` : html`<p class="empty">No messages drawn.</p>`}
<div class="legend"><span class="l-ike">IKE on UDP 500</span><span class="l-natt">IKE on UDP 4500 (non-ESP marker)</span><span class="l-esp">ESP</span><span class="l-ka">NAT keepalives</span><span class="l-icmp">ICMP error</span><span class="l-cap">capture point</span></div>
${idRows.length ? html`<h4>Identities and vendor IDs</h4><div class="table-wrap"><table><thead><tr><th>Sent by</th><th>Payload</th><th>Value</th><th>Frame</th></tr></thead><tbody>${idRows}</tbody></table></div>` : ''}
</section>`;
}

/** Rows per piece of a long table. */
const ROWS_PER_PIECE = 256;

function* tablePieces<T>(items: readonly T[], head: string, row: (item: T, i: number) => SafeHtml): Iterable<string> {
  yield `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n`;
  for (let i = 0; i < items.length; i += ROWS_PER_PIECE) {
    let piece = '';
    for (let j = i; j < Math.min(items.length, i + ROWS_PER_PIECE); j++) piece += row(items[j]!, j).value;
    yield piece;
  }
  yield '\n</tbody></table></div>';
}

function ikeTable(report: AnalysisReport): Iterable<string> {
  if (!report.ikeSas.length) return [html`<p class="empty">No IKE SAs in this capture.</p>`.value];
  return tablePieces(
    report.ikeSas,
    '<th>#</th><th>IKE</th><th>Initiator ↔ Responder</th><th>SPIs (i / r)</th><th>NAT-T</th><th>NAT</th><th>Floated</th><th>Msgs</th><th>Keepalives</th><th>ESP SPIs</th>',
    (sa, i) => html`<tr><td><a href="#sa${i + 1}">${i + 1}</a></td><td>v${sa.ikeVersion}</td><td class="mono">${endpoint(sa.initiator)}<br>↔ ${endpoint(sa.responder)}</td><td class="mono">${sa.initiatorSpi}<br>${sa.responderSpi}</td><td>${sa.nattMethod ?? '—'}</td><td>${natCell(sa)}</td><td>${sa.floatedAtFrame !== null ? `frame ${sa.floatedAtFrame}` : '—'}</td><td class="num">${sa.messages}</td><td class="num">${sa.keepalives}</td><td class="mono">${sa.espSpis.join(', ') || '—'}</td></tr>`,
  );
}

function natCell(sa: IkeSaReport): SafeHtml {
  const pills: SafeHtml[] = [];
  if (sa.nat.initiator === 'behind-nat') pills.push(html`<span class="pill nat">initiator NATed</span>`);
  if (sa.nat.responder === 'behind-nat') pills.push(html`<span class="pill nat">responder NATed</span>`);
  if (sa.nat.forcedEncapsulation) pills.push(html`<span class="pill plain">forced encapsulation</span>`);
  if (!pills.length) pills.push(sa.nat.initiator === 'not-behind-nat' && sa.nat.responder === 'not-behind-nat' ? html`<span class="pill ok">none</span>` : html`<span class="pill plain">unknown</span>`);
  return html`<span class="pills">${pills}</span>`;
}

function espTable(report: AnalysisReport): Iterable<string> {
  if (!report.espSas.length) return [html`<p class="empty">No ESP in this capture.</p>`.value];
  const numberOf = new Map<string, number>();
  report.ikeSas.forEach((sa, i) => {
    const key = `${sa.initiatorSpi}/${sa.responderSpi}`;
    if (!numberOf.has(key)) numberOf.set(key, i + 1);
  });
  const owner = (e: EspSaReport): string => {
    const n = e.ikeSa ? numberOf.get(`${e.ikeSa.initiatorSpi}/${e.ikeSa.responderSpi}`) : undefined;
    return n === undefined ? '—' : `#${n}${e.ikeSaLink === 'address-pairing' ? ' (by address)' : ''}`;
  };
  return tablePieces(
    report.espSas,
    '<th>SPI</th><th>Source → Destination</th><th>Transport</th><th>Packets</th><th>Bytes</th><th>Frames</th><th>Seq max</th><th>Gaps</th><th>Replays</th><th>IKE SA</th>',
    (e) => html`<tr><td class="mono">0x${e.spi}</td><td class="mono">${endpoint(e.src)}<br>→ ${endpoint(e.dst)}</td><td>${e.transport}</td><td class="num">${e.packets}</td><td class="num">${e.bytes}</td><td class="num">${e.firstFrame}–${e.lastFrame}</td><td class="num">${e.sequence.max}</td><td class="num">${e.sequence.gaps}</td><td class="num">${e.sequence.replays}</td><td>${owner(e)}</td></tr>`,
  );
}

function findingsSection(findings: readonly Finding[], anchors: ReadonlyMap<number, string>): SafeHtml {
  if (!findings.length) return html`<p class="empty">No findings.</p>`;
  const numbered = findings.map((f, i) => ({ f, n: i + 1 }));
  return html`<div class="findings">${SEVERITIES.map((sev) => {
    const group = numbered.filter((x) => x.f.severity === sev);
    if (!group.length) return '';
    return html`<div class="group"><h4><span class="pill sev-${sev}">${SEVERITY_TITLE[sev]} · ${group.length}</span></h4>${group.map(
      ({ f, n }) => html`<div class="finding sev-${sev}" id="f${n}"><div><span class="fno">F${n}</span> <span class="fid">${f.id}</span> <span class="subject">${f.subject}</span>${f.count > 1 ? html` <span class="pill plain">×${f.count}</span>` : ''}</div>
<div class="msgtext">${f.message}</div>
<div class="meta">${f.rfc !== '—' ? `${f.rfc} · ` : ''}evidence frames ${f.frames.length ? joinHtml(f.frames.map((fr) => (anchors.has(fr) ? html`<a href="#${anchors.get(fr)!}">${fr}</a>` : String(fr))), ', ') : 'none'}</div></div>`,
    )}</div>`;
  })}</div>`;
}

/** Finding markers per ladder row, numbered as in the findings list. */
function marksByRow(findings: readonly Finding[], anchors: ReadonlyMap<number, string>): Map<string, FindingMark[]> {
  const out = new Map<string, FindingMark[]>();
  findings.forEach((f, i) => {
    const rows = new Set<string>();
    for (const fr of f.frames) {
      const row = anchors.get(fr);
      if (row) rows.add(row);
    }
    for (const row of rows) out.set(row, [...(out.get(row) ?? []), { number: i + 1, id: f.id, severity: f.severity }]);
  });
  return out;
}

export interface ReportMeta {
  readonly version: string;
}

/** The whole page as one string (`reportHtmlPieces` joined). */
export function renderReportHtml(report: AnalysisReport, ladders: readonly SaLadder[], meta: ReportMeta): string {
  return [...reportHtmlPieces(report, ladders, meta)].join('');
}

/**
 * The page in pieces, in order: a report of thousands of SAs is tens of MB of HTML, never built
 * as one string; each SA's section and every few hundred table rows are made when the writer
 * asks for them and dropped once written.
 */
export function* reportHtmlPieces(report: AnalysisReport, ladders: readonly SaLadder[], meta: ReportMeta): Iterable<string> {
  const anchors = frameAnchors(ladders);
  const marks = marksByRow(report.findings, anchors);
  const s = report.summary;
  const files = report.captures.map((c) => c.file).join(', ');
  const errors = report.captures.filter((c) => c.error);
  const card = (n: number | string, l: string, extra: SafeHtml | string = ''): SafeHtml => html`<div class="card"><div class="n">${n}</div><div class="l">${l}</div>${extra}</div>`;
  const findingPills = html`<div class="pills">${SEVERITIES.map((sev) => (s.findings[sev] ? html`<span class="pill sev-${sev}">${s.findings[sev]} ${sev}</span>` : ''))}</div>`;
  yield html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="espy ${meta.version}">
<title>espy report · ${files}</title>
<style>${styleSheet(REPORT_CSS)}</style>
</head>
<body>
<header class="top"><div class="inner"><h1>espy · IPsec across NAT</h1><span class="file">${files}</span><span class="meta">${report.captures.map((c) => `${c.format}${c.compressed ? ' (gzip)' : ''}, ${c.frames} frames`).join('; ')}</span></div></header>
<main>
${errors.map((c) => html`<p class="headline">Reading stopped early: ${c.error ?? ''}. Everything before the problem is reported.</p>`)}
<h2>Summary</h2>
<div class="cards">
${card(s.frames, 'frames')}${card(s.ikeSas, 'IKE SAs')}${card(s.natDetected, 'with a NAT')}${card(s.espSas, 'ESP SAs')}${card(s.keepalives, 'NAT keepalives')}${card(report.findings.length, 'findings', findingPills)}
</div>
`.value;
  for (let i = 0; i < report.ikeSas.length; i += ROWS_PER_PIECE) {
    let piece = '';
    for (let j = i; j < Math.min(report.ikeSas.length, i + ROWS_PER_PIECE); j++) piece += html`<p class="headline"><a href="#sa${j + 1}">IKE SA ${j + 1}</a>: ${headline(report.ikeSas[j]!)}</p>`.value;
    yield piece;
  }
  yield '\n<h2>IKE SAs and NAT verdicts</h2>\n';
  if (!report.ikeSas.length) yield html`<p class="empty">No IKE SAs in this capture.</p>`.value;
  for (let i = 0; i < report.ikeSas.length; i++) yield saSection(report.ikeSas[i]!, ladders[i], i + 1, marks).value;
  yield '\n<h2>IKE SA table</h2>\n';
  yield* ikeTable(report);
  yield '\n<h2>ESP SAs</h2>\n';
  yield* espTable(report);
  yield '\n<h2>Findings</h2>\n';
  yield findingsSection(report.findings, anchors).value;
  yield html`
<footer>Generated by espy ${meta.version}. A self-contained page: no scripts, no network requests (Content-Security-Policy <code>${REPORT_CSP}</code>). Frame numbers are those of the capture.</footer>
</main>
</body>
</html>
`.value;
}
