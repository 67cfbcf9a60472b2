import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { decodeConfigFrom, type DecodeOptionValues, addDecodeOptions } from './options.js';
import { ExitCode } from './analyze-command.js';
import { CaptureNotices } from './capture-notices.js';
import { CaptureError } from '../capture/frame.js';
import { decodeCapture } from '../decode/stream.js';
import { Verifier, DEFAULT_VERIFY_OPTIONS } from '../verify/verify.js';
import type { CaptureReport } from '../analysis/report.js';
import { verifyTextLines } from '../output/verify-text.js';
import { verifyJsonParts } from '../output/verify-json.js';
import { renderRequirementsMarkdown } from '../output/verify-doc.js';

interface VerifyCommandOptions extends DecodeOptionValues {
  readonly json?: boolean;
  readonly strict?: boolean;
  readonly requirements?: boolean;
  readonly keepaliveInterval: number;
  readonly natdSearchMs: number;
}

function parsePositive(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`'${value}' is not a positive number`);
  return Number(value);
}

function parseWhole(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a whole number`);
  return Number(value);
}

export function verifyCommand(program: Command, io: Io): Command {
  return addDecodeOptions(program
    .command('verify')
    .description('NAT-T conformance (RFC 3947, RFC 3948, RFC 7296 §2.23) per implementation: PASS, FAIL with evidence frames, or NOT-SEEN for each requirement')
    .argument('[capture]', 'capture file (pcap, pcapng, gzip); - for standard input')
    .option('--json', 'one JSON document: { "type": "verify", "v": 1, "implementations": [...] }')
    .option('--strict', 'exit 1 also when a SHOULD or SHOULD NOT requirement fails')
    .option('--requirements', 'print the requirement catalogue (Markdown, docs/verify-requirements.md) and exit')
    .option('--keepalive-interval <seconds>', 'RFC 3948 §4 M: silence after which a peer behind a NAT should send a keepalive', parsePositive, DEFAULT_VERIFY_OPTIONS.keepaliveInterval)
    .option('--natd-search-ms <ms>', 'time budget for recovering private addresses from NAT-D hashes (0 = off)', parseWhole, DEFAULT_VERIFY_OPTIONS.natdSearchMs))
    .action(async (capture: string | undefined, opts: VerifyCommandOptions) => {
      if (opts.requirements) {
        for (const line of renderRequirementsMarkdown()) io.out(line);
        return;
      }
      if (capture === undefined) throw new UsageError('verify needs a capture file (or --requirements)');
      const config = decodeConfigFrom(opts);
      const verifier = new Verifier(config, { strict: opts.strict === true, natdSearchMs: opts.natdSearchMs, keepaliveInterval: opts.keepaliveInterval });
      let frames = 0;
      let error: CaptureError | undefined;
      let summary = { format: 'unknown', compressed: false, frames: 0, bytesRead: 0 };
      const notices = new CaptureNotices(capture);
      try {
        summary = await decodeCapture(capture, config, (packet) => {
          frames++;
          verifier.feed(packet);
        }, { onNotice: notices.onNotice });
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
        error = e;
      }
      // The one stderr line: reading stopped, or the file was damaged (resynchronised past).
      const problem = error ? notices.fold(error) : notices.damageError(frames);
      if (problem && frames === 0) throw problem;
      const file: CaptureReport = { file: capture, format: summary.format, compressed: summary.compressed, frames, bytes: summary.bytesRead, ...(error ? { error: error.message } : {}) };
      const report = verifier.finish([file]);
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
