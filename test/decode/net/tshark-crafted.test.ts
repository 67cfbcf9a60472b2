import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IN_CI, groundTruthMissing } from '../../support/environment.js';
import { compareWithTshark } from './helpers/compare.js';
import { craftedCaptures } from './helpers/crafted.js';
import { writePcap } from './helpers/mini-pcap.js';

/**
 * Edge cases the corpus lacks (every UDP 4500 classification, fragments, bogus headers, snapped
 * frames, ICMP errors, extension headers, every link type, tunnels), built with the packet
 * builders, written as pcaps and compared with tshark 4.0 field by field.
 */
const missing = groundTruthMissing({ exactTshark: true });

describe('crafted captures', () => {
  it.runIf(IN_CI)('have tshark under CI', () => {
    expect(missing).toBeUndefined();
  });
});

describe.skipIf(missing !== undefined)('network fields match tshark on crafted captures', () => {
  const dir = path.join(os.tmpdir(), `espy-net-crafted-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each(craftedCaptures().map((c) => [c.file, c] as const))('crafted/%s', (file, capture) => {
    const p = path.join(dir, file);
    writeFileSync(p, writePcap(capture.linkType, capture.cases.map((k) => k.frame)));
    const r = compareWithTshark(p, `crafted/${file}`);
    const named = r.unexplained.map((u) => {
      const n = /^frame (\d+)/.exec(u);
      return n ? `${u}  [${capture.cases[Number(n[1]) - 1]?.name}]` : u;
    });
    expect(named.slice(0, 40), `${r.unexplained.length} unexplained differences over ${r.frames} frames`).toEqual([]);
  });
});
