import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisReport, IkeSaReport } from '../../src/analysis/report.js';
import { writePcap, type RecordSpec } from '../support/capture-writer.js';
import { FIXTURES, capturesUnder } from '../support/environment.js';
import { hex } from '../support/packet-builders.js';
import { natSession, type SessionSpec } from '../support/natt-scenarios.js';
import { analyzeJson, espy, tempCapture } from '../support/run-espy.js';

/**
 * The NAT verdict depends on the capture and the options, never on the machine or its load
 * (issue 14): the private-address search is bounded by a count of hashes, and it only adds
 * evidence to what NAT-D, ports, keepalives and addresses decide. No assertion here reads a
 * clock.
 */

const LAB = path.join(FIXTURES, 'lab');
const labCaptures = capturesUnder(LAB);

/** Several SAs in one capture: sessions one after another, each with its own SPIs. */
function sessions(specs: readonly SessionSpec[]): string {
  const records: RecordSpec[] = [];
  specs.forEach((spec, i) => {
    records.push(...natSession({ startTime: 1_700_000_000 + 100 * i, ispi: hex(`1122334455667${(0x700 + i).toString(16)}`), rspi: hex(`99aabbccddee${(0xf000 + i).toString(16)}`), ...spec }).records);
  });
  return tempCapture(writePcap(records));
}

