import type { AnalysisReport } from '../analysis/report.js';
import { safeJson } from './json.js';

/**
 * NDJSON events (docs/json.md): one `capture` per file, one `ike_sa` per IKE SA, one `esp_sa` per
 * ESP SA, one `finding` per finding, then a `summary`. Each line is `{ "type", "v", ... }`.
 * Lines are made one at a time, as they are written.
 */
export function* analysisNdjsonLines(report: AnalysisReport): Generator<string> {
  const v = report.v;
  for (const c of report.captures) yield safeJson({ type: 'capture', v, ...c });
  for (const sa of report.ikeSas) yield safeJson({ type: 'ike_sa', v, capture: report.captures[0]?.file, ...sa });
  for (const sa of report.espSas) yield safeJson({ type: 'esp_sa', v, capture: report.captures[0]?.file, ...sa });
  for (const f of report.findings) yield safeJson({ type: 'finding', v, capture: report.captures[0]?.file, ...f });
  yield safeJson({ type: 'summary', v, capture: report.captures[0]?.file, ...report.summary, ...(report.displayFilter ? { displayFilter: report.displayFilter } : {}) });
}

export function analysisToNdjson(report: AnalysisReport): string[] {
  return [...analysisNdjsonLines(report)];
}

/** A plain object or array that JSON.stringify would walk itself (no toJSON of its own). */
function walkable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * `value` as JSON in pieces, walking `depth` levels of objects and arrays itself and stringifying
 * below that; the pieces joined are exactly `safeJson(value)` (its escapes work per character).
 */
function* jsonPieces(value: unknown, depth: number): Generator<string> {
  if (depth <= 0 || !walkable(value)) {
    yield safeJson(value);
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const item: unknown = value[i];
      if (omitted(item)) yield 'null';
      else yield* jsonPieces(item, depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (omitted(item)) continue;
    yield (first ? '' : ',') + safeJson(key) + ':';
    first = false;
    yield* jsonPieces(item, depth - 1);
  }
  yield '}';
}

/**
 * The `--json` document (one report, or an array of them) in pieces of about one IKE SA, ESP SA
 * or finding each, so that it is written without ever being one string: joined, the pieces are
 * exactly `safeJson(value)`.
 */
export function analysisJsonPieces(value: AnalysisReport | readonly AnalysisReport[]): Generator<string> {
  // Report object → its arrays → their items (stringified whole); one level more for an array of reports.
  return jsonPieces(value, Array.isArray(value) ? 3 : 2);
}
