import { describe, expect, it } from 'vitest';
import { HostVerdictMemory, sideVerdict, type PeerEvidence, type SideVerdict } from '../../src/analysis/nat-detection.js';
import type { AnalysisReport, IkeSaReport } from '../../src/analysis/report.js';
import { natAt, natVerdictLines } from '../../src/output/analysis-text.js';
import { writePcap, type RecordSpec } from '../support/capture-writer.js';
import { hex } from '../support/packet-builders.js';
import { natSession, type SessionSpec } from '../support/natt-scenarios.js';
import { analyzeJson, espy, findingIds, tempCapture } from '../support/run-espy.js';

/**
 * NAT-D verdicts on crafted sessions seen from each capture point (NATT-REFERENCE §2.4): the side
 * behind the NAT, where the capture sits, forced encapsulation — each with a clean counterpart.
 */
describe('NAT detection from NAT-D, per capture point', () => {
  for (const version of [1, 2] as const) {
    describe(`IKEv${version}`, () => {
      it('initiator behind a port-translating NAT, capture outside it', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [31000, 31001], responder: '203.0.113.5', capture: 'middle' }).pcap);
        const sa = report.ikeSas[0]!;
        expect(report.ikeSas).toHaveLength(1);
        expect(sa.nat).toMatchObject({ initiator: 'behind-nat', responder: 'not-behind-nat', forcedEncapsulation: false, capturePoint: { initiatorNat: 'outside', responderNat: 'no-nat' } });
        expect(sa.initiator).toEqual({ address: '198.51.100.7', port: 31000 });
        expect(sa.nattMethod).toBe(version === 1 ? 'RFC 3947' : 'IKEv2');
        expect(sa.floatedAtFrame).toBe(version === 1 ? 5 : 3);
        expect(sa.floatedAt).toBe(version === 1 ? 'Main Mode message 5' : 'IKE_AUTH request');
        expect(findingIds(report)).toEqual(expect.arrayContaining(['natt.nat_detected', 'natt.port_float', 'natt.ike_port_translated']));
        expect(findingIds(report)).not.toContain('natt.float_unexpected_message');
      });

      it('initiator behind a NAT, capture inside it (between the initiator and its NAT)', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'initiator-inside' }).pcap);
        expect(report.ikeSas[0]!.nat).toMatchObject({ initiator: 'behind-nat', responder: 'not-behind-nat', capturePoint: { initiatorNat: 'inside' } });
        expect(report.ikeSas[0]!.initiator).toEqual({ address: '10.0.0.2', port: 500 });
      });

      it('port-preserving NAT seen from outside is confirmed by the initiator\'s keepalives', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle', keepalives: { count: 3, interval: 10, from: 'initiator' } }).pcap);
        expect(report.ikeSas[0]!.nat).toMatchObject({ initiator: 'behind-nat', forcedEncapsulation: false, capturePoint: { initiatorNat: 'outside' } });
        expect(report.ikeSas[0]!.keepalives).toBe(3);
      });

      it('responder behind a port-forwarding NAT, capture outside it', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '192.0.2.10', responder: '10.1.0.5', responderNat: '203.0.113.80', capture: 'middle' }).pcap);
        const sa = report.ikeSas[0]!;
        expect(sa.nat).toMatchObject({ initiator: 'not-behind-nat', responder: 'behind-nat', capturePoint: { responderNat: 'outside', initiatorNat: 'no-nat' } });
        expect(sa.windowsAssumeUdpEncapsulationRule).toBe(1);
        expect(findingIds(report)).toContain('natt.responder_behind_nat');
      });

      it('responder behind a NAT, capture inside it', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '192.0.2.10', responder: '10.1.0.5', responderNat: '203.0.113.80', capture: 'responder-inside' }).pcap);
        expect(report.ikeSas[0]!.nat).toMatchObject({ initiator: 'not-behind-nat', responder: 'behind-nat', capturePoint: { responderNat: 'inside' } });
      });

      it('both behind NATs: Windows XP SP2 would need rule 2', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [40500, 44500], responder: '10.1.0.5', responderNat: '203.0.113.80', capture: 'middle' }).pcap);
        expect(report.ikeSas[0]!.nat).toMatchObject({ initiator: 'behind-nat', responder: 'behind-nat' });
        expect(report.ikeSas[0]!.windowsAssumeUdpEncapsulationRule).toBe(2);
      });

      it('no NAT: no NAT findings, no float, nothing at warning or above', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle' }).pcap);
        const sa = report.ikeSas[0]!;
        expect(sa.nat).toMatchObject({ initiator: 'not-behind-nat', responder: 'not-behind-nat', forcedEncapsulation: false });
        expect(sa.floatedAtFrame).toBeNull();
        expect(report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
        expect(findingIds(report)).not.toContain('natt.nat_detected');
      });

      it('a faked source hash (strongSwan encap=yes) is not called a NAT', async () => {
        // Short capture: forced encapsulation, and no way to rule out a port-preserving NAT as well.
        const short = await analyzeJson(natSession({ version, initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle', fakeSource: true }).pcap);
        expect(short.report.ikeSas[0]!.nat).toMatchObject({ initiator: 'unknown', responder: 'not-behind-nat', forcedEncapsulation: true });
        expect(findingIds(short.report)).toContain('natt.forced_encap');
        expect(findingIds(short.report)).not.toContain('natt.nat_detected');
        expect(short.report.ikeSas[0]!.floatedAtFrame).not.toBeNull();
        // Undecided, not "no NAT": the text says so, and why.
        expect(short.report.ikeSas[0]!.nat.reasoning[0]).toMatch(/no address seen in the capture or in the common private ranges hashes to it with port 500: a faked hash .* and a port-preserving NAT .* look the same here/);
        expect(findingIds(short.report)).not.toContain('natt.float_without_nat');
        expect(natAt(short.report.ikeSas[0]!)).toBe('initiator: unknown\nforced encapsulation');
        // Watched past the keepalive timeout without a keepalive: no NAT in front of the initiator.
        const long = await analyzeJson(natSession({ version, initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle', fakeSource: true, informationalAfter: 40 }).pcap);
        expect(long.report.ikeSas[0]!.nat).toMatchObject({ initiator: 'not-behind-nat', responder: 'not-behind-nat', forcedEncapsulation: true });
      });

      it('a port-preserving NAT is recognised by recovering the private address from the source hash', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.3.1.20', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle' }).pcap);
        const sa = report.ikeSas[0]!;
        expect(sa.nat).toMatchObject({ initiator: 'behind-nat', forcedEncapsulation: false, capturePoint: { initiatorNat: 'outside' } });
        expect(sa.nat.privateAddresses.initiator).toBe('10.3.1.20:500');
        const off = await analyzeJson(natSession({ version, initiator: '10.3.1.20', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle' }).pcap, '--natd-search-hashes', '0');
        expect(off.report.ikeSas[0]!.nat.initiator).toBe('unknown');
        expect(off.report.ikeSas[0]!.nat.reasoning[0]).toMatch(/^initiator: frame \d+: .*the private-address search is off \(--natd-search-hashes 0\).*port-preserving NAT/);
      });

      it('forced encapsulation with a port-0 source hash (libreswan) is recognised by recomputation', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle', portZeroSource: true }).pcap);
        expect(report.ikeSas[0]!.nat).toMatchObject({ initiator: 'not-behind-nat', forcedEncapsulation: true });
        expect(report.ikeSas[0]!.nat.reasoning.join(' ')).toMatch(/port 0/);
      });

      it('NAT detected but the SA never floats', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [31000, 31001], responder: '203.0.113.5', capture: 'middle', noFloat: true }).pcap);
        expect(findingIds(report)).toContain('natt.no_port_float');
        expect(report.ikeSas[0]!.floatedAtFrame).toBeNull();
      });

      it('a response sent to another port than the request came from', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [31000, 31001], responder: '203.0.113.5', capture: 'middle', wrongResponsePort: 4500 }).pcap);
        const f = report.findings.find((x) => x.id === 'natt.response_port_mismatch');
        expect(f?.frames.slice(0, 2)).toEqual(version === 1 ? [5, 6] : [3, 4]);
      });
    });
  }
});

