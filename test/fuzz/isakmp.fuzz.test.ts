/**
 * Property-based tests of the ISAKMP decoder (IKEv1 and IKEv2): well-formed messages decode
 * cleanly, every prefix decodes to a prefix, and each constructed invalidity (a length set to
 * 0/1/max, a chain without its NONE terminator, a runaway chain, a bit flip) is reported on the
 * layer with an offset, never thrown.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from '../decode/isakmp/helpers.js';
import { encodeMessage, message, messageV1 } from './support/ike-arb.js';
import { applyEdits, edits } from './support/edits.js';
import { isakmpViolations } from './support/invariants.js';
import { FUZZ_TIMEOUT, fcOptions } from './support/config.js';
import { EXPERT } from '../../src/decode/expert.js';

const BASE = 46; // as if after Ethernet, IPv4, UDP and a non-ESP marker: offsets must be absolute

function run(bytes: Uint8Array, snapped = false) {
  const r = decode(bytes, { snapped, offset: BASE });
  const violations = isakmpViolations(r.layer, r.notes, { base: BASE, length: bytes.length, snapped });
  return { ...r, violations };
}

const malformedIds = (ids: readonly string[]) => ids.filter((id) => (EXPERT as Record<string, { group: string }>)[id]?.group === 'malformed');

/** A copy of `bytes` with a big-endian 16-bit value written at `at`. */
function with16(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const b = bytes.slice();
  b[at] = value >>> 8;
  b[at + 1] = value & 0xff;
  return b;
}

const encoded = message.map(encodeMessage);
const withPayloads = encoded.filter((m) => m.spec.payloads.length > 0);

describe('ISAKMP decoder: well-formed messages', () => {
  it('decode with status ok, no malformed entries, every payload in order with its length', () => {
    fc.assert(
      fc.property(encoded, (m) => {
        const r = run(m.bytes);
        expect(r.violations).toEqual([]);
        // Notes about odd but well-formed content (an FQDN with control characters) are fine.
        expect(malformedIds(r.ids)).toEqual([]);
        expect(r.layer.status).toBe('ok');
        expect(r.layer.payloads.map((p) => [p.type, p.length, p.offset - BASE])).toEqual(m.spec.payloads.map((p, i) => [p.type, 4 + p.body.length, m.bounds[i]]));
      }),
      fcOptions(300),
    );
  }, FUZZ_TIMEOUT);

  it('prefix property: cut at a payload boundary, the payloads decoded are a prefix of the full decode', () => {
    fc.assert(
      fc.property(withPayloads, (m) => {
        const full = run(m.bytes).layer.payloads;
        for (let k = 0; k < m.bounds.length - 1; k++) {
          const cut = m.bytes.subarray(0, m.bounds[k]);
          for (const snapped of [false, true]) {
            const r = run(cut, snapped);
            expect(r.violations).toEqual([]);
            expect(r.layer.payloads).toEqual(full.slice(0, k));
            expect(r.layer.status).toBe(snapped ? 'truncated' : 'malformed');
            expect(malformedIds(r.ids)).toEqual(snapped ? [] : ['isakmp.length_mismatch']);
          }
        }
      }),
      fcOptions(150),
    );
  }, FUZZ_TIMEOUT);

  it('truncated at every offset: snapped is "truncated" without error entries, unsnapped is "malformed" and says so', () => {
    fc.assert(
      fc.property(encoded, (m) => {
        for (let n = 0; n < m.bytes.length; n++) {
          const cut = m.bytes.subarray(0, n);
          const snapped = run(cut, true);
          expect(snapped.violations, `snapped cut at ${n}`).toEqual([]);
          expect(snapped.layer.status).toBe('truncated');
          expect(malformedIds(snapped.ids), `snapped cut at ${n}`).toEqual([]);
          const unsnapped = run(cut, false);
          expect(unsnapped.violations, `cut at ${n}`).toEqual([]);
          expect(unsnapped.layer.status).toBe('malformed');
          expect(unsnapped.ids[0]).toBe(n < 28 ? 'isakmp.too_short' : 'isakmp.length_mismatch');
        }
      }),
      fcOptions(30),
    );
  }, FUZZ_TIMEOUT);
});

