/**
 * One account of every IKE message: `analyze --json`, `verify --json`, `timeline --ndjson` and
 * the report's ladder data, each run as its command runs it (own options, fast path or not),
 * agree per IKE SA on the float (frame and message), the retransmission count, the NAT sides, the
 * rebinding frame and which IKE SA each ESP SA belongs to — on every capture of fixtures/, the
 * shared corpus, and two crafted captures that used to split them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, FIXTURES, capturesUnder, hasCorpus } from './support/environment.js';
import { analyzeJson, espy, tempCapture } from './support/run-espy.js';
import { natSession } from './support/natt-scenarios.js';
import { writePcap, type RecordSpec } from './support/capture-writer.js';
import { analyzeCapture } from '../src/cli/analyze-command.js';
import { memoryIo } from '../src/cli/io.js';
import { DEFAULT_ANALYZER_OPTIONS } from '../src/analysis/analyzer.js';
import { LadderCollector, MAX_ROWS, type SaLadder } from '../src/report/ladder-data.js';
import type { AnalysisReport, IkeSaReport } from '../src/analysis/report.js';
import type { VerifyReport } from '../src/verify/report.js';

interface TimelineLine {
  frame: number | null;
  sa: string | null;
  kind: string;
  finding: string | null;
  message: string;
}

const label = (sa: { ikeVersion: 1 | 2; initiatorSpi: string; responderSpi: string }): string => `IKEv${sa.ikeVersion} ${sa.initiatorSpi}/${sa.responderSpi}`;

/** The ladder's short label for the analysis's float message: "Main Mode message 5" → "Main Mode 5/". */
function ladderPrefix(floatedAt: string): string {
  const m = /^(.*) message (\d)$/.exec(floatedAt);
  return m ? `${m[1]} ${m[2]}/` : floatedAt;
}

async function ladders(file: string): Promise<SaLadder[]> {
  // What `espy report` runs: the analysis with a LadderCollector listening (its options, fast path on).
  const collector = new LadderCollector();
  await analyzeCapture(file, { failOn: 'never', keepaliveTimeout: 20, maxIkeSas: 100_000, maxEspSas: 200_000, maxFlows: 200_000, natdSearchHashes: DEFAULT_ANALYZER_OPTIONS.natdSearchHashes }, memoryIo(), false, { listener: collector });
  return collector.ladders;
}

interface Accounts {
  analysis: AnalysisReport;
  timeline: TimelineLine[];
  ladders: SaLadder[];
  verify: VerifyReport;
}

async function accounts(file: string): Promise<Accounts> {
  const { report: analysis } = await analyzeJson(file);
  const t = await espy('timeline', file, '--ndjson');
  const v = await espy('verify', file, '--json');
  expect(v.out.length, v.err.join('\n')).toBe(1);
  return { analysis, timeline: t.out.map((l) => JSON.parse(l) as TimelineLine), ladders: await ladders(file), verify: JSON.parse(v.out[0]!) as VerifyReport };
}

function rebindingOf(analysis: AnalysisReport, sa: IkeSaReport): number | null {
  return analysis.findings.find((f) => f.id === 'natt.rebinding' && f.subject === label(sa))?.frames[0] ?? null;
}

