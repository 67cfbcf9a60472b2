import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTshark, tsharkVersionMismatch } from './tshark.js';

export { PINNED_TSHARK, TSHARK_CHECKSUM_PREFS, hasTshark, tshark, tsharkIsPinned, tsharkKnownFields, tsharkVersion } from './tshark.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const IN_CI = process.env['CI'] === 'true';

export function hasCorpus(): boolean {
  return existsSync(path.join(CORPUS, 'MANIFEST.md'));
}

/**
 * Why a ground-truth test cannot run here, or undefined when it can. A newcomer's clone has
 * neither tshark nor ../shared: those tests are skipped with this reason printed. Under CI a
 * missing tool or corpus is a failure, never a skip (each suite has an `it.runIf(IN_CI)` test
 * expecting this to be undefined).
 *
 * `exactTshark`: the suite's expectations are specific to the pinned tshark (PINNED_TSHARK,
 * 4.0.17: exact field values, the documented differences, display-filter semantics); another
 * version skips it with that reason, printed even under CI, where it also fails.
 */
export function groundTruthMissing(needs: { tshark?: boolean; exactTshark?: boolean; corpus?: boolean }): string | undefined {
  const missing: string[] = [];
  const mismatch = needs.exactTshark && hasTshark() ? tsharkVersionMismatch() : undefined;
  if ((needs.tshark || needs.exactTshark) && !hasTshark()) missing.push('tshark 4.x is not installed (apt-get install -y tshark)');
  if (mismatch) missing.push(mismatch);
  if (needs.corpus && !hasCorpus()) missing.push(`the shared corpus is not at ${CORPUS}`);
  if (missing.length === 0) return undefined;
  const reason = missing.join('; ');
  if (!IN_CI || mismatch) console.warn(`SKIPPED ground-truth tests: ${reason}`);
  return reason;
}

/** Captures under a folder (recursively), by extension, sorted for stable test names. */
export function capturesUnder(dir: string, opts: { exclude?: readonly string[] } = {}): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (opts.exclude?.some((x) => p.includes(x))) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
