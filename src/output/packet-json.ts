import type { Packet } from '../decode/packet.js';
import type { TreeNode } from '../decode/tree.js';
import { EXPERT } from '../decode/expert.js';
import { formatFieldValue } from './field-format.js';
import { describerOf, protocolsInFrame, type ViewContext } from './packet-tree.js';
import { protocolAndInfo } from './summary.js';

export const PACKET_JSON_VERSION = 1;

function collect(node: TreeNode, into: Record<string, string | string[]>): void {
  if (node.field && node.value !== undefined) {
    const v = formatFieldValue(node.field, node.value);
    const prev = into[node.field.abbrev];
    if (prev === undefined) into[node.field.abbrev] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else into[node.field.abbrev] = [prev, v];
  }
  if (node.children) for (const c of node.children) collect(c, into);
}

/** One packet as a JSON-ready object (`-T json`): the `{ type, v, ... }` NDJSON record. */
export function packetToJson(packet: Packet, _view: ViewContext): Record<string, unknown> {
  const f = packet.frame;
  const { protocol, info } = protocolAndInfo(packet);
  return {
    type: 'packet',
    v: PACKET_JSON_VERSION,
    frame: f.number,
    time: `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`,
    len: f.originalLength,
    caplen: f.capturedLength,
    protocols: protocolsInFrame(packet),
    protocol,
    info,
    layers: packet.layers.map((layer) => {
      const fields: Record<string, string | string[]> = {};
      const d = describerOf(layer);
      if (d) collect(d.tree(layer, packet), fields);
      return {
        proto: layer.proto,
        status: layer.status,
        offset: layer.offset,
        ...(layer.recognisedBy === 'shape' ? { recognisedBy: 'shape' } : {}),
        ...(layer.reassembled ? { reassembled: true } : {}),
        fields,
      };
    }),
    expert: packet.expert.map((e) => ({
      id: e.id,
      severity: EXPERT[e.id].severity,
      group: EXPERT[e.id].group,
      message: e.message,
      ...(e.offset !== undefined ? { offset: e.offset } : {}),
      ...(e.field !== undefined ? { field: e.field } : {}),
    })),
  };
}
