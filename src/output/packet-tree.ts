import type { Packet } from '../decode/packet.js';
import type { TreeNode } from '../decode/tree.js';
import type { AnyLayer, Proto } from '../decode/layer.js';
import type { Describer } from '../decode/describe-types.js';
import { FRAME } from '../decode/frame-fields.js';
import { DESCRIBERS } from '../decode/protocols.js';
import { item, text } from '../decode/tree.js';
import { EXPERT } from '../decode/expert.js';

/** Capture-wide facts a packet view needs (tshark's "reference" time is the first frame). */
export interface ViewContext {
  readonly firstSec: number;
  readonly firstNsec: number;
}

/**
 * Layers whose trees hold a protocol's fields, where the names differ (a layer's tree holds only
 * fields named after its proto otherwise; test/filter/packet-fields.test.ts checks this on every
 * capture, because `-Y` and `-T fields` skip building the trees of layers they cannot read).
 */
const LAYERS_OF: Readonly<Record<string, readonly string[]>> = {
  sll: ['sll', 'sll2'],
  null: ['null', 'loop'],
};

/** Layer protos whose trees may hold fields named `<prefix>.…`. */
export function layersHolding(prefix: string): readonly string[] {
  return LAYERS_OF[prefix] ?? [prefix];
}

/**
 * The layer protos whose trees can hold `fields` (and 'frame' for the frame node), or undefined
 * when a field's protocol has no layer of its own: then every tree is needed.
 */
export function treesHolding(fields: readonly string[]): ReadonlySet<string> | undefined {
  const protos = new Set<string>();
  for (const field of fields) {
    const dot = field.indexOf('.');
    const prefix = dot < 0 ? field : field.slice(0, dot);
    if (prefix === 'frame') {
      protos.add('frame');
      continue;
    }
    const holders = layersHolding(prefix);
    if (!holders.every((h) => h in DESCRIBERS)) return undefined;
    for (const h of holders) protos.add(h);
  }
  return protos;
}

export function describerOf(layer: AnyLayer): Describer<AnyLayer> | undefined {
  return DESCRIBERS[layer.proto as Proto] as Describer<AnyLayer> | undefined;
}

export function relativeTime(packet: Packet, view: ViewContext): { sec: number; nsec: number } {
  let sec = packet.frame.tsSec - view.firstSec;
  let nsec = packet.frame.tsNsec - view.firstNsec;
  if (nsec < 0) {
    nsec += 1_000_000_000;
    sec -= 1;
  }
  return { sec, nsec };
}

/** "eth:ethertype:ip:udp:isakmp"-style list, from the decoded layers. */
export function protocolsInFrame(packet: Packet): string {
  return packet.layers.map((l) => l.proto).join(':');
}

function frameNode(packet: Packet, view: ViewContext): TreeNode {
  const f = packet.frame;
  const rel = relativeTime(packet, view);
  return text(
    `Frame ${f.number}: ${f.originalLength} bytes on wire (${f.originalLength * 8} bits), ${f.capturedLength} bytes captured (${f.capturedLength * 8} bits)`,
    [
      item(FRAME.interfaceId, f.interfaceId),
      item(FRAME.timeEpoch, { sec: f.tsSec, nsec: f.tsNsec }, undefined, undefined, {
        label: `Epoch Time: ${f.tsSec}.${String(f.tsNsec).padStart(9, '0')} seconds`,
      }),
      item(FRAME.timeRelative, rel, undefined, undefined, {
        label: `Time since reference or first frame: ${rel.sec}.${String(rel.nsec).padStart(9, '0')} seconds`,
      }),
      item(FRAME.number, f.number),
      item(FRAME.len, f.originalLength, undefined, undefined, { label: `Frame Length: ${f.originalLength} bytes (${f.originalLength * 8} bits)` }),
      item(FRAME.capLen, f.capturedLength, undefined, undefined, { label: `Capture Length: ${f.capturedLength} bytes (${f.capturedLength * 8} bits)` }),
      item(FRAME.linkType, f.linkType, undefined, undefined, { hidden: true }),
      item(FRAME.protocols, protocolsInFrame(packet)),
    ],
    0,
    f.capturedLength,
  );
}

function expertNode(packet: Packet): TreeNode | undefined {
  if (packet.expert.length === 0) return undefined;
  return text(
    'Expert Info',
    packet.expert.map((e) => {
      const def = EXPERT[e.id];
      const at = e.offset !== undefined ? ` @${e.offset}` : '';
      return text(`[${def.severity}/${def.group}] ${e.id}: ${e.message}${at}`);
    }),
  );
}

/**
 * The whole detail tree: frame, every layer, then the expert entries. With `only` (from
 * `treesHolding`), just the frame node and layer trees named in it: what `-T fields` reads.
 */
export function packetTree(packet: Packet, view: ViewContext, only?: ReadonlySet<string>): TreeNode[] {
  if (only !== undefined) {
    const some: TreeNode[] = only.has('frame') ? [frameNode(packet, view)] : [];
    for (const layer of packet.layers) {
      if (!only.has(layer.proto)) continue;
      const d = describerOf(layer);
      if (d) some.push(d.tree(layer, packet));
    }
    return some;
  }
  const nodes: TreeNode[] = [frameNode(packet, view)];
  for (const layer of packet.layers) {
    const d = describerOf(layer);
    if (d) nodes.push(d.tree(layer, packet));
  }
  const expert = expertNode(packet);
  if (expert) nodes.push(expert);
  return nodes;
}
