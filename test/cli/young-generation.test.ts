/**
 * capYoungGeneration stops V8's young generation from growing past the cap. V8 flags are
 * process-wide, so each case runs in a node of its own: it keeps many objects alive across
 * scavenges (which is what makes V8 grow the young generation) and prints the young
 * generation's size at the end.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/environment.js';

const MODULE = pathToFileURL(path.join(REPO_ROOT, 'dist', 'cli', 'young-generation.js')).href;
const MB = 1024 * 1024;

/** The young generation's size after a churn of surviving objects, with `capBytes` (0: no cap). */
function youngGenerationAfterChurn(capBytes: number): number {
  const script = `
    import { capYoungGeneration, youngGenerationBytes } from ${JSON.stringify(MODULE)};
    capYoungGeneration(${capBytes});
    const kept = [];
    // Yield between small rounds so the GC observer runs, as it does between capture chunks
    // (the cap is applied between event-loop turns: a long synchronous burst can grow past it).
    for (let round = 0; round < 2_000; round++) {
      for (let i = 0; i < 1_000; i++) kept.push({ round, i, text: 'x' + i });
      await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(youngGenerationBytes(), kept.length);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const [bytes, kept] = r.stdout.trim().split(' ').map(Number);
  expect(kept).toBe(2_000_000);
  return bytes!;
}

describe('capYoungGeneration', () => {
  it('without a cap, V8 grows the young generation past 4 MB on this churn (the control)', () => {
    expect(youngGenerationAfterChurn(0)).toBeGreaterThan(4 * MB);
  });

  it('with a 4 MB cap it stays at 4 MB at most', () => {
    const bytes = youngGenerationAfterChurn(4 * MB);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(4 * MB);
  });
});
