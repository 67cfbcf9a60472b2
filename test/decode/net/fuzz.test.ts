import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_CONFIG, type DecodeConfig } from '../../../src/decode/layer.js';
import { craftedCaptures } from './helpers/crafted.js';
import { decodeNet, fieldValues, frameOf, infoOf, newState, treeText } from './helpers/net-loop.js';
import { NET_COMPARED_FIELDS } from './helpers/compare.js';

/** xorshift32: deterministic, so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const LINK_TYPES = [0, 1, 9, 12, 101, 108, 113, 228, 229, 276];
const TINY: DecodeConfig = { ...DEFAULT_DECODE_CONFIG, reassembly: { maxDatagramBytes: 2048, maxTotalBytes: 8192, maxDatagrams: 4, timeoutSeconds: 5 } };

const STATUSES = new Set(['ok', 'truncated', 'malformed']);

function exercise(data: Uint8Array, linkType: number, config: DecodeConfig, state = newState(config), originalLength = data.length, number = 1, describe = true): void {
  const p = decodeNet(frameOf(data, { linkType, originalLength, number, time: 1_700_000_000 + number / 10 }), config, state);
  for (const l of p.layers) if (!STATUSES.has(l.status)) expect.fail(`status ${l.status}`);
  if (p.expert.filter((e) => e.id === 'frame.truncated').length > 1) expect.fail('more than one truncation note');
  if (!describe) return;
  treeText(p);
  infoOf(p);
  fieldValues(p, NET_COMPARED_FIELDS);
}

const CRAFTED = craftedCaptures();

describe('hostile input never throws', () => {
  it('every prefix of every crafted frame, snapped and not', () => {
    for (const cap of CRAFTED) {
      for (const k of cap.cases) {
        const d = k.frame.data;
        for (let n = 0; n <= d.length; n++) {
          exercise(d.subarray(0, n), cap.linkType, DEFAULT_DECODE_CONFIG, undefined, d.length, 1, n % 4 === 0);
          exercise(d.subarray(0, n), cap.linkType, DEFAULT_DECODE_CONFIG, undefined, n, 1, n % 4 === 2);
        }
      }
    }
  });

  it('random mutations of crafted frames, sharing one small reassembly table', () => {
    const next = rng(0xc0ffee);
    const state = newState(TINY);
    let frame = 0;
    for (let round = 0; round < 30; round++) {
      for (const cap of CRAFTED) {
        for (const k of cap.cases) {
          const d = k.frame.data.slice();
          const flips = 1 + Math.floor(next() * 4);
          for (let i = 0; i < flips; i++) d[Math.floor(next() * d.length)] = Math.floor(next() * 256);
          exercise(d, cap.linkType, TINY, state, d.length, ++frame);
        }
      }
    }
    expect(state.fragments.size).toBeLessThanOrEqual(TINY.reassembly.maxDatagrams);
    expect(state.fragments.bytes).toBeLessThanOrEqual(TINY.reassembly.maxTotalBytes);
  });

  it('random bytes under every link type', () => {
    const next = rng(42);
    const state = newState(TINY);
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(next() * 120);
      const d = Uint8Array.from({ length: len }, () => Math.floor(next() * 256));
      // Bias towards IP: a plausible version nibble at the usual offsets.
      if (len > 14 && next() < 0.5) d[14] = next() < 0.5 ? 0x45 : 0x60;
      if (len > 0 && next() < 0.3) d[0] = next() < 0.5 ? 0x45 : 0x60;
      exercise(d, LINK_TYPES[i % LINK_TYPES.length]!, TINY, state, len + (next() < 0.2 ? 10 : 0), i + 1);
    }
  });
});