/** Every disagreement between the four accounts, as text (empty when they agree). */
function disagreements({ analysis, timeline, ladders: ladderList, verify }: Accounts): string[] {
  const out: string[] = [];
  const ladderOf = new Map(ladderList.map((l) => [label(l.sa), l]));
  const verified = verify.implementations.flatMap((i) => i.sas);
  for (const sa of analysis.ikeSas) {
    const name = label(sa);
    const ladder = ladderOf.get(name);
    if (!ladder) {
      out.push(`${name}: no ladder`);
      continue;
    }
    const complete = ladder.omitted === 0 && sa.messages < MAX_ROWS;
    const ikeRows = ladder.rows.filter((r) => r.kind === 'ike');
    // The float.
    const floatRows = ikeRows.filter((r) => r.kind === 'ike' && r.floated);
    if (sa.floatedAtFrame === null) {
      if (floatRows.length) out.push(`${name}: ladder floats at ${floatRows[0]!.frame}, analysis never`);
    } else {
      const row = floatRows[0];
      if (complete && (floatRows.length !== 1 || row?.frame !== sa.floatedAtFrame)) out.push(`${name}: float at ${sa.floatedAtFrame} (analysis), ${floatRows.map((r) => r.frame).join(',')} (ladder)`);
      if (row?.kind === 'ike' && sa.floatedAt && !row.exchange.startsWith(ladderPrefix(sa.floatedAt))) out.push(`${name}: float message ${sa.floatedAt} (analysis), ${row.exchange} (ladder)`);
      const ev = timeline.find((e) => e.kind === 'ike_sa.floated' && e.sa === name);
      if (!ev || ev.frame !== sa.floatedAtFrame) out.push(`${name}: float at ${sa.floatedAtFrame} (analysis), ${ev?.frame ?? 'none'} (timeline)`);
      else if (sa.floatedAt && !ev.message.includes(sa.floatedAt)) out.push(`${name}: timeline float message "${ev.message}" lacks ${sa.floatedAt}`);
    }
    // Retransmissions.
    const ladderRetx = ikeRows.filter((r) => r.kind === 'ike' && r.retransmission).length;
    if (complete && ladderRetx !== sa.retransmissions) out.push(`${name}: ${sa.retransmissions} retransmissions (analysis), ${ladderRetx} (ladder)`);
    // verify: the same SA, its float, retransmissions (when it kept every message), NAT sides, rebinding.
    const mine = verified.filter((v) => v.initiatorSpi === sa.initiatorSpi && v.responderSpi === sa.responderSpi && v.ikeVersion === sa.ikeVersion);
    if (sa.initiator && sa.responder && mine.length === 0) out.push(`${name}: not in verify`);
    for (const v of mine) {
      if (v.floatedAtFrame !== sa.floatedAtFrame) out.push(`${name}: float at ${sa.floatedAtFrame} (analysis), ${v.floatedAtFrame} (verify)`);
      if (sa.messages <= 256 && v.retransmissions !== sa.retransmissions) out.push(`${name}: ${sa.retransmissions} retransmissions (analysis), ${v.retransmissions} (verify)`);
      if (v.nat.initiator !== sa.nat.initiator || v.nat.responder !== sa.nat.responder) out.push(`${name}: NAT ${sa.nat.initiator}/${sa.nat.responder} (analysis), ${v.nat.initiator}/${v.nat.responder} (verify)`);
      if (v.rebindingFrame !== rebindingOf(analysis, sa)) out.push(`${name}: rebinding at ${rebindingOf(analysis, sa)} (analysis), ${v.rebindingFrame} (verify)`);
    }
    // NAT sides in the timeline: a NAT detected event exactly when a side is behind one.
    const behind = sa.nat.initiator === 'behind-nat' || sa.nat.responder === 'behind-nat';
    const detected = timeline.some((e) => e.kind === 'nat.detected' && e.sa === name);
    if (behind !== detected) out.push(`${name}: NAT ${behind ? '' : 'not '}detected (analysis), ${detected ? '' : 'no '}nat.detected event (timeline)`);
    // The rebinding in the timeline.
    const rebinding = rebindingOf(analysis, sa);
    const moved = timeline.find((e) => e.finding === 'natt.rebinding' && e.sa === name);
    if ((moved?.frame ?? null) !== rebinding) out.push(`${name}: rebinding at ${rebinding} (analysis), ${moved?.frame ?? null} (timeline)`);
  }
  // ESP attribution: the ladder draws each ESP SA's first packet under the IKE SA the analysis tied it to; the timeline labels it so.
  const byLabel = new Map(analysis.ikeSas.map((s) => [label(s), s]));
  for (const e of analysis.espSas) {
    const owner = e.ikeSa ? byLabel.get(label({ ikeVersion: analysis.ikeSas.find((s) => s.initiatorSpi === e.ikeSa!.initiatorSpi && s.responderSpi === e.ikeSa!.responderSpi)?.ikeVersion ?? 1, ...e.ikeSa })) : undefined;
    const first = timeline.find((t) => t.kind === 'esp_sa.first' && t.frame === e.firstFrame && t.message.includes(`0x${e.spi}`));
    const expected = owner ? label(owner) : `ESP 0x${e.spi}`;
    if (first?.sa !== expected) out.push(`ESP 0x${e.spi} (frame ${e.firstFrame}): ${expected} (analysis), ${first?.sa ?? 'no event'} (timeline)`);
    for (const l of ladderList) {
      if (l.omitted > 0) continue;
      const drawn = l.rows.some((r) => r.kind === 'traffic' && r.firstFrame <= e.firstFrame && e.firstFrame <= r.lastFrame && r.frames.includes(e.firstFrame));
      const mineToDraw = owner !== undefined && label(owner) === label(l.sa);
      if (drawn !== mineToDraw && (mineToDraw || drawn)) out.push(`ESP 0x${e.spi} (frame ${e.firstFrame}): ${owner ? label(owner) : 'no IKE SA'} (analysis), ${drawn ? '' : 'not '}drawn in ${label(l.sa)}'s ladder`);
    }
  }
  return out;
}