/** Crafted captures whose verdicts need the search, or where a search finds nothing (fakes). */
const crafted: readonly (readonly [string, string])[] = [
  ...([1, 2] as const).flatMap((version) => [
    [`IKEv${version}: port-preserving NAT, private address in 10.x`, sessions([{ version, initiator: '10.3.1.20', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle' }])] as const,
    [`IKEv${version}: faked source hash (encap=yes)`, sessions([{ version, initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle', fakeSource: true }])] as const,
    [`IKEv${version}: both behind NATs`, sessions([{ version, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', responder: '10.1.0.5', responderNat: '203.0.113.80', capture: 'middle' }])] as const,
  ]),
  // Four faked hashes from one host: the default budget covers the first two searches in full,
  // the third in part and the fourth not at all, the same way on every run.
  ['IKEv2: four faked hashes share one budget', sessions(Array.from({ length: 4 }, () => ({ version: 2 as const, initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle' as const, fakeSource: true })))],
];

const SIDES = ['initiator', 'responder'] as const;
type Side = (typeof SIDES)[number];
const where = (sa: IkeSaReport, side: Side): string => (side === 'initiator' ? sa.nat.capturePoint.initiatorNat : sa.nat.capturePoint.responderNat);
/** The verdicts of a report, with nothing from the capture file name. */
const verdicts = (r: AnalysisReport): string => JSON.stringify(r.ikeSas.map((sa) => ({ spi: sa.initiatorSpi, nat: sa.nat })));

const TINY = '1';
const HUGE = '1000000000';

describe('a tiny and a huge hash budget agree wherever the deterministic evidence decides', () => {
  const all: readonly (readonly [string, string])[] = [...labCaptures.map((f) => [path.relative(LAB, f), f] as const), ...crafted];
  it.each(all)('%s', async (_name, capture) => {
    const off = (await analyzeJson(capture, '--natd-search-hashes', '0')).report;
    const tiny = (await analyzeJson(capture, '--natd-search-hashes', TINY)).report;
    const huge = (await analyzeJson(capture, '--natd-search-hashes', HUGE)).report;
    expect(tiny.ikeSas.length).toBe(huge.ikeSas.length);
    tiny.ikeSas.forEach((t, i) => {
      const h = huge.ikeSas[i]!;
      const o = off.ikeSas[i]!;
      for (const side of SIDES) {
        // Without a search and with a one-hash search, the same evidence decides the same.
        expect(t.nat[side], `${side} off/tiny`).toBe(o.nat[side]);
        if (t.nat[side] !== 'unknown') {
          expect(h.nat[side], `${side}: decided without the search, so the search cannot change it`).toBe(t.nat[side]);
          expect(where(h, side)).toBe(where(t, side));
        } else if (h.nat[side] !== 'unknown') {
          // Only what the search found may decide a side the rest left open.
          expect(h.nat.privateAddresses[side], `${side} decided by the huge budget alone`).not.toBeNull();
          expect(h.nat[side]).toBe('behind-nat');
        }
        // Every verdict says why, in both runs.
        expect(t.nat.reasoning.some((r) => r.startsWith(`${side}: `))).toBe(true);
        expect(h.nat.reasoning.some((r) => r.startsWith(`${side}: `))).toBe(true);
      }
    });
  });

  it('the tiny budget is reported as the reason a side stays open', async () => {
    const capture = crafted[0]![1];
    const { report } = await analyzeJson(capture, '--natd-search-hashes', TINY);
    expect(report.ikeSas[0]!.nat.initiator).toBe('unknown');
    expect(report.ikeSas[0]!.nat.reasoning[0]).toMatch(/budget \(--natd-search-hashes\) ran out after 1 hashes/);
    const { report: found } = await analyzeJson(capture);
    expect(found.ikeSas[0]!.nat).toMatchObject({ initiator: 'behind-nat', privateAddresses: { initiator: '10.3.1.20:500' } });
  });

  it('a shared budget runs out at the same SA every time', async () => {
    const capture = crafted.at(-1)![1];
    const { report } = await analyzeJson(capture);
    const reasons = report.ikeSas.map((sa) => sa.nat.reasoning[0]!);
    expect(reasons[0]).toMatch(/no address seen in the capture or in the common private ranges hashes to it with port 500/);
    expect(reasons[1]).toMatch(/no address seen in the capture or in the common private ranges hashes to it with port 500/);
    expect(reasons[2]).toMatch(/ran out after \d+ hashes for it/);
    expect(reasons[3]).toMatch(/ran out before it/);
    expect(report.ikeSas.every((sa) => sa.nat.initiator === 'unknown' && sa.nat.forcedEncapsulation)).toBe(true);
  });
});

describe('the same options give byte-identical JSON', () => {
  const picks: readonly (readonly [string, string])[] = [
    ...['ikev2-client-behind-nat/outside-nat.pcap', 'ikev2-libipsec-no-nat/wire.pcap', 'ikev1-aggressive-mode-behind-nat/outside-nat.pcap', 'two-clients-same-nat/outside-nat.pcap'].map((f) => [f, path.join(LAB, f)] as const),
    crafted.at(-1)!,
  ];
  it.each(picks)('%s, twice', async (_name, capture) => {
    const a = await espy('analyze', capture, '--json', '--fail-on', 'never');
    const b = await espy('analyze', capture, '--json', '--fail-on', 'never');
    expect(a.out.join('\n')).toBe(b.out.join('\n'));
    const t1 = await espy('analyze', capture, '--fail-on', 'never');
    const t2 = await espy('analyze', capture, '--fail-on', 'never');
    expect(t1.out).toEqual(t2.out);
  });
});

describe('a loaded machine gives the verdicts of an idle one', () => {
  const picks = [
    path.join(LAB, 'ikev2-client-behind-nat', 'outside-nat.pcap'), // decided by the search alone
    path.join(LAB, 'ikev2-both-behind-nat', 'client-inside-nat.pcap'), // the responder: by the search
    path.join(LAB, 'ikev2-libipsec-no-nat', 'wire.pcap'), // two full searches that find nothing
    crafted.at(-1)![1], // a budget that runs out
  ];
  const burners: ChildProcess[] = [];
  afterAll(() => {
    for (const b of burners) b.kill('SIGKILL');
  });

  it('analyses while other processes burn every core, and compares', async () => {
    const idle = new Map<string, string>();
    for (const p of picks) idle.set(p, verdicts((await analyzeJson(p)).report));
    // One busy loop per core (at least two), stopped in afterAll even if an assertion fails.
    for (let i = 0; i < Math.max(2, availableParallelism()); i++) burners.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(burners.every((b) => b.exitCode === null && b.pid !== undefined)).toBe(true);
    for (const p of picks) expect(verdicts((await analyzeJson(p)).report), p).toBe(idle.get(p));
    for (const b of burners) b.kill('SIGKILL');
  }, 120_000);
});
