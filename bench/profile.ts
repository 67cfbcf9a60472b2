/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and total time per function, and
 * self time per source file and per espy layer. Locations in dist/ are mapped back to src/
 * through the compiler's source maps.
 *
 *   node bench-out/build/profile.js bench-out/espy-analyze.cpuprofile [--top 25]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  readonly name: string;
  /** `src/decode/foo.ts:12` (mapped), a node: module, or '' for VM entries such as (garbage collector). */
  readonly location: string;
  readonly selfMs: number;
  readonly selfPercent: number;
  readonly totalMs: number;
  readonly totalPercent: number;
}

export interface GroupTime {
  readonly name: string;
  readonly selfMs: number;
  readonly selfPercent: number;
}

export interface ProfileSummary {
  readonly profile: string;
  readonly durationMs: number;
  readonly samples: number;
  readonly functions: readonly FunctionTime[];
  readonly files: readonly GroupTime[];
  readonly areas: readonly GroupTime[];
}

/** Relative to the root; dependencies as node_modules/<package>/... wherever they live. */
function shortPath(root: string, file: string): string {
  const at = file.lastIndexOf('/node_modules/');
  return at >= 0 ? file.slice(at + 1) : path.relative(root, file);
}

function mapper(repoRoot: string): (url: string, line: number, column: number) => string {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    if (!url) return '';
    if (!url.startsWith('file://')) return url;
    const file = fileURLToPath(url);
    let map = maps.get(file);
    if (map === undefined) {
      map = null;
      const mapFile = `${file}.map`;
      if (existsSync(mapFile)) {
        try {
          map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
        } catch {
          map = null;
        }
      }
      maps.set(file, map);
    }
    if (map) {
      const e = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
      if (e.originalSource !== undefined && e.originalLine !== undefined) {
        const src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : path.resolve(path.dirname(file), e.originalSource);
        return `${shortPath(repoRoot, src)}:${e.originalLine + 1}`;
      }
    }
    return `${shortPath(repoRoot, file)}:${line + 1}`;
  };
}

/** Which part of espy (or of the runtime) a location belongs to. */
function areaOf(name: string, location: string): string {
  if (!location) return name.startsWith('(') ? name : '(vm)';
  const m = /^src\/([a-z]+)\//.exec(location);
  if (m) return `src/${m[1]}`;
  if (location.includes('node_modules/')) return `node_modules/${location.split('node_modules/')[1]!.split('/')[0]}`;
  if (location.startsWith('node:')) return 'node internals';
  return 'other';
}

export function summariseProfile(file: string, repoRoot: string, top = 25): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of prof.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const where = mapper(repoRoot);
  const keyOf = new Map<number, string>();
  const info = new Map<string, { name: string; location: string }>();
  for (const n of prof.nodes) {
    const cf = n.callFrame;
    const name = cf.functionName || (cf.url ? '(anonymous)' : '(root)');
    const location = where(cf.url, cf.lineNumber, cf.columnNumber);
    const key = `${name}@${location}`;
    keyOf.set(n.id, key);
    if (!info.has(key)) info.set(key, { name, location });
  }
  // Sample i lasts until sample i+1 (timeDeltas[i+1]); the last one gets the mean interval.
  const n = prof.samples.length;
  const durationMs = (prof.endTime - prof.startTime) / 1000;
  const mean = n > 0 ? (prof.endTime - prof.startTime) / n : 0;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < n; i++) {
    const d = (i + 1 < n ? prof.timeDeltas[i + 1]! : mean) / 1000;
    const id = prof.samples[i]!;
    const key = keyOf.get(id)!;
    self.set(key, (self.get(key) ?? 0) + d);
    all += d;
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(keyOf.get(at)!);
    for (const k of onStack) total.set(k, (total.get(k) ?? 0) + d);
  }
  const pct = (ms: number): number => (all > 0 ? (100 * ms) / all : 0);
  const functions: FunctionTime[] = [...self.entries()]
    .filter(([k]) => info.get(k)!.name !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, ms]) => {
      const { name, location } = info.get(k)!;
      const t = total.get(k) ?? ms;
      return { name, location, selfMs: ms, selfPercent: pct(ms), totalMs: t, totalPercent: pct(t) };
    });
  const group = (f: (name: string, location: string) => string): GroupTime[] => {
    const g = new Map<string, number>();
    for (const [k, ms] of self) {
      const { name, location } = info.get(k)!;
      const key = f(name, location);
      g.set(key, (g.get(key) ?? 0) + ms);
    }
    return [...g.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, selfMs: ms, selfPercent: pct(ms) }));
  };
  return {
    profile: file,
    durationMs,
    samples: n,
    functions,
    files: group((name, location) => (location ? location.replace(/:\d+$/, '') : name)).slice(0, top),
    areas: group(areaOf),
  };
}

export function formatProfileSummary(s: ProfileSummary): string {
  const lines: string[] = [];
  lines.push(`CPU profile ${s.profile}: ${(s.durationMs / 1000).toFixed(1)} s, ${s.samples} samples`);
  lines.push('');
  lines.push('Top functions by self time:');
  lines.push(`  ${'self %'.padStart(7)} ${'self ms'.padStart(8)} ${'total %'.padStart(8)}  function (location)`);
  for (const f of s.functions) {
    lines.push(`  ${f.selfPercent.toFixed(1).padStart(7)} ${f.selfMs.toFixed(0).padStart(8)} ${f.totalPercent.toFixed(1).padStart(8)}  ${f.name}${f.location ? ` (${f.location})` : ''}`);
  }
  lines.push('');
  lines.push('Self time by area:');
  for (const a of s.areas) lines.push(`  ${a.selfPercent.toFixed(1).padStart(7)} ${a.selfMs.toFixed(0).padStart(8)}  ${a.name}`);
  lines.push('');
  lines.push('Self time by file (top):');
  for (const a of s.files) lines.push(`  ${a.selfPercent.toFixed(1).padStart(7)} ${a.selfMs.toFixed(0).padStart(8)}  ${a.name}`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench-out/build/profile.js FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 25;
  const { REPO_ROOT } = await import('./generate.js');
  console.log(formatProfileSummary(summariseProfile(path.resolve(file), REPO_ROOT, top)));
}
