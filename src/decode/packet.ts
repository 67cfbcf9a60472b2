import type { Frame } from '../capture/frame.js';
import type { AnyLayer, LayerMap, Proto } from './layer.js';
import type { ExpertId } from './expert.js';

export interface ExpertInfo {
  readonly id: ExpertId;
  readonly frame: number;
  readonly offset?: number;
  readonly field?: string;
  /** Carries values ('Bad checksum 0x1c2f (expected 0x9e01)'); catalogue summary when nothing more is known. */
  readonly message: string;
}

/** One frame decoded into layers, outermost first, plus everything the decoders noticed. */
export interface Packet {
  readonly frame: Frame;
  readonly layers: readonly AnyLayer[];
  readonly expert: readonly ExpertInfo[];
}

/** First layer of a protocol (outermost), typed. */
export function findLayer<P extends Proto>(packet: { readonly layers: readonly AnyLayer[] }, proto: P): LayerMap[P] | undefined {
  for (const l of packet.layers) if (l.proto === proto) return l as LayerMap[P];
  return undefined;
}

/** Last (innermost) layer of a protocol, typed. */
export function findLastLayer<P extends Proto>(packet: { readonly layers: readonly AnyLayer[] }, proto: P): LayerMap[P] | undefined {
  for (let i = packet.layers.length - 1; i >= 0; i--) {
    const l = packet.layers[i]!;
    if (l.proto === proto) return l as LayerMap[P];
  }
  return undefined;
}
