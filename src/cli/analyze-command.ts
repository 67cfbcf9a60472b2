import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { decodeConfigFrom, type DecodeOptionValues, addDecodeOptions } from './options.js';
import { CaptureError, type CaptureOptions } from '../capture/frame.js';
import { decodeCapture } from '../decode/stream.js';
import { Analyzer, DEFAULT_ANALYZER_OPTIONS, type AnalyzerOptions } from '../analysis/analyzer.js';
import { packetFacts } from '../analysis/packet-facts.js';
import type { AnalysisReport, CaptureReport } from '../analysis/report.js';
import { FINDING_SEVERITY_RANK, type FindingSeverity } from '../analysis/findings.js';
import { renderAnalysisText } from '../output/analysis-text.js';
import { analysisJsonPieces, analysisNdjsonLines } from '../output/analysis-json.js';
import { safeJson } from '../output/json.js';
import type { Packet } from '../decode/packet.js';
import type { PacketFacts } from '../analysis/facts.js';
import type { ViewContext } from '../output/packet-tree.js';
import { compileAnalysisFilter, filterReport, type PacketPredicate } from '../filter/display-filter.js';
import { displayFilterOption } from './packets-command.js';
import { CaptureNotices } from './capture-notices.js';

export interface AnalyzeOptions extends DecodeOptionValues {
  readonly json?: boolean;
  readonly ndjson?: boolean;
  readonly failOn: FindingSeverity | 'never';
  readonly quiet?: boolean;
  readonly keepaliveTimeout: number;
  readonly maxIkeSas: number;
  readonly maxEspSas: number;
  readonly maxFlows: number;
  readonly maxFindings?: number;
  readonly natdSearchMs: number;
  readonly displayFilter?: string;
}

/** What other commands (timeline) add to a capture's analysis: a packet filter, an observer of every packet read. */
export interface AnalyzeHooks {
  /** Packets it rejects are not analysed (`-Y` packet terms). */
  readonly packetFilter?: PacketPredicate;
  /** Sees every packet read (before the filter) with its facts, when it has any. */
  readonly observe?: (packet: Packet, facts: PacketFacts | undefined, selected: boolean) => void;
}

function parseLevel(value: string): FindingSeverity | 'never' {
  if (value === 'error' || value === 'warning' || value === 'note' || value === 'chat' || value === 'never') return value;
  throw new InvalidArgumentError('takes error, warning, note, chat or never');
}

export function parsePositive(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`'${value}' is not a positive number`);
  return Number(value);
}

