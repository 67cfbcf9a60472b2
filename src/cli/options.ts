import { InvalidArgumentError } from 'commander';
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

export interface DecodeOptionValues {
  readonly ikePort?: number[];
  readonly nattPort?: number[];
  readonly heuristics?: boolean;
}

export function decodeConfigFrom(opts: DecodeOptionValues): DecodeConfig {
  return {
    ...DEFAULT_DECODE_CONFIG,
    ...(opts.ikePort ? { ikePorts: opts.ikePort } : {}),
    ...(opts.nattPort ? { nattPorts: opts.nattPort } : {}),
    heuristics: opts.heuristics !== false,
  };
}
