import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsharkRawAsync, wideSelections, type TsharkSelection } from '../support/tshark.js';
import { FILTERS } from './filters.js';

const LUA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tshark-taps.lua');
const dir = mkdtempSync(path.join(tmpdir(), 'espy-filters-'));

/** Per filter, the frames tshark 4.0 selects, or its error message. */
export type { TsharkSelection };

const VERIFY = process.env['ESPY_TSHARK_VERIFY'] === '1';

/** tshark's stdout, through the disk cache (test/support/tshark.ts); `extraKey` holds what the arguments only name. */
async function run(capture: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, extraKey = ''): Promise<string> {
  return tsharkRawAsync(capture, args, { env, extraKey });
}

/** `tshark -Y FILTER -T fields -e frame.number`: one run per filter. */
export async function tsharkSelectOne(capture: string, filter: string): Promise<TsharkSelection> {
  try {
    const out = await run(capture, ['-Y', filter, '-T', 'fields', '-e', 'frame.number']);
    return { frames: out.split('\n').filter((l) => l !== '').map(Number) };
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    return { error: stderr.split('\n').filter((l) => l !== '' && !l.startsWith('Running as')).join(' ') };
  }
}

let luaWorks: boolean | undefined;
let listCounter = 0;

/**
 * Every filter over one capture in a single tshark pass: one tap listener per filter
 * (tshark-taps.lua; a tap's filter is a display filter run by the same engine as -Y). Falls back
 * to one -Y run per filter when this tshark has no Lua.
 */
export async function tsharkSelect(capture: string, filters: readonly string[]): Promise<TsharkSelection[]> {
  // The filters of filters.ts ride along in the capture's one wide tshark run (test/support/tshark.ts).
  const fromWide = filters.length === FILTERS.length && filters.every((f, i) => f === FILTERS[i]) ? await wideSelections(capture) : undefined;
  if (fromWide && !VERIFY) return [...fromWide];
  const own = await tsharkSelectOwn(capture, filters);
  if (fromWide && JSON.stringify(fromWide) !== JSON.stringify(own)) throw new Error(`ESPY_TSHARK_VERIFY: the wide run's filter selections differ from a separate run on ${capture}`);
  return own;
}

/** tsharkSelect in a tshark run of its own. */
async function tsharkSelectOwn(capture: string, filters: readonly string[]): Promise<TsharkSelection[]> {
  if (luaWorks !== false) {
    const list = path.join(dir, `filters-${++listCounter}.txt`);
    writeFileSync(list, filters.join('\n') + '\n');
    try {
      const out = await run(capture, ['-q', '-X', `lua_script:${LUA}`], { ...process.env, ESPY_FILTERS: list }, JSON.stringify([readFileSync(LUA, 'utf8'), filters]));
      luaWorks = true;
      const frames = filters.map(() => new Set<number>());
      const errors = new Map<number, string>();
      for (const line of out.split('\n')) {
        const [i, what, message] = line.split('\t');
        if (!i || !what) continue;
        if (what === 'ERROR') errors.set(Number(i) - 1, message ?? '');
        else frames[Number(i) - 1]?.add(Number(what));
      }
      return filters.map((_, i) => (errors.has(i) ? { error: errors.get(i)! } : { frames: [...frames[i]!].sort((a, b) => a - b) }));
    } catch {
      luaWorks = false;
    }
  }
  const out: TsharkSelection[] = [];
  for (const f of filters) out.push(await tsharkSelectOne(capture, f));
  return out;
}

/** tsharkSelect over many captures, a few tshark processes at a time. */
export async function tsharkSelectAll(captures: readonly string[], filters: readonly string[]): Promise<Map<string, TsharkSelection[]>> {
  const results = new Map<string, TsharkSelection[]>();
  // The first run settles whether Lua works before the others start.
  if (captures[0]) results.set(captures[0], await tsharkSelect(captures[0], filters));
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next < captures.length) {
      const c = captures[next++]!;
      results.set(c, await tsharkSelect(c, filters));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(4, availableParallelism())) }, worker));
  return results;
}
