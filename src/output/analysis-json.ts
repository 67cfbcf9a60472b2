import type { AnalysisReport } from '../analysis/report.js';
import { safeJson } from './json.js';

/**
 * NDJSON events (docs/json.md): one `capture` per file, one `ike_sa` per IKE SA, one `esp_sa` per
 * ESP SA, one `finding` per finding, then a `summary`. Each line is `{ "type", "v", ... }`.
 */
export function analysisToNdjson(report: AnalysisReport): string[] {
  const v = report.v;
  const lines: string[] = [];
  for (const c of report.captures) lines.push(safeJson({ type: 'capture', v, ...c }));
  for (const sa of report.ikeSas) lines.push(safeJson({ type: 'ike_sa', v, capture: report.captures[0]?.file, ...sa }));
  for (const sa of report.espSas) lines.push(safeJson({ type: 'esp_sa', v, capture: report.captures[0]?.file, ...sa }));
  for (const f of report.findings) lines.push(safeJson({ type: 'finding', v, capture: report.captures[0]?.file, ...f }));
  lines.push(safeJson({ type: 'summary', v, capture: report.captures[0]?.file, ...report.summary }));
  return lines;
}
