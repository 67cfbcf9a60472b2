/**
 * `npm run bench`: generates (or reuses) a realistic IPsec/NAT-T capture and measures, on the
 * same file and in the same run, espy against tshark and tcpdump: wall time, CPU time,
 * packets/s, MB/s and peak RSS, then checks the issue's targets. See bench/README.md.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSize, generateCapture, parseArgs, parseSize, REPO_ROOT, scenarioFromArgs, type GeneratedCapture } from './generate.js';
import { formatProfileSummary, summariseProfile, type ProfileSummary } from './profile.js';
import { manySasCapture } from './bulk-captures.js';

const TIME = '/usr/bin/time';
const FIELDS = ['-e', 'frame.number', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'udp.srcport', '-e', 'esp.spi', '-e', 'esp.sequence'];
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const USAGE = `usage: npm run bench -- [options]

  --size SIZE     size of the classic pcap (default 200MB; decimal units: 500MB, 2GB)
  --large         same as --size 2GB
  --repeat N      run every case N times, interleaved, and report the median (default 1)
  --profile       also profile 'espy analyze' on the pcap with node --cpu-prof (bench-out/*.cpuprofile)
  --profile-only  only the profile, no timings
  --seed N        generator seed (default 1); also --clients, --nats, --gateways
  --force         regenerate the capture even if a matching one exists
  --use-dist      benchmark the existing dist/ instead of a fresh build of src/ (see below)
  --check         exit 1 when a target is missed (for CI)
  --out DIR       where captures and results go (default bench-out/)
  --hosts N       also time analyze, timeline, report and verify on N hosts with an IKE SA, a raw
                  ESP SA and a keepalive flow each (default 8000; 0 = skip)
  --hosts-only    only that part (no 200 MB capture)

espy is built from the current src/ into DIR/espy-snapshot/ (a copy of src/ compiled there), so
edits or rebuilds by others during the run change nothing, and the shared dist/ is left alone.
`;

interface Case {
  readonly id: string;
  readonly label: string;
  readonly tool: 'espy' | 'tshark' | 'tcpdump';
  readonly format: 'pcap' | 'pcapng' | 'pcap.gz';
  readonly command: string;
  readonly args: readonly string[];
  /** Exit codes that mean success (espy analyze exits 1 when it reports an error-level finding). */
  readonly okCodes: readonly number[];
}

export interface RunResult {
  readonly case: string;
  readonly repeat: number;
  readonly exitCode: number;
  readonly wallSeconds: number;
  /** GNU time's %e (two decimals), as a cross-check of wallSeconds. */
  readonly timeElapsedSeconds: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly peakRssMB: number;
  /** CPU used by everything else on the machine during the run, in cores (from /proc/stat). */
  readonly otherLoadCores: number | undefined;
  readonly loadAverage1mBefore: number;
  readonly stderrTail: string;
}

interface CaseSummary {
  readonly case: string;
  readonly label: string;
  readonly file: string;
  readonly runs: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly packetsPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly peakRssMB: number;
  readonly otherLoadCores: number | undefined;
}

