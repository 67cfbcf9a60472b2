/**
 * A tiny stand-in for the pipeline, limited to the network decoders: link decoder → next → ...
 * until a protocol espy's network layer does not decode (ISAKMP is someone else's). Unlike
 * dissectFrame it lets exceptions through, so a throwing decoder fails the test.
 */
import type { Frame } from '../../../../src/capture/frame.js';
import type { AnyLayer, DecodeConfig, DissectContext, DissectState, ExpertDetail, NextLayer } from '../../../../src/decode/layer.js';
import { DEFAULT_DECODE_CONFIG } from '../../../../src/decode/layer.js';
import type { ExpertInfo, Packet } from '../../../../src/decode/packet.js';
import { EXPERT, type ExpertId } from '../../../../src/decode/expert.js';
import { NET_DECODERS, NET_DESCRIBERS, linkTypeProto } from '../../../../src/decode/net-protocols.js';
import { ReassemblyTable } from '../../../../src/decode/ip/reassembly.js';
import type { Describer } from '../../../../src/decode/describe-types.js';
import type { TreeNode } from '../../../../src/decode/tree.js';
import { formatFieldValue } from '../../../../src/output/field-format.js';

export const MAX_DEPTH = 24;

export function newState(config: DecodeConfig = DEFAULT_DECODE_CONFIG): DissectState {
  return { fragments: new ReassemblyTable(config.reassembly) };
}

export function frameOf(data: Uint8Array, o: { linkType?: number; number?: number; time?: number; originalLength?: number } = {}): Frame {
  const t = o.time ?? 1_700_000_000;
  return {
    number: o.number ?? 1,
    tsSec: Math.floor(t),
    tsNsec: Math.round((t - Math.floor(t)) * 1e9),
    capturedLength: data.length,
    originalLength: o.originalLength ?? data.length,
    linkType: o.linkType ?? 1,
    interfaceId: 0,
    data,
  };
}

export function decodeNet(frame: Frame, config: DecodeConfig = DEFAULT_DECODE_CONFIG, state: DissectState = newState(config)): Packet {
  return decodeNetRest(frame, config, state).packet;
}

/** As decodeNet, plus the hand-off no network decoder took (e.g. to 'isakmp'). */
export function decodeNetRest(frame: Frame, config: DecodeConfig = DEFAULT_DECODE_CONFIG, state: DissectState = newState(config)): { packet: Packet; rest: NextLayer | undefined } {
  const layers: AnyLayer[] = [];
  const expert: ExpertInfo[] = [];
  const ctx: DissectContext = {
    frame,
    config,
    layers,
    state,
    expert(id: ExpertId, d?: ExpertDetail) {
      expert.push({ id, frame: frame.number, message: d?.message ?? EXPERT[id].summary, ...(d?.offset !== undefined ? { offset: d.offset } : {}), ...(d?.field !== undefined ? { field: d.field } : {}) });
    },
  };
  const first = linkTypeProto(frame.linkType);
  let next: NextLayer | undefined = first ? { proto: first, data: frame.data, offset: 0, recognisedBy: 'type' } : undefined;
  while (next && layers.length < MAX_DEPTH) {
    const decoder = NET_DECODERS[next.proto];
    if (!decoder) break;
    const step = decoder(next.data, next.offset, ctx);
    layers.push(next.recognisedBy === 'shape' || next.reassembled ? ({ ...step.layer, recognisedBy: next.recognisedBy, reassembled: next.reassembled } as AnyLayer) : step.layer);
    next = step.next;
  }
  return { packet: { frame, layers, expert }, rest: next };
}

export function treesOf(packet: Packet): TreeNode[] {
  return packet.layers.flatMap((l) => {
    const d = NET_DESCRIBERS[l.proto as keyof typeof NET_DESCRIBERS] as Describer<AnyLayer> | undefined;
    return d ? [d.tree(l, packet)] : [];
  });
}

export function infoOf(packet: Packet): string | undefined {
  for (let i = packet.layers.length - 1; i >= 0; i--) {
    const l = packet.layers[i]!;
    const d = NET_DESCRIBERS[l.proto as keyof typeof NET_DESCRIBERS] as Describer<AnyLayer> | undefined;
    const s = d?.info?.(l, packet);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** tshark `-T fields` values (occurrences comma-joined) for `names`, read from the trees. */
export function fieldValues(packet: Packet, names: readonly string[]): string[] {
  const out = names.map(() => [] as string[]);
  const walk = (nodes: readonly TreeNode[]): void => {
    for (const n of nodes) {
      if (n.field && n.value !== undefined) {
        const i = names.indexOf(n.field.abbrev);
        if (i >= 0) out[i]!.push(formatFieldValue(n.field, n.value));
      }
      if (n.children) walk(n.children);
    }
  };
  walk(treesOf(packet));
  return out.map((v) => v.join(','));
}

/** All text of a packet's trees, one label per line (for "the tree says ..." assertions). */
export function treeText(packet: Packet): string {
  const lines: string[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number): void => {
    for (const n of nodes) {
      lines.push('  '.repeat(depth) + n.label);
      if (n.children) walk(n.children, depth + 1);
    }
  };
  walk(treesOf(packet), 0);
  return lines.join('\n');
}
