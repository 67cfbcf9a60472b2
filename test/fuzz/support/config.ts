/**
 * How hard the property tests push. CI uses the defaults (the whole fuzz folder stays well under a
 * minute on two cores); `ESPY_FUZZ_SCALE=20 npx vitest run test/fuzz` runs twenty times as many
 * cases, and `ESPY_FUZZ_SEED=N` replays a run (fast-check prints the seed of a failure).
 */
const scale = Number(process.env['ESPY_FUZZ_SCALE'] ?? '1');
const seed = process.env['ESPY_FUZZ_SEED'];

/** Test timeout (a hang guard, as vitest.config.ts's default of 5 minutes) that grows with the scale. */
export const FUZZ_TIMEOUT = 300_000 * Math.max(1, Number.isFinite(scale) && scale > 0 ? scale : 1);

export function fcOptions(numRuns: number): { numRuns: number; seed?: number; endOnFailure: boolean } {
  return { numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))), endOnFailure: false, ...(seed ? { seed: Number(seed) } : {}) };
}
