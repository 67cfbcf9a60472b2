/**
 * The cheap trees of `-T fields` and `-Y`. `withoutLabels` (Wireshark's invisible tree): the trees
 * it builds have exactly the nodes, fields and values of the labelled ones, and '' for every field
 * label; outside it, labels are made as before (also after a build that threw). `treesHolding`:
 * building only the trees that can hold a field gives that field the values the whole tree
 * gives, for every supported field on every capture of fixtures/ and the shared corpus.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { decodeCapture } from '../../src/decode/stream.js';
import { DEFAULT_DECODE_CONFIG } from '../../src/decode/layer.js';
import { CaptureError } from '../../src/capture/frame.js';
import { packetTree, treesHolding } from '../../src/output/packet-tree.js';
import { extractFields, SUPPORTED_FIELDS } from '../../src/output/fields.js';
import { item, withoutLabels, type TreeNode } from '../../src/decode/tree.js';
import { CORPUS, FIXTURES, capturesUnder } from '../support/environment.js';

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

describe('-T fields builds only the trees that can hold its fields', () => {
  const captures = [...capturesUnder(FIXTURES), ...capturesUnder(CORPUS)];

  it('gives every supported field the values of the whole tree, on every capture', async () => {
    const only = SUPPORTED_FIELDS.map((f) => [f, treesHolding([f])] as const);
    expect(only.filter(([, t]) => t === undefined).map(([f]) => f)).toEqual([]);
    let compared = 0;
    let nonEmpty = 0;
    for (const file of captures) {
      await decodeCapture(file, DEFAULT_DECODE_CONFIG, (packet) => {
        const view = { firstSec: 0, firstNsec: 0 };
        const whole = extractFields(packetTree(packet, view), SUPPORTED_FIELDS);
        only.forEach(([field, trees], i) => {
          const [values] = extractFields(withoutLabels(() => packetTree(packet, view, trees)), [field]);
          expect(values, `${field} in frame ${packet.frame.number} of ${file}`).toEqual(whole[i]);
          compared++;
          if (values!.length) nonEmpty++;
        });
      }).catch((e: unknown) => {
        // The malformed captures end in a file error: the frames before it count. Anything else
        // (a failed expectation inside the sink) fails the test.
        if (!(e instanceof CaptureError)) throw e;
      });
    }
    expect(captures.length).toBeGreaterThanOrEqual(10);
    expect(nonEmpty).toBeGreaterThan(10_000);
    console.log(`${compared} field values compared (${nonEmpty} non-empty) on ${captures.length} captures`);
  }, 120_000);

  it('falls back to every tree for a name it cannot place, and keeps the frame node only for frame.*', () => {
    expect(treesHolding(['nosuchproto.field'])).toBeUndefined();
    expect([...treesHolding(['frame.number', 'ip.src', 'udp.srcport'])!].sort()).toEqual(['frame', 'ip', 'udp']);
  });
});
