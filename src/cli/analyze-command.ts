import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { statSync } from 'node:fs';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { decodeConfigFrom, type DecodeOptionValues, addDecodeOptions } from './options.js';
import type { CaptureError } from '../capture/frame.js';
import { DEFAULT_ANALYZER_OPTIONS } from '../analysis/analyzer.js';
import { runPipeline, type PipelineResult } from '../analysis/pipeline.js';
import type { AnalysisListener } from '../analysis/listener.js';
import type { AnalysisReport } from '../analysis/report.js';
import { FINDING_SEVERITY_RANK, type FindingSeverity } from '../analysis/findings.js';
import { renderAnalysisText } from '../output/analysis-text.js';
import { analysisJsonPieces, analysisNdjsonLines } from '../output/analysis-json.js';
import { safeJson } from '../output/json.js';
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
  readonly natdSearchHashes: number;
  readonly displayFilter?: string;
}

/** What other commands (timeline, report, verify) add to a capture's analysis: a packet filter, a listener to the pass. */
export interface AnalyzeHooks {
  /** Packets it rejects are not analysed (`-Y` packet terms). */
  readonly packetFilter?: PacketPredicate;
  /** Told every record of the pass (analysis/listener.ts). */
  readonly listener?: AnalysisListener;
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

/**
 * Analyses one capture; file errors end reading but the report of what was read is still made.
 * `error` is the one stderr line's error: reading stopped (also in the report's capture entry),
 * or the file was damaged and resynchronised past (a `capture.resynchronised` finding).
 */
export async function analyzeCapture(source: string, opts: AnalyzeOptions, io: Io, showProgress: boolean, hooks: AnalyzeHooks = {}): Promise<{ report: AnalysisReport; error?: CaptureError; framesSelected: number }> {
  const config = decodeConfigFrom(opts);
  const notices = new CaptureNotices(source);
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
  let view: ViewContext | undefined;
  const packetFilter = hooks.packetFilter;
  let result: PipelineResult;
  try {
    result = await runPipeline(source, {
      decode: config,
      analyzer: {
        ...DEFAULT_ANALYZER_OPTIONS,
        ikePorts: config.ikePorts,
        nattPorts: config.nattPorts,
        keepaliveTimeout: opts.keepaliveTimeout,
        maxIkeSas: opts.maxIkeSas,
        maxEspSas: opts.maxEspSas,
        maxFlows: opts.maxFlows,
        maxFindings: opts.maxFindings ?? DEFAULT_ANALYZER_OPTIONS.maxFindings,
        natdSearchHashes: opts.natdSearchHashes,
      },
      ...(hooks.listener ? { listener: hooks.listener } : {}),
      ...(packetFilter
        ? {
            packetFilter: (packet) => {
              view ??= { firstSec: packet.frame.tsSec, firstNsec: packet.frame.tsNsec };
              return packetFilter(packet, view);
            },
          }
        : {}),
      // The fast path takes plain ESP / keepalive frames from their bytes; ESPY_FAST_PATH=0 turns it off.
      fastPath: io.env['ESPY_FAST_PATH'] !== '0',
      reader: {
        // ESPY_PCAP_READER=pcap-parser reads classic µs pcap through the pcap-parser package (README "Performance").
        ...(io.env['ESPY_PCAP_READER'] === 'pcap-parser' ? { classicReader: 'pcap-parser' as const } : {}),
        onNotice: notices.onNotice,
        ...(showProgress
          ? {
              onProgress: (bytes: number) => {
                const now = Date.now();
                if (now - lastShown < 250) return;
                lastShown = now;
                const rate = bytes / Math.max(0.001, (now - started) / 1000);
                const pct = size ? ` ${Math.min(100, Math.floor((bytes / size) * 100))}%` : '';
                io.status?.(`espy: reading${pct} (${(bytes / 1e6).toFixed(1)} MB${size ? ` of ${(size / 1e6).toFixed(1)} MB` : ''}), ${(rate / 1e6).toFixed(1)} MB/s`);
              },
            }
          : {}),
      },
    });
  } finally {
    if (showProgress) io.status?.('');
  }
  const { report, error, frames, framesSelected } = result;
  const problem = error ? notices.fold(error) : notices.damageError(frames);
  return { report, ...(problem ? { error: problem } : {}), framesSelected };
}

/**
 * The options of the analysis pass every analysing command shares (`analyze`, `verify`,
 * `timeline`, `report`): the state caps and the NAT-D search budget.
 */
export function addAnalysisOptions(command: Command): Command {
  return command
    .option('--max-ike-sas <n>', 'IKE SAs tracked at once (older ones are evicted and reported)', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxIkeSas)
    .option('--max-esp-sas <n>', 'ESP SAs tracked at once', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxEspSas)
    .option('--max-flows <n>', 'UDP flows tracked at once', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxFlows)
    .option('--max-findings <n>', 'distinct (finding, subject) pairs kept; past it, repeats of an id are counted in one entry', parsePositive, DEFAULT_ANALYZER_OPTIONS.maxFindings)
    .option('--natd-search-hashes <n>', 'hashes per capture for recovering private addresses from NAT-D hashes (0 = off)', parseNonNegative, DEFAULT_ANALYZER_OPTIONS.natdSearchHashes);
}

export function analyzeCommand(program: Command, io: Io): Command {
  return addDecodeOptions(addAnalysisOptions(program
    .command('analyze')
    .description('explain IPsec across NAT: IKE and ESP sessions, NAT detection and its side, port floating, keepalives, checksums, translation anomalies')
    .argument('<capture...>', 'capture files (pcap, pcapng, gzip); - for standard input')
    .option('--json', 'one JSON document (docs/json.md)')
    .option('--ndjson', 'one JSON event per line, for Elastic/Splunk-style ingestion')
    .option('--fail-on <level>', 'exit 1 when a finding at or above this severity is reported: error, warning, note, chat, never', parseLevel, 'error')
    .option('-q, --quiet', 'no progress on stderr')
    .option('-Y, --display-filter <filter>', "Wireshark display filter: packet fields choose the packets analysed, finding./ike_sa./esp_sa. fields the findings and SAs listed ('udp.port == 4500 && finding.severity >= warning')")
    .option('--keepalive-timeout <seconds>', 'typical NAT UDP timeout: longer keepalive intervals are flagged', parsePositive, DEFAULT_ANALYZER_OPTIONS.keepaliveTimeout)))
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
