/**
 * Unchecked byte reads and fixed-width hex for decoders that checked their bounds first
 * (`cursor.ts` has the bounds-checked reads), and the class that marks reassembled bytes.
 */

/** Big-endian u16 at `at` (caller checked bounds). */
export const be16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** Big-endian u32 at `at` (caller checked bounds). */
export const be32 = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);

export const hex4 = (v: number): string => '0x' + v.toString(16).padStart(4, '0');
export const hex8 = (v: number): string => '0x' + v.toString(16).padStart(8, '0');

/**
 * A reassembled datagram (made by `ip/reassembly.ts`). Its own class so that decoders can tell
 * reassembled bytes (whose offsets are relative to the datagram) from views of the frame with one
 * `instanceof`: `subarray` keeps the class.
 */
export class ReassembledBytes extends Uint8Array {}
