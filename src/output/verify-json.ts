import type { VerifyReport, VerifyResult } from '../verify/report.js';
import { safeJson } from './json.js';

/** `espy verify --json`: the whole report as one document, `{ "type": "verify", "v": 1, ... }`. */
export function verifyToJson(report: VerifyReport): string {
  return safeJson(report);
}

/** About this many array elements and object members go into one piece (~50-100 KB of JSON). */
const PIECE = 4096;

/** Counts the members of `value` into `budget.left`; false once it runs out (stops counting there). */
function fits(value: unknown, budget: { left: number }): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    budget.left -= value.length;
    if (budget.left < 0) return false;
    for (const x of value) if (!fits(x, budget)) return false;
    return true;
  }
  for (const k in value) {
    if (--budget.left < 0 || !fits((value as Record<string, unknown>)[k], budget)) return false;
  }
  return true;
}

/**
 * `value` as JSON in pieces whose concatenation is `safeJson(value)`: what holds up to PIECE
 * members is one `safeJson` call; a larger array is written in runs of elements (one call per
 * run), a larger object member by member. For plain data only (no `toJSON`, no functions);
 * undefined members are left out and undefined elements written as null, as JSON.stringify does.
 */
export function* jsonParts(value: unknown): Generator<string> {
  if (fits(value, { left: PIECE })) {
    yield safeJson(value);
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    let run: unknown[] = [];
    let budget = { left: PIECE };
    let first = true;
    const flush = function* (): Generator<string> {
      if (!run.length) return;
      yield `${first ? '' : ','}${safeJson(run).slice(1, -1)}`;
      first = false;
      run = [];
      budget = { left: PIECE };
    };
    for (const x of value) {
      const element = x === undefined ? null : x;
      if (fits(element, budget)) {
        run.push(element);
        continue;
      }
      yield* flush();
      if (fits(element, budget)) {
        run.push(element);
        continue;
      }
      if (!first) yield ',';
      first = false;
      yield* jsonParts(element);
      budget = { left: PIECE };
    }
    yield* flush();
    yield ']';
    return;
  }
  let first = true;
  yield '{';
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${first ? '' : ','}${safeJson(k)}:`;
    first = false;
    yield* jsonParts(v);
  }
  yield '}';
}

/**
 * The same document as `verifyToJson(materializeVerifyReport(result))`, in pieces: each
 * implementation is built, written and dropped in turn, and an implementation with thousands of
 * SAs is itself written in pieces. Write them as one line (`Io.outParts`).
 */
export function* verifyJsonParts(result: VerifyResult): Generator<string> {
  yield `{"type":${safeJson(result.type)},"v":${safeJson(result.v)},"captures":${safeJson(result.captures)},"strict":${safeJson(result.strict)},"implementations":[`;
  let first = true;
  for (const impl of result.implementations) {
    if (!first) yield ',';
    first = false;
    yield* jsonParts(impl);
  }
  yield `],"summary":${safeJson(result.summary)},"truncated":${safeJson(result.truncated)}}`;
}
