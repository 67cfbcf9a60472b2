import type { Command } from 'commander';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { addDecodeOptions } from './options.js';
import { addAnalysisOptions, analyzeCapture, ExitCode, parsePositive, type AnalyzeOptions } from './analyze-command.js';
import { displayFilterOption } from './packets-command.js';
import { compileAnalysisFilter, filterReport } from '../filter/display-filter.js';
import { DEFAULT_ANALYZER_OPTIONS } from '../analysis/analyzer.js';
import { LadderCollector } from '../report/ladder-data.js';
import { reportHtmlPieces } from '../report/report-html.js';

interface ReportOptions extends Omit<AnalyzeOptions, 'failOn'> {
  readonly output?: string;
}

/** Builds the HTML report: the analysis, with the ladder diagrams collected in the same pass; `-Y` as for analyze. */
export async function buildHtmlReport(source: string, opts: ReportOptions, io: Io, showProgress: boolean, version: string): Promise<{ pieces: Iterable<string>; error?: Error }> {
  const filter = displayFilterOption(opts.displayFilter, compileAnalysisFilter);
  const collector = new LadderCollector();
  const { report: whole, error } = await analyzeCapture(source, { ...opts, failOn: 'never' }, io, showProgress, { listener: collector, ...(filter?.packet ? { packetFilter: filter.packet } : {}) });
  if (error && whole.summary.frames === 0) throw error;
  const report = filter ? filterReport(whole, filter) : whole;
  // The ladders of the SAs listed, in report order (filterReport keeps the report's SA objects).
  const listed = new Set(report.ikeSas);
  const ladders = collector.ladders.filter((l) => listed.has(l.sa));
  return { pieces: reportHtmlPieces(report, ladders, { version }), ...(error ? { error } : {}) };
}

/** The page to a file, piece by piece (never one string). */
function writePieces(file: string, pieces: Iterable<string>): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'w');
    for (const piece of pieces) writeSync(fd, piece);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The page to standard output in pieces, waiting for a slow pipe; the last newline is the line `io.out` ends with. */
async function printPieces(io: Io, pieces: Iterable<string>): Promise<void> {
  if (!io.write) {
    io.out([...pieces].join('').replace(/\n$/, ''));
    return;
  }
  let last = '';
  for (const piece of pieces) {
    if (last !== '') {
      io.write(last);
      const drained = io.drain?.();
      if (drained) await drained;
    }
    last = piece;
  }
  io.out(last.replace(/\n$/, ''));
}

export function reportCommand(program: Command, io: Io): Command {
  return addDecodeOptions(addAnalysisOptions(program
    .command('report')
    .description('write a self-contained HTML report: NAT verdicts, a ladder diagram per IKE SA, SA tables and findings')
    .argument('<capture>', 'capture file (pcap, pcapng, gzip); - for standard input')
    .option('-o, --output <file>', 'the HTML file to write (default: standard output)')
    .option('-q, --quiet', 'no progress on stderr')
    .option('-Y, --display-filter <filter>', 'as for analyze: packet fields choose the packets, finding./ike_sa./esp_sa. fields the findings and SAs shown')
    .option('--keepalive-timeout <seconds>', 'typical NAT UDP timeout: longer keepalive intervals are flagged', parsePositive, DEFAULT_ANALYZER_OPTIONS.keepaliveTimeout)))
    .action(async (capture: string, opts: ReportOptions) => {
      const { pieces, error } = await buildHtmlReport(capture, opts, io, io.stderrIsTTY && !opts.quiet, program.version() ?? 'unknown');
      if (opts.output) writePieces(opts.output, pieces);
      else await printPieces(io, pieces);
      if (error) {
        io.err(`espy: ${error.message}`);
        throw new ExitCode(EXIT.usage);
      }
    });
}