/** Several sessions in one capture, one after another, each with its own SPIs; `drop` leaves out a session's first records. */
function merged(parts: readonly { spec: SessionSpec; drop?: number }[]): string {
  const records: RecordSpec[] = [];
  parts.forEach(({ spec, drop = 0 }, i) => {
    const s = natSession({ startTime: 1_700_000_000 + 100 * i, ispi: hex(`a1a2a3a4a5a6a7${(0xa0 + i).toString(16)}`), rspi: hex(`b1b2b3b4b5b6b7${(0xb0 + i).toString(16)}`), ...spec });
    records.push(...s.records.slice(drop));
  });
  return tempCapture(writePcap(records));
}

describe('one host, several SAs: the same verdict unless the evidence changes', () => {
  const natted: SessionSpec = { version: 2, initiator: '10.3.1.20', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle' };

  it('an SA whose own evidence decides nothing takes the verdict an earlier SA of the host reached, and says so', async () => {
    // The second SA is seen only from IKE_AUTH on (no IKE_SA_INIT, so no NAT-D): alone, it is undecided.
    const alone = await analyzeJson(merged([{ spec: natted, drop: 2 }]));
    expect(alone.report.ikeSas[0]!.nat.initiator).toBe('unknown');
    expect(alone.report.ikeSas[0]!.nat.reasoning[0]).toMatch(/^initiator: no NAT-D from or about the initiator was seen/);
    const { report } = await analyzeJson(merged([{ spec: natted }, { spec: natted, drop: 2 }]));
    const [first, second] = report.ikeSas as [IkeSaReport, IkeSaReport];
    expect(first.nat).toMatchObject({ initiator: 'behind-nat', capturePoint: { initiatorNat: 'outside' }, privateAddresses: { initiator: '10.3.1.20:500' } });
    expect(second.nat).toMatchObject({ initiator: 'behind-nat', capturePoint: { initiatorNat: 'outside' }, forcedEncapsulation: false });
    expect(second.nat.reasoning[0]).toMatch(new RegExp(`the same host \\(198\\.51\\.100\\.7\\) was found behind a NAT \\(capture outside it\\) in IKE SA .*${first.initiatorSpi}.* and nothing here contradicts it`));
  });

  it('an SA whose evidence decides differently keeps its verdict and says what it changes', async () => {
    // The same public address, later without a NAT in front of it: NAT-D matches.
    const { report } = await analyzeJson(merged([{ spec: natted }, { spec: { version: 2, initiator: '198.51.100.7', responder: '203.0.113.5', capture: 'middle' } }]));
    const [first, second] = report.ikeSas as [IkeSaReport, IkeSaReport];
    expect(first.nat.initiator).toBe('behind-nat');
    expect(second.nat.initiator).toBe('not-behind-nat');
    expect(second.nat.reasoning[0]).toMatch(/both match the address seen here: no NAT translates it; this changes the verdict IKE SA .* gave the same host \(198\.51\.100\.7\), behind a NAT \(capture outside it\), which rested on: frame \d+: .*10\.3\.1\.20:500/);
  });

  it('a later SA of the host finds its private address first (no second full search)', async () => {
    // A budget that one search fits in, not two: the second SA of the host still recovers the address.
    const { report } = await analyzeJson(merged([{ spec: natted }, { spec: natted }]), '--natd-search-hashes', '300000');
    expect(report.ikeSas.map((sa) => sa.nat.privateAddresses.initiator)).toEqual(['10.3.1.20:500', '10.3.1.20:500']);
  });
});

describe('HostVerdictMemory', () => {
  const decided = (nat: 'behind-nat' | 'not-behind-nat', where: SideVerdict['where'], extra: Partial<SideVerdict> = {}): SideVerdict => ({ nat, where, faked: false, because: `because ${nat}`, ...extra });
  const open = (extra: Partial<SideVerdict> = {}): SideVerdict => ({ nat: 'unknown', where: 'unknown', faked: true, because: 'open', ...extra });

  it('adopts an earlier verdict only where nothing contradicts it', () => {
    const m = new HostVerdictMemory();
    m.reconcile('192.0.2.1', 'SA 1', decided('behind-nat', 'outside'));
    expect(m.reconcile('192.0.2.1', 'SA 2', open({ before: true }))).toMatchObject({ nat: 'behind-nat', where: 'outside', faked: false });
    // Its own source NAT-D matched here: no NAT between it and the capture, so not "outside".
    expect(m.reconcile('192.0.2.1', 'SA 3', open({ before: false }))).toMatchObject({ nat: 'unknown', because: 'open' });
    expect(m.reconcile('192.0.2.9', 'SA 4', open())).toMatchObject({ nat: 'unknown' });
    expect(m.reconcile(undefined, 'SA 5', open())).toMatchObject({ nat: 'unknown' });
  });

  it('follows the latest decided verdict of a host', () => {
    const m = new HostVerdictMemory();
    m.reconcile('h', 'SA 1', decided('behind-nat', 'inside'));
    expect(m.reconcile('h', 'SA 2', decided('not-behind-nat', 'no-nat')).because).toMatch(/changes the verdict IKE SA SA 1 gave the same host \(h\), behind a NAT \(capture inside it\)/);
    expect(m.reconcile('h', 'SA 3', open())).toMatchObject({ nat: 'not-behind-nat', where: 'no-nat', faked: true });
  });

  it('is bounded', () => {
    const m = new HostVerdictMemory(2);
    for (const h of ['a', 'b', 'c']) m.reconcile(h, 'SA', decided('behind-nat', 'outside'));
    expect(m.size).toBe(2);
    expect(m.reconcile('c', 'SA 2', open()).nat).toBe('unknown');
    expect(m.reconcile('a', 'SA 2', open()).nat).toBe('behind-nat');
  });
});

describe('sideVerdict where NAT-D is hidden (IKEv1 Aggressive Mode message 3 encrypted)', () => {
  const base: PeerEvidence = {
    role: 'initiator',
    peerView: { frame: 2, dstOk: true, srcOk: true, srcPortZero: false },
    ownHidden: "the initiator's own NAT-D would be in Aggressive Mode message 3, which is encrypted or was not captured",
    keepalives: false,
    portTranslated: false,
    rebinding: false,
    addressPrivate: false,
    peerAddressPrivate: false,
    idleLongEnough: false,
    floatedAtFrame: 3,
  };

  it('a translated source port or keepalives decide it; nothing else does, and the sentence says so', () => {
    expect(sideVerdict({ ...base, portTranslated: true })).toMatchObject({ nat: 'behind-nat', where: 'outside' });
    expect(sideVerdict({ ...base, keepalives: true })).toMatchObject({ nat: 'behind-nat', where: 'outside' });
    const v = sideVerdict(base);
    expect(v).toMatchObject({ nat: 'unknown', where: 'unknown', faked: false });
    expect(v.because).toMatch(/Aggressive Mode message 3, which is encrypted .*float to the NAT-T port \(frame 3\) says a NAT was detected or UDP encapsulation forced, not which/);
  });

  it('the responder: its own NAT-D in message 2 and a public address; a private one talking to a public peer is translated', () => {
    const { peerView: _view, ownHidden: _hidden, ...rest } = base;
    const responder: PeerEvidence = { ...rest, role: 'responder', own: { frame: 2, dstOk: true, srcOk: true, srcPortZero: false }, peerViewHidden: "the initiator's view of the responder would be in Aggressive Mode message 3" };
    expect(sideVerdict(responder)).toMatchObject({ nat: 'not-behind-nat', where: 'no-nat' });
    expect(sideVerdict({ ...responder, addressPrivate: true })).toMatchObject({ nat: 'behind-nat', where: 'inside' });
    expect(sideVerdict({ ...responder, addressPrivate: true, peerAddressPrivate: true })).toMatchObject({ nat: 'unknown' });
  });
});

describe('sideVerdict: addresses and keepalives where the other peer\'s view is missing', () => {
  const base: PeerEvidence = { role: 'initiator', keepalives: false, portTranslated: false, rebinding: false, addressPrivate: true, peerAddressPrivate: false, idleLongEnough: false };

  it('a private address talking to a public peer, with a source hash that matches nothing: inside its NAT, the hash faked (not "outside" for its own odd port)', () => {
    const v = sideVerdict({ ...base, own: { frame: 5, srcOk: false, srcPortZero: false }, portTranslated: true, recover: () => { throw new Error('no search needed'); } });
    expect(v).toMatchObject({ nat: 'behind-nat', where: 'inside', faked: true, before: true });
  });

  it('keepalives from a peer whose own hash matches: the other peer sees it elsewhere', () => {
    expect(sideVerdict({ ...base, addressPrivate: false, own: { frame: 5, srcOk: true, srcPortZero: false }, keepalives: true })).toMatchObject({ nat: 'behind-nat', where: 'inside' });
  });

  it('nothing at all: unknown, and the sentence says so', () => {
    const v = sideVerdict({ ...base, addressPrivate: false });
    expect(v).toMatchObject({ nat: 'unknown', where: 'unknown' });
    expect(v.because).toBe('no NAT-D from or about the initiator was seen: nothing in this capture tells whether a NAT translates the initiator');
  });
});

describe('text output: every NAT verdict with its "because"', () => {
  it('one line per side, after the IKE SA table', async () => {
    const file = tempCapture(natSession({ version: 2, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [31000, 31001], responder: '203.0.113.5', capture: 'middle' }).pcap);
    const r = await espy('analyze', file, '--fail-on', 'never');
    const at = r.out.indexOf('NAT verdicts');
    expect(at).toBeGreaterThan(0);
    expect(r.out[at + 1]).toMatch(/^ {2}#1 initiator behind a NAT \(capture outside it\) because frame 1: the initiator's source NAT-D does not hash the source seen here, and its source port was translated/);
    expect(r.out[at + 2]).toMatch(/^ {2}#1 responder not behind a NAT because frames 2\/1: /);
  });

  it('escapes what it prints', () => {
    const sa = { nat: { initiator: 'unknown', responder: 'not-behind-nat', forcedEncapsulation: false, capturePoint: { initiatorNat: 'unknown', responderNat: 'no-nat' }, reasoning: ['initiator: a\x1b[31mb\ncd', 'responder: ok'], privateAddresses: { initiator: null, responder: null } } } as unknown as IkeSaReport;
    const lines = natVerdictLines({ ikeSas: [sa] } as unknown as AnalysisReport);
    expect(lines).toEqual(['  #1 initiator unknown because a\\x1b[31mb\\ncd', '  #1 responder not behind a NAT because ok']);
  });
});
