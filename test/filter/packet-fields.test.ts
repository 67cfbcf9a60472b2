import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { decodeCapture } from '../../src/decode/stream.js';
import { DEFAULT_DECODE_CONFIG } from '../../src/decode/layer.js';
import type { Packet } from '../../src/decode/packet.js';
import type { TreeNode } from '../../src/decode/tree.js';
import { describerOf, packetTree, type ViewContext } from '../../src/output/packet-tree.js';
import { ALL_FIELDS } from '../../src/decode/protocols.js';
import { compilePacketFilter } from '../../src/filter/display-filter.js';
import { parseFilter } from '../../src/filter/parser.js';
import { compileNode } from '../../src/filter/compile.js';
import { valuesEqual } from '../../src/filter/compile.js';
import { filterValue, frameValue, layersHolding, PACKET_ALIASES, PACKET_CATALOG, PACKET_FIELDS } from '../../src/filter/packet-fields.js';
import type { FilterField, FilterValue } from '../../src/filter/types.js';
import { CORPUS, FIXTURES, capturesUnder } from '../support/environment.js';
import { FILTERS } from './filters.js';

const captures = [...capturesUnder(FIXTURES), ...capturesUnder(CORPUS)];

async function packetsOf(file: string): Promise<{ packets: Packet[]; view: ViewContext }> {
  const packets: Packet[] = [];
  await decodeCapture(file, DEFAULT_DECODE_CONFIG, (p) => void packets.push(p)).catch(() => undefined);
  const f = packets[0]?.frame;
  return { packets, view: { firstSec: f?.tsSec ?? 0, firstNsec: f?.tsNsec ?? 0 } };
}

function walk(nodes: readonly TreeNode[], visit: (n: TreeNode) => void): void {
  for (const n of nodes) {
    visit(n);
    if (n.children) walk(n.children, visit);
  }
}

/** The slow, obviously right evaluation: every field of the whole packet tree. */
function naiveRecord(packet: Packet, view: ViewContext): (f: FilterField) => FilterValue[] {
  const all = new Map<string, FilterValue[]>();
  walk(packetTree(packet, view), (n) => {
    if (!n.field || n.value === undefined) return;
    const v = filterValue(n.field, n.value);
    if (v !== undefined) all.set(n.field.abbrev, [...(all.get(n.field.abbrev) ?? []), v]);
  });
  return (f) => {
    if (f.type === 'protocol') return f.name === 'frame' || packet.layers.some((l) => layersHolding(f.name).includes(l.proto)) ? [1] : [];
    return (PACKET_ALIASES[f.name] ?? [f.name]).flatMap((n) => all.get(n) ?? []);
  };
}

describe('packet fields for display filters', () => {
  it('knows every tree field, each protocol and the two-way aliases', () => {
    for (const name of ALL_FIELDS.keys()) expect(PACKET_FIELDS.get(name)?.domain).toBe('packet');
    for (const p of ['frame', 'eth', 'ip', 'ipv6', 'udp', 'tcp', 'icmp', 'esp', 'ah', 'isakmp', 'udpencap', 'gre', 'l2tp']) expect(PACKET_FIELDS.get(p)?.type).toBe('protocol');
    for (const a of ['ip.addr', 'ipv6.addr', 'udp.port', 'tcp.port', 'eth.addr']) expect(PACKET_FIELDS.has(a)).toBe(true);
  });

  // The evaluator builds only the trees of layers that can hold the fields a filter reads.
  it.each(captures.map((c) => [path.basename(c), c]))('a layer tree holds only its protocol\'s fields, and frame values match the tree: %s', async (_name, file) => {
    const { packets, view } = await packetsOf(file);
    const wrong = new Set<string>();
    for (const p of packets) {
      for (const layer of p.layers) {
        const d = describerOf(layer);
        if (!d) continue;
        walk([d.tree(layer, p)], (n) => {
          if (!n.field) return;
          const prefix = n.field.abbrev.slice(0, n.field.abbrev.indexOf('.'));
          if (!layersHolding(prefix).includes(layer.proto)) wrong.add(`${n.field.abbrev} in a ${layer.proto} tree (frame ${p.frame.number})`);
        });
      }
      walk([packetTree(p, view)[0]!], (n) => {
        if (!n.field || n.value === undefined) return;
        const want = filterValue(n.field, n.value);
        const got = frameValue(n.field.abbrev, p, view);
        if (want === undefined || got === undefined || !valuesEqual(want, got)) wrong.add(`${n.field.abbrev} differs (frame ${p.frame.number})`);
      });
    }
    expect([...wrong].slice(0, 20)).toEqual([]);
  });

  it('the fast evaluation equals reading the whole tree, for every filter of the tshark comparison', async () => {
    const compiled = FILTERS.map((f) => ({ f, fast: compilePacketFilter(f), slow: compileNode(parseFilter(f), f, PACKET_CATALOG) }));
    const wrong: string[] = [];
    for (const file of capturesUnder(FIXTURES)) {
      const { packets, view } = await packetsOf(file);
      for (const p of packets) {
        const record = naiveRecord(p, view);
        for (const { f, fast, slow } of compiled) if (fast(p, view) !== slow.test(slow.fields.map(record))) wrong.push(`${path.basename(file)} frame ${p.frame.number} [${f}]`);
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
