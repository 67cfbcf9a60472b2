import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import type { AnalysisReport } from '../../src/analysis/report.js';

const dir = mkdtempSync(path.join(tmpdir(), 'espy-test-'));
let counter = 0;

/** Writes bytes to a temporary capture file and returns its path. */
export function tempCapture(bytes: Uint8Array, name = 'capture.pcap'): string {
  const p = path.join(dir, `${++counter}-${name}`);
  writeFileSync(p, bytes);
  return p;
}

export async function espy(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** `espy analyze --json` on a file or bytes; the parsed report and the exit code. */
export async function analyzeJson(capture: string | Uint8Array, ...extra: string[]): Promise<{ report: AnalysisReport; code: number; err: string[] }> {
  const file = typeof capture === 'string' ? capture : tempCapture(capture);
  const r = await espy('analyze', file, '--json', '--fail-on', 'never', ...extra);
  if (r.out.length !== 1) throw new Error(`expected one JSON document, got ${r.out.length} lines; stderr: ${r.err.join(' | ')}`);
  return { report: JSON.parse(r.out[0]!) as AnalysisReport, code: r.code, err: r.err };
}

export function findingIds(report: AnalysisReport): string[] {
  return report.findings.map((f) => f.id);
}
