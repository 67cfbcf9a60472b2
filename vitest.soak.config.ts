import { defineConfig } from 'vitest/config';

/**
 * `npm run soak`: the checks that depend on time or machine speed (CPU limits, cost ratios, a
 * time-bounded fuzzing run) or are too heavy for every `npm test` (a 10^6-SA flood). Not part of
 * `npm test` or CI; run them on a quiet machine, after `npm run build` (several run bin/espy.js).
 * One file at a time, so that the timed runs do not compete with each other.
 */
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