interface TargetCheck {
  readonly target: string;
  readonly value: number;
  readonly unit: string;
  readonly goal: string;
  readonly pass: boolean;
  /** The same ratio in CPU time (user + system), less sensitive to load from other processes. */
  readonly cpuValue?: number;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function toolVersion(cmd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch (e) {
    const out = (e as { stdout?: string; stderr?: string }).stdout || (e as { stderr?: string }).stderr;
    return out ? out.split('\n')[0]!.trim() : undefined;
  }
}

/** Everything the benchmark runs must already be installed: it installs nothing itself. */
function preflight(): Record<string, string> {
  const missing: string[] = [];
  const gnuTime = existsSync(TIME) ? toolVersion(TIME, ['--version']) : undefined;
  if (!gnuTime || !/GNU/.test(gnuTime)) missing.push(`GNU time at ${TIME} (apt-get install -y time)`);
  const tshark = toolVersion('tshark', ['--version']);
  if (!tshark || !/TShark/.test(tshark)) missing.push('tshark (apt-get install -y tshark)');
  let tcpdump: string | undefined;
  try {
    tcpdump = execFileSync('tcpdump', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch {
    tcpdump = undefined;
  }
  if (!tcpdump) missing.push('tcpdump (apt-get install -y tcpdump)');
  if (!existsSync(TSC)) missing.push('the TypeScript compiler in node_modules (npm ci)');
  if (missing.length) fail(`missing, install it and run again (the benchmark installs nothing):\n  - ${missing.join('\n  - ')}`);
  return { time: gnuTime!, tshark: tshark!, tcpdump: tcpdump! };
}

function readProcStat(): { busy: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return { busy: (user + nice + system + irq + softirq + steal) / 100 }; // USER_HZ = 100 on Linux
  } catch {
    return undefined;
  }
}

interface EspyBuild {
  /** bin/espy.js to run. */
  readonly espy: string;
  /** Folder whose src/ the profile's locations are shown relative to. */
  readonly root: string;
  readonly kind: 'snapshot of src/' | 'existing dist/';
  /** SHA-256 over the src/ files built (path and content). */
  readonly srcSha256: string;
}

function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** Copies src/ (and what building and running it needs) into DIR/espy-snapshot and compiles it there. */
function buildEspy(outDir: string, useDist: boolean): EspyBuild {
  if (useDist) {
    if (!existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'))) fail('--use-dist: there is no dist/ (npm run build)');
    return { espy: path.join(REPO_ROOT, 'bin', 'espy.js'), root: REPO_ROOT, kind: 'existing dist/', srcSha256: hashTree(path.join(REPO_ROOT, 'src')) };
  }
  const snap = path.join(outDir, 'espy-snapshot');
  rmSync(snap, { recursive: true, force: true });
  mkdirSync(snap, { recursive: true });
  cpSync(path.join(REPO_ROOT, 'src'), path.join(snap, 'src'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'bin'), path.join(snap, 'bin'), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json']) cpSync(path.join(REPO_ROOT, f), path.join(snap, f));
  try {
    execFileSync(process.execPath, [TSC, '-p', path.join(snap, 'tsconfig.json')], { cwd: snap, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // The one-file bundle bin/espy.js runs, as `npm run build` makes it.
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bundle.mjs'), snap], { cwd: snap, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`.split('\n').slice(0, 15).join('\n');
    fail(`src/ does not compile right now (others may be mid-edit); rerun later, or pass --use-dist to benchmark the existing dist/:\n${out}`);
  }
  return { espy: path.join(snap, 'bin', 'espy.js'), root: snap, kind: 'snapshot of src/', srcSha256: hashTree(path.join(snap, 'src')) };
}

/** Runs one command under GNU time with stdout to /dev/null. */
async function measure(c: Case, repeat: number, scratch: string): Promise<RunResult> {
  const timeFile = path.join(scratch, `.time-${process.pid}`);
  rmSync(timeFile, { force: true });
  const devNull = openSync('/dev/null', 'w');
  const statBefore = readProcStat();
  const loadBefore = os.loadavg()[0]!;
  const started = process.hrtime.bigint();
  let stderr = '';
  const exit = await new Promise<number>((resolve, reject) => {
    const child = spawn(TIME, ['-f', '%e %M %U %S', '-o', timeFile, c.command, ...c.args], { stdio: ['ignore', devNull, 'pipe'], cwd: REPO_ROOT });
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const statAfter = readProcStat();
  closeSync(devNull);
  const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
  rmSync(timeFile, { force: true });
  const last = lines[lines.length - 1]!.trim().split(/\s+/).map(Number);
  const [elapsed = NaN, rssKb = NaN, user = NaN, system = NaN] = last;
  const otherLoadCores = statBefore && statAfter ? Math.max(0, (statAfter.busy - statBefore.busy - user - system) / wallSeconds) : undefined;
  const result: RunResult = {
    case: c.id,
    repeat,
    exitCode: exit,
    wallSeconds,
    timeElapsedSeconds: elapsed,
    userSeconds: user,
    systemSeconds: system,
    peakRssMB: rssKb / 1024,
    otherLoadCores,
    loadAverage1mBefore: loadBefore,
    stderrTail: stderr.split('\n').filter((l) => l && !/^Running as user "root"/.test(l)).slice(-5).join('\n'),
  };
  if (!c.okCodes.includes(exit)) {
    fail(`${c.label} failed (exit ${exit}${lines.length > 1 ? `, ${lines[0]}` : ''}):\n${result.stderrTail || '(no stderr)'}`);
  }
  return result;
}

/** Reads a file once so every tool finds it in the page cache. */
async function warm(file: string): Promise<void> {
  for await (const _ of createReadStream(file, { highWaterMark: 1 << 20 })) {
    // discard
  }
}

function cases(meta: GeneratedCapture, ESPY: string): Case[] {
  const node = process.execPath;
  const pcap = meta.files.pcap;
  const out: Case[] = [
    { id: 'espy-analyze-pcap', label: 'espy analyze -q --json (pcap)', tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'analyze', pcap, '-q', '--json'], okCodes: [0, 1] },
    { id: 'espy-packets-pcap', label: 'espy packets -T fields (pcap)', tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'packets', pcap, '-T', 'fields', ...FIELDS], okCodes: [0] },
    { id: 'tshark-fields-pcap', label: 'tshark -T fields (pcap)', tool: 'tshark', format: 'pcap', command: 'tshark', args: ['-r', pcap, '-T', 'fields', ...FIELDS], okCodes: [0] },
    { id: 'tcpdump-pcap', label: 'tcpdump -nr (pcap)', tool: 'tcpdump', format: 'pcap', command: 'tcpdump', args: ['-nr', pcap], okCodes: [0] },
  ];
  if (meta.files.pcapng) out.push({ id: 'espy-analyze-pcapng', label: 'espy analyze -q --json (pcapng)', tool: 'espy', format: 'pcapng', command: node, args: [ESPY, 'analyze', meta.files.pcapng, '-q', '--json'], okCodes: [0, 1] });
  if (meta.files.gzip) out.push({ id: 'espy-analyze-gzip', label: 'espy analyze -q --json (pcap.gz)', tool: 'espy', format: 'pcap.gz', command: node, args: [ESPY, 'analyze', meta.files.gzip, '-q', '--json'], okCodes: [0, 1] });
  return out;
}

/** Bytes of capture data a case reads: the file itself, or the pcap inside the gzip. */
function dataBytes(meta: GeneratedCapture, c: Case): number {
  return c.format === 'pcapng' ? meta.bytes.pcapng! : meta.bytes.pcap;
}

function fileOf(meta: GeneratedCapture, c: Case): string {
  return c.format === 'pcapng' ? meta.files.pcapng! : c.format === 'pcap.gz' ? meta.files.gzip! : meta.files.pcap;
}

function summarise(meta: GeneratedCapture, c: Case, runs: readonly RunResult[]): CaseSummary {
  return summariseRuns(c, runs, fileOf(meta, c), meta.frames, dataBytes(meta, c));
}

/** Medians of a case's runs (peak RSS: the largest), with rates over `frames` and `bytes`. */
function summariseRuns(c: Case, runs: readonly RunResult[], file: string, frames: number, bytes: number): CaseSummary {
  const mine = runs.filter((r) => r.case === c.id);
  const wall = median(mine.map((r) => r.wallSeconds));
  const loads = mine.map((r) => r.otherLoadCores).filter((x): x is number => x !== undefined);
  return {
    case: c.id,
    label: c.label,
    file: path.relative(REPO_ROOT, file),
    runs: mine.length,
    wallSeconds: wall,
    cpuSeconds: median(mine.map((r) => r.userSeconds + r.systemSeconds)),
    packetsPerSecond: frames / wall,
    megabytesPerSecond: bytes / 1e6 / wall,
    peakRssMB: Math.max(...mine.map((r) => r.peakRssMB)),
    otherLoadCores: loads.length ? median(loads) : undefined,
  };
}

function targets(s: ReadonlyMap<string, CaseSummary>): TargetCheck[] {
  const out: TargetCheck[] = [];
  const a = s.get('espy-analyze-pcap')!;
  const t = s.get('tshark-fields-pcap')!;
  const d = s.get('tcpdump-pcap')!;
  const p = s.get('espy-packets-pcap')!;
  out.push({ target: 'espy analyze speed-up over tshark -T fields', value: t.wallSeconds / a.wallSeconds, unit: 'x', goal: '>= 8', pass: t.wallSeconds / a.wallSeconds >= 8, cpuValue: t.cpuSeconds / a.cpuSeconds });
  out.push({ target: 'espy analyze time / tcpdump -nr time', value: a.wallSeconds / d.wallSeconds, unit: 'x', goal: '<= 1.0', pass: a.wallSeconds <= d.wallSeconds, cpuValue: a.cpuSeconds / d.cpuSeconds });
  out.push({ target: 'espy packets speed-up over tshark (same fields, informational)', value: t.wallSeconds / p.wallSeconds, unit: 'x', goal: '-', pass: true, cpuValue: t.cpuSeconds / p.cpuSeconds });
  out.push({ target: 'espy packets time / tcpdump -nr time (informational)', value: p.wallSeconds / d.wallSeconds, unit: 'x', goal: '-', pass: true, cpuValue: p.cpuSeconds / d.cpuSeconds });
  for (const id of ['espy-analyze-pcap', 'espy-analyze-pcapng', 'espy-analyze-gzip']) {
    const c = s.get(id);
    if (c) out.push({ target: `peak RSS, ${c.label}`, value: c.peakRssMB, unit: 'MB', goal: '< 150', pass: c.peakRssMB < 150 });
  }
  const ng = s.get('espy-analyze-pcapng');
  if (ng) out.push({ target: 'espy analyze pcapng / pcap time', value: ng.wallSeconds / a.wallSeconds, unit: 'x', goal: '<= 1.5', pass: ng.wallSeconds / a.wallSeconds <= 1.5, cpuValue: ng.cpuSeconds / a.cpuSeconds });
  const gz = s.get('espy-analyze-gzip');
  if (gz) out.push({ target: 'espy analyze pcap.gz / pcap time', value: gz.wallSeconds / a.wallSeconds, unit: 'x', goal: '<= 1.5', pass: gz.wallSeconds / a.wallSeconds <= 1.5, cpuValue: gz.cpuSeconds / a.cpuSeconds });
  return out;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], rightAlign: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function gitState(): { commit: string; srcChanges: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO_ROOT, encoding: 'utf8' });
    return { commit, srcChanges: status.split('\n').filter(Boolean).length };
  } catch {
    return { commit: 'unknown', srcChanges: -1 };
  }
}

async function profileAnalyze(meta: GeneratedCapture, outDir: string, build: EspyBuild): Promise<{ summary: ProfileSummary; run: RunResult }> {
  const name = `espy-analyze-${meta.key}.cpuprofile`;
  const file = path.join(outDir, name);
  rmSync(file, { force: true });
  const c: Case = {
    id: 'espy-analyze-pcap-cpu-prof',
    label: 'espy analyze under node --cpu-prof (pcap)',
    tool: 'espy',
    format: 'pcap',
    command: process.execPath,
    args: ['--cpu-prof', '--cpu-prof-dir', outDir, '--cpu-prof-name', name, build.espy, 'analyze', meta.files.pcap, '-q', '--json'],
    okCodes: [0, 1],
  };
  const run = await measure(c, 1, outDir);
  if (!existsSync(file)) fail(`node --cpu-prof wrote no profile at ${file}`);
  const summary = summariseProfile(file, build.root, 25);
  return { summary, run };
}

/**
 * The commands built on the one analysis pass, on many hosts (an IKE SA, a raw ESP SA and a
 * keepalive flow each): `timeline` and `report` listen to the same pass as `analyze --json` and
 * must cost about what it costs (target: within 1.5x in time and peak RSS); `verify` decodes every
 * frame (no fast path) and is shown for comparison.
 */
async function manyHosts(hosts: number, repeat: number, outDir: string, ESPY: string, log: (l: string) => void): Promise<{ hosts: number; file: string; runs: RunResult[]; summary: CaseSummary[]; targets: TargetCheck[] }> {
  const file = path.join(outDir, `hosts-${hosts}.pcap`);
  if (!existsSync(file)) writeFileSync(file, manySasCapture(hosts));
  const quarter = Math.max(1, Math.round(hosts / 4));
  const small = path.join(outDir, `hosts-${quarter}.pcap`);
  if (!existsSync(small)) writeFileSync(small, manySasCapture(quarter));
  const lab = path.join(REPO_ROOT, 'fixtures', 'lab', 'ikev2-client-behind-nat', 'outside-nat.pcap');
  for (const f of [file, small]) await warm(f);
  const node = process.execPath;
  const list: Case[] = [
    { id: 'hosts-analyze', label: `espy analyze -q --json (${hosts} hosts)`, tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'analyze', file, '-q', '--json'], okCodes: [0, 1] },
    { id: 'hosts-timeline', label: `espy timeline -q --ndjson (${hosts} hosts)`, tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'timeline', file, '-q', '--ndjson'], okCodes: [0] },
    { id: 'hosts-report', label: `espy report -q (${hosts} hosts)`, tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'report', file, '-q'], okCodes: [0] },
    { id: 'hosts-verify', label: `espy verify --json (${hosts} hosts)`, tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'verify', file, '--json'], okCodes: [0, 1] },
    // The cost ratios npm run soak used to assert (time belongs here): decode vs analysis, text vs
    // JSON, 4x the hosts vs 4x the cost, and natd-recover over the default ranges.
    { id: 'hosts-verify-text', label: `espy verify, text (${hosts} hosts)`, tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'verify', file], okCodes: [0, 1] },
    { id: 'hosts-packets', label: `espy packets -T fields (${hosts} hosts)`, tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'packets', file, '-T', 'fields', '-e', 'frame.number'], okCodes: [0] },
    { id: 'hosts-analyze-quarter', label: `espy analyze -q --json (${quarter} hosts)`, tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'analyze', small, '-q', '--json'], okCodes: [0, 1] },
    { id: 'natd-recover-lab', label: 'espy natd-recover (lab client, default ranges)', tool: 'espy', format: 'pcap', command: node, args: [ESPY, 'natd-recover', lab, '--json'], okCodes: [0] },
  ];
  const runs: RunResult[] = [];
  for (let r = 1; r <= repeat; r++) {
    for (const x of list) {
      log(`run ${r}/${repeat}: ${x.label} ...`);
      const res = await measure(x, r, outDir);
      log(`  ${res.wallSeconds.toFixed(2)} s wall, ${(res.userSeconds + res.systemSeconds).toFixed(2)} s CPU, ${res.peakRssMB.toFixed(0)} MB peak RSS`);
      runs.push(res);
    }
  }
  const frames = hosts * 3;
  const bytes = statSync(file).size;
  const summary = list.map((c) => (c.id === 'hosts-analyze-quarter' ? summariseRuns(c, runs, small, quarter * 3, statSync(small).size) : c.id === 'natd-recover-lab' ? summariseRuns(c, runs, lab, 0, 0) : summariseRuns(c, runs, file, frames, bytes)));
  const by = new Map(summary.map((x) => [x.case, x]));
  const a = by.get('hosts-analyze')!;
  const targets: TargetCheck[] = [];
  // The bounds npm run soak asserted: analysis CPU under 3× decoding + 0.5 s, text under 3× JSON, 4× the hosts under 6× the CPU.
  const ratio = (target: string, num: CaseSummary, den: CaseSummary, factor: number, plus = 0): void => {
    const value = num.cpuSeconds / den.cpuSeconds;
    targets.push({ target, value, unit: 'x', goal: `CPU <= ${factor}x${plus ? ` + ${plus} s` : ''}`, pass: num.cpuSeconds <= factor * den.cpuSeconds + plus, cpuValue: value });
  };
  ratio(`analyze --json / packets -T fields, CPU (${hosts} hosts)`, a, by.get('hosts-packets')!, 3, 0.5);
  ratio(`verify text / verify --json, CPU (${hosts} hosts)`, by.get('hosts-verify-text')!, by.get('hosts-verify')!, 3);
  ratio(`analyze --json, ${hosts} / ${quarter} hosts, CPU`, a, by.get('hosts-analyze-quarter')!, 6);
  const recover = by.get('natd-recover-lab')!;
  targets.push({ target: 'natd-recover, lab client over the default ranges', value: recover.wallSeconds, unit: 's', goal: '< 30', pass: recover.wallSeconds < 30 });
  for (const id of ['hosts-timeline', 'hosts-report', 'hosts-verify']) {
    const c = by.get(id)!;
    const goal = id === 'hosts-verify' ? '-' : '<= 1.5';
    const ratio = c.wallSeconds / a.wallSeconds;
    targets.push({ target: `${c.label}: time / analyze --json`, value: ratio, unit: 'x', goal, pass: goal === '-' || ratio <= 1.5, cpuValue: c.cpuSeconds / a.cpuSeconds });
    const rss = c.peakRssMB / a.peakRssMB;
    targets.push({ target: `${c.label}: peak RSS / analyze --json`, value: rss, unit: 'x', goal, pass: goal === '-' || rss <= 1.5 });
  }
  console.log('');
  console.log(`many hosts — ${hosts} hosts (${frames} frames, ${(bytes / 1e6).toFixed(1)} MB), median of ${repeat} run(s)`);
  console.log(table(['command', 'wall s', 'CPU s', 'peak RSS MB', 'other load'], summary.map((x) => [x.label, x.wallSeconds.toFixed(2), x.cpuSeconds.toFixed(2), x.peakRssMB.toFixed(0), x.otherLoadCores === undefined ? '?' : x.otherLoadCores.toFixed(2)]), [false, true, true, true, true]));
  console.log('');
  console.log(table(['target', 'measured', 'CPU-time ratio', 'goal', 'result'], targets.map((t) => [t.target, `${t.value.toFixed(2)}${t.unit === 'x' ? 'x' : ` ${t.unit}`}`, t.cpuValue === undefined ? '' : `${t.cpuValue.toFixed(2)}x`, t.goal, t.goal === '-' ? '' : t.pass ? 'PASS' : 'FAIL']), [false, true, true, false, false]));
  return { hosts, file: path.relative(REPO_ROOT, file), runs, summary, targets };
}

