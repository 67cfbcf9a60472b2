import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { analyzeJson, espy, tempCapture } from '../support/run-espy.js';
import { CORPUS, FIXTURES, hasCorpus } from '../support/environment.js';
import { natSession } from '../support/natt-scenarios.js';
import { ikeMessage, P, type PayloadSpec } from '../support/ike-builders.js';
import { concat, ether, hex, ipv4, u16, u32, u8, udp } from '../support/packet-builders.js';
import { writePcap } from '../support/capture-writer.js';
import { TimelineRecorder, type TimelineEvent } from '../../src/analysis/timeline.js';
import { isoMicros, renderTimelineText } from '../../src/output/timeline-text.js';
import { timelineToNdjson } from '../../src/output/timeline-json.js';

interface EventRecord {
  type: string;
  v: number;
  time: string | null;
  frame: number | null;
  sa: string | null;
  kind: string;
  message: string;
  frames: number[];
  inferred: boolean;
  finding: string | null;
  severity: string | null;
  capture: string;
}

const LAB = path.join(FIXTURES, 'lab');
const lab = (scenario: string, file: string): string => path.join(LAB, scenario, file);

async function timeline(file: string, ...extra: string[]): Promise<EventRecord[]> {
  const r = await espy('timeline', file, '--ndjson', ...extra);
  expect(r.err).toEqual([]);
  expect(r.code).toBe(0);
  return r.out.map((l) => JSON.parse(l) as EventRecord);
}

/** The events matching each expectation appear in this order (others may come between). */
function expectInOrder(events: readonly EventRecord[], wanted: readonly { kind: string; message?: RegExp; inferred?: boolean }[]): void {
  let at = 0;
  for (const w of wanted) {
    const i = events.findIndex((e, j) => j >= at && e.kind === w.kind && (!w.message || w.message.test(e.message)) && (w.inferred === undefined || e.inferred === w.inferred));
    expect(i, `${w.kind} ${w.message ?? ''} after event ${at}: ${events.map((e) => `${e.frame}:${e.kind}`).join(' ')}`).toBeGreaterThanOrEqual(0);
    at = i + 1;
  }
}