/** Picks a payload of a message and a value for its 16-bit length field. */
const payloadLength = withPayloads.chain((m) =>
  fc.record({ m: fc.constant(m), i: fc.nat({ max: m.spec.payloads.length - 1 }), value: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(0xffff)) }),
);

describe('ISAKMP decoder: constructed invalidity is reported, with an offset', () => {
  it('a payload length of 0..3 stops the chain with isakmp.payload_length_invalid; earlier payloads stay as they were', () => {
    fc.assert(
      fc.property(payloadLength.filter((x) => x.value < 4), ({ m, i, value }) => {
        const full = run(m.bytes).layer.payloads;
        const r = run(with16(m.bytes, m.bounds[i]! + 2, value));
        expect(r.violations).toEqual([]);
        expect(r.ids).toContain('isakmp.payload_length_invalid');
        expect(r.layer.status).toBe('malformed');
        expect(r.layer.payloads.slice(0, i)).toEqual(full.slice(0, i));
        expect(r.layer.payloads).toHaveLength(i + 1);
      }),
      fcOptions(200),
    );
  }, FUZZ_TIMEOUT);

  it('a payload length of 0xffff is isakmp.payload_too_long', () => {
    fc.assert(
      fc.property(payloadLength.filter((x) => x.value === 0xffff), ({ m, i, value }) => {
        const r = run(with16(m.bytes, m.bounds[i]! + 2, value));
        expect(r.violations).toEqual([]);
        expect(r.ids).toContain('isakmp.payload_too_long');
        expect(r.layer.status).toBe('malformed');
      }),
      fcOptions(100),
    );
  }, FUZZ_TIMEOUT);

  it('an ISAKMP length below 28 or past the data is reported on the header', () => {
    fc.assert(
      fc.property(encoded, fc.oneof(fc.integer({ min: 0, max: 27 }), fc.constant(0xffffffff)), (m, value) => {
        const b = m.bytes.slice();
        new DataView(b.buffer).setUint32(24, value);
        const r = run(b);
        expect(r.violations).toEqual([]);
        expect(r.ids).toContain(value < 28 ? 'isakmp.length_invalid' : 'isakmp.length_mismatch');
        expect(r.layer.status).toBe('malformed');
      }),
      fcOptions(100),
    );
  }, FUZZ_TIMEOUT);

  it('a chain whose last payload names a next payload (no NONE terminator) is isakmp.next_payload_missing', () => {
    const lastNotSk = encoded.filter((m) => ![46, 53].includes(m.spec.payloads.at(-1)?.type ?? 0));
    fc.assert(
      fc.property(lastNotSk, fc.constantFrom(1, 13, 33, 43, 200), (m, next) => {
        const b = m.bytes.slice();
        b[m.bounds.length > 1 ? m.bounds.at(-2)! : 16] = next;
        const r = run(b);
        expect(r.violations).toEqual([]);
        expect(r.ids).toContain('isakmp.next_payload_missing');
      }),
      fcOptions(100),
    );
  }, FUZZ_TIMEOUT);

  it('a runaway chain (hundreds of self-referencing payloads) is cut at the payload cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 257, max: 2000 }), fc.constantFrom(13, 43, 200), (count, type) => {
        const body = new Uint8Array(count * 4);
        for (let i = 0; i < count; i++) body.set([type, 0, 0, 4], i * 4);
        const m = encodeMessage({ version: type === 43 ? 2 : 1, exchange: 34, flags: 8, mid: 0, ispi: new Uint8Array(8).fill(1), rspi: new Uint8Array(8), payloads: [] });
        const b = new Uint8Array(28 + body.length);
        b.set(m.bytes);
        b.set(body, 28);
        b[16] = type;
        new DataView(b.buffer).setUint32(24, b.length);
        const r = run(b); // its cost (well under a second) is checked by `npm run soak`
        expect(r.violations).toEqual([]);
        expect(r.ids).toContain('isakmp.chain_too_long');
        expect(r.layer.payloads.length).toBeLessThanOrEqual(256);
      }),
      fcOptions(20),
    );
  }, FUZZ_TIMEOUT);

  it('an inner length (proposal, transform, attribute, selector, SPI count) set to 0 or max is reported', () => {
    const inner = withPayloads
      .map((m) => ({ m, fields: m.spec.payloads.flatMap((p, i) => p.inner.map((f) => ({ i, ...f }))) }))
      .filter((x) => x.fields.length > 0)
      .chain(({ m, fields }) => fc.record({ m: fc.constant(m), f: fc.constantFrom(...fields), value: fc.constantFrom(0, 0xffff) }))
      // A zero attribute length or SPI count can still be consistent; only their max is invalid.
      .filter(({ f, value }) => value === 0xffff || f.kind === 'proposal' || f.kind === 'transform' || f.kind === 'selector');
    const expected = { proposal: ['isakmp.payload_length_invalid', 'isakmp.payload_too_long'], transform: ['isakmp.payload_length_invalid', 'isakmp.payload_too_long'], attribute: ['isakmp.attribute_length_invalid'], selector: ['isakmp.selector_length_invalid'], spi_count: ['isakmp.spi_overrun'] };
    fc.assert(
      fc.property(inner, ({ m, f, value }) => {
        const r = run(with16(m.bytes, m.bounds[f.i]! + 4 + f.at, value));
        expect(r.violations).toEqual([]);
        expect(r.layer.status).toBe('malformed');
        expect(r.ids.some((id) => expected[f.kind].includes(id)), `${f.kind}=${value}: ${r.ids.join(',')}`).toBe(true);
        expect(r.layer.payloads[f.i]?.status).toBe('malformed');
      }),
      fcOptions(300),
    );
  }, FUZZ_TIMEOUT);
});

