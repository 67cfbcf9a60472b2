import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards, not speed limits: no test may depend on how fast the machine is or how busy
    // (the slowest test takes ~15 s on an idle 2-core machine; a loaded one is 3-4x slower).
    // Timing and soak checks are `npm run soak` (vitest.soak.config.ts).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest's default is one worker less than the cores: one worker on a 2-core machine. Much of
    // the suite waits on child processes (espy's CLI, tshark, Chromium), so two workers keep both
    // cores busy there; no test depends on how busy the machine is (see the timeouts above).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Prints the tshark version once and hands it to the workers (test/support/tshark.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // The JSON results let .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest-results.json' }]],
  },
});
