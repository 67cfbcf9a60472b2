/**
 * `withoutLabels` (Wireshark's invisible tree, used by `-T fields` and `-Y`): the trees it builds
 * have exactly the nodes, fields and values of the labelled ones, and '' for every field label;
 * outside it, labels are made as before (also after a build that threw).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { decodeCapture } from '../../src/decode/stream.js';
import { DEFAULT_DECODE_CONFIG } from '../../src/decode/layer.js';
import { packetTree } from '../../src/output/packet-tree.js';
import { item, withoutLabels, type TreeNode } from '../../src/decode/tree.js';
import { FIXTURES } from '../support/environment.js';

interface Shape {
  readonly abbrev: string | undefined;
  readonly value: unknown;
  readonly offset: number | undefined;
  readonly children: Shape[];
}
const shape = (n: TreeNode): Shape => ({ abbrev: n.field?.abbrev, value: n.value, offset: n.offset, children: (n.children ?? []).map(shape) });
const fieldLabels = (nodes: readonly TreeNode[]): string[] => nodes.flatMap((n) => [...(n.field ? [n.label] : []), ...fieldLabels(n.children ?? [])]);

describe('trees without labels', () => {
  it('hold the same nodes and values as labelled trees, with empty field labels', async () => {
    let packets = 0;
    let fields = 0;
    for (const file of ['public/isakmp4500.pcap', 'public/ipsec-client-fragmented.pcap', 'lab/ikev1-transport-natt-esp-null/outside-nat.pcap', 'lab/ikev2-ipv6-no-nat/wire.pcap']) {
      await decodeCapture(path.join(FIXTURES, file), DEFAULT_DECODE_CONFIG, (packet) => {
        const view = { firstSec: 0, firstNsec: 0 };
        const labelled = packetTree(packet, view);
        const bare = withoutLabels(() => packetTree(packet, view));
        expect(bare.map(shape)).toEqual(labelled.map(shape));
        const labels = fieldLabels(bare);
        expect(labels.every((l) => l === '')).toBe(true);
        expect(fieldLabels(labelled).some((l) => l !== '')).toBe(true);
        packets++;
        fields += labels.length;
      });
    }
    expect(packets).toBeGreaterThan(40);
    expect(fields).toBeGreaterThan(1000);
  });

  it('are only made inside withoutLabels, even when the build throws', () => {
    const def = { name: 'Port', abbrev: 'udp.port', type: 'uint', bits: 16 } as const;
    expect(() => withoutLabels(() => { throw new Error('boom'); })).toThrow('boom');
    expect(item(def, 500).label).toBe('Port: 500');
    expect(withoutLabels(() => item(def, 500)).label).toBe('');
  });
});
