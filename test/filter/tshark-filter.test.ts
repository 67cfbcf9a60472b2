import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { decodeCapture } from '../../src/decode/stream.js';
import { DEFAULT_DECODE_CONFIG } from '../../src/decode/layer.js';
import type { ViewContext } from '../../src/output/packet-tree.js';
import { compilePacketFilter, type PacketPredicate } from '../../src/filter/display-filter.js';
import { parseFilter } from '../../src/filter/parser.js';
import { compileNode } from '../../src/filter/compile.js';
import { PACKET_ALIASES, PACKET_CATALOG } from '../../src/filter/packet-fields.js';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { CORPUS, FIXTURES, IN_CI, REPO_ROOT, capturesUnder, groundTruthMissing } from '../support/environment.js';
import { isKnownDifference, loadKnownDifferences, type KnownDifference } from '../support/tshark-differences.js';
import { FILTERS } from './filters.js';
import { tsharkSelect, tsharkSelectAll, tsharkSelectOne, type TsharkSelection } from './tshark-filters.js';

/**
 * `espy packets -Y F` selects the frames `tshark -Y F` selects, for every filter below on every
 * capture of fixtures/ and the shared corpus (not malformed/). tshark evaluates all filters in one
 * pass per capture (tap listeners, tshark-taps.lua). A frame where they disagree is accepted only
 * when the filter reads a field whose value on that frame is a documented difference between
 * espy and tshark (test/tshark-differences.md).
 */


const missing = groundTruthMissing({ exactTshark: true, corpus: true });

const captures = [
  ...capturesUnder(FIXTURES, { exclude: [`${path.sep}malformed${path.sep}`, `${path.sep}capture${path.sep}`] }),
  ...capturesUnder(CORPUS, { exclude: [`${path.sep}malformed${path.sep}`] }),
];

const keyOf = (c: string): string => (c.startsWith(CORPUS) ? path.relative(CORPUS, c) : path.relative(REPO_ROOT, c));

/** The -T fields names a filter reads (aliases expanded, a protocol as its prefix). */
function fieldsRead(filter: string): string[] {
  const compiled = compileNode(parseFilter(filter), filter, PACKET_CATALOG);
  return compiled.fields.flatMap((f) => (f.type === 'protocol' ? [`${f.name}.`] : [...(PACKET_ALIASES[f.name] ?? [f.name])]));
}

function explained(known: readonly KnownDifference[], capture: string, frame: number, fields: readonly string[]): boolean {
  return known.some(
    (k) => k.capture === capture && fields.some((f) => (f.endsWith('.') ? k.field.startsWith(f) : k.field === f)) && isKnownDifference([k], { capture, frame, field: k.field, tshark: k.tshark, espy: k.espy }),
  );
}

async function espySelect(capture: string, filters: readonly string[]): Promise<number[][]> {
  const predicates: PacketPredicate[] = filters.map((f) => compilePacketFilter(f));
  const selected = filters.map((): number[] => []);
  let view: ViewContext | undefined;
  await decodeCapture(capture, DEFAULT_DECODE_CONFIG, (p) => {
    view ??= { firstSec: p.frame.tsSec, firstNsec: p.frame.tsNsec };
    predicates.forEach((pred, i) => {
      if (pred(p, view!)) selected[i]!.push(p.frame.number);
    });
  });
  return selected;
}

describe('tshark environment for display filters', () => {
  it.runIf(IN_CI)('has tshark and the shared corpus under CI', () => expect(missing).toBeUndefined());
});

describe.skipIf(missing !== undefined)(`-Y selects the frames tshark 4.0 selects (${FILTERS.length} filters)`, () => {
  const known = loadKnownDifferences();
  let tsharkResults = new Map<string, TsharkSelection[]>();
  beforeAll(async () => {
    tsharkResults = await tsharkSelectAll(captures, FILTERS);
  }, 600_000);

  it('the tap listeners select what -Y selects', async () => {
    const capture = path.join(FIXTURES, 'public', 'isakmp4500.pcap');
    const sample = ['udp.port != 500', 'ip.addr !== 192.1.2.23', 'isakmp.typepayload != 13', 'udp.srcport in {4000..4600, 500}', 'esp'];
    expect(await tsharkSelect(capture, sample)).toEqual(await Promise.all(sample.map((f) => tsharkSelectOne(capture, f))));
  });

  it.each(captures.map((c) => [keyOf(c), c]))('%s', async (key, capture) => {
    const want = tsharkResults.get(capture)!;
    const got = await espySelect(capture, FILTERS);
    const unexplained: string[] = [];
    FILTERS.forEach((filter, i) => {
      const t = want[i]!;
      if ('error' in t) {
        unexplained.push(`[${filter}] tshark rejects it: ${t.error}`);
        return;
      }
      const tset = new Set(t.frames);
      const eset = new Set(got[i]);
      const fields = fieldsRead(filter);
      const onlyTshark = t.frames.filter((n) => !eset.has(n) && !explained(known, key, n, fields));
      const onlyEspy = got[i]!.filter((n) => !tset.has(n) && !explained(known, key, n, fields));

      if (onlyTshark.length || onlyEspy.length) unexplained.push(`[${filter}] only tshark: ${onlyTshark.slice(0, 10).join(' ')}; only espy: ${onlyEspy.slice(0, 10).join(' ')}`);
    });
    expect(unexplained, `${key}`).toEqual([]);
  });

  it('through the CLI: espy packets -Y prints the frames tshark prints', async () => {
    const capture = path.join(FIXTURES, 'public', 'isakmp4500.pcap');
    for (const filter of ['isakmp.ispi == 9e89f2388f90bc1e', '!isakmp && udp', 'udpencap.nat_keepalive']) {
      const io = memoryIo();
      expect(await run(['packets', capture, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], io)).toBe(0);
      const t = await tsharkSelectOne(capture, filter);
      expect('frames' in t && t.frames.map(String)).toEqual(io.stdout);
    }
  });
});
