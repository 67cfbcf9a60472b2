#!/usr/bin/env node
// Long mutation fuzzing of the whole CLI against dist/ (built by `npm ci` / `npm run build`):
//
//   npm run fuzz -- --minutes 10 [--jobs 2] [--timeout 5] [--out DIR] [--seed N] [--corpus DIR]...
//
// Every capture under fixtures/ and ../shared/corpus/ (when present) is mutated (see
// scripts/fuzz-engine.mjs) and run through `espy packets` (-T json, summary, -V, -T fields) and
// `espy analyze` (--json, --ndjson, text) in worker threads. A run that breaks the oracle
// (exit code, internal error, decoder bug, raw control characters, invalid JSON), takes longer
// than the per-input timeout, or runs out of its heap (512 MB) is saved with a .txt report,
// then reduced to a single packet when one packet suffices. Exit code 1 when anything was found.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { MODES, checkRun, createRng, knownBug, listCaptures, mutate, packetsOf, parseCapture, writeCapture } from './fuzz-engine.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEAP_MB = 512;

// ------------------------------------------------------------------------------- worker

async function workerMain() {
  const { run } = await import(pathToFileURL(path.join(ROOT, 'dist/cli/run.js')).href);
  const { memoryIo } = await import(pathToFileURL(path.join(ROOT, 'dist/cli/io.js')).href);
  parentPort.on('message', async ({ id, file, modes }) => {
    const results = [];
    for (const m of modes) {
      parentPort.postMessage({ id, starting: m });
      const argv = MODES[m].map((a) => (a === 'FILE' ? file : a));
      const io = memoryIo({ ESPY_DEBUG: '1' });
      const started = performance.now();
      const code = await run(argv, io);
      const ms = performance.now() - started;
      const problems = checkRun(argv, code, io.stdout, io.stderr);
      results.push({ mode: m, code, ms, problems, stderr: io.stderr.slice(0, 12) });
      if (problems.length) break;
    }
    parentPort.postMessage({ id, results });
  });
  parentPort.postMessage({ ready: true });
}

// ------------------------------------------------------------------------------- main

