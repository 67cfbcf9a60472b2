/**
 * `npm run soak`: mutation fuzzing of the whole CLI for ESPY_FUZZ_SECONDS (default 60) of wall
 * time, with a CPU limit per CLI run (a run using 5 s of CPU on a small capture is a hang in the
 * making). `npm test` runs the same engine for a fixed number of inputs without the CPU limit
 * (test/fuzz/cli-mutation.test.ts); the long run is `npm run fuzz -- --minutes N`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { CORPUS, FIXTURES, REPO_ROOT } from '../support/environment.js';
import { MODES, checkRun, createRng, listCaptures, mutate, packetsOf } from '../../scripts/fuzz-engine.mjs';
import { KNOWN_BUGS, withoutKnownBugs } from '../fuzz/support/known-bugs.js';

const SECONDS = Number(process.env['ESPY_FUZZ_SECONDS'] ?? '60');
const SEED = Number(process.env['ESPY_FUZZ_SEED'] ?? String(Date.now() % 1_000_000_007));
/** A single CLI run using this much CPU on a small capture is a hang in the making. */
const CPU_LIMIT_S = 5;
const work = mkdtempSync(path.join(tmpdir(), 'espy-soak-cli-'));

async function espy(argv: readonly string[]) {
  const io = memoryIo({ ESPY_DEBUG: '1' });
  const before = process.cpuUsage();
  const code = await run(argv, io);
  const cpu = process.cpuUsage(before);
  return { code, out: io.stdout, err: io.stderr, cpu: (cpu.user + cpu.system) / 1e6 };
}

const argvFor = (mode: readonly string[], file: string) => mode.map((a) => (a === 'FILE' ? file : a));

describe('mutation fuzzing through the CLI, time-bounded', () => {
  const open = new Set([...KNOWN_BUGS.map((b) => path.join(REPO_ROOT, b.reproducer)), path.join(FIXTURES, 'malformed', 'analysis-many-sas-quadratic.pcap.gz')]);
  const inputs = listCaptures([FIXTURES, CORPUS]).filter((f) => !open.has(f)).map((f) => ({ file: f, bytes: readFileSync(f) }));
  const donors = inputs.flatMap((i) => packetsOf(i.bytes)).filter((p) => p.length > 0 && p.length < 4096);

  it(`mutated captures for ${SECONDS} s: exit codes, no internal error, clean output, under ${CPU_LIMIT_S} s of CPU per run`, async () => {
    expect(inputs.length).toBeGreaterThan(0);
    const rng = createRng(SEED);
    const deadline = Date.now() + SECONDS * 1000;
    const failures: string[] = [];
    let tried = 0;
    let runs = 0;
    while (Date.now() < deadline && failures.length < 5) {
      const src = rng.pick(inputs);
      const m = mutate(src.bytes, rng, donors);
      const file = path.join(work, `input-${tried % 2}.pcap`);
      writeFileSync(file, m.bytes);
      for (const mode of [MODES[0]!, MODES[1]!, MODES[2 + rng.int(MODES.length - 2)]!]) {
        const argv = argvFor(mode, file);
        const r = await espy(argv);
        runs++;
        const problems = checkRun(argv, r.code, r.out, r.err).map((p) => `espy ${mode.join(' ')}: ${p}\n${r.err.join('\n')}`);
        if (r.cpu > CPU_LIMIT_S) problems.push(`espy ${mode.join(' ')}: ${r.cpu.toFixed(1)} s of CPU`);
        const left = withoutKnownBugs(problems);
        if (left.length) {
          const saved = path.join(work, `failure-${failures.length + 1}.pcap`);
          writeFileSync(saved, m.bytes);
          failures.push(`${left[0]!.split('\n').slice(0, 4).join(' | ')}\n  source ${path.relative(FIXTURES, src.file)}, mutation ${m.description}, seed ${SEED}, input #${tried + 1}, saved ${saved}`);
          break;
        }
      }
      tried++;
    }
    console.log(`cli mutation soak: ${tried} inputs, ${runs} CLI runs in ${SECONDS} s (seed ${SEED}, replay with ESPY_FUZZ_SEED), ${inputs.length} captures`);
    expect(failures).toEqual([]);
  }, (SECONDS + 120) * 1000);
});
