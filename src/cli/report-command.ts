import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { decodeConfigFrom, type DecodeOptionValues, addDecodeOptions } from './options.js';
import { analyzeCapture, ExitCode } from './analyze-command.js';
import { DEFAULT_ANALYZER_OPTIONS } from '../analysis/analyzer.js';
import { collectLadders } from '../report/ladder-data.js';
import { renderReportHtml } from '../report/report-html.js';

interface ReportOptions extends DecodeOptionValues {
  readonly output?: string;
  readonly quiet?: boolean;
  readonly natdSearchMs: number;
}

/** Builds the HTML report: the analysis, then a second pass for the ladder diagrams. */
export async function buildHtmlReport(source: string, opts: ReportOptions, io: Io, showProgress: boolean, version: string): Promise<{ html: string; error?: Error }> {
  const { report, error } = await analyzeCapture(
    source,
    {
      ...opts,
      failOn: 'never',
      keepaliveTimeout: DEFAULT_ANALYZER_OPTIONS.keepaliveTimeout,
      maxIkeSas: DEFAULT_ANALYZER_OPTIONS.maxIkeSas,
      maxEspSas: DEFAULT_ANALYZER_OPTIONS.maxEspSas,
      maxFlows: DEFAULT_ANALYZER_OPTIONS.maxFlows,
      maxFindings: DEFAULT_ANALYZER_OPTIONS.maxFindings,
    },
    io,
    showProgress,
  );
  if (error && report.summary.frames === 0) throw error;
  const ladders = await collectLadders(source, decodeConfigFrom(opts), report);
  return { html: renderReportHtml(report, ladders, { version }), ...(error ? { error } : {}) };
}

export function reportCommand(program: Command, io: Io): Command {
  return addDecodeOptions(program
    .command('report')
    .description('write a self-contained HTML report: NAT verdicts, a ladder diagram per IKE SA, SA tables and findings')
    .argument('<capture>', 'capture file (pcap, pcapng, gzip); read twice, so not standard input')
    .option('-o, --output <file>', 'the HTML file to write (default: standard output)')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--natd-search-ms <ms>', 'time budget for recovering private addresses from NAT-D hashes (0 = off)', (v: string) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`'${v}' is not a whole number`);
      return Number(v);
    }, DEFAULT_ANALYZER_OPTIONS.natdSearchMs))
    .action(async (capture: string, opts: ReportOptions) => {
      if (capture === '-') throw new UsageError('report reads the capture twice: give a file, not standard input');
      const { html, error } = await buildHtmlReport(capture, opts, io, io.stderrIsTTY && !opts.quiet, program.version() ?? 'unknown');
      if (opts.output) {
        try {
          writeFileSync(opts.output, html);
        } catch (e) {
          throw new UsageError(`cannot write ${opts.output}: ${e instanceof Error ? e.message : String(e)}`);
        }
      } else io.out(html.replace(/\n$/, ''));
      if (error) {
        io.err(`espy: ${error.message}`);
        throw new ExitCode(EXIT.usage);
      }
    });
}
