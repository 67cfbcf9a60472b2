/**
 * Byte-level damage shared by the fuzz tests: bit flips, 16- and 32-bit fields set to 0/1/max
 * (and the lengths 4 and 28 that headers are made of), byte stores and cuts.
 */
import fc from 'fast-check';

export interface Edit {
  readonly at: number;
  readonly kind: number;
  readonly v: number;
}

export const edits = fc.array(fc.record({ at: fc.nat(), kind: fc.nat({ max: 4 }), v: fc.nat() }), { minLength: 1, maxLength: 8 });

export function applyEdits(bytes: Uint8Array, list: readonly Edit[]): Uint8Array {
  let b = bytes.slice();
  for (const e of list) {
    const at = e.at % Math.max(1, b.length);
    switch (e.kind) {
      case 0: b[at] = (b[at] ?? 0) ^ (1 << (e.v % 8)); break;
      case 1: if (at + 1 < b.length) b.set([[0, 0], [0, 1], [0xff, 0xff], [0x80, 0], [0, 4], [0, 28]][e.v % 6]!, at); break;
      case 2: if (at + 3 < b.length) b.set([[0, 0, 0, 0], [0, 0, 0, 1], [0xff, 0xff, 0xff, 0xff], [0x7f, 0xff, 0xff, 0xff]][e.v % 4]!, at); break;
      case 3: b = b.slice(0, at); break;
      default: b[at] = e.v & 0xff;
    }
  }
  return b;
}
