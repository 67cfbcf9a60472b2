import type { Command } from 'commander';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { addDecodeOptions } from './options.js';
import { addAnalysisOptions, analyzeCapture, ExitCode, parsePositive, type AnalyzeOptions } from './analyze-command.js';
import { displayFilterOption } from './packets-command.js';
import { DEFAULT_ANALYZER_OPTIONS } from '../analysis/analyzer.js';
import { TimelineRecorder, buildTimeline } from '../analysis/timeline.js';
import { compileAnalysisFilter, filterReport } from '../filter/display-filter.js';
import { renderTimelineText } from '../output/timeline-text.js';
import { timelineToNdjson } from '../output/timeline-json.js';

interface TimelineCommandOptions extends Omit<AnalyzeOptions, 'failOn'> {
  readonly ndjson?: boolean;
}

/**
 * `espy timeline FILE`: the capture's story, one event per line in time order (IKE SAs started,
 * established, rekeyed, deleted; NAT detected, floats, mapping changes, keepalive gaps; ESP SA
 * first/last packets; every finding), or NDJSON for a SIEM.
 */
export function timelineCommand(program: Command, io: Io): Command {
  return addDecodeOptions(addAnalysisOptions(program
    .command('timeline')
    .description('what happened, in time order: IKE SA lifecycle, NAT detection, floats, mapping changes, keepalive gaps, ESP SAs and findings, with UTC times and frames')
    .argument('<capture...>', 'capture files (pcap, pcapng, gzip), each its own timeline; - for standard input')
    .option('--ndjson', "one JSON event per line ({ type: 'event', v, time, frame, sa, kind, message, ... })")
    .option('-Y, --display-filter <filter>', 'as for analyze: packet fields choose the packets, finding./ike_sa./esp_sa. fields the findings and SAs')
    .option('--keepalive-timeout <seconds>', 'keepalive intervals above this are listed as gaps', parsePositive, DEFAULT_ANALYZER_OPTIONS.keepaliveTimeout)
    .option('-q, --quiet', 'no progress on stderr')))
    .action(async (captures: string[], opts: TimelineCommandOptions) => {
      if (captures.filter((c) => c === '-').length > 1) throw new UsageError('standard input (-) can be read once');
      const filter = displayFilterOption(opts.displayFilter, compileAnalysisFilter);
      const { ndjson: _ndjson, quiet: _quiet, displayFilter: _filter, ...analyzeOptions } = opts;
      let inputError = false;
      for (const [i, capture] of captures.entries()) {
        const recorder = new TimelineRecorder(opts.keepaliveTimeout);
        const { report, error } = await analyzeCapture(capture, { ...analyzeOptions, failOn: 'never' }, io, io.stderrIsTTY && !opts.quiet, {
          ...(filter?.packet ? { packetFilter: filter.packet } : {}),
          listener: recorder,
        });
        const nothingRead = error !== undefined && report.captures[0]?.frames === 0;
        if (!nothingRead) {
          const events = buildTimeline(filter ? filterReport(report, filter) : report, recorder, { keepaliveTimeout: opts.keepaliveTimeout });
          if (i > 0 && !opts.ndjson) io.out('');
          const lines = opts.ndjson ? timelineToNdjson(capture, events) : renderTimelineText(capture, report.captures[0]?.frames ?? 0, events);
          for (const line of lines) io.out(line);
        }
        if (error) {
          io.err(`espy: ${error.message}`);
          inputError = true;
        }
      }
      if (inputError) throw new ExitCode(EXIT.usage);
    });
}
