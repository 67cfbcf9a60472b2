import type { TimelineEvent } from '../analysis/timeline.js';
import { escapeText } from '../decode/tree.js';

/** "2026-11-23T10:27:03.874453Z": ISO 8601, UTC, microseconds. */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  if (!Number.isFinite(us) || Number.isNaN(d.getTime())) return `@${us}us`;
  const iso = d.toISOString();
  const micros = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, iso.lastIndexOf('.'))}.${micros}Z`;
}

/**
 * Terminal-safe text: control characters (C0, DEL, C1) and line separators become escapes.
 * Messages are built from report values whose packet strings are already escaped, so other
 * characters (→, ↔, backslashes) are kept as they are.
 */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

const UNDATED = '(no frame)'.padEnd(27);

function kindText(e: TimelineEvent): string {
  return e.severity ? `${e.kind} [${e.severity}]` : e.kind;
}

/** One line per event: time, frame, kind, SA, message. */
export function renderTimelineText(file: string, frames: number, events: readonly TimelineEvent[]): string[] {
  const out = [`${escapeText(file)}: ${events.length} event${events.length === 1 ? '' : 's'} in ${frames} frame${frames === 1 ? '' : 's'}`];
  const kindWidth = Math.max(0, ...events.map((e) => kindText(e).length));
  const frameWidth = Math.max(0, ...events.map((e) => (e.frame === null ? 0 : String(e.frame).length + 1)));
  for (const e of events) {
    const time = e.timeUs === null ? UNDATED : isoMicros(e.timeUs);
    const frame = (e.frame === null ? '' : `#${e.frame}`).padEnd(frameWidth);
    out.push(safeText(`${time}  ${frame}  ${kindText(e).padEnd(kindWidth)}  ${e.sa ? `${e.sa}  ` : ''}${e.message}`));
  }
  return out;
}
