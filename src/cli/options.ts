import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_DECODE_CONFIG, type DecodeConfig } from '../decode/layer.js';

export function parsePortList(value: string): number[] {
  const ports = value.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const p of ports) {
    if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535) throw new InvalidArgumentError(`'${p}' is not a UDP port (1-65535)`);
    out.push(Number(p));
  }
  return out;
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`'${value}' is not a positive packet count`);
  return Number(value);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A whole number in [1, max]; for byte and count limits. */
export function parseLimit(max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new InvalidArgumentError(`'${value}' is not a whole number from 1 to ${max}`);
    return Number(value);
  };
}

export function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`'${value}' is not a positive number of seconds`);
  return Number(value);
}

export interface DecodeOptionValues {
  readonly ikePort?: number[];
  readonly nattPort?: number[];
  readonly heuristics?: boolean;
  readonly maxRecordBytes?: number;
  readonly maxDatagramBytes?: number;
  readonly maxFragmentBytes?: number;
  readonly maxDatagrams?: number;
  readonly reassemblyTimeout?: number;
}

/** The largest record limit accepted: a record is held whole in memory, so keep it sane. */
const MAX_RECORD_LIMIT = 64 * 1024 * 1024;

/**
 * The decoding options every command that reads a capture shares: which ports carry IKE and
 * NAT-T, the shape heuristics, and the resource bounds (README "Hostile input").
 */
export function addDecodeOptions(command: Command): Command {
  const r = DEFAULT_DECODE_CONFIG.reassembly;
  return command
    .option('--ike-port <ports>', 'UDP ports carrying IKE (default 500)', parsePortList)
    .option('--natt-port <ports>', 'UDP ports carrying NAT-T encapsulation (default 4500)', parsePortList)
    .option('--no-heuristics', 'do not recognise IKE/NAT-T on other ports by the shape of the payload')
    .option('--max-record-bytes <n>', `largest capture record or pcapng block read (default ${DEFAULT_DECODE_CONFIG.maxRecordBytes}); a larger one stops reading`, parseLimit(MAX_RECORD_LIMIT))
    .option('--max-datagram-bytes <n>', `largest IP datagram reassembled from fragments (default ${r.maxDatagramBytes})`, parseLimit(1 << 20))
    .option('--max-fragment-bytes <n>', `fragment bytes held for reassembly at once (default ${r.maxTotalBytes})`, parseLimit(1 << 30))
    .option('--max-datagrams <n>', `datagrams awaiting reassembly at once (default ${r.maxDatagrams})`, parseLimit(1 << 20))
    .option('--reassembly-timeout <seconds>', `capture time after which an incomplete datagram is dropped (default ${r.timeoutSeconds})`, parseSeconds);
}

export function decodeConfigFrom(opts: DecodeOptionValues): DecodeConfig {
  const r = DEFAULT_DECODE_CONFIG.reassembly;
  return {
    ...DEFAULT_DECODE_CONFIG,
    ...(opts.ikePort ? { ikePorts: opts.ikePort } : {}),
    ...(opts.nattPort ? { nattPorts: opts.nattPort } : {}),
    heuristics: opts.heuristics !== false,
    maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_DECODE_CONFIG.maxRecordBytes,
    reassembly: {
      maxDatagramBytes: opts.maxDatagramBytes ?? r.maxDatagramBytes,
      maxTotalBytes: opts.maxFragmentBytes ?? r.maxTotalBytes,
      maxDatagrams: opts.maxDatagrams ?? r.maxDatagrams,
      timeoutSeconds: opts.reassemblyTimeout ?? r.timeoutSeconds,
    },
  };
}
