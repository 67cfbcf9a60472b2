import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { run } from '../src/cli/run.js';
import { memoryIo } from '../src/cli/io.js';
import { CORPUS, FIXTURES, capturesUnder, groundTruthMissing } from './support/environment.js';

const missing = groundTruthMissing({ corpus: true });
const malformed = [...capturesUnder(path.join(CORPUS, 'malformed')), ...capturesUnder(path.join(FIXTURES, 'malformed'))];

/**
 * The malformed corpus: every reproducer of a past dissector crash, loop or over-read must
 * decode without a decoder bug (and end: a hang fails the test's timeout; time bounds are in
 * `npm run soak`), in every output mode, and the problem must be
 * reported (an expert entry on some frame, or a one-line capture error with exit code 2).
 */
describe.skipIf(missing !== undefined)('malformed corpus: no crash, no hang, problem reported', () => {
  it.each(malformed.map((m) => [path.basename(m), m]))('%s', async (_name, capture) => {
    for (const mode of [['-V'], ['-T', 'json'], []]) {
      const io = memoryIo();
      const code = await run(['packets', capture, ...mode], io); // its time: `npm run soak`
      expect([0, 2]).toContain(code);
      const all = [...io.stdout, ...io.stderr].join('\n');
      expect(all).not.toMatch(/decoder\.bug|internal error|\n\s+at /);
      if (code === 2) expect(io.stderr).toHaveLength(1);
      if (mode[1] === 'json') {
        const records = io.stdout.map((l) => JSON.parse(l) as { expert: unknown[]; layers: { status: string }[] });
        const reported = records.some((r) => r.expert.length > 0 || r.layers.some((l) => l.status !== 'ok'));
        expect(reported || code === 2, 'the problem is reported').toBe(true);
      }
    }
  });
});