function parseNonNegative(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a whole number`);
  return Number(value);
}

function formatRate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(Math.round(n));
}

/**
 * Analyses one capture; file errors end reading but the report of what was read is still made.
 * `error` is the one stderr line's error: reading stopped (also in the report's capture entry),
 * or the file was damaged and resynchronised past (a `capture.resynchronised` finding).
 */
export async function analyzeCapture(source: string, opts: AnalyzeOptions, io: Io, showProgress: boolean, hooks: AnalyzeHooks = {}): Promise<{ report: AnalysisReport; error?: CaptureError; framesSelected: number }> {
  const config = decodeConfigFrom(opts);
  const analyzerOptions: AnalyzerOptions = {
    ...DEFAULT_ANALYZER_OPTIONS,
    ikePorts: config.ikePorts,
    nattPorts: config.nattPorts,
    keepaliveTimeout: opts.keepaliveTimeout,
    maxIkeSas: opts.maxIkeSas,
    maxEspSas: opts.maxEspSas,
    maxFlows: opts.maxFlows,
    maxFindings: opts.maxFindings ?? DEFAULT_ANALYZER_OPTIONS.maxFindings,
    natdSearchMs: opts.natdSearchMs,
    // The fast path takes plain ESP / keepalive frames from their bytes; ESPY_FAST_PATH=0 turns it off.
    fastPath: io.env['ESPY_FAST_PATH'] !== '0' && !hooks.packetFilter && !hooks.observe,
  };
  const analyzer = new Analyzer(analyzerOptions);
  // ESPY_PCAP_READER=pcap-parser reads classic µs pcap through the pcap-parser package (README "Performance").
  // Without hooks nothing keeps a packet once analysed, so the reader may reuse its buffers.
  const notices = new CaptureNotices(source);
  const readerOptions: CaptureOptions = {
    ...(io.env['ESPY_PCAP_READER'] === 'pcap-parser' ? { classicReader: 'pcap-parser' as const } : {}),
    ...(!hooks.packetFilter && !hooks.observe ? { reuseBuffers: true } : {}),
    onNotice: (notice) => {
      notices.onNotice(notice);
      analyzer.captureNotice(source, notice, frames);
    },
  };
  let size = 0;
  if (source !== '-') {
    try {
      size = statSync(source).size;
    } catch {
      size = 0;
    }
  }
  const started = Date.now();
  let lastShown = 0;
  let frames = 0;
  let framesSelected = 0;
  let view: ViewContext | undefined;
  let error: CaptureError | undefined;
  let summary = { format: 'unknown', compressed: false, frames: 0, bytesRead: 0 };
  try {
    summary = await decodeCapture(
      source,
      config,
      (packet) => {
        frames++;
        view ??= { firstSec: packet.frame.tsSec, firstNsec: packet.frame.tsNsec };
        const selected = !hooks.packetFilter || hooks.packetFilter(packet, view);
        if (selected) framesSelected++;
        const facts = selected || hooks.observe ? packetFacts(packet, config) : undefined;
        hooks.observe?.(packet, facts, selected);
        if (facts && selected) analyzer.feed(facts);
      },
      showProgress
        ? {
            ...readerOptions,
            onProgress: (bytes) => {
              const now = Date.now();
              if (now - lastShown < 250) return;
              lastShown = now;
              const rate = frames / Math.max(0.001, (now - started) / 1000);
              const pct = size ? ` ${Math.min(100, Math.floor((bytes / size) * 100))}%` : '';
              io.status?.(`espy: reading${pct} (${(bytes / 1e6).toFixed(1)} MB${size ? ` of ${(size / 1e6).toFixed(1)} MB` : ''}), ${formatRate(rate)} packets/s`);
            },
          }
        : readerOptions,
      (frame) => {
        if (!analyzer.feedFrame(frame)) return false;
        frames++;
        return true;
      },
    );
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = e;
    summary = { ...summary, frames };
  } finally {
    if (showProgress) io.status?.('');
  }
  const capture: CaptureReport = {
    file: source,
    format: summary.format,
    compressed: summary.compressed,
    frames,
    bytes: summary.bytesRead,
    ...(error ? { error: error.message } : {}),
  };
  const problem = error ? notices.fold(error) : notices.damageError(frames);
  return { report: analyzer.finish([capture]), ...(problem ? { error: problem } : {}), framesSelected };
}

export function analyzeCommand(program: Command, io: Io): Command {
  return addDecodeOptions(program
    .command('analyze')
    .description('explain IPsec across NAT: IKE and ESP sessions, NAT detection and its side, port floating, keepalives, checksums, translation anomalies')
    .argument('<capture...>', 'capture files (pcap, pcapng, gzip); - for standard input')
    .option('--json', 'one JSON document (docs/json.md)')
    .option('--ndjson', 'one JSON event per line, for Elastic/Splunk-style ingestion')
    .option('--fail-on <level>', 'exit 1 when a finding at or above this severity is reported: error, warning, note, chat, never', parseLevel, 'error')
    .option('-q, --quiet', 'no progress on stderr')
    .option('-Y, --display-filter <filter>', "Wireshark display filter: packet fields choose the packets analysed, finding./ike_sa./esp_sa. fields the findings and SAs listed ('udp.port == 4500 && finding.severity >= warning')")
    .option('--keepalive-timeout <seconds>', 'typical NAT UDP timeout: longer keepalive intervals are flagged', parsePositive, DEFAULT_ANALYZER_OPTIONS.keepaliveTimeout)
    .option('--max-ike-sas <n>', 'IKE SAs tracked at once (older ones are evicted and reported)', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxIkeSas)
    .option('--max-esp-sas <n>', 'ESP SAs tracked at once', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxEspSas)
    .option('--max-flows <n>', 'UDP flows tracked at once', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxFlows)
    .option('--max-findings <n>', 'distinct (finding, subject) pairs kept; past it, repeats of an id are counted in one entry', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxFindings)
    .option('--natd-search-ms <ms>', 'time budget per capture for recovering private addresses from NAT-D hashes (0 = off)', parseNonNegative, DEFAULT_ANALYZER_OPTIONS.natdSearchMs))
    .action(async (captures: string[], opts: AnalyzeOptions) => {
      if (opts.json && opts.ndjson) throw new UsageError('--json and --ndjson are exclusive');
      if (captures.filter((c) => c === '-').length > 1) throw new UsageError('standard input (-) can be read once');
      const filter = displayFilterOption(opts.displayFilter, compileAnalysisFilter);
      const showProgress = io.stderrIsTTY && !opts.quiet;
      const color = io.stdoutIsTTY && !io.env['NO_COLOR'];
      const reports: AnalysisReport[] = [];
      let inputError = false;
      for (const source of captures) {
        const analysed = await analyzeCapture(source, opts, io, showProgress, filter?.packet ? { packetFilter: filter.packet } : {});
        const { error } = analysed;
        const report: AnalysisReport = filter ? { ...filterReport(analysed.report, filter), displayFilter: { expression: filter.expression, framesMatched: analysed.framesSelected } } : analysed.report;
        // A capture that could not even be opened has nothing to report (summary.frames counts only
        // the frames analysed: IP ones, so it is 0 for a capture of another link type).
        const nothingRead = error !== undefined && (report.captures[0]?.frames ?? 0) === 0;
        if (!nothingRead) reports.push(report);
        if (opts.ndjson && !nothingRead) {
          for (const line of analysisNdjsonLines(report)) {
            io.out(line);
            const drained = io.drain?.();
            if (drained) await drained;
          }
        }
        else if (!opts.json && !nothingRead) {
          if (reports.length > 1) io.out('');
          if (report.displayFilter) io.out(`Display filter: ${report.displayFilter.expression.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')} (${report.displayFilter.framesMatched} of ${report.captures[0]?.frames ?? 0} frames analysed)`);
          for (const line of renderAnalysisText(report, { color })) io.out(line);
        }
        if (error) {
          io.err(`espy: ${error.message}`);
          inputError = true;
        }
      }
      if (opts.json) await writeJson(io, reports.length === 1 ? reports[0]! : reports);
      const threshold = opts.failOn === 'never' ? Infinity : FINDING_SEVERITY_RANK[opts.failOn];
      const failed = reports.some((r) => r.findings.some((f) => FINDING_SEVERITY_RANK[f.severity] >= threshold));
      if (inputError) throw new ExitCode(EXIT.usage);
      if (failed) throw new ExitCode(EXIT.findings);
    });
}

/**
 * The --json document: in pieces through `io.write` when the Io has it (the report of a large
 * capture is tens of MB of JSON: never one string, never queued whole behind a slow pipe), as one
 * line otherwise. Same bytes either way.
 */
async function writeJson(io: Io, value: AnalysisReport | AnalysisReport[]): Promise<void> {
  if (!io.write) {
    io.out(safeJson(value));
    return;
  }
  let last = '';
  for (const piece of analysisJsonPieces(value)) {
    if (last !== '') {
      io.write(last);
      // A pipe read slower than espy writes: wait instead of queueing the document in memory.
      const drained = io.drain?.();
      if (drained) await drained;
    }
    last = piece;
  }
  io.out(last);
}

/** Thrown by a command to end with a specific exit code after it has printed everything. */
export class ExitCode extends Error {
  override readonly name = 'ExitCode';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
