import type { Frame } from '../capture/frame.js';
import type { AnyLayer, DecodeConfig, DecodeStep, Decoder, DissectContext, DissectState, ExpertDetail, NextLayer } from './layer.js';
import type { ExpertInfo, Packet } from './packet.js';
import { EXPERT, type ExpertId } from './expert.js';
import { DECODERS, linkTypeProto } from './protocols.js';
import { ReassemblyTable } from './ip/reassembly.js';

/** Nested layers beyond this stop decoding (IP-in-IP-in-GRE-in-... bombs). */
export const MAX_LAYER_DEPTH = 24;

export function createDissectState(config: DecodeConfig): DissectState {
  return { fragments: new ReassemblyTable(config.reassembly) };
}

/**
 * Decodes one frame into its layers. This is the only try/catch in decoding: an exception is a
 * bug in espy, recorded as `decoder.bug` on this frame with the layers decoded so far, and the
 * next frame is decoded normally.
 */
export function dissectFrame(frame: Frame, config: DecodeConfig, state: DissectState): Packet {
  const layers: AnyLayer[] = [];
  const expert: ExpertInfo[] = [];
  const ctx: DissectContext = {
    frame,
    config,
    layers,
    state,
    expert(id: ExpertId, detail?: ExpertDetail) {
      expert.push({
        id,
        frame: frame.number,
        message: detail?.message ?? EXPERT[id].summary,
        ...(detail?.offset !== undefined ? { offset: detail.offset } : {}),
        ...(detail?.field !== undefined ? { field: detail.field } : {}),
      });
    },
  };
  try {
    const first = linkTypeProto(frame.linkType);
    if (first === undefined) {
      ctx.expert('frame.link_type_unknown', { message: `Unsupported link-layer type ${frame.linkType}` });
      return { frame, layers, expert };
    }
    let next: NextLayer | undefined = { proto: first, data: frame.data, offset: 0, recognisedBy: 'type' };
    while (next) {
      if (layers.length >= MAX_LAYER_DEPTH) {
        ctx.expert('frame.depth_exceeded', { offset: next.offset });
        break;
      }
      const decoder: Decoder | undefined = DECODERS[next.proto];
      if (!decoder) break;
      const step: DecodeStep = decoder(next.data, next.offset, ctx);
      layers.push(
        next.recognisedBy === 'shape' || next.reassembled
          ? ({ ...step.layer, recognisedBy: next.recognisedBy, reassembled: next.reassembled } as AnyLayer)
          : step.layer,
      );
      next = step.next;
    }
  } catch (e) {
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    ctx.expert('decoder.bug', { message: `Decoder failure (a bug in espy, please report): ${why}` });
  }
  return { frame, layers, expert };
}
