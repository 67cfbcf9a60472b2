/**
 * tshark for the ground-truth tests: its version (pinned), and its output, run once per capture
 * and cached on disk.
 *
 * Cost: a tshark run is ~0.5 s of CPU (0.8-0.9 s of wall time here), nearly all of it start-up
 * (registering ~3000 dissectors); the corpus captures themselves take milliseconds. Ten suites
 * compare with tshark on the same ~140 captures with different field lists, which was ~5 runs per
 * capture, plus one for the display filters. Two things cut that to one run per capture, or none:
 *
 * - One wide run per capture: every `-T fields` request whose fields are all in WIDE_FIELDS (the
 *   fields espy supports, every `isakmp.*` field this tshark knows, the Info column and
 *   `frame.protocols`) and whose `-Y` filter, if any, is a bare protocol name is answered from one
 *   `tshark -T fields -E header=y -e <wide fields>` run of that capture: its columns, its rows
 *   (a protocol filter keeps the rows whose `frame.protocols` lists that protocol), joined back
 *   into the exact text tshark prints. The display filters of test/filter/filters.ts ride along
 *   in the same run as Lua taps (test/filter/tshark-taps.lua), for tshark-filter.test.ts.
 *   `ESPY_TSHARK_VERIFY=1` also runs every such request for real (and the filters in a run of
 *   their own) and fails on any difference: run it after changing tshark or the field lists.
 * - A disk cache, test-artifacts/tshark-cache/ (gitignored): one file per (tshark version line,
 *   arguments, capture content SHA-256, extra key), written atomically, so the suites (separate
 *   module graphs, possibly separate processes) share one run per capture, and a later `npm test`
 *   runs no tshark at all until the capture, the arguments or tshark change. `ESPY_TSHARK_CACHE=0`
 *   turns it off; deleting the folder is always safe.
 *
 * The version: the expectations (test/tshark-differences.md, the exact field comparisons, the
 * display-filter semantics) were made with tshark 4.0.17, Debian bookworm's. test/support/
 * global-setup.ts prints the version that runs, once per `npm test`; the version-specific suites
 * ask `groundTruthMissing({ exactTshark: true })`, which names the mismatch (and fails under CI).
 * `ESPY_TSHARK_ANY_VERSION=1` runs them against another version anyway, to see what changed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SUPPORTED_FIELDS } from '../../src/output/fields.js';
import { FILTERS } from '../filter/filters.js';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The tshark the expectations were made with (Debian bookworm's 4.0.17). */
export const PINNED_TSHARK = '4.0.17';

export const TSHARK_CHECKSUM_PREFS = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];

export const TSHARK_CACHE_DIR = process.env['ESPY_TSHARK_CACHE_DIR'] ?? path.join(ROOT, 'test-artifacts', 'tshark-cache');
const CACHE_ON = process.env['ESPY_TSHARK_CACHE'] !== '0';
const VERIFY = process.env['ESPY_TSHARK_VERIFY'] === '1';
const MAX_BUFFER = 256 * 1024 * 1024;

/** How many tshark processes this module started (and how many requests the caches answered). */
export const tsharkStats = { runs: 0, diskHits: 0, wideAnswers: 0 };

let versionLine: string | undefined;

/**
 * tshark's first `--version` line ('' when tshark is not on PATH). global-setup.ts runs it once per
 * test run and hands it to the workers in ESPY_TSHARK_VERSION_LINE.
 */
export function tsharkVersionLine(): string {
  if (versionLine === undefined) {
    const given = process.env['ESPY_TSHARK_VERSION_LINE'];
    if (given !== undefined) versionLine = given;
    else {
      try {
        versionLine = execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0]!.trim();
      } catch {
        versionLine = '';
      }
    }
  }
  return versionLine;
}

/** "4.0.17", or undefined when tshark is not installed. */
export function tsharkVersion(): string | undefined {
  return /TShark \(Wireshark\) (\d+\.\d+\.\d+)/.exec(tsharkVersionLine())?.[1];
}

