import type { ImplementationReport, VerifyResult } from '../verify/report.js';
import type { Outcome } from '../verify/judge.js';
import { escapeText } from '../decode/tree.js';
import { renderBoxTable } from './text-table.js';

export interface VerifyTextStyle {
  readonly color: boolean;
}

const RESULT_TEXT: Readonly<Record<Outcome, string>> = { pass: 'PASS', fail: 'FAIL', 'not-seen': 'NOT-SEEN' };
const RESULT_COLOR: Readonly<Record<Outcome, string>> = { pass: '\x1b[32m', fail: '\x1b[31m', 'not-seen': '\x1b[2m' };
const NOTE_WIDTH = 64;

/** Wraps at spaces to `width` columns (the tables do not wrap). */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function framesCell(frames: readonly number[]): string {
  return frames.length ? wrap(frames.join(', '), 18) : '—';
}

function header(impl: ImplementationReport): string {
  const sas = impl.sas.map((s) => `IKEv${s.ikeVersion} ${s.initiatorSpi}/${s.responderSpi} as ${s.role} (${s.endpoint})`).join('; ');
  const priv = impl.privateAddresses.length ? `; private address ${impl.privateAddresses.join(', ')} recovered from NAT-D` : '';
  return `${impl.label ?? 'Implementation'} ${impl.address} — ${sas}${priv}`;
}

/** The human report: one table per implementation (Req | RFC § | Level | Result | Evidence frames | Note), then the verdict lines. */
export function renderVerifyText(report: VerifyResult, style: VerifyTextStyle): string[] {
  return [...verifyTextLines(report, style)];
}

/** `renderVerifyText` line by line: each implementation is built, drawn and dropped in turn. */
export function* verifyTextLines(report: VerifyResult, style: VerifyTextStyle): Generator<string> {
  const paint = (o: Outcome, s: string): string => (style.color ? `${RESULT_COLOR[o]}${s}\x1b[0m` : s);
  for (const c of report.captures) yield `${escapeText(c.file)}: ${c.format}${c.compressed ? ' (gzip)' : ''}, ${c.frames} frames${c.error ? ` — stopped early: ${c.error}` : ''}`;
  if (report.summary.implementations === 0) {
    yield 'No IKE SA in the capture: nothing to verify.';
    return;
  }
  const verdicts: string[] = [];
  for (const impl of report.implementations) {
    yield '';
    yield header(impl);
    const rows = impl.results.map((r) => {
      const level = r.result === 'fail' && r.failedLevel && r.level.includes('/') ? `${r.level}\n(${r.failedLevel} failed)` : r.level;
      return [r.id, `${r.rfc.replace('RFC ', '')} §${r.section}`, level, paint(r.result, RESULT_TEXT[r.result] + (r.blocking ? ' !' : '')), framesCell(r.frames), wrap(r.note, NOTE_WIDTH)];
    });
    yield* renderBoxTable(['Req', 'RFC §', 'Level', 'Result', 'Evidence frames', 'Note'], rows, { color: style.color, compact: true });
    verdicts.push(impl.verdict + (impl.blockingFailures ? ` — ${impl.blockingFailures} ${report.strict ? 'MUST/SHOULD' : 'MUST'} failure(s)` : ''));
  }
  yield '';
  yield* verdicts;
  if (report.truncated.ikeSas || report.truncated.flows) yield `(state limits reached: ${report.truncated.ikeSas} IKE SA(s) evicted, ${report.truncated.flows} flow(s) not tracked)`;
}
