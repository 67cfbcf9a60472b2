import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const IN_CI = process.env['CI'] === 'true';

let tsharkChecked: boolean | undefined;

/** Whether tshark 4.x is on PATH. */
export function hasTshark(): boolean {
  if (tsharkChecked === undefined) {
    try {
      tsharkChecked = /TShark \(Wireshark\) 4\./.test(execFileSync('tshark', ['--version'], { encoding: 'utf8' }));
    } catch {
      tsharkChecked = false;
    }
  }
  return tsharkChecked;
}

export function hasCorpus(): boolean {
  return existsSync(path.join(CORPUS, 'MANIFEST.md'));
}

/**
 * Why a ground-truth test cannot run here, or undefined when it can. A newcomer's clone has
 * neither tshark nor ../shared: those tests are skipped with this reason printed. Under CI a
 * missing tool or corpus is a failure, never a skip (see `requireGroundTruth`).
 */
export function groundTruthMissing(needs: { tshark?: boolean; corpus?: boolean }): string | undefined {
  const missing: string[] = [];
  if (needs.tshark && !hasTshark()) missing.push('tshark 4.x is not installed (apt-get install -y tshark)');
  if (needs.corpus && !hasCorpus()) missing.push(`the shared corpus is not at ${CORPUS}`);
  if (missing.length === 0) return undefined;
  const reason = missing.join('; ');
  if (!IN_CI) console.warn(`SKIPPED ground-truth tests: ${reason}`);
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

export const TSHARK_CHECKSUM_PREFS = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];

/** tshark's stdout for a capture and arguments ("Running as root" noise on stderr ignored). */
export function tshark(capture: string, args: readonly string[]): string {
  return execFileSync('tshark', ['-r', capture, ...TSHARK_CHECKSUM_PREFS, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}
