import type { DissectContext, LayerStatus, NextLayer, Proto, RecognisedBy } from '../layer.js';
import type { ExpertId } from '../expert.js';
import { inErrorPacket } from './context.js';
import { ReassembledBytes } from './reassembly.js';

/**
 * Helpers shared by the network decoders: how many bytes the snap length cut after a view,
 * whether a short header is 'truncated' (capture stopped early) or 'malformed', and checksums.
 */

/**
 * Bytes missing after `data` because the capture was snapped: non-zero only when the view ends
 * where the captured frame ends. Views of reassembled datagrams are complete (0).
 */
export function snappedBytes(data: Uint8Array, ctx: DissectContext): number {
  const f = ctx.frame;
  const missing = f.originalLength - f.capturedLength;
  if (missing <= 0) return 0;
  const fd = f.data;
  return !(data instanceof ReassembledBytes) && data.byteOffset + data.length === fd.byteOffset + fd.length ? missing : 0;
}

/** Length the view had on the wire (captured bytes plus what the snap length cut). */
export function wireLength(data: Uint8Array, ctx: DissectContext): number {
  return data.length + snappedBytes(data, ctx);
}

/** The single per-packet truncation note, added by the first layer that runs out of captured bytes. */
export function noteTruncated(ctx: DissectContext, offset: number): void {
  const layers = ctx.layers;
  for (let i = 0; i < layers.length; i++) if (layers[i]!.status === 'truncated') return;
  const f = ctx.frame;
  ctx.expert('frame.truncated', {
    offset,
    message: `Frame captured with ${f.capturedLength} of ${f.originalLength} bytes (snap length); decoding stops at offset ${offset}`,
  });
}

/**
 * `need` bytes were wanted from `data` but fewer are there. Snapped capture → 'truncated' and the
 * per-packet note; quoted in an ICMP error → 'truncated', silently; otherwise → 'malformed' with
 * `id` (an error whose message says what was cut).
 */
export function cutShort(
  ctx: DissectContext,
  data: Uint8Array,
  offset: number,
  need: number,
  id: ExpertId,
  what: string,
): LayerStatus {
  // An ICMP error quotes only the start of a packet: a cut header there is expected, not an error.
  if (inErrorPacket(ctx)) return 'truncated';
  if (need <= wireLength(data, ctx)) {
    noteTruncated(ctx, offset + data.length);
    return 'truncated';
  }
  ctx.expert(id, { offset, message: `${what}: needs ${need} bytes, ${data.length} present` });
  return 'malformed';
}

/** Big-endian u16 at `at` (caller checked bounds). */
export const be16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** Big-endian u32 at `at` (caller checked bounds). */
export const be32 = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);

/** Unfolded one's-complement sum of 16-bit words of b[start, end) (odd tail padded with zero). */
export function sum16(b: Uint8Array, start: number, end: number, acc = 0): number {
  // High and low octets summed apart (no shifts in the loop), four octets per step.
  let hi = 0;
  let lo = 0;
  let i = start;
  const stop4 = start + ((end - start) & ~3);
  for (; i < stop4; i += 4) {
    hi += b[i]! + b[i + 2]!;
    lo += b[i + 1]! + b[i + 3]!;
  }
  if (i + 1 < end) {
    hi += b[i]!;
    lo += b[i + 1]!;
    i += 2;
  }
  if (i < end) hi += b[i]!;
  return acc + hi * 256 + lo;
}

/** Folds a sum to 16 bits (carries wrapped around). */
export function fold16(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/**
 * Given the folded sum of a region *including* its checksum field (good when 0xffff), the value the
 * field should have held (tcpdump's "-> 0x...." value).
 */
export function expectedChecksum(foldedSum: number, field: number): number {
  // Sum without the field, then complemented.
  let s = foldedSum + (~field & 0xffff);
  s = fold16(s);
  return ~s & 0xffff;
}

export const hex4 = (v: number): string => '0x' + v.toString(16).padStart(4, '0');
export const hex8 = (v: number): string => '0x' + v.toString(16).padStart(8, '0');

/**
 * The hand-off to the next decoder. Bytes that are not a view of the frame come from reassembly
 * (their offsets are relative to the reassembled datagram), so `reassembled` follows them up the stack.
 */
export function handOff(_ctx: DissectContext, proto: Proto, data: Uint8Array, offset: number, recognisedBy: RecognisedBy = 'type'): NextLayer {
  return { proto, data, offset, recognisedBy, reassembled: data instanceof ReassembledBytes };
}
