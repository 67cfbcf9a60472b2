/**
 * Property-based tests of the whole per-frame pipeline (`dissectFrame`): link → IP → UDP/ESP/AH →
 * UDP encapsulation → ISAKMP, plus IP reassembly state shared across frames. Nothing throws,
 * nothing becomes `decoder.bug`, every view renders without raw control characters, a snapped
 * frame is never called malformed, an unsnapped cut is always reported, and the reassembly
 * table stays inside its limits whatever arrives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDissectState, dissectFrame } from '../../src/decode/dissect.js';
import { DEFAULT_DECODE_CONFIG, type DecodeConfig } from '../../src/decode/layer.js';
import { EXPERT } from '../../src/decode/expert.js';
import { fragmentedFrames, frameOf, linkFrame } from './support/frame-arb.js';
import { applyEdits, edits } from './support/edits.js';
import { packetViolations } from './support/invariants.js';
import { FUZZ_TIMEOUT, fcOptions } from './support/config.js';
import { internetChecksum, u16 } from '../support/packet-builders.js';

const dissect = (frame: ReturnType<typeof frameOf>, config: DecodeConfig = DEFAULT_DECODE_CONFIG) => dissectFrame(frame, config, createDissectState(config));
const groupOf = (id: string) => (EXPERT as Record<string, { group: string }>)[id]?.group;

describe('dissectFrame on generated frames', () => {
  it('well-formed frames: contract holds', () => {
    fc.assert(
      fc.property(linkFrame, (f) => {
        const p = dissect(frameOf(f));
        expect(packetViolations(p)).toEqual([]);
        expect(p.layers.length).toBeGreaterThan(1);
      }),
      fcOptions(300),
    );
  }, FUZZ_TIMEOUT);

  it('damaged frames (flips, 0/1/max fields, stores, cuts), with and without heuristics', () => {
    const noHeuristics = { ...DEFAULT_DECODE_CONFIG, heuristics: false };
    fc.assert(
      fc.property(linkFrame, edits, fc.boolean(), (f, e, heur) => {
        const data = applyEdits(f.data, e);
        const p = dissect(frameOf({ linkType: f.linkType, data }), heur ? DEFAULT_DECODE_CONFIG : noHeuristics);
        expect(packetViolations(p)).toEqual([]);
      }),
      fcOptions(1500),
    );
  }, FUZZ_TIMEOUT);

  it('cut at every offset: snapped is never malformed; unsnapped always reports something', () => {
    fc.assert(
      fc.property(linkFrame, (f) => {
        // Random bytes on 4500 can be malformed whole; a cut of those may stay malformed.
        const wholeIsClean = dissect(frameOf(f)).layers.every((l) => l.status === 'ok');
        for (let n = 0; n < f.data.length; n++) {
          const cut = { linkType: f.linkType, data: f.data.subarray(0, n) };
          const snapped = dissect(frameOf(cut, 1, f.data.length));
          expect(packetViolations(snapped), `snapped at ${n}`).toEqual([]);
          if (wholeIsClean) {
            expect(snapped.layers.filter((l) => l.status === 'malformed').map((l) => l.proto), `snapped at ${n}`).toEqual([]);
            expect(snapped.expert.filter((x) => groupOf(x.id) === 'malformed' && x.id !== 'frame.truncated').map((x) => x.id), `snapped at ${n}`).toEqual([]);
          }
          const unsnapped = dissect(frameOf(cut));
          expect(packetViolations(unsnapped), `cut at ${n}`).toEqual([]);
          const reported = unsnapped.expert.some((x) => groupOf(x.id) === 'malformed') || unsnapped.layers.some((l) => l.status !== 'ok');
          expect(reported, `cut at ${n} of ${f.data.length} (link ${f.linkType}): ${unsnapped.layers.map((l) => `${l.proto}:${l.status}`).join(' ')}`).toBe(true);
        }
      }),
      fcOptions(20),
    );
  }, FUZZ_TIMEOUT);

  it('fragments, damaged or not, through one reassembly table: bounded, no bug', () => {
    const tight: DecodeConfig = { ...DEFAULT_DECODE_CONFIG, reassembly: { maxDatagramBytes: 4000, maxTotalBytes: 3000, maxDatagrams: 4, timeoutSeconds: 5 } };
    const stream = fc.array(fc.tuple(fragmentedFrames, fc.option(edits, { nil: undefined })), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(stream, fc.boolean(), (groups, shuffle) => {
        const state = createDissectState(tight);
        const frames = groups.flatMap(([fs, e]) => fs.map((f, i) => (e && i === 0 ? { ...f, data: applyEdits(f.data, e) } : f)));
        if (shuffle) frames.reverse();
        frames.forEach((f, i) => {
          const p = dissectFrame(frameOf(f, i + 1), tight, state);
          expect(packetViolations(p)).toEqual([]);
          expect(state.fragments.size).toBeLessThanOrEqual(4);
          expect(state.fragments.bytes).toBeLessThanOrEqual(3000);
        });
      }),
      fcOptions(150),
    );
  }, FUZZ_TIMEOUT);

  it('a fragment flood (64 Ki distinct datagrams) keeps the default table bounded', () => {
    const state = createDissectState(DEFAULT_DECODE_CONFIG);
    const frag = fc.sample(fragmentedFrames.filter((fs) => fs.length > 1 && fs[0]!.data[14]! >> 4 === 4), 1)[0]![0]!;
    const data = frag.data.slice();
    for (let i = 0; i < 65_536; i++) {
      data[18] = i >> 8; // IPv4 identification: a new datagram each time
      data[19] = i & 0xff;
      data[29] = i & 0xff; // and a new source address
      data.set(u16(0), 24);
      data.set(u16(internetChecksum(data.subarray(14, 34))), 24);
      const p = dissectFrame({ ...frameOf({ linkType: 1, data }, i + 1), tsSec: 1_700_000_000 }, DEFAULT_DECODE_CONFIG, state); // all within the timeout
      if (i % 4096 === 0) expect(packetViolations(p)).toEqual([]);
    }
    expect(state.fragments.size).toBe(DEFAULT_DECODE_CONFIG.reassembly.maxDatagrams); // full, not over
    expect(state.fragments.size).toBeLessThanOrEqual(DEFAULT_DECODE_CONFIG.reassembly.maxDatagrams);
    expect(state.fragments.bytes).toBeLessThanOrEqual(DEFAULT_DECODE_CONFIG.reassembly.maxTotalBytes);
  });
});
