import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { run } from '../src/cli/run.js';
import { memoryIo } from '../src/cli/io.js';
import { SUPPORTED_FIELDS } from '../src/output/fields.js';
import { CORPUS, FIXTURES, IN_CI, PINNED_TSHARK, REPO_ROOT, capturesUnder, groundTruthMissing, tshark } from './support/environment.js';
import { isKnownDifference, loadKnownDifferences } from './support/tshark-differences.js';

const missing = groundTruthMissing({ exactTshark: true, corpus: true });

describe('tshark environment', () => {
  it.runIf(IN_CI)('has tshark and the shared corpus under CI', () => {
    expect(missing).toBeUndefined();
  });
});

const captures = [
  ...capturesUnder(FIXTURES, { exclude: [`${path.sep}malformed${path.sep}`, `${path.sep}capture${path.sep}`] }),
  ...capturesUnder(CORPUS, { exclude: [`${path.sep}malformed${path.sep}`] }),
];

const fieldArgs = SUPPORTED_FIELDS.flatMap((f) => ['-e', f]);

describe.skipIf(missing !== undefined)(`-T fields matches tshark ${PINNED_TSHARK} byte for byte (${SUPPORTED_FIELDS.length} fields)`, () => {
  const known = loadKnownDifferences();
  const keyOf = (c: string): string => (c.startsWith(CORPUS) ? path.relative(CORPUS, c) : path.relative(REPO_ROOT, c));
  it.each(captures.map((c) => [keyOf(c), c]))('%s', async (captureKey, capture) => {
    const expected = tshark(capture, ['-T', 'fields', '-E', 'header=y', ...fieldArgs]).replace(/\n$/, '').split('\n');
    const io = memoryIo();
    const code = await run(['packets', capture, '-T', 'fields', '-E', 'header=y', ...fieldArgs], io);
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout.length).toBe(expected.length);
    const unexplained: string[] = [];
    for (let i = 1; i < expected.length; i++) {
      const want = expected[i]!.split('\t');
      const got = io.stdout[i]!.split('\t');
      SUPPORTED_FIELDS.forEach((field, j) => {
        const d = { capture: captureKey, frame: i, field, tshark: want[j] ?? '', espy: got[j] ?? '' };
        if (d.tshark !== d.espy && !isKnownDifference(known, d)) unexplained.push(`frame ${i} ${field}: tshark '${d.tshark}' espy '${d.espy}'`);
      });
    }
    expect(unexplained.slice(0, 40), `${unexplained.length} unexplained differences in ${captureKey}`).toEqual([]);
  });
});
