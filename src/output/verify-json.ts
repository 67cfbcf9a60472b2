import type { VerifyReport } from '../verify/report.js';
import { safeJson } from './json.js';

/** `espy verify --json`: the whole report as one document, `{ "type": "verify", "v": 1, ... }`. */
export function verifyToJson(report: VerifyReport): string {
  return safeJson(report);
}
