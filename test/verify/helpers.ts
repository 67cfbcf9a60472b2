import { tempCapture, espy } from '../support/run-espy.js';
import { writePcap, type RecordSpec } from '../support/capture-writer.js';
import type { RequirementResult, VerifyReport } from '../../src/verify/report.js';

/** `espy verify --json` (private-address search off unless asked: the outcomes do not depend on it). */
export async function verifyJson(capture: string | Uint8Array, ...extra: string[]): Promise<{ report: VerifyReport; code: number; err: string[] }> {
  const file = typeof capture === 'string' ? capture : tempCapture(capture);
  const args = extra.includes('--natd-search-hashes') ? extra : ['--natd-search-hashes', '0', ...extra];
  const r = await espy('verify', file, '--json', ...args);
  if (r.out.length !== 1) throw new Error(`expected one JSON document, got ${r.out.length} lines; stderr: ${r.err.join(' | ')}`);
  return { report: JSON.parse(r.out[0]!) as VerifyReport, code: r.code, err: r.err };
}

export function result(report: VerifyReport, address: string, id: string): RequirementResult {
  const impl = report.implementations.find((i) => i.address === address);
  if (!impl) throw new Error(`no implementation ${address}; have ${report.implementations.map((i) => i.address).join(', ')}`);
  const r = impl.results.find((x) => x.id === id);
  if (!r) throw new Error(`${address} has no row ${id}`);
  return r;
}

/** Every FAIL as "address id". */
export function failures(report: VerifyReport): string[] {
  return report.implementations.flatMap((i) => i.results.filter((r) => r.result === 'fail').map((r) => `${i.address} ${r.id}`));
}

/** Records of several sessions in time order (frames renumber accordingly). */
export function merge(...sessions: readonly (readonly RecordSpec[])[]): { pcap: Uint8Array; records: RecordSpec[] } {
  const key = (r: RecordSpec): number => (r.tsSec ?? 0) * 1e6 + (r.tsUsec ?? 0);
  const records = sessions.flat().sort((a, b) => key(a) - key(b));
  return { pcap: writePcap(records), records };
}