describe('ISAKMP decoder: random damage never throws and keeps its contract', () => {
  it('bit flips, 0/1/max fields, cuts and byte stores', () => {
    fc.assert(
      fc.property(encoded, edits, fc.boolean(), (m, e, snapped) => {
        const r = run(applyEdits(m.bytes, e), snapped);
        expect(r.violations).toEqual([]);
      }),
      fcOptions(2000),
    );
  }, FUZZ_TIMEOUT);

  it('IKEv1 types 15/16 and unknown payloads in every exchange (GDOI SA or NAT-T drafts)', () => {
    const v1 = messageV1.map((m) => ({ ...m, payloads: [{ type: 1, body: Uint8Array.of(0, 0, 0, 2, 0, 0, 0, 0), inner: [] }, ...m.payloads, { type: 15, body: new Uint8Array(20), inner: [] }, { type: 16, body: Uint8Array.of(1, 0, 0, 0, 10, 0, 0, 1), inner: [] }, { type: 99, body: new Uint8Array(3), inner: [] }] }));
    fc.assert(
      fc.property(v1.map(encodeMessage), edits, (m, e) => {
        expect(run(m.bytes).violations).toEqual([]);
        expect(run(applyEdits(m.bytes, e)).violations).toEqual([]);
      }),
      fcOptions(300),
    );
  }, FUZZ_TIMEOUT);

  it('uniformly random bytes behind a plausible header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.constantFrom(0x10, 0x20, 0x30), fc.boolean(), (rest, version, snapped) => {
        const b = new Uint8Array(28 + rest.length);
        b.set(rest, 28);
        b.fill(7, 0, 8);
        b[16] = rest[0] ?? 0;
        b[17] = version;
        new DataView(b.buffer).setUint32(24, b.length);
        expect(run(b, snapped).violations).toEqual([]);
      }),
      fcOptions(1000),
    );
  }, FUZZ_TIMEOUT);
});