async function main(): Promise<void> {
  let args: Map<string, string>;
  try {
    args = parseArgs(process.argv.slice(2), ['large', 'profile', 'profile-only', 'force', 'check', 'help', 'use-dist', 'hosts-only']);
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (args.has('help')) {
    console.log(USAGE);
    return;
  }
  const targetBytes = args.has('size') ? parseSize(args.get('size')!) : args.has('large') ? 2e9 : 200e6;
  const repeat = Number(args.get('repeat') ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1) fail('--repeat takes a positive integer');
  const outDir = path.resolve(args.get('out') ?? path.join(REPO_ROOT, 'bench-out'));
  mkdirSync(outDir, { recursive: true });
  const tools = preflight();
  const log = (l: string): void => console.error(l);
  const git = gitState();
  log(args.has('use-dist') ? 'using the existing dist/' : `building espy from src/ (${git.commit}${git.srcChanges > 0 ? ` + ${git.srcChanges} uncommitted files` : ''}) into ${path.relative(REPO_ROOT, outDir)}/espy-snapshot ...`);
  const build = buildEspy(outDir, args.has('use-dist'));
  const hosts = Number(args.get('hosts') ?? '8000');
  if (!Number.isInteger(hosts) || hosts < 0) fail('--hosts takes a whole number');
  if (args.has('hosts-only')) {
    const hostResults = await manyHosts(hosts || 8000, repeat, outDir, build.espy, log);
    writeFileSync(path.join(outDir, 'results-hosts.json'), JSON.stringify({ kind: 'espy-bench-hosts', v: 1, date: new Date().toISOString(), espy: { commit: git.commit, uncommittedSrcFiles: git.srcChanges, build: build.kind, srcSha256: build.srcSha256 }, ...hostResults }, null, 2) + '\n');
    return;
  }

  const meta = await generateCapture({ targetBytes, scenario: scenarioFromArgs(args), outDir, force: args.has('force'), log });
  const c = meta.counts;
  log(
    `capture: ${meta.frames} frames, ${meta.captureSeconds.toFixed(1)} s of traffic; ESP-in-UDP ${c.espUdp}, ESP ${c.espRaw}, IKEv2 ${c.ikev2}, IKEv1 ${c.ikev1}, ` +
      `keepalives ${c.keepalives}, background TCP ${c.backgroundTcp} / UDP ${c.backgroundUdp}; ${c.ikeSasStarted} IKE SAs started`,
  );
  const all = cases(meta, build.espy);
  for (const f of new Set(all.map((x) => fileOf(meta, x)))) await warm(f);

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 1048576),
    node: process.version,
    loadAverageAtStart: os.loadavg(),
    ...tools,
  };
  const runs: RunResult[] = [];
  const onlyProfile = args.has('profile-only');
  if (!onlyProfile) {
    for (let r = 1; r <= repeat; r++) {
      for (const x of all) {
        log(`run ${r}/${repeat}: ${x.label} ...`);
        const res = await measure(x, r, outDir);
        log(`  ${res.wallSeconds.toFixed(2)} s wall, ${(res.userSeconds + res.systemSeconds).toFixed(2)} s CPU, ${res.peakRssMB.toFixed(0)} MB peak RSS, other load ${res.otherLoadCores?.toFixed(2) ?? '?'} cores`);
        runs.push(res);
      }
    }
  }
  let profile: { summary: ProfileSummary; run: RunResult } | undefined;
  if (args.has('profile') || onlyProfile) {
    log('profiling espy analyze (pcap) with node --cpu-prof ...');
    profile = await profileAnalyze(meta, outDir, build);
  }

  const results: Record<string, unknown> = {
    kind: 'espy-bench',
    v: 1,
    date: new Date().toISOString(),
    espy: { commit: git.commit, uncommittedSrcFiles: git.srcChanges, build: build.kind, srcSha256: build.srcSha256 },
    machine,
    capture: { ...meta, files: Object.fromEntries(Object.entries(meta.files).map(([k, f]) => [k, path.relative(REPO_ROOT, f)])) },
    repeat,
    runs,
  };

  console.log('');
  console.log(
    `espy bench — ${formatSize(meta.targetBytes)} capture ${path.relative(REPO_ROOT, meta.files.pcap)} (${meta.frames} frames; pcapng ${((meta.bytes.pcapng ?? 0) / 1e6).toFixed(0)} MB, ` +
      `gzip ${((meta.bytes.gzip ?? 0) / 1e6).toFixed(0)} MB)`,
  );
  console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}; ${tools.tshark}; ${tools.tcpdump}; espy ${git.commit}${git.srcChanges > 0 ? ` + ${git.srcChanges} uncommitted src/ changes` : ''} (${build.kind}, src sha256 ${build.srcSha256.slice(0, 12)})`);
  if (!onlyProfile) {
    const summaries = new Map(all.map((x) => [x.id, summarise(meta, x, runs)] as const));
    const checks = targets(summaries);
    console.log(`median of ${repeat} run(s); "other load" = CPU used by other processes during the run, in cores (of ${machine.cpus})`);
    console.log('');
    console.log(
      table(
        ['command', 'wall s', 'CPU s', 'packets/s', 'MB/s', 'peak RSS MB', 'other load'],
        [...summaries.values()].map((s) => [
          s.label,
          s.wallSeconds.toFixed(2),
          s.cpuSeconds.toFixed(2),
          Math.round(s.packetsPerSecond).toLocaleString('en-US'),
          s.megabytesPerSecond.toFixed(1),
          s.peakRssMB.toFixed(0),
          s.otherLoadCores === undefined ? '?' : s.otherLoadCores.toFixed(2),
        ]),
        [false, true, true, true, true, true, true],
      ),
    );
    console.log('');
    console.log(
      table(
        ['target', 'measured', 'CPU-time ratio', 'goal', 'result'],
        checks.map((t) => [
          t.target,
          `${t.value.toFixed(2)}${t.unit === 'x' ? 'x' : ` ${t.unit}`}`,
          t.cpuValue === undefined ? '' : `${t.cpuValue.toFixed(2)}x`,
          t.goal,
          t.goal === '-' ? '' : t.pass ? 'PASS' : 'FAIL',
        ]),
        [false, true, true, false, false],
      ),
    );
    results['summary'] = [...summaries.values()];
    results['targets'] = checks;
    if (args.has('check') && checks.some((t) => !t.pass)) process.exitCode = 1;
  }
  if (profile) {
    const text = formatProfileSummary(profile.summary);
    console.log('');
    console.log(`profiled run: ${profile.run.wallSeconds.toFixed(2)} s wall, ${(profile.run.userSeconds + profile.run.systemSeconds).toFixed(2)} s CPU (profiling adds overhead)`);
    console.log(text);
    writeFileSync(path.join(outDir, 'profile-summary.txt'), text + '\n');
    results['profile'] = { ...profile.summary, profile: path.relative(REPO_ROOT, profile.summary.profile), run: profile.run };
  }
  if (hosts > 0 && !onlyProfile) results['hosts'] = await manyHosts(hosts, repeat, outDir, build.espy, log);
  // results.json is the latest run; results-<size>.json keeps the latest run of each size.
  const resultsFile = path.join(outDir, 'results.json');
  const bySize = path.join(outDir, `results-${formatSize(meta.targetBytes)}.json`);
  for (const f of [resultsFile, bySize]) writeFileSync(f, JSON.stringify(results, null, 2) + '\n');
  console.log('');
  console.log(`results: ${path.relative(REPO_ROOT, resultsFile)} (and ${path.basename(bySize)})`);
}

main().catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
