import type { Command } from 'commander';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { decodeConfigFrom, addDecodeOptions } from './options.js';
import { addAnalysisOptions, analyzeCapture, ExitCode, parsePositive, type AnalyzeOptions } from './analyze-command.js';
import { displayFilterOption } from './packets-command.js';
import { compileAnalysisFilter } from '../filter/display-filter.js';
import { Verifier, DEFAULT_VERIFY_OPTIONS } from '../verify/verify.js';
import { verifyTextLines } from '../output/verify-text.js';
import { verifyJsonParts } from '../output/verify-json.js';
import { renderRequirementsMarkdown } from '../output/verify-doc.js';

interface VerifyCommandOptions extends Omit<AnalyzeOptions, 'failOn' | 'keepaliveTimeout'> {
  readonly json?: boolean;
  readonly strict?: boolean;
  readonly requirements?: boolean;
  readonly keepaliveInterval: number;
}

export function verifyCommand(program: Command, io: Io): Command {
  return addDecodeOptions(addAnalysisOptions(program
    .command('verify')
    .description('NAT-T conformance (RFC 3947, RFC 3948, RFC 7296 §2.23) per implementation: PASS, FAIL with evidence frames, or NOT-SEEN for each requirement')
    .argument('[capture]', 'capture file (pcap, pcapng, gzip); - for standard input')
    .option('--json', 'one JSON document: { "type": "verify", "v": 1, "implementations": [...] }')
    .option('--strict', 'exit 1 also when a SHOULD or SHOULD NOT requirement fails')
    .option('--requirements', 'print the requirement catalogue (Markdown, docs/verify-requirements.md) and exit')
    .option('--keepalive-interval <seconds>', 'RFC 3948 §4 M: silence after which a peer behind a NAT should send a keepalive', parsePositive, DEFAULT_VERIFY_OPTIONS.keepaliveInterval)
    .option('-Y, --display-filter <filter>', "Wireshark display filter on packet fields: only the packets it selects are verified ('ip.addr == 192.0.2.1')")
    .option('-q, --quiet', 'no progress on stderr')))
    .action(async (capture: string | undefined, opts: VerifyCommandOptions) => {
      if (opts.requirements) {
        for (const line of renderRequirementsMarkdown()) io.out(line);
        return;
      }
      if (capture === undefined) throw new UsageError('verify needs a capture file (or --requirements)');
      const config = decodeConfigFrom(opts);
      const filter = displayFilterOption(opts.displayFilter, compileAnalysisFilter);
      if (filter && (filter.finding || filter.ikeSa || filter.espSa)) throw new UsageError('verify -Y takes packet fields only (finding., ike_sa. and esp_sa. fields select what analyze lists)');
      const verifier = new Verifier(config, { strict: opts.strict === true, natdSearchHashes: opts.natdSearchHashes, keepaliveInterval: opts.keepaliveInterval, maxIkeSas: opts.maxIkeSas });
      const analyzeOptions: AnalyzeOptions = {
        ...opts,
        failOn: 'never',
        keepaliveTimeout: opts.keepaliveInterval,
        maxIkeSas: opts.maxIkeSas,
        maxEspSas: opts.maxEspSas,
        maxFlows: opts.maxFlows,
        natdSearchHashes: opts.natdSearchHashes,
      };
      const { report: analysis, error: problem } = await analyzeCapture(capture, analyzeOptions, io, io.stderrIsTTY && !opts.quiet, {
        listener: verifier.listener,
        ...(filter?.packet ? { packetFilter: filter.packet } : {}),
      });
      if (problem && (analysis.captures[0]?.frames ?? 0) === 0) throw problem;
      const report = verifier.finish(analysis);
      // Streamed: 8000 peers make ~100 MB of JSON (50 MB of text), built and written one
      // implementation at a time, waiting for a slow pipe rather than queueing it all.
      if (opts.json) {
        if (io.write) {
          for (const part of verifyJsonParts(report)) {
            io.write(part);
            const drained = io.drain?.();
            if (drained) await drained;
          }
          io.out('');
        } else io.out([...verifyJsonParts(report)].join(''));
      } else {
        for (const line of verifyTextLines(report, { color: io.stdoutIsTTY && !io.env['NO_COLOR'] })) {
          io.out(line);
          const drained = io.drain?.();
          if (drained) await drained;
        }
      }
      if (problem) {
        io.err(`espy: ${problem.message}`);
        throw new ExitCode(EXIT.usage);
      }
      if (report.summary.blockingFailures > 0) throw new ExitCode(EXIT.findings);
    });
}
