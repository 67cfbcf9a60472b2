import type { CaptureOptions, CaptureSummary, RawFrame } from '../capture/frame.js';
import { readCapture } from '../capture/read.js';
import type { DecodeConfig } from './layer.js';
import type { Packet } from './packet.js';
import { createDissectState, dissectFrame } from './dissect.js';

/**
 * Reads a capture and decodes every frame in order, streaming: nothing is kept between frames
 * except the bounded reassembly state. Return `false` from the sink to stop early.
 * Rejects with CaptureError after delivering every packet before a file-level problem.
 *
 * `claim`, when given, sees each record first (`CaptureOptions.claim`): one it returns true for
 * has been handled from its bytes (the analysis fast path) and is neither decoded nor passed to
 * `sink`. It may only claim unfragmented frames, which leave the reassembly state alone.
 */
export async function decodeCapture(
  source: string,
  config: DecodeConfig,
  sink: (packet: Packet) => boolean | void,
  options: CaptureOptions = {},
  claim?: (frame: RawFrame) => boolean,
): Promise<CaptureSummary> {
  const state = createDissectState(config);
  const readOptions: CaptureOptions = { maxRecordBytes: config.maxRecordBytes, ...options, ...(claim === undefined ? {} : { claim }) };
  return readCapture(source, (frame) => sink(dissectFrame(frame, config, state)), readOptions);
}
