import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './environment.js';

/** One accepted difference between espy and tshark, from test/tshark-differences.md. */
export interface KnownDifference {
  readonly capture: string;
  readonly frames: string; // "12", "3-7" or "*"
  readonly field: string;
  readonly tshark: string;
  readonly espy: string;
  readonly reason: string;
}

const unquote = (cell: string): string => {
  const t = cell.trim().replace(/\\\|/g, '|');
  return t.startsWith('`') && t.endsWith('`') ? t.slice(1, -1) : t;
};

/**
 * Reads the table rows of test/tshark-differences.md: `| capture | frames | field | tshark | espy | reason |`.
 * Values are exact (inside backticks; `` means empty). Every row must carry a reason.
 */
export function loadKnownDifferences(): KnownDifference[] {
  const text = readFileSync(path.join(REPO_ROOT, 'test', 'tshark-differences.md'), 'utf8');
  const rows: KnownDifference[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map(unquote);
    if (cells.length < 6) continue;
    const [capture, frames, field, tshark, espy, reason] = cells as [string, string, string, string, string, string];
    rows.push({ capture, frames, field, tshark, espy, reason });
  }
  return rows;
}

function frameMatches(spec: string, frame: number): boolean {
  if (spec === '*') return true;
  return spec.split(',').some((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? frame === a : frame >= a! && frame <= b;
  });
}

export function isKnownDifference(
  known: readonly KnownDifference[],
  d: { capture: string; frame: number; field: string; tshark: string; espy: string },
): boolean {
  return known.some(
    (k) => k.capture === d.capture && k.field === d.field && k.tshark === d.tshark && k.espy === d.espy && frameMatches(k.frames, d.frame),
  );
}
