/**
 * `espy verify` output is streamed (src/output/verify-json.ts, verify-text.ts): the pieces join
 * to exactly the document the whole report gives, and no piece is large.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { DEFAULT_DECODE_CONFIG } from '../../src/decode/layer.js';
import { verifyCapture, DEFAULT_VERIFY_OPTIONS } from '../../src/verify/verify.js';
import { materializeVerifyReport, type VerifyResult } from '../../src/verify/report.js';
import { jsonParts, verifyJsonParts, verifyToJson } from '../../src/output/verify-json.js';
import { renderVerifyText, verifyTextLines } from '../../src/output/verify-text.js';
import { safeJson } from '../../src/output/json.js';
import { FIXTURES, capturesUnder } from '../support/environment.js';
import { createRng } from '../../scripts/fuzz-engine.mjs';

async function verify(capture: string, strict = false): Promise<VerifyResult> {
  return verifyCapture(capture, DEFAULT_DECODE_CONFIG, { ...DEFAULT_VERIFY_OPTIONS, strict, natdSearchHashes: 0 });
}

describe('verify output in pieces', () => {
  const captures = [...capturesUnder(path.join(FIXTURES, 'lab')), ...capturesUnder(path.join(FIXTURES, 'public'))];

  it.each(captures.map((c) => [path.relative(FIXTURES, c), c]))('%s: JSON pieces join to the whole document; text lines equal the whole text', async (_name, capture) => {
    for (const strict of [false, true]) {
      const result = await verify(capture, strict);
      const whole = materializeVerifyReport(result);
      expect(whole.implementations.length).toBeGreaterThan(0);
      expect([...verifyJsonParts(result)].join('')).toBe(verifyToJson(whole));
      // Iterating again builds the same implementations again.
      expect([...verifyJsonParts(result)].join('')).toBe(verifyToJson(whole));
      expect([...verifyTextLines(result, { color: false })]).toEqual(renderVerifyText(whole, { color: false }));
    }
  });

  it('2000 peers (one responder in 2000 SAs): same document, no piece over 256 KB', async () => {
    const result = await verify(path.join(FIXTURES, 'malformed', 'analysis-many-sas-quadratic.pcap.gz'));
    expect(result.summary.implementations).toBe(2001);
    const parts = [...verifyJsonParts(result)];
    expect(parts.join('')).toBe(verifyToJson(materializeVerifyReport(result)));
    const largest = Math.max(...parts.map((p) => p.length));
    expect(largest, `largest piece ${largest} chars of ${parts.reduce((n, p) => n + p.length, 0)}`).toBeLessThan(256 * 1024);
  });

  it('jsonParts joins to safeJson on random nested data (large arrays, objects holding them, undefined members)', () => {
    const rng = createRng(11);
    const leaf = (): unknown => rng.pick([0, 1.5, -3, 'a', 'é→\u0085\u2028', '', true, false, null, undefined, [], {}]);
    // At most one large array on any path (3000-6000 elements), so a value stays a few MB.
    const value = (depth: number, large: boolean): unknown => {
      if (depth === 0 || rng.chance(0.3)) return leaf();
      if (rng.chance(0.5)) {
        const big = large && rng.chance(0.3);
        return Array.from({ length: big ? 3000 + rng.int(3000) : rng.int(12) }, () => value(depth - 1, large && !big));
      }
      return Object.fromEntries(Array.from({ length: rng.int(8) }, (_, i) => [`k${i}${rng.pick(['', '"', '\\'])}`, value(depth - 1, large)]));
    };
    let opened = 0;
    for (let i = 0; i < 40; i++) {
      const v = value(5, true);
      const parts = [...jsonParts(v)];
      if (parts.length > 1) opened++;
      expect(parts.join(''), `value ${i}`).toBe(safeJson(v));
    }
    expect(opened, 'values written in more than one piece').toBeGreaterThan(5);
  });
});
