import type { DissectContext, LayerStatus, NextLayer, Proto, RecognisedBy } from './layer.js';
import type { ExpertId } from './expert.js';
import { ReassembledBytes } from './bytes.js';

/**
 * Where a decoder's view of bytes stands against the captured frame, for every decoder: how many
 * bytes the snap length cut after it, whether a short header is 'truncated' (capture stopped
 * early) or 'malformed', whether it is quoted in an ICMP error, and the hand-off to the next decoder.
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

/**
 * Whether the bytes being decoded are quoted inside an ICMP/ICMPv6 error (Wireshark's
 * "in error packet"): lengths may exceed the quote and fragments are not reassembled.
 */
export function inErrorPacket(ctx: DissectContext): boolean {
  const layers = ctx.layers;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    if ((l.proto === 'icmp' || l.proto === 'icmpv6') && l.error) return true;
  }
  return false;
}

/**
 * The hand-off to the next decoder. Bytes that are not a view of the frame come from reassembly
 * (their offsets are relative to the reassembled datagram), so `reassembled` follows them up the stack.
 */
export function handOff(_ctx: DissectContext, proto: Proto, data: Uint8Array, offset: number, recognisedBy: RecognisedBy = 'type'): NextLayer {
  return { proto, data, offset, recognisedBy, reassembled: data instanceof ReassembledBytes };
}