function parseArgs(argv) {
  // The 6000-packet resource reproducer would slow every input it is picked for without
  // exercising any new parser path; --exclude '' puts it back.
  const o = { seconds: 60, jobs: Math.max(1, availableParallelism()), timeout: 5, out: undefined, seed: Date.now() % 2 ** 31, corpus: [], quiet: false, exclude: ['analysis-many-sas-quadratic'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--minutes') o.seconds = Number(v()) * 60;
    else if (a === '--seconds') o.seconds = Number(v());
    else if (a === '--jobs') o.jobs = Number(v());
    else if (a === '--timeout') o.timeout = Number(v());
    else if (a === '--out') o.out = v();
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--corpus') o.corpus.push(v());
    else if (a === '--exclude') o.exclude = v().split(',').filter(Boolean);
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run fuzz -- [--minutes N | --seconds N] [--jobs N] [--timeout SECONDS] [--out DIR] [--seed N] [--corpus DIR]... [--exclude NAME,...]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!(o.seconds > 0) || !(o.jobs >= 1) || !(o.timeout > 0)) throw new Error('--minutes/--seconds, --jobs and --timeout take positive numbers');
  return o;
}

function signatureOf(kind, mode, problem) {
  const text = `${kind}|${MODES[mode]?.filter((a) => a !== 'FILE').join(' ') ?? ''}|${problem.replace(/\d+/g, 'N').replace(/\/[^\s:)]+/g, 'P')}`;
  return { text, hash: createHash('sha1').update(text).digest('hex').slice(0, 10) };
}

class Pool {
  constructor(jobs, timeoutMs, onResult, onFailure) {
    this.timeoutMs = timeoutMs;
    this.onResult = onResult;
    this.onFailure = onFailure;
    this.slots = Array.from({ length: jobs }, (_, i) => ({ i, worker: undefined, busy: undefined }));
  }
  async start() {
    await Promise.all(this.slots.map((s) => this.spawn(s)));
  }
  spawn(slot) {
    return new Promise((resolve) => {
      const w = new Worker(fileURLToPath(import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
      slot.worker = w;
      w.on('message', (msg) => {
        if (msg.ready) return resolve();
        const job = slot.busy;
        if (!job || job.id !== msg.id) return;
        if (msg.starting !== undefined) {
          // The timeout is per CLI run: restart it for each mode.
          job.mode = msg.starting;
          clearTimeout(job.timer);
          job.timer = setTimeout(() => this.fail(slot, 'hang', `no answer within ${this.timeoutMs} ms`), this.timeoutMs);
          return;
        }
        clearTimeout(job.timer);
        slot.busy = undefined;
        this.onResult(job, msg.results);
        job.done();
      });
      w.on('error', (e) => this.fail(slot, 'crash', String(e?.code ?? e?.message ?? e)));
      w.on('exit', (code) => {
        if (slot.worker === w && slot.busy) this.fail(slot, 'crash', `worker exited with code ${code}`);
      });
    });
  }
  fail(slot, kind, why) {
    const job = slot.busy;
    if (!job) return;
    clearTimeout(job.timer);
    slot.busy = undefined;
    const old = slot.worker;
    slot.worker = undefined;
    old?.removeAllListeners('exit');
    void old?.terminate();
    this.onFailure(job, kind, why);
    void this.spawn(slot).then(() => job.done());
  }
  /** Runs `job` on a free worker; resolves when it finished (or failed). */
  run(slot, job) {
    return new Promise((resolve) => {
      job.done = resolve;
      slot.busy = job;
      job.timer = setTimeout(() => this.fail(slot, 'hang', `no answer within ${this.timeoutMs} ms`), this.timeoutMs);
      slot.worker.postMessage({ id: job.id, file: job.file, modes: job.modes });
    });
  }
  async stop() {
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${e.message}`);
    process.exit(2);
  }
  if (!existsSync(path.join(ROOT, 'dist/cli/run.js'))) {
    console.error('fuzz: dist/ is missing: run `npm run build` (npm ci does it) first');
    process.exit(2);
  }
  const roots = [path.join(ROOT, 'fixtures'), path.resolve(ROOT, '..', 'shared', 'corpus'), ...o.corpus];
  const files = listCaptures(roots).filter((f) => !o.exclude.some((x) => f.includes(x)));
  if (files.length === 0) {
    console.error(`fuzz: no captures under ${roots.join(', ')}`);
    process.exit(2);
  }
  const inputs = files.map((f) => ({ file: f, bytes: readFileSync(f) }));
  const donors = inputs.flatMap((i) => packetsOf(i.bytes)).filter((p) => p.length > 0 && p.length < 4096);
  const outDir = o.out ?? path.join(tmpdir(), `espy-fuzz-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'espy-fuzz-work-'));
  const rng = createRng(o.seed);
  const findings = new Map();
  const timeouts = [];
  const slow = [];
  let tried = 0;
  let slowest = { ms: 0, what: '' };

  const record = (job, kind, mode, problem, detail) => {
    const sig = signatureOf(kind, mode, problem);
    let f = findings.get(sig.hash);
    if (!f) {
      const known = knownBug(`${problem}\n${detail ?? ''}`)?.id;
      f = { ...sig, kind, mode, problem, known, count: 0, saved: [], source: job.source, description: job.description, bytes: job.bytes, detail };
      findings.set(sig.hash, f);
    }
    f.count++;
    if (f.saved.length < 3) {
      const base = path.join(outDir, `${kind}-${sig.hash}-${f.saved.length + 1}`);
      writeFileSync(`${base}.pcap`, job.bytes);
      writeFileSync(`${base}.txt`, `${kind}: ${problem}\nmode: espy ${MODES[mode]?.join(' ') ?? '(all)'}\nsource: ${job.source}\nmutation: ${job.description}\n\n${detail ?? ''}\n`);
      f.saved.push(`${base}.pcap`);
      console.log(`\nfuzz: ${f.known ? `known bug ${f.known}: ` : ''}${kind} in ${MODES[mode]?.filter((a) => a !== 'FILE').join(' ') ?? 'a worker'}: ${problem}\n      saved ${base}.pcap`);
    }
  };

  const pool = new Pool(
    o.jobs,
    o.timeout * 1000,
    (job, results) => {
      for (const r of results) {
        if (r.ms > slowest.ms) slowest = { ms: r.ms, what: `${path.basename(job.source)} ${MODES[r.mode].filter((a) => a !== 'FILE').join(' ')}` };
        // One finding per run, named by its most telling problem (the stderr line, when there is one).
        if (r.problems.length) record(job, 'crash', r.mode, r.problems.find((p) => p.startsWith('stderr:')) ?? r.problems[0], `${r.problems.join('\n')}\n\n${r.stderr.join('\n')}`);
      }
    },
    (job, kind, why) => {
      // A timeout on a busy machine is not yet a hang: it is checked again at the end.
      if (kind === 'hang') timeouts.push(job);
      else record(job, kind === 'crash' && /OUT_OF_MEMORY/.test(why) ? 'oom' : kind, job.mode, why);
    },
  );
  await pool.start();

  // Sanity: an unmutated sample must pass every mode, or the oracle would be testing nothing
  // (an option renamed in the CLI makes every run a usage error, which looks like exit 2).
  const sample = inputs.find((i) => i.file.endsWith(path.join('public', 'isakmp4500.pcap'))) ?? inputs[0];
  let sane = true;
  const saneFile = path.join(work, 'sanity.pcap');
  writeFileSync(saneFile, sample.bytes);
  const keep = [pool.onResult, pool.onFailure];
  pool.onResult = (_j, results) => {
    for (const r of results) {
      if (r.code === 0 && r.problems.length === 0) continue;
      sane = false;
      console.error(`fuzz: sanity run failed: espy ${MODES[r.mode].join(' ')} -> exit ${r.code} ${r.problems.join('; ')} ${r.stderr.join(' | ')}`);
    }
  };
  pool.onFailure = (_j, kind, why) => ((sane = false), console.error(`fuzz: sanity run failed: ${kind} ${why}`));
  await pool.run(pool.slots[0], { id: 0, file: saneFile, modes: MODES.map((_, i) => i), source: sample.file, description: 'sanity', bytes: sample.bytes });
  [pool.onResult, pool.onFailure] = keep;
  if (!sane) {
    await pool.stop();
    process.exit(2);
  }

  const deadline = Date.now() + o.seconds * 1000;
  const started = Date.now();
  let lastReport = started;
  console.log(`fuzz: ${inputs.length} captures, ${o.jobs} workers, ${o.seconds} s, per-input timeout ${o.timeout} s, seed ${o.seed}, findings in ${outDir}`);
  let id = 0;
  await Promise.all(
    pool.slots.map(async (slot) => {
      const file = path.join(work, `input-${slot.i}.pcap`);
      while (Date.now() < deadline) {
        const src = rng.pick(inputs);
        const m = mutate(src.bytes, rng, donors);
        writeFileSync(file, m.bytes);
        // Every input gets packets -T json and analyze --json, plus one other view in turn.
        const modes = [0, 1, 2 + rng.int(MODES.length - 2)];
        await pool.run(slot, { id: ++id, file, modes, source: path.relative(ROOT, src.file), description: m.description, bytes: m.bytes });
        tried++;
        if (!o.quiet && Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          const s = (lastReport - started) / 1000;
          process.stdout.write(`fuzz: ${tried} inputs in ${s.toFixed(0)} s (${(tried / s).toFixed(1)}/s), ${findings.size} distinct finding(s)\n`);
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  await recheckTimeouts(pool, timeouts, work, record, slow);
  await minimize(pool, findings, work, outDir);
  await pool.stop();
  rmSync(work, { recursive: true, force: true });

  console.log(`\nfuzz: ${tried} inputs in ${elapsed.toFixed(0)} s (${(tried / elapsed).toFixed(1)} inputs/s, ${tried * 3} CLI runs), seed ${o.seed}`);
  console.log(`fuzz: slowest single run ${slowest.ms.toFixed(0)} ms (${slowest.what})`);
  for (const s of slow) console.log(`fuzz: slow, not hung (timed out once, finished in ${s.ms.toFixed(0)} ms when run again): ${s.source} ${s.what}`);
  if (findings.size === 0) {
    console.log('fuzz: nothing found');
    return;
  }
  const fresh = [...findings.values()].filter((f) => !f.known);
  console.log(`fuzz: ${findings.size} distinct finding(s), ${fresh.length} new (not in KNOWN_BUGS), saved under ${outDir}:`);
  for (const f of findings.values()) console.log(`  [${f.kind}]${f.known ? ` known ${f.known}` : ' NEW'} x${f.count} ${f.text}\n      e.g. ${f.saved[0]}${f.minimized ? `\n      one packet: ${f.minimized}` : ''}`);
  if (fresh.length) process.exitCode = 1;
}

/**
 * Runs each input that timed out again, alone, with three times the timeout: only a second
 * timeout is reported as a hang; an input that finishes is listed as slow.
 */
async function recheckTimeouts(pool, timeouts, work, record, slow) {
  const slot = pool.slots[0];
  const keep = [pool.onResult, pool.onFailure, pool.timeoutMs];
  pool.timeoutMs *= 3;
  for (const job of timeouts.slice(0, 10)) {
    const file = path.join(work, 'recheck.pcap');
    writeFileSync(file, job.bytes);
    const again = { ...job, id: -2, file, modes: [job.mode ?? 0] };
    pool.onResult = (_j, results) => {
      for (const r of results) {
        if (r.problems.length) record(job, 'crash', r.mode, r.problems.find((p) => p.startsWith('stderr:')) ?? r.problems[0], r.stderr.join('\n'));
        else slow.push({ ms: r.ms, source: job.source, what: MODES[r.mode].filter((a) => a !== 'FILE').join(' ') });
      }
    };
    pool.onFailure = (_j, kind, why) => record(job, kind === 'hang' ? 'hang' : kind, job.mode, `${why} (twice)`);
    await pool.run(slot, again);
  }
  [pool.onResult, pool.onFailure, pool.timeoutMs] = keep;
}

/** Tries each packet of a finding's input alone; keeps the first that still shows the problem. */
async function minimize(pool, findings, work, outDir) {
  const slot = pool.slots[0];
  for (const f of findings.values()) {
    if (f.kind !== 'crash' || f.mode === undefined || !slot.worker) continue;
    const model = parseCapture(Buffer.from(f.bytes));
    const packets = model.parts.filter((p) => !(p instanceof Uint8Array));
    if (packets.length < 2) continue;
    const file = path.join(work, 'minimize.pcap');
    for (const p of packets.slice(0, 300)) {
      const single = { kind: model.kind, parts: model.parts.filter((q) => q === p || (q instanceof Uint8Array && model.parts.indexOf(q) < model.parts.indexOf(p))) };
      const bytes = writeCapture(single);
      writeFileSync(file, bytes);
      let hit = false;
      const probe = { id: -1, file, modes: [f.mode], source: f.source, description: 'minimize', bytes };
      const before = pool.onResult;
      const beforeFail = pool.onFailure;
      pool.onResult = (_j, results) => (hit = results.some((r) => r.problems.some((x) => signatureOf('crash', r.mode, x).hash === f.hash)));
      pool.onFailure = (_j, kind, why) => (hit = signatureOf(kind, f.mode, why).hash === f.hash);
      await pool.run(slot, probe);
      pool.onResult = before;
      pool.onFailure = beforeFail;
      if (hit) {
        f.minimized = path.join(outDir, `${f.kind}-${f.hash}-min.pcap`);
        writeFileSync(f.minimized, bytes);
        break;
      }
    }
  }
}

if (!isMainThread) await workerMain();
else await main();
