import type { AnalysisReport, IkeSaReport } from '../analysis/report.js';
import type { Finding } from '../analysis/finding-sink.js';
import type { FindingSeverity } from '../analysis/findings.js';
import { escapeText } from '../decode/tree.js';
import { renderBoxTable } from './text-table.js';

export interface TextStyle {
  readonly color: boolean;
}

const SEVERITY_TITLE: Readonly<Record<FindingSeverity, string>> = { error: 'Errors', warning: 'Warnings', note: 'Notes', chat: 'Chat' };
const SEVERITY_COLOR: Readonly<Record<FindingSeverity, string>> = { error: '\x1b[31m', warning: '\x1b[33m', note: '\x1b[36m', chat: '\x1b[2m' };

function paint(style: TextStyle, severity: FindingSeverity, text: string): string {
  return style.color ? `${SEVERITY_COLOR[severity]}${text}\x1b[0m` : text;
}

function endpoint(e: { address: string; port: number } | null): string {
  if (!e) return '?';
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

const SIDES = ['initiator', 'responder'] as const;

function position(sa: IkeSaReport, side: (typeof SIDES)[number]): string {
  const where = side === 'initiator' ? sa.nat.capturePoint.initiatorNat : sa.nat.capturePoint.responderNat;
  return where === 'both-sides' ? 'between two NATs' : where;
}

/** "initiator (capture outside its NAT)", "none", "forced encapsulation", ... */
export function natAt(sa: IkeSaReport): string {
  const parts: string[] = [];
  for (const side of SIDES) if (sa.nat[side] === 'behind-nat') parts.push(`${side} (capture ${position(sa, side)})`);
  const noNat = sa.nat.initiator === 'not-behind-nat' && sa.nat.responder === 'not-behind-nat';
  if (parts.length || sa.nat.forcedEncapsulation) for (const side of SIDES) if (sa.nat[side] === 'unknown') parts.push(`${side}: unknown`);
  // "No NAT" only where both sides are shown untranslated; a faked hash alone proves nothing about a NAT.
  if (sa.nat.forcedEncapsulation) parts.push(noNat ? 'no NAT: forced encapsulation' : 'forced encapsulation');
  if (parts.length) return parts.join('\n');
  if (noNat) return 'none';
  return 'unknown';
}

/** One side's verdict in words: "behind a NAT (capture outside it)", "not behind a NAT", "unknown". */
function sideWords(sa: IkeSaReport, side: (typeof SIDES)[number]): string {
  const nat = sa.nat[side];
  if (nat === 'not-behind-nat') return 'not behind a NAT';
  if (nat === 'unknown') return 'unknown';
  const where = position(sa, side);
  return where === 'unknown' ? 'behind a NAT' : where === 'between two NATs' ? 'behind a NAT (capture between two NATs)' : `behind a NAT (capture ${where} it)`;
}

/**
 * One line per side verdict with its "because": the report's reasoning holds one sentence per
 * side, prefixed "initiator: " / "responder: " (nat-detection.ts `natVerdict`). Escaped like every
 * other packet-derived text.
 */
export function natVerdictLines(report: AnalysisReport): string[] {
  const out: string[] = [];
  report.ikeSas.forEach((sa, i) => {
    for (const side of SIDES) {
      const prefix = `${side}: `;
      const because = sa.nat.reasoning.find((r) => r.startsWith(prefix))?.slice(prefix.length);
      out.push(`  #${i + 1} ${side} ${sideWords(sa, side)}${because ? ` because ${escapeText(because)}` : ''}`);
    }
    for (const r of sa.nat.reasoning) if (!SIDES.some((side) => r.startsWith(`${side}: `))) out.push(`  #${i + 1} ${escapeText(r)}`);
  });
  return out;
}

/** The human report: summary, IKE SA table, ESP SA table, findings grouped by severity. */
const STATUS_MARK: Readonly<Record<string, string>> = { established: 'up', failed: 'FAILED', deleted: 'deleted', negotiating: 'negotiating', unknown: '?' };

/** One line per IKE SA: its status and the verdict (sa-status.ts), worst first is not needed: in capture order, numbered as the table. */
function statusLines(report: AnalysisReport, style: TextStyle): string[] {
  const bad = (sa: AnalysisReport['ikeSas'][number]): boolean => sa.status.ike === 'failed' || sa.status.child === 'failed' || sa.status.child === 'one-way';
  return report.ikeSas.map((sa, i) => {
    const mark = STATUS_MARK[sa.status.ike] ?? sa.status.ike;
    // espy's own words and numbers (no packet strings), so printed as they are.
    const text = `  #${i + 1} ${mark.padEnd(11)} ${sa.status.verdict}`;
    return style.color && bad(sa) ? `\x1b[31m${text}\x1b[0m` : text;
  });
}

export function renderAnalysisText(report: AnalysisReport, style: TextStyle): string[] {
  const out: string[] = [];
  for (const c of report.captures) {
    out.push(`${escapeText(c.file)}: ${c.format}${c.compressed ? ' (gzip)' : ''}, ${c.frames} frames${c.error ? ` — stopped early: ${c.error}` : ''}`);
  }
  const s = report.summary;
  out.push(
    `IKE SAs: ${s.ikeSas} (${s.natDetected} with a NAT)   ESP SAs: ${s.espSas}   NAT keepalives: ${s.keepalives}   Findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.note} note, ${s.findings.chat} chat`,
  );
  if (report.ikeSas.length) {
    // The first question of an incident: did each tunnel come up, and did traffic flow both ways?
    out.push('', 'Tunnels');
    for (const line of statusLines(report, style)) out.push(line);
    out.push('', 'IKE SAs');
    const rows = report.ikeSas.map((sa, i) => [
      String(i + 1),
      `v${sa.ikeVersion}`,
      `${endpoint(sa.initiator)}${sa.rolesInferred ? ' (?)' : ''}\n↔ ${endpoint(sa.responder)}`,
      `${sa.initiatorSpi}\n${sa.responderSpi}`,
      sa.nattMethod ? escapeText(sa.nattMethod) : '—',
      natAt(sa),
      sa.floatedAtFrame !== null ? `frame ${sa.floatedAtFrame}\n${sa.floatedAt ?? ''}` : '—',
      sa.espSpis.join('\n') || '—',
      String(sa.keepalives),
      `${sa.messages}${sa.retransmissions ? `\n(${sa.retransmissions} retx)` : ''}`,
    ]);
    for (const line of renderBoxTable(['#', 'IKE', 'Initiator ↔ Responder', 'SPIs (i/r)', 'NAT-T', 'NAT at', 'Floated at', 'ESP SPIs', 'Keep-\nalives', 'Msgs'], rows, { color: style.color, compact: false })) out.push(line);
    out.push('', 'NAT verdicts');
    for (const line of natVerdictLines(report)) out.push(line);
  }
  if (report.espSas.length) {
    out.push('', 'ESP SAs');
    // IKE SA number by SPI pair: one lookup per ESP SA (findIndex per ESP SA was quadratic too).
    const ikeIndex = new Map<string, number>();
    report.ikeSas.forEach((sa, i) => {
      const key = `${sa.initiatorSpi}/${sa.responderSpi}`;
      if (!ikeIndex.has(key)) ikeIndex.set(key, i + 1);
    });
    const rows = report.espSas.map((e) => {
      const owner = e.ikeSa ? (ikeIndex.get(`${e.ikeSa.initiatorSpi}/${e.ikeSa.responderSpi}`) ?? 0) : 0;
      return [
        `0x${e.spi}`,
        `${endpoint(e.src)}\n→ ${endpoint(e.dst)}`,
        e.transport,
        String(e.packets),
        String(e.bytes),
        `${e.firstFrame}–${e.lastFrame}`,
        String(e.sequence.max),
        String(e.sequence.gaps),
        String(e.sequence.replays),
        owner ? `#${owner}${e.ikeSaLink === 'address-pairing' ? ' (by address)' : ''}` : '—',
      ];
    });
    for (const line of renderBoxTable(['SPI', 'Source → Destination', 'Transport', 'Packets', 'Bytes', 'Frames', 'Seq max', 'Gaps', 'Replays', 'IKE SA'], rows, { color: style.color, compact: false })) out.push(line);
  }
  for (const line of renderFindings(report.findings, style)) out.push(line);
  return out;
}

export function renderFindings(findings: readonly Finding[], style: TextStyle): string[] {
  const out: string[] = [];
  for (const severity of ['error', 'warning', 'note', 'chat'] as const) {
    const list = findings.filter((f) => f.severity === severity);
    if (!list.length) continue;
    out.push('', paint(style, severity, `${SEVERITY_TITLE[severity]} (${list.length})`));
    for (const f of list) {
      const frames = f.frames.length ? ` [frame${f.frames.length > 1 ? 's' : ''} ${f.frames.join(', ')}${f.count > f.frames.length ? `, … ${f.count}×` : ''}]` : '';
      out.push(`  ${paint(style, severity, f.id)} ${f.subject}${frames}`);
      out.push(`      ${f.message} (${f.rfc})`);
    }
  }
  return out;
}