/** Whether tshark 4.x is on PATH. */
export function hasTshark(): boolean {
  return tsharkVersion()?.startsWith('4.') ?? false;
}

/** Whether the installed tshark is the one the expectations were made with (or the override is set). */
export function tsharkIsPinned(): boolean {
  return tsharkVersion() === PINNED_TSHARK || process.env['ESPY_TSHARK_ANY_VERSION'] === '1';
}

/** Why the version-specific expectations cannot be checked here, or undefined. */
export function tsharkVersionMismatch(): string | undefined {
  const v = tsharkVersion();
  if (v === undefined || tsharkIsPinned()) return undefined;
  return `tshark ${v} is installed but the expectations (test/tshark-differences.md) were made with tshark ${PINNED_TSHARK}; set ESPY_TSHARK_ANY_VERSION=1 to compare anyway`;
}

// ---- the disk cache ------------------------------------------------------------------------

const contentHashes = new Map<string, string>();

/** SHA-256 of a file, memoised by path, size and mtime. */
function contentHash(file: string): string {
  const st = statSync(file);
  const id = `${file}\0${st.size}\0${st.mtimeMs}`;
  let h = contentHashes.get(id);
  if (h === undefined) {
    h = createHash('sha256').update(readFileSync(file)).digest('hex');
    contentHashes.set(id, h);
  }
  return h;
}

function cacheKey(capture: string, args: readonly string[], extraKey: string): string {
  return createHash('sha256').update(JSON.stringify([tsharkVersionLine(), TSHARK_CHECKSUM_PREFS, args, contentHash(capture), extraKey])).digest('hex');
}

function readCache(key: string): string | undefined {
  if (!CACHE_ON) return undefined;
  const file = path.join(TSHARK_CACHE_DIR, `${key}.txt`);
  if (!existsSync(file)) return undefined;
  tsharkStats.diskHits++;
  return readFileSync(file, 'utf8');
}

