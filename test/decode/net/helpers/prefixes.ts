import { expect } from 'vitest';
import type { DecodeConfig } from '../../../../src/decode/layer.js';
import { DEFAULT_DECODE_CONFIG } from '../../../../src/decode/layer.js';
import { decodeNet, frameOf, newState } from './net-loop.js';

/**
 * Decodes every prefix of `frame`, once as a snapped capture (original length = the whole frame)
 * and once as a frame that really ended there. Nothing may throw; statuses stay in the three
 * allowed values; a snapped prefix of a well-formed frame is never 'malformed' and carries at
 * most one truncation note; trees and field extraction must not throw either.
 */
export function expectEveryPrefixDecodes(frame: Uint8Array, linkType = 1, config: DecodeConfig = DEFAULT_DECODE_CONFIG): void {
  const whole = decodeNet(frameOf(frame, { linkType }), config, newState(config));
  const wellFormed = whole.layers.every((l) => l.status === 'ok');
  for (let n = 0; n <= frame.length; n++) {
    const cut = frame.subarray(0, n);
    for (const snapped of [true, false]) {
      const p = decodeNet(frameOf(cut, { linkType, originalLength: snapped ? frame.length : n }), config, newState(config));
      for (const l of p.layers) expect(['ok', 'truncated', 'malformed']).toContain(l.status);
      if (snapped && n < frame.length) {
        expect(p.expert.filter((e) => e.id === 'frame.truncated').length, `prefix ${n}`).toBeLessThanOrEqual(1);
        if (wellFormed) {
          expect(p.layers.map((l) => l.status), `prefix ${n} of a well-formed frame`).not.toContain('malformed');
          expect(p.expert.filter((e) => e.id.endsWith('.short') || e.id.endsWith('_invalid')), `prefix ${n}`).toEqual([]);
        }
      }
    }
  }
}
