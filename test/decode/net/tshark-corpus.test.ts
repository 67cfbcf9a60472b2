import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { CORPUS, IN_CI, capturesUnder, groundTruthMissing } from '../../support/environment.js';
import { compareWithTshark, NET_COMPARED_FIELDS } from './helpers/compare.js';

/**
 * Network-layer fields against tshark 4.0 on every corpus capture (not malformed/), decoded by the
 * network decoders alone (test/decode/net/helpers/net-loop.ts), frame by frame.
 */
const missing = groundTruthMissing({ exactTshark: true, corpus: true });

describe('tshark ground truth for the network decoders', () => {
  it.runIf(IN_CI)('has tshark and the shared corpus under CI', () => {
    expect(missing).toBeUndefined();
  });
});

const captures = capturesUnder(CORPUS, { exclude: [`${path.sep}malformed${path.sep}`] });

describe.skipIf(missing !== undefined)(`network fields match tshark on the corpus (${NET_COMPARED_FIELDS.length} fields)`, () => {
  it.each(captures.map((c) => [path.relative(CORPUS, c), c]))('%s', (key, capture) => {
    const r = compareWithTshark(capture, key);
    expect(r.unexplained.slice(0, 30), `${r.unexplained.length} unexplained differences over ${r.frames} frames`).toEqual([]);
  });
});
