import { DEFAULT_MAX_RECORD_BYTES } from '../capture/context.js';
import type { Frame } from '../capture/frame.js';
import type { ExpertId } from './expert.js';
import type { ReassemblyLimits, ReassemblyTable } from './ip/reassembly.js';

/** The reassembly bounds belong to the table (`ip/reassembly.ts`); re-exported for `DecodeConfig` users. */
export type { ReassemblyLimits } from './ip/reassembly.js';

export type LayerStatus = 'ok' | 'truncated' | 'malformed';

/** How a layer was recognised: by a configured port/type number, or by the shape of its bytes. */
export type RecognisedBy = 'type' | 'port' | 'shape';

/** What every decoded layer has. Concrete layers add their fields and narrow `proto`. */
export interface Layer {
  readonly proto: string;
  /** Byte offset of the layer's first byte in the frame (or in the reassembled datagram, see `reassembled`). */
  readonly offset: number;
  /** Bytes this layer's header (and, for leaf layers, payload) occupies. */
  readonly length: number;
  readonly status: LayerStatus;
  readonly recognisedBy?: RecognisedBy;
  /** Set when the layer was decoded from reassembled bytes rather than from this frame alone. */
  readonly reassembled?: boolean;
}

/**
 * proto → layer type. Each protocol module adds its entry by declaration merging:
 * `declare module '../layer.js' { interface LayerMap { udp: UdpLayer } }`.
 */
// Empty on purpose: filled by declaration merging (see above).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LayerMap {}

export type Proto = keyof LayerMap;
export type AnyLayer = LayerMap[Proto];

/** Hand-off to the next decoder: which protocol, which bytes, where they start in the frame. */
export interface NextLayer {
  readonly proto: Proto;
  readonly data: Uint8Array;
  readonly offset: number;
  readonly recognisedBy?: RecognisedBy;
  /** The bytes come from IP reassembly (offsets are then relative to the reassembled datagram). */
  readonly reassembled?: boolean;
}

export interface DecodeStep {
  readonly layer: AnyLayer;
  readonly next?: NextLayer;
}

export interface ExpertDetail {
  /** Absolute frame offset of the problem, when known. */
  readonly offset?: number;
  /** Field abbrev the entry is attached to. */
  readonly field?: string;
  /** Message with values, e.g. 'Bad checksum 0x1c2f (expected 0x9e01)'. Defaults to the catalogue summary. */
  readonly message?: string;
}

/** What the dissection pipeline hands each decoder besides its bytes. */
export interface DissectContext {
  readonly frame: Frame;
  readonly config: DecodeConfig;
  /** Layers already decoded in this frame, outermost first (e.g. UDP reads the IP pseudo-header here). */
  readonly layers: readonly AnyLayer[];
  /** Cross-frame state the pipeline owns (IP reassembly). Decoders stay free of hidden state. */
  readonly state: DissectState;
  expert(id: ExpertId, detail?: ExpertDetail): void;
}

/** A decoder turns a view of bytes into one layer and says what comes next. It never throws on input. */
export type Decoder = (data: Uint8Array, offset: number, ctx: DissectContext) => DecodeStep;

export interface DecodeConfig {
  /** UDP ports carrying IKE without a marker (default [500]). */
  readonly ikePorts: readonly number[];
  /** UDP ports carrying RFC 3948 encapsulation: marker+IKE, keepalive, ESP (default [4500]). */
  readonly nattPorts: readonly number[];
  /** Recognise IKE / NAT-T on other ports by the shape of the payload (default true). */
  readonly heuristics: boolean;
  /** IP reassembly bounds. */
  readonly reassembly: ReassemblyLimits;
  /** Largest capture record or pcapng block the reader accepts (`CaptureOptions.maxRecordBytes`). */
  readonly maxRecordBytes: number;
}

export const DEFAULT_DECODE_CONFIG: DecodeConfig = {
  ikePorts: [500],
  nattPorts: [4500],
  heuristics: true,
  reassembly: { maxDatagramBytes: 65_535, maxTotalBytes: 4 * 1024 * 1024, maxDatagrams: 1024, timeoutSeconds: 60 },
  maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
};

/**
 * Cross-frame state used while decoding. Owned by the pipeline (one per capture, made by
 * `createDissectState`), passed in, never hidden in module globals.
 */
export interface DissectState {
  /** IPv4 and IPv6 fragments awaiting reassembly (bounded by `DecodeConfig.reassembly`). */
  readonly fragments: ReassemblyTable;
}
