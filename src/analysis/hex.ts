/**
 * Compact strings for state that outlives a packet. `toHex` (decode/cursor.ts) builds its result
 * by `+=`, which V8 keeps as a tree of concatenated strings (~360 bytes for 16 bytes of input);
 * these helpers write into a scratch buffer and return one flat string (~56 bytes), as fast.
 */
const HEX_CODES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const s = i.toString(16).padStart(2, '0');
  HEX_CODES[2 * i] = s.charCodeAt(0);
  HEX_CODES[2 * i + 1] = s.charCodeAt(1);
}

let scratch = Buffer.allocUnsafe(512);

function room(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(bytes * 2);
  return scratch;
}

/** Lowercase hex of `bytes` (same text as `toHex`), as a flat string. */
export function hexOf(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = room(2 * n);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    out[2 * i] = HEX_CODES[2 * b]!;
    out[2 * i + 1] = HEX_CODES[2 * b + 1]!;
  }
  return out.toString('latin1', 0, 2 * n);
}

/** Byte arrays packed into one flat string, each behind its one-octet length (arrays ≤ 255 bytes). */
export function packBytes(parts: readonly Uint8Array[]): string {
  let total = 0;
  for (const p of parts) total += 1 + p.length;
  const out = room(total);
  let at = 0;
  for (const p of parts) {
    out[at++] = p.length;
    out.set(p, at);
    at += p.length;
  }
  return out.toString('latin1', 0, total);
}

/** The arrays `packBytes` packed, as copies. */
export function unpackBytes(packed: string): Uint8Array[] {
  const b = Buffer.from(packed, 'latin1');
  const out: Uint8Array[] = [];
  for (let at = 0; at < b.length; ) {
    const n = b[at++]!;
    out.push(Uint8Array.from(b.subarray(at, at + n)));
    at += n;
  }
  return out;
}