function writeCache(key: string, text: string): void {
  if (!CACHE_ON) return;
  mkdirSync(TSHARK_CACHE_DIR, { recursive: true });
  const tmp = path.join(TSHARK_CACHE_DIR, `${key}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path.join(TSHARK_CACHE_DIR, `${key}.txt`)); // atomic: a reader sees all or nothing
}

function runSync(capture: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  tsharkStats.runs++;
  return execFileSync('tshark', ['-r', capture, ...TSHARK_CHECKSUM_PREFS, ...args], { encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'ignore'], env });
}

/**
 * `tshark -r capture <checksum prefs> args`, stdout, from the disk cache when it is there. A run
 * that depends on more than its arguments (a Lua script, a file named in the environment) passes
 * that content as `extraKey`. Failures are not cached.
 */
export function tsharkRaw(capture: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; extraKey?: string } = {}): string {
  const key = cacheKey(capture, args, opts.extraKey ?? '');
  const hit = readCache(key);
  if (hit !== undefined) return hit;
  const out = runSync(capture, args, opts.env);
  writeCache(key, out);
  return out;
}

/**
 * The same for a run that depends on more than its arguments (a Lua script, a file named in the
 * environment): `extraKey` must hold that content. Failures are not cached.
 */
export async function tsharkRawAsync(capture: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; extraKey: string }): Promise<string> {
  const key = cacheKey(capture, args, opts.extraKey);
  const hit = readCache(key);
  if (hit !== undefined) return hit;
  tsharkStats.runs++;
  const { stdout } = await execFileAsync('tshark', ['-r', capture, ...TSHARK_CHECKSUM_PREFS, ...args], { encoding: 'utf8', maxBuffer: MAX_BUFFER, env: opts.env ?? process.env });
  writeCache(key, stdout);
  return stdout;
}

/** `tshark -G fields` (every field this tshark knows: abbreviation → type line), cached. */
export function tsharkKnownFields(): Set<string> {
  const key = createHash('sha256').update(JSON.stringify([tsharkVersionLine(), '-G', 'fields'])).digest('hex');
  let text = readCache(key);
  if (text === undefined) {
    tsharkStats.runs++;
    text = execFileSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    writeCache(key, text);
  }
  return new Set(text.split('\n').filter((l) => l.startsWith('F\t')).map((l) => l.split('\t')[2] ?? ''));
}

// ---- one wide run per capture ----------------------------------------------------------------

let wideFields: readonly string[] | undefined;

/** The columns of the wide run: fixed for a tshark version and espy's supported fields. */
function wide(): readonly string[] {
  wideFields ??= [
    ...new Set([
      ...SUPPORTED_FIELDS,
      'frame.protocols',
      'udp.payload',
      '_ws.col.Info',
      ...[...tsharkKnownFields()].filter((f) => f.startsWith('isakmp.')).sort(),
    ]),
  ];
  return wideFields;
}

interface Table {
  readonly column: ReadonlyMap<string, number>;
  readonly rows: readonly (readonly string[])[];
  readonly protocols: readonly (readonly string[])[];
  /** Per FILTERS entry, the frames its tap saw or tshark's error; undefined when Lua did not run. */
  readonly selections: readonly TsharkSelection[] | undefined;
}

/** Per display filter, the frames tshark selects, or its error message. */
export type TsharkSelection = { readonly frames: readonly number[] } | { readonly error: string };

const TAPS_LUA = path.join(ROOT, 'test', 'filter', 'tshark-taps.lua');
const TAP_PREFIX = '#tap\t';
let filterList: string | undefined;
/** false once a wide run with the Lua taps failed: the later ones go without. */
let tapsWork = true;
const tables = new Map<string, Table>();

/** The wide run's arguments: every wide field, and the display filters as Lua taps when they work. */
function wideRun(withTaps: boolean): { args: string[]; opts: { env?: NodeJS.ProcessEnv; extraKey?: string } } {
  const args = ['-T', 'fields', '-E', 'header=y', ...wide().flatMap((f) => ['-e', f])];
  if (!withTaps) return { args, opts: {} };
  // The display filters of test/filter/filters.ts ride along as Lua taps (tshark-taps.lua).
  if (filterList === undefined) {
    filterList = path.join(mkdtempSync(path.join(tmpdir(), 'espy-tshark-')), 'filters.txt');
    writeFileSync(filterList, FILTERS.join('\n') + '\n');
  }
  return {
    args: [...args, '-X', `lua_script:${TAPS_LUA}`],
    opts: { env: { ...process.env, ESPY_FILTERS: filterList, ESPY_TAP_PREFIX: TAP_PREFIX }, extraKey: JSON.stringify([readFileSync(TAPS_LUA, 'utf8'), FILTERS]) },
  };
}

function parseWide(text: string): Table {
  const lines = text.replace(/\n$/, '').split('\n');
  const taps = lines.filter((l) => l.startsWith(TAP_PREFIX)).map((l) => l.slice(TAP_PREFIX.length));
  const table = lines.filter((l) => !l.startsWith(TAP_PREFIX));
  const column = new Map(table[0]!.split('\t').map((f, i) => [f, i] as const));
  const rows = table.slice(1).map((l) => l.split('\t'));
  const p = column.get('frame.protocols')!;
  return { column, rows, protocols: rows.map((r) => (r[p] ?? '').split(':')), selections: taps[0] === 'READY' ? tapSelections(taps.slice(1)) : undefined };
}

/** The capture's wide run (one tshark process, or none when cached), parsed once per process. */
function wideTable(capture: string): Table {
  const memo = `${capture}\0${contentHash(capture)}`;
  let t = tables.get(memo);
  if (t) return t;
  let text: string | undefined;
  if (tapsWork) {
    const run = wideRun(true);
    try {
      text = tsharkRaw(capture, run.args, run.opts);
    } catch {
      tapsWork = false;
    }
  }
  text ??= tsharkRaw(capture, wideRun(false).args);
  t = parseWide(text);
  tables.set(memo, t);
  return t;
}

/** wideTable without blocking, so that several captures' runs can overlap (tshark-filter.test.ts). */
async function wideTableAsync(capture: string): Promise<Table> {
  const memo = `${capture}\0${contentHash(capture)}`;
  let t = tables.get(memo);
  if (t) return t;
  let text: string | undefined;
  if (tapsWork) {
    const run = wideRun(true);
    try {
      text = await tsharkRawAsync(capture, run.args, { ...run.opts, extraKey: run.opts.extraKey ?? '' });
    } catch {
      tapsWork = false;
    }
  }
  text ??= await tsharkRawAsync(capture, wideRun(false).args, { extraKey: '' });
  t = parseWide(text);
  tables.set(memo, t);
  return t;
}

/** The taps' lines ("i<TAB>frame", "i<TAB>ERROR<TAB>message", i from 1) as one selection per filter. */
function tapSelections(lines: readonly string[]): TsharkSelection[] {
  const frames = FILTERS.map(() => new Set<number>());
  const errors = new Map<number, string>();
  for (const line of lines) {
    const [i, what, message] = line.split('\t');
    if (!i || !what) continue;
    if (what === 'ERROR') errors.set(Number(i) - 1, message ?? '');
    else frames[Number(i) - 1]?.add(Number(what));
  }
  return FILTERS.map((_, i) => (errors.has(i) ? { error: errors.get(i)! } : { frames: [...frames[i]!].sort((a, b) => a - b) }));
}

/**
 * The frames tshark selects for each display filter of test/filter/filters.ts (FILTERS, in
 * order), from the capture's wide run; undefined when this tshark could not run the Lua taps.
 */
export async function wideSelections(capture: string): Promise<readonly TsharkSelection[] | undefined> {
  return hasTshark() ? (await wideTableAsync(capture)).selections : undefined;
}

/** A `-T fields` request the wide run can answer: its fields, header flag and protocol filter. */
function parseFieldsRequest(args: readonly string[]): { fields: string[]; header: boolean; protocol?: string } | undefined {
  const fields: string[] = [];
  let header = false;
  let protocol: string | undefined;
  let fieldsMode = false;
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) return undefined;
    if (flag === '-T' && value === 'fields') fieldsMode = true;
    else if (flag === '-e') fields.push(value);
    else if (flag === '-E' && (value === 'header=y' || value === 'header=n')) header = value === 'header=y';
    else if (flag === '-Y' && /^[a-z][a-z0-9_]*$/.test(value)) protocol = value;
    else return undefined;
  }
  if (!fieldsMode || fields.length === 0) return undefined;
  return { fields, header, ...(protocol === undefined ? {} : { protocol }) };
}

function fromWide(capture: string, req: { fields: string[]; header: boolean; protocol?: string }): string | undefined {
  if (!req.fields.every((f) => wide().includes(f))) return undefined;
  const t = wideTable(capture);
  const cols = req.fields.map((f) => t.column.get(f)!);
  const lines: string[] = req.header ? [req.fields.join('\t')] : [];
  t.rows.forEach((row, i) => {
    if (req.protocol === undefined || t.protocols[i]!.includes(req.protocol)) lines.push(cols.map((c) => row[c] ?? '').join('\t'));
  });
  tsharkStats.wideAnswers++;
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/**
 * tshark's stdout for a capture and arguments ("Running as root" noise on stderr ignored): from
 * the capture's wide run when it can answer, else its own (disk-cached) run.
 */
export function tshark(capture: string, args: readonly string[]): string {
  const req = hasTshark() ? parseFieldsRequest(args) : undefined;
  const answer = req ? fromWide(capture, req) : undefined;
  if (answer === undefined) return tsharkRaw(capture, args);
  if (VERIFY) {
    const real = runSync(capture, args);
    if (real !== answer) throw new Error(`ESPY_TSHARK_VERIFY: the wide run's answer differs from tshark ${args.join(' ')} on ${capture}`);
  }
  return answer;
}
