/**
 * One mutation campaign through the whole CLI, shared by `npm test` (a fixed number of inputs,
 * test/fuzz/cli-mutation.test.ts) and `npm run soak` (a wall-time budget,
 * test/soak/cli-mutation.soak.ts): mutated copies of the inputs go through `espy packets -T json`,
 * `espy analyze --json` and one more view each, in process; the first problems (known open bugs
 * left out) are kept with the input saved.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../../src/cli/run.js';
import { memoryIo } from '../../../src/cli/io.js';
import { FIXTURES } from '../../support/environment.js';
import { MODES, checkRun, mutate, type Rng } from '../../../scripts/fuzz-engine.mjs';
import { withoutKnownBugs } from './known-bugs.js';

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  /** CPU seconds (user + system) of this process during the run. */
  readonly cpu: number;
}

/** espy in process, with the CPU it used. */
export async function espyInProcess(argv: readonly string[]): Promise<CliRun> {
  const io = memoryIo({ ESPY_DEBUG: '1' });
  const before = process.cpuUsage();
  const code = await run(argv, io);
  const cpu = process.cpuUsage(before);
  return { code, out: io.stdout, err: io.stderr, cpu: (cpu.user + cpu.system) / 1e6 };
}

export const argvFor = (mode: readonly string[], file: string): string[] => mode.map((a) => (a === 'FILE' ? file : a));

export interface CampaignOptions {
  readonly inputs: readonly { readonly file: string; readonly bytes: Uint8Array }[];
  readonly donors: readonly Uint8Array[];
  readonly rng: Rng;
  readonly seed: number;
  /** Where inputs and failures are written. */
  readonly work: string;
  /** Whether to try one more input (after `tried` of them). */
  readonly more: (tried: number) => boolean;
  /** Problems of a run beyond the engine's checks (the soak's CPU limit). */
  readonly extraProblems?: (mode: readonly string[], r: CliRun) => string[];
}

export async function cliMutationCampaign(o: CampaignOptions): Promise<{ tried: number; runs: number; failures: string[] }> {
  const failures: string[] = [];
  let tried = 0;
  let runs = 0;
  while (o.more(tried) && failures.length < 5) {
    const src = o.rng.pick(o.inputs);
    const m = mutate(src.bytes, o.rng, o.donors);
    const file = path.join(o.work, `input-${tried % 2}.pcap`);
    writeFileSync(file, m.bytes);
    for (const mode of [MODES[0]!, MODES[1]!, MODES[2 + o.rng.int(MODES.length - 2)]!]) {
      const argv = argvFor(mode, file);
      const r = await espyInProcess(argv);
      runs++;
      const problems = [...checkRun(argv, r.code, r.out, r.err).map((p: string) => `espy ${mode.join(' ')}: ${p}\n${r.err.join('\n')}`), ...(o.extraProblems?.(mode, r) ?? [])];
      const left = withoutKnownBugs(problems);
      if (left.length) {
        const saved = path.join(o.work, `failure-${failures.length + 1}.pcap`);
        writeFileSync(saved, m.bytes);
        failures.push(`${left[0]!.split('\n').slice(0, 4).join(' | ')}\n  source ${path.relative(FIXTURES, src.file)}, mutation ${m.description}, seed ${o.seed}, input #${tried + 1}, saved ${saved}`);
        break;
      }
    }
    tried++;
  }
  return { tried, runs, failures };
}
