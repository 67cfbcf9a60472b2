/**
 * `npm run soak`: mutation fuzzing of the whole CLI for ESPY_FUZZ_SECONDS (default 60) of wall
 * time, with a CPU limit per CLI run (a run using 5 s of CPU on a small capture is a hang in the
 * making). `npm test` runs the same engine for a fixed number of inputs without the CPU limit
 * (test/fuzz/cli-mutation.test.ts); the long run is `npm run fuzz -- --minutes N`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CORPUS, FIXTURES, REPO_ROOT } from '../support/environment.js';
import { createRng, listCaptures, packetsOf } from '../../scripts/fuzz-engine.mjs';
import { KNOWN_BUGS } from '../fuzz/support/known-bugs.js';
import { cliMutationCampaign } from '../fuzz/support/cli-campaign.js';

const SECONDS = Number(process.env['ESPY_FUZZ_SECONDS'] ?? '60');
const SEED = Number(process.env['ESPY_FUZZ_SEED'] ?? String(Date.now() % 1_000_000_007));
/** A single CLI run using this much CPU on a small capture is a hang in the making. */
const CPU_LIMIT_S = 5;
const work = mkdtempSync(path.join(tmpdir(), 'espy-soak-cli-'));

describe('mutation fuzzing through the CLI, time-bounded', () => {
  const open = new Set([...KNOWN_BUGS.map((b) => path.join(REPO_ROOT, b.reproducer)), path.join(FIXTURES, 'malformed', 'analysis-many-sas-quadratic.pcap.gz')]);
  const inputs = listCaptures([FIXTURES, CORPUS]).filter((f) => !open.has(f)).map((f) => ({ file: f, bytes: readFileSync(f) }));
  const donors = inputs.flatMap((i) => packetsOf(i.bytes)).filter((p) => p.length > 0 && p.length < 4096);

  it(`mutated captures for ${SECONDS} s: exit codes, no internal error, clean output, under ${CPU_LIMIT_S} s of CPU per run`, async () => {
    expect(inputs.length).toBeGreaterThan(0);
    const deadline = Date.now() + SECONDS * 1000;
    const { tried, runs, failures } = await cliMutationCampaign({
      inputs, donors, rng: createRng(SEED), seed: SEED, work,
      more: () => Date.now() < deadline,
      extraProblems: (mode, r) => (r.cpu > CPU_LIMIT_S ? [`espy ${mode.join(' ')}: ${r.cpu.toFixed(1)} s of CPU`] : []),
    });
    console.log(`cli mutation soak: ${tried} inputs, ${runs} CLI runs in ${SECONDS} s (seed ${SEED}, replay with ESPY_FUZZ_SEED), ${inputs.length} captures`);
    expect(failures).toEqual([]);
  }, (SECONDS + 120) * 1000);
});
