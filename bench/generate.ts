/**
 * Writes a benchmark capture of a given size — classic pcap (µs), pcapng, and gzip of the
 * pcap — in one streaming pass, and reuses it when the same parameters were generated before.
 *
 *   node bench-out/build/generate.js [--size 200MB] [--seed 1] [--out bench-out] [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureWriter } from './capture-writer.js';
import { DEFAULT_SCENARIO, GENERATOR_VERSION, Scenario, type ScenarioCounts, type ScenarioParams } from './scenario.js';

export interface GenerateOptions {
  /** Size of the classic pcap, bytes: generation stops at the first frame that reaches it. */
  readonly targetBytes: number;
  readonly scenario: ScenarioParams;
  readonly outDir: string;
  /** Also write the pcapng and the gzip (default true). */
  readonly allFormats?: boolean;
  /** Regenerate even when a matching capture exists. */
  readonly force?: boolean;
  readonly log?: (line: string) => void;
}

export interface GeneratedCapture {
  readonly generatorVersion: number;
  readonly key: string;
  readonly targetBytes: number;
  readonly scenario: ScenarioParams;
  readonly files: { readonly pcap: string; readonly pcapng?: string; readonly gzip?: string };
  readonly bytes: { readonly pcap: number; readonly pcapng?: number; readonly gzip?: number };
  readonly frames: number;
  readonly captureSeconds: number;
  readonly counts: ScenarioCounts;
  readonly generationSeconds: number;
  /** True when an earlier capture was reused. */
  reused?: boolean;
}

/** `200MB`, `2GB`, `1.5G`, `500000000`: decimal units (1 MB = 10^6 bytes). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: '${text}' (examples: 200MB, 2GB, 5000000)`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : unit === 'g' ? 1e9 : 1;
  return Math.round(Number(m[1]) * mult);
}

export function formatSize(bytes: number): string {
  return bytes >= 1e9 && bytes % 1e8 === 0 ? `${bytes / 1e9}GB` : bytes % 1e6 === 0 ? `${bytes / 1e6}MB` : `${bytes}B`;
}

function captureKey(targetBytes: number, scenario: ScenarioParams, allFormats: boolean): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, targetBytes, scenario, allFormats }))
    .digest('hex')
    .slice(0, 10);
  return `ipsec-${formatSize(targetBytes)}-seed${scenario.seed}-g${GENERATOR_VERSION}-${hash}`;
}

/** The capture described by `<key>.json`, if it is complete and its files have their recorded sizes. */
function reusable(metaPath: string): GeneratedCapture | undefined {
  if (!existsSync(metaPath)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as GeneratedCapture;
    for (const k of ['pcap', 'pcapng', 'gzip'] as const) {
      const f = meta.files[k];
      if (f === undefined) continue;
      if (!existsSync(f) || statSync(f).size !== meta.bytes[k]) return undefined;
    }
    return { ...meta, reused: true };
  } catch {
    return undefined;
  }
}

export async function generateCapture(opts: GenerateOptions): Promise<GeneratedCapture> {
  const log = opts.log ?? ((): void => undefined);
  const allFormats = opts.allFormats ?? true;
  const key = captureKey(opts.targetBytes, opts.scenario, allFormats);
  mkdirSync(opts.outDir, { recursive: true });
  const metaPath = path.join(opts.outDir, `${key}.json`);
  if (!opts.force) {
    const found = reusable(metaPath);
    if (found) {
      log(`reusing ${found.files.pcap} (${found.frames} frames, generated earlier with the same parameters)`);
      return found;
    }
  }
  const files = {
    pcap: path.join(opts.outDir, `${key}.pcap`),
    ...(allFormats ? { pcapng: path.join(opts.outDir, `${key}.pcapng`), gzip: path.join(opts.outDir, `${key}.pcap.gz`) } : {}),
  };
  const tmp = (f: string): string => `${f}.partial`;
  rmSync(metaPath, { force: true });
  const writer = new CaptureWriter({
    pcap: tmp(files.pcap),
    ...(files.pcapng ? { pcapng: tmp(files.pcapng) } : {}),
    ...(files.gzip ? { gzip: tmp(files.gzip) } : {}),
  });
  const scenario = new Scenario(opts.scenario, writer);
  const started = process.hrtime.bigint();
  let nextReport = Math.min(opts.targetBytes, 100e6);
  log(`generating ${formatSize(opts.targetBytes)} capture ${key} (pcap${allFormats ? ', pcapng, pcap.gz' : ''})`);
  while (writer.pcapBytes < opts.targetBytes) {
    if (!scenario.step()) break;
    if (writer.full) {
      await writer.flush();
      if (writer.pcapBytes >= nextReport) {
        const secs = Number(process.hrtime.bigint() - started) / 1e9;
        log(`  ${(writer.pcapBytes / 1e6).toFixed(0)} MB, ${writer.frames} frames, ${secs.toFixed(1)} s`);
        nextReport += 100e6;
      }
    }
  }
  await writer.close();
  for (const f of Object.values(files)) renameSync(tmp(f), f);
  const generationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const meta: GeneratedCapture = {
    generatorVersion: GENERATOR_VERSION,
    key,
    targetBytes: opts.targetBytes,
    scenario: opts.scenario,
    files,
    bytes: {
      pcap: statSync(files.pcap).size,
      ...(files.pcapng ? { pcapng: statSync(files.pcapng).size } : {}),
      ...(files.gzip ? { gzip: statSync(files.gzip).size } : {}),
    },
    frames: writer.frames,
    captureSeconds: (scenario.now - opts.scenario.startEpochSeconds * 1e6) / 1e6,
    counts: scenario.counts,
    generationSeconds,
  };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2) + '\n');
  log(`  done: ${meta.frames} frames, ${meta.captureSeconds.toFixed(1)} s of traffic, in ${generationSeconds.toFixed(1)} s`);
  return meta;
}

/** Scenario options shared by the generator and the benchmark command lines. */
export function scenarioFromArgs(args: Map<string, string>): ScenarioParams {
  const num = (name: string, fallback: number): number => {
    const v = args.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} takes a non-negative number, not '${v}'`);
    return n;
  };
  return {
    ...DEFAULT_SCENARIO,
    seed: num('seed', DEFAULT_SCENARIO.seed),
    clients: num('clients', DEFAULT_SCENARIO.clients),
    nats: num('nats', DEFAULT_SCENARIO.nats),
    gateways: Math.max(1, num('gateways', DEFAULT_SCENARIO.gateways)),
  };
}

/** `--name value` and `--flag` pairs; flags get the value 'true'. */
export function parseArgs(argv: readonly string[], flags: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) out.set(name, a.slice(eq + 1));
    else if (flags.includes(name)) out.set(name, 'true');
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      out.set(name, v);
    }
  }
  return out;
}

/** The espy checkout: the nearest folder above this file with espy's package.json (works from bench/ and from bench-out/build/). */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'espy') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the espy checkout above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const REPO_ROOT = findRepoRoot();

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['force', 'large', 'pcap-only']);
  const targetBytes = args.has('size') ? parseSize(args.get('size')!) : args.has('large') ? 2e9 : 200e6;
  const meta = await generateCapture({
    targetBytes,
    scenario: scenarioFromArgs(args),
    outDir: path.resolve(args.get('out') ?? path.join(REPO_ROOT, 'bench-out')),
    allFormats: !args.has('pcap-only'),
    force: args.has('force'),
    log: (l) => console.error(l),
  });
  console.log(JSON.stringify(meta, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(`generate: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  });
}
