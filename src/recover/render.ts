import { escapeText } from '../decode/tree.js';

// Labels, meanings and endpoints are espy's own text around formatted numbers; only the file name
// comes from outside and is escaped.
import type { RecoveryReport, TargetResult } from './recover.js';

/** Renderers for `espy natd-recover`: pure, report → lines. */

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)} k`;
  return String(n);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function percent(done: number, total: number): string {
  if (total === 0 || done >= total) return 'complete';
  if (done === 0) return 'not reached';
  return `${Math.max(1, Math.min(99, Math.floor((done / total) * 100)))} %`;
}

function workLine(r: TargetResult, report: RecoveryReport): string {
  const w = r.work;
  const threads = report.mode === 'threads' ? `${report.workers} worker thread${report.workers === 1 ? '' : 's'}` : 'main thread';
  return `${formatCount(w.hashes)} hashes in ${seconds(w.elapsedMs)} (${formatCount(w.hashesPerSecond)} hashes/s, ${threads})`;
}

function renderTarget(r: TargetResult, report: RecoveryReport): string[] {
  const out = [
    `IKEv${r.ikeVersion} ${r.initiatorSpi}/${r.responderSpi}, frame ${r.frame} (${r.exchange}): ${r.sender}'s ${r.kind} NAT-D ${r.algorithm.toUpperCase()} ${r.hash}`,
    `  the ${r.subject} is seen here as ${r.observed}`,
  ];
  if (r.found) {
    out.push(`  recovered ${r.found.address}:${r.found.port} — ${r.meaning}`);
    out.push(`  work: ${workLine(r, report)}`);
    return out;
  }
  const why =
    r.work.stoppedBy !== 'exhausted'
      ? `stopped by the time bound (--max-seconds ${report.maxSeconds})`
      : r.kind === 'source'
        ? 'every candidate tried, none matches: a faked hash (forced encapsulation), or an address outside the ranges (--ranges)'
        : `every candidate tried, none matches: from inside a NAT its public address is rarely in the capture; give candidates with --public-ranges`;
  out.push(`  not found: ${why}`);
  out.push(`  work: ${workLine(r, report)}, ${formatCount(r.work.hashes)} of ${formatCount(r.work.total)} candidates`);
  for (const g of r.work.groups) out.push(`    ${g.label}: ${formatCount(g.hashes)} of ${formatCount(g.total)} hashes, ${percent(g.hashes, g.total)}`);
  return out;
}

export function renderRecoveryText(report: RecoveryReport): string[] {
  const out = [`${escapeText(report.capture.file)}: ${report.capture.format}, ${report.capture.frames} frames, ${report.natdMessages} IKE message(s) with NAT-D`];
  const { portZeroSource, unverifiable, ipv6, wrongLength } = report.skipped;
  if (portZeroSource.length) out.push(`source NAT-D hashed with port 0 (forced encapsulation, nothing hidden): frame(s) ${portZeroSource.join(', ')}`);
  if (unverifiable.length) out.push(`NAT-D with an unsupported hash, not searched: frame(s) ${unverifiable.join(', ')}`);
  if (ipv6.length) out.push(`IPv6 NAT-D, not searched (IPv4 only): frame(s) ${ipv6.join(', ')}`);
  if (wrongLength.length) {
    const each = wrongLength.map((w) => `frame ${w.frame} ${w.kind} (${w.bytes} bytes, ${w.algorithm.toUpperCase()} has ${w.expected})`);
    out.push(`NAT-D hash of the wrong length, no address can match it, not searched: ${each.join(', ')}`);
  }
  if (!report.targets.length) {
    out.push(wrongLength.length ? 'nothing else to recover: every other NAT-D hash matches the addresses this capture sees' : 'nothing to recover: every NAT-D hash matches the addresses this capture sees');
    return out;
  }
  for (const r of report.targets) out.push('', ...renderTarget(r, report));
  const t = report.totals;
  out.push('', `${t.found} of ${report.targets.length} hash(es) recovered; ${formatCount(t.hashes)} hashes in ${seconds(t.elapsedMs)} (${formatCount(t.hashesPerSecond)} hashes/s)`);
  return out;
}

/** One progress line for a terminal: a bar, counts, rate and the time left on the bound. */
export function renderRecoveryProgress(p: { hashes: number; total: number; elapsedMs: number; target: number; targets: number; label: string }, deadlineLeftMs: number): string {
  const width = 24;
  const frac = p.total ? Math.min(1, p.hashes / p.total) : 0;
  const filled = Math.round(frac * width);
  const rate = p.elapsedMs > 0 ? (p.hashes / p.elapsedMs) * 1000 : 0;
  return `espy: [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(frac * 100)}% ${formatCount(p.hashes)}/${formatCount(p.total)} hashes, ${formatCount(Math.round(rate))}/s, ${Math.max(0, Math.ceil(deadlineLeftMs / 1000))} s left (${p.target}/${p.targets}: ${p.label})`;
}