describe.skipIf(!existsSync(LAB))('espy timeline on the lab recordings', () => {
  it('ikev2-client-behind-nat: started → NAT detected (initiator) → floated → established → deleted', async () => {
    for (const file of ['outside-nat.pcap', 'inside-nat.pcap']) {
      const events = await timeline(lab('ikev2-client-behind-nat', file));
      expectInOrder(events, [
        { kind: 'ike_sa.started', message: /IKE_SA_INIT/ },
        { kind: 'nat.detected', message: /initiator .*behind a NAT/ },
        { kind: 'ike_sa.floated', message: /IKE_AUTH request/ },
        { kind: 'ike_sa.established', message: /IKE_AUTH response/ },
        { kind: 'ike_sa.deleted', inferred: true },
      ]);
      expect(events.filter((e) => e.kind === 'nat.detected').every((e) => !/responder .*behind/.test(e.message))).toBe(true);
      const sa = events[0]!.sa;
      expect(sa).toBe('IKEv2 59bbf39c982e9078/2b7b4214398fc1e8');
      expect(events.filter((e) => e.kind.startsWith('ike_sa.')).every((e) => e.sa === sa)).toBe(true);
    }
  });

  it('ikev2-server-behind-nat: the NAT is on the responder side', async () => {
    const events = await timeline(lab('ikev2-server-behind-nat', 'outside-nat.pcap'));
    expectInOrder(events, [{ kind: 'ike_sa.started' }, { kind: 'nat.detected', message: /responder .*behind a NAT/ }, { kind: 'ike_sa.floated' }, { kind: 'ike_sa.established' }, { kind: 'ike_sa.deleted' }]);
  });

  it('ikev2-no-nat: no NAT, no float', async () => {
    const events = await timeline(lab('ikev2-no-nat', 'wire.pcap'));
    expectInOrder(events, [{ kind: 'ike_sa.started' }, { kind: 'ike_sa.established' }, { kind: 'ike_sa.deleted' }]);
    expect(events.some((e) => e.kind === 'nat.detected' || e.kind === 'ike_sa.floated')).toBe(false);
  });

  it('ikev1 Main Mode: established at MM6, Quick Mode, deleted', async () => {
    const events = await timeline(lab('ikev1-main-mode-behind-nat', 'outside-nat.pcap'));
    expectInOrder(events, [
      { kind: 'ike_sa.started', message: /Main Mode/ },
      { kind: 'nat.detected', message: /initiator/ },
      { kind: 'ike_sa.floated', message: /Main Mode message 5/ },
      { kind: 'ike_sa.established', message: /Main Mode message 6/ },
      { kind: 'ike_sa.child_sa', message: /Quick Mode/ },
      { kind: 'ike_sa.deleted', inferred: true },
    ]);
    expect(events.find((e) => e.kind === 'ike_sa.established')?.frame).toBe(6);
  });

  it('ikev1 Aggressive Mode: established at AM3', async () => {
    const events = await timeline(lab('ikev1-aggressive-mode-behind-nat', 'inside-nat.pcap'));
    expect(events.find((e) => e.kind === 'ike_sa.established')).toMatchObject({ frame: 3, message: expect.stringMatching(/Aggressive Mode message 3/) as unknown as string });
  });

  it('nat-mapping-change: the ESP SPI and the IKE SA move to a new port; ESP SAs first/last with volume', async () => {
    const events = await timeline(lab('nat-mapping-change', 'outside-nat.pcap'));
    expectInOrder(events, [
      { kind: 'ike_sa.started' },
      { kind: 'esp_sa.first', message: /0x12136292/ },
      { kind: 'esp_sa.last', message: /0x12136292 .*10 packets, 1572 bytes/ },
      { kind: 'nat.mapping_changed', message: /ESP SPI 0x12136292 source moved from 198\.51\.100\.2:20023 to 198\.51\.100\.2:21037/ },
      { kind: 'nat.mapping_changed', message: /natt\.rebinding/ },
      { kind: 'ike_sa.child_sa', message: /CREATE_CHILD_SA/ },
      { kind: 'esp_sa.first', message: /0xe86e4702/ },
      { kind: 'ike_sa.deleted' },
    ]);
    // Dated at the first packet from the new mapping (ESP, frame 24), not the later IKE message (27).
    expect(events.find((e) => e.finding === 'natt.rebinding')).toMatchObject({ kind: 'nat.mapping_changed', frame: 24, severity: 'note' });
  });

  it('natt-keepalive-short: keepalives, and gaps above --keepalive-timeout', async () => {
    const file = lab('natt-keepalive-short', 'outside-nat.pcap');
    const quiet = await timeline(file);
    expect(quiet.filter((e) => e.kind === 'keepalive.started')).toHaveLength(1);
    expect(quiet.some((e) => e.kind === 'keepalive.gap')).toBe(false);
    const gaps = (await timeline(file, '--keepalive-timeout', '1')).filter((e) => e.kind === 'keepalive.gap');
    expect(gaps.map((e) => e.frames)).toEqual([
      [5, 6],
      [6, 7],
    ]);
    expect(gaps[0]!.message).toMatch(/No NAT keepalive for 2\.0 s \(above 1 s\)/);
    expect(gaps[0]!.sa).toMatch(/^IKEv2 /);
  });

  it('every lab capture: time order, ISO 8601 UTC with microseconds, every finding once', async () => {
    for (const scenario of ['ikev2-both-behind-nat', 'ikev2-esp-null-tunnel-nat', 'ikev1-transport-natt-esp-null', 'ikev2-ipv6-no-nat']) {
      for (const file of ['client-outside-nat.pcap', 'outside-nat.pcap', 'inside-nat.pcap', 'wire.pcap'].map((f) => lab(scenario, f)).filter(existsSync)) {
        const events = await timeline(file);
        const times = events.map((e) => e.time).filter((t): t is string => t !== null);
        expect(times.every((t) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(t))).toBe(true);
        expect([...times].sort()).toEqual(times);
        for (const e of events) expect(e).toMatchObject({ type: 'event', v: 1, capture: file });
        const { report } = await analyzeJson(file);
        expect(events.filter((e) => e.finding).map((e) => `${e.finding}|${e.frames.join(',')}`).sort()).toEqual(report.findings.map((f) => `${f.id}|${f.frames.join(',')}`).sort());
      }
    }
  });

  it('dates frames exactly (tshark: frame 1 at 1795422423.874453000)', async () => {
    const events = await timeline(lab('ikev2-ipv6-no-nat', 'wire.pcap'));
    expect(events[0]).toMatchObject({ frame: 1, time: '2026-11-23T08:27:03.874453Z', kind: 'ike_sa.started' });
  });

  it('-Y narrows the timeline like analyze -Y', async () => {
    const events = await timeline(lab('nat-mapping-change', 'outside-nat.pcap'), '-Y', 'finding.severity >= error && esp_sa.spi == 0xe86e4702');
    expect(events.some((e) => e.kind === 'finding')).toBe(false);
    expect(events.filter((e) => e.kind.startsWith('esp_sa.')).every((e) => e.message.includes('0xe86e4702'))).toBe(true);
  });

  it('prints text: one line per event, and a header', async () => {
    const r = await espy('timeline', lab('ikev2-client-behind-nat', 'outside-nat.pcap'));
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/outside-nat\.pcap: \d+ events in 6 frames$/);
    expect(r.out[1]).toMatch(/^2026-11-23T08:25:44\.001082Z {2}#1 {2}ike_sa\.started +IKEv2 59bbf39c982e9078\/2b7b4214398fc1e8 {2}IKEv2 SA started: IKE_SA_INIT from 198\.51\.100\.2:500 \(initiator\) to 203\.0\.113\.2:500 \(responder\)$/);
  });
});

