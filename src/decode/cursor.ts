/**
 * Bounds-checked reader over a view of capture bytes. It never throws and never copies:
 * every read returns `undefined` when the bytes are not there, and `take` returns a view.
 */
export class ByteCursor {
  constructor(
    private readonly bytes: Uint8Array,
    private position = 0,
  ) {}

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  u8(): number | undefined {
    if (this.remaining < 1) return undefined;
    return this.bytes[this.position++]!;
  }

  u16(): number | undefined {
    if (this.remaining < 2) return undefined;
    const v = (this.bytes[this.position]! << 8) | this.bytes[this.position + 1]!;
    this.position += 2;
    return v;
  }

  u24(): number | undefined {
    if (this.remaining < 3) return undefined;
    const b = this.bytes;
    const p = this.position;
    this.position += 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  u32(): number | undefined {
    if (this.remaining < 4) return undefined;
    const b = this.bytes;
    const p = this.position;
    this.position += 4;
    return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  take(n: number): Uint8Array | undefined {
    if (n < 0 || this.remaining < n) return undefined;
    return this.bytes.subarray(this.position, (this.position += n));
  }

  /** Everything left, as a view (possibly empty). */
  rest(): Uint8Array {
    const v = this.bytes.subarray(this.position);
    this.position = this.bytes.length;
    return v;
  }

  skip(n: number): boolean {
    if (n < 0 || this.remaining < n) return false;
    this.position += n;
    return true;
  }
}

/** Big-endian reads at an absolute index; `undefined` when out of range. */
export function readU16(b: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 2 > b.length) return undefined;
  return (b[at]! << 8) | b[at + 1]!;
}

export function readU32(b: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 4 > b.length) return undefined;
  return ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of a byte view, no separators (tshark's FT_BYTES field style). */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

export function hexByte(b: number): string {
  return HEX[b & 0xff]!;
}