const captures = [...capturesUnder(FIXTURES), ...(hasCorpus() ? capturesUnder(CORPUS) : [])];

describe('analyze, verify, timeline and report agree on every capture', () => {
  it('has captures to compare', () => {
    expect(captures.length).toBeGreaterThan(20);
  });

  it.each(captures.map((c) => [path.relative(path.dirname(FIXTURES), c), c]))('%s', async (_name, file) => {
    expect(disagreements(await accounts(file))).toEqual([]);
  });
});

/** Main Mode through the initiator's NAT (capture outside it), with IKE records editable. */
function mainModeBehindNat(): RecordSpec[] {
  return [...natSession({ version: 1, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [40001, 40002], responder: '203.0.113.9', capture: 'middle', espPackets: 2 }).records];
}

/** The record with its UDP source port replaced (checksum zeroed: the copy is not the original). */
function fromPort(r: RecordSpec, port: number): RecordSpec {
  const data = Uint8Array.from(r.data);
  const udp = 14 + (data[14]! & 0x0f) * 4;
  data[udp] = port >> 8;
  data[udp + 1] = port & 0xff;
  data[udp + 6] = 0;
  data[udp + 7] = 0;
  return { ...r, data, tsUsec: (r.tsUsec ?? 0) + 500 };
}

describe('the divergences that used to split the commands give one answer', () => {
  it('Main Mode 2 missing from the capture: Main Mode 5 is still message 5, for analyze, verify, timeline and report', async () => {
    const records = mainModeBehindNat();
    records.splice(1, 1); // MM2
    const file = tempCapture(writePcap(records));
    const all = await accounts(file);
    expect(disagreements(all)).toEqual([]);
    const [sa] = all.analysis.ikeSas;
    expect(sa!.floatedAt).toBe('Main Mode message 5');
    expect(all.analysis.findings.map((f) => f.id)).not.toContain('natt.float_unexpected_message');
    const a7 = all.verify.implementations.flatMap((i) => i.results).find((r) => r.id === 'A7');
    expect(a7?.result).toBe('pass');
  });

  it('Main Mode 3 retransmitted from a new source port: one retransmission, established at Main Mode 6, for all four', async () => {
    const records = mainModeBehindNat();
    // MM3 (the initiator's third record) again from another port, before MM4.
    records.splice(3, 0, fromPort(records[2]!, 40077));
    const file = tempCapture(writePcap(records));
    const all = await accounts(file);
    expect(disagreements(all)).toEqual([]);
    const [sa] = all.analysis.ikeSas;
    expect(sa!.retransmissions).toBe(1);
    // MM6 is frame 7 (MM1-MM4, the copy, MM5, MM6).
    expect(all.timeline.find((e) => e.kind === 'ike_sa.established')).toMatchObject({ frame: 7, message: 'IKE SA established (Main Mode message 6 seen)' });
    const ladder = all.ladders[0]!;
    expect(ladder.rows.filter((r) => r.kind === 'ike').map((r) => (r.kind === 'ike' ? `${r.exchange}${r.retransmission ? ' (retx)' : ''}` : ''))).toEqual([
      'Main Mode 1/6', 'Main Mode 2/6', 'Main Mode 3/6', 'Main Mode 3/6 (retx)', 'Main Mode 4/6', 'Main Mode 5/6', 'Main Mode 6/6', 'Quick Mode 1/3', 'Quick Mode 2/3',
    ]);
    // A retransmission does not move a mapping: no rebinding, in any account.
    expect(all.analysis.findings.map((f) => f.id)).not.toContain('natt.rebinding');
  });
});