describe('timeline pieces', () => {
  it('keeps each frame time across chunk boundaries', () => {
    const rec = new TimelineRecorder(20);
    for (const n of [1, 65_536, 65_537, 200_000]) rec.frameTime(n, 1_700_000_000 + n, 123_456_789);
    expect(rec.timeOf(65_537)).toBe((1_700_000_000 + 65_537) * 1e6 + 123_456);
    expect(rec.timeOf(2)).toBeNull();
    expect(rec.timeOf(0)).toBeNull();
  });

  it('formats ISO 8601 UTC with microseconds', () => {
    expect(isoMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(isoMicros(1_795_422_423_874_453)).toBe('2026-11-23T08:27:03.874453Z');
    expect(isoMicros(-1)).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('escapes control characters in text and JSON output', () => {
    const hostile: TimelineEvent = {
      timeUs: null,
      frame: null,
      frames: [],
      sa: 'IKEv1 00/00',
      kind: 'finding',
      inferred: false,
      finding: null,
      severity: null,
      message: 'vendor \x1b[31mred\x1b[0m \u009b2J \u2028 end',
    };
    const [, line] = renderTimelineText('cap\x1b.pcap', 0, [hostile]);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    expect(line).toContain('vendor \\x1b[31mred');
    const json = timelineToNdjson('cap.pcap', [hostile])[0]!;
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    expect((JSON.parse(json) as { message: string }).message).toBe(hostile.message);
  });
});

describe('timeline on crafted captures', () => {
  it('an IKEv1 Delete payload in clear is a proven delete (IKE SA and CHILD SA)', async () => {
    const ispi = hex('1122334455667788');
    const rspi = hex('99aabbccddeeff00');
    const session = natSession({ version: 1, initiator: '192.0.2.1', responder: '198.51.100.1', capture: 'middle', ispi, rspi, startTime: 1_700_000_000 });
    const del = (protocol: number, spis: Uint8Array): PayloadSpec => ({ type: P.DELETE_V1, body: concat(u32(1), u8(protocol), u8(spis.length), u16(1), spis) });
    const info = ikeMessage({ ispi, rspi, version: 1, exchange: 5, mid: 0x1234, payloads: [del(3, hex('c0ffee01')), del(1, concat(ispi, rspi))] });
    const last = session.records.at(-1)!;
    const file = tempCapture(writePcap([...session.records, { data: ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.1' }, udp(500, 500, info))), tsSec: (last.tsSec ?? 0) + 5, tsUsec: 250_000 }]));
    const events = await timeline(file);
    const frame = session.records.length + 1;
    expect(events.filter((e) => e.frame === frame).map((e) => [e.kind, e.inferred, e.message])).toEqual([
      ['child_sa.deleted', false, 'CHILD SA deleted (Delete payload in clear: SPI 0xc0ffee01)'],
      ['ike_sa.deleted', false, 'IKE SA deleted (Delete payload in clear: 1122334455667788/99aabbccddeeff00)'],
    ]);
    expect(events.filter((e) => e.kind === 'ike_sa.deleted')).toHaveLength(1);
  });
});

describe.skipIf(!hasCorpus())('timeline on the shared corpus', () => {
  it('tcpdump/ikev2four.pcap: an IKEv2 IKE SA rekey is inferred from new SPIs without IKE_SA_INIT', async () => {
    const events = await timeline(path.join(CORPUS, 'tcpdump', 'ikev2four.pcap'));
    expect(events.find((e) => e.kind === 'ike_sa.rekeyed')).toMatchObject({
      frame: 21,
      sa: 'IKEv2 a88875a8198992a6/71be8358efae7663',
      inferred: true,
      message: expect.stringContaining('IKEv2 1d9be9451d4f97a8/64a2a4b5d0e17b6a') as unknown as string,
    });
  });

  it('never claims a rekey between SAs that were not established (ike-scan probes)', async () => {
    for (const f of [path.join(CORPUS, 'ike-scan-derived', 'ike-scan-vendor-responses.pcap'), path.join(CORPUS, 'arkime', 'IKEv1.pcap')])
      expect((await timeline(f)).some((e) => e.kind === 'ike_sa.rekeyed')).toBe(false);
  });
});
