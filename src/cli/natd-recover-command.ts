import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import type { Io } from './io.js';
import { UsageError } from './io.js';
import { decodeConfigFrom, parsePortList, type DecodeOptionValues, addDecodeOptions } from './options.js';
import { safeJson } from '../output/json.js';
import type { AddressRange } from '../analysis/natd-search.js';
import { parseCidr } from '../recover/cidr.js';
import { recoverNatd } from '../recover/recover.js';
import { CaptureError } from '../capture/frame.js';
import { CaptureNotices } from './capture-notices.js';
import { renderRecoveryProgress, renderRecoveryText } from '../recover/render.js';

interface NatdRecoverOptions extends DecodeOptionValues {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly maxSeconds: number;
  readonly workers?: number;
  readonly ranges?: AddressRange[];
  readonly publicRanges?: AddressRange[];
  readonly ports?: number[];
}

export const DEFAULT_MAX_SECONDS = 120;

function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`'${value}' is not a positive number of seconds`);
  return Number(value);
}

function parseWorkers(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) throw new InvalidArgumentError(`'${value}' is not a worker count (1-256)`);
  return Number(value);
}

function parseRanges(value: string, previous: AddressRange[] = []): AddressRange[] {
  const out = [...previous];
  for (const part of value.split(',')) {
    const r = parseCidr(part);
    if (!r) throw new InvalidArgumentError(`'${part.trim()}' is not an IPv4 address or CIDR block (e.g. 192.168.0.0/16)`);
    out.push(r);
  }
  return out;
}

export function natdRecoverCommand(program: Command, io: Io): Command {
  return addDecodeOptions(program
    .command('natd-recover')
    .description('recover hidden addresses from NAT-D hashes by brute force (CPU-bound, opt-in): a NATed sender\'s private address:port, or the public NAT mapping seen from inside')
    .argument('<capture>', 'capture file (pcap, pcapng, gzip); - for standard input')
    .option('--json', 'one JSON document')
    .option('-q, --quiet', 'no progress bar on stderr')
    .option('--max-seconds <s>', 'time bound for the whole search', parseSeconds, DEFAULT_MAX_SECONDS)
    .option('--workers <n>', 'worker threads (default: one per core)', parseWorkers)
    .option('--ranges <cidr,...>', 'address space for source hashes (default: 192.168.0.0/16, 172.16.0.0/12, 10.0.0.0/8, 100.64.0.0/10); addresses seen in the capture are always tried first', parseRanges)
    .option('--public-ranges <cidr,...>', 'extra addresses for destination hashes, each tried with all 65536 ports (addresses seen in the capture are always tried)', parseRanges)
    .option('--ports <ports>', 'extra ports for source hashes (500, 4500 and the ports seen are always tried)', parsePortList))
    .action(async (capture: string, opts: NatdRecoverOptions) => {
      if (opts.ranges && opts.ranges.length === 0) throw new UsageError('--ranges needs at least one block');
      const showProgress = io.stderrIsTTY && !opts.quiet;
      const started = performance.now();
      let lastShown = 0;
      const notices = new CaptureNotices(capture);
      let report: Awaited<ReturnType<typeof recoverNatd>>;
      try {
        report = await recoverNatd(
          capture,
          decodeConfigFrom(opts),
          {
            maxSeconds: opts.maxSeconds,
            workers: opts.workers ?? availableParallelism(),
            ...(opts.ranges ? { ranges: opts.ranges } : {}),
            ...(opts.publicRanges ? { publicRanges: opts.publicRanges } : {}),
            ...(opts.ports ? { ports: opts.ports } : {}),
            onCaptureNotice: notices.onNotice,
          },
          showProgress
            ? (p) => {
                const now = performance.now();
                if (now - lastShown < 200) return;
                lastShown = now;
                io.status?.(renderRecoveryProgress(p, opts.maxSeconds * 1000 - (now - started)));
              }
            : undefined,
        );
      } catch (e) {
        // Reading stopped: the one error line carries what was noticed before.
        throw e instanceof CaptureError ? notices.fold(e) : e;
      } finally {
        if (showProgress) io.status?.('');
      }
      for (const line of opts.json ? [safeJson(report)] : renderRecoveryText(report)) io.out(line);
      // A damaged file (resynchronised) is an input error after the report: one line, exit 2.
      const damage = notices.damageError(report.capture.frames);
      if (damage) throw damage;
      for (const line of notices.lines()) io.err(`espy: ${line}`);
    });
}
