import type { CaptureOptions, CaptureSummary } from '../capture/frame.js';
import { readCapture } from '../capture/read.js';
import type { DecodeConfig } from './layer.js';
import type { Packet } from './packet.js';
import { createDissectState, dissectFrame } from './dissect.js';

/**
 * Reads a capture and decodes every frame in order, streaming: nothing is kept between frames
 * except the bounded reassembly state. Return `false` from the sink to stop early.
 * Rejects with CaptureError after delivering every packet before a file-level problem.
 */
export async function decodeCapture(
  source: string,
  config: DecodeConfig,
  sink: (packet: Packet) => boolean | void,
  options: CaptureOptions = {},
): Promise<CaptureSummary> {
  const state = createDissectState(config);
  return readCapture(source, (frame) => sink(dissectFrame(frame, config, state)), options);
}
