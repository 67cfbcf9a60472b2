import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { analyzeJson, findingIds } from './support/run-espy.js';
import { FIXTURES, IN_CI, hasTshark, tshark } from './support/environment.js';

/**
 * espy's conclusions against what the lab knows about each recording (truth.json in each
 * fixtures/lab scenario, written by fixtures/lab/record.sh from the topology, the NAT rules and the daemons, not from
 * the captures). A definite answer must equal the truth; `unknown` is accepted only where the
 * capture cannot decide, each case listed below with the reason.
 */
interface Truth {
  scenario: string;
  backend: string;
  nat: { initiatorBehindNat: boolean; responderBehindNat: boolean; forcedEncapsulation: boolean };
  expect: { floated: boolean; nattMethod: string; keepalives: boolean; espInCapture: boolean; mappingChange: boolean };
  peers: { name: string; role: 'initiator' | 'responder'; behindNat: boolean }[];
  vantagePoints: { file: string; where: string }[];
  ikeSas: { initiator: string; responder: string; initiatorSpi: string; responderSpi: string; ikeVersion: number }[];
  childSas: { spiIn: string; spiOut: string }[];
  /** What happened to the tunnel, from the daemons' logs (never from the captures). */
  outcome?: { ikeSa: 'established' | 'failed' | 'deleted'; childSa: 'established' | 'failed' | 'none'; espBothWays: boolean; cause: string };
}

const LAB = path.join(FIXTURES, 'lab');
const scenarios = existsSync(LAB) ? readdirSync(LAB).filter((d) => existsSync(path.join(LAB, d, 'truth.json'))).sort() : [];

/** Where `unknown` is the right answer: "scenario/file/side" → why the capture cannot decide. */
const UNDECIDABLE: Record<string, string> = {
  'ikev1-aggressive-mode-behind-nat/outside-nat.pcap/initiator': 'Aggressive Mode carries the initiator\'s NAT-D only in the encrypted AM3; AM2 outside the NAT shows no translation between the capture and the responder, and the NAT keeps ports 500/4500 and no keepalive falls in the 2 s: nothing tells a NAT in front of the initiator from forced encapsulation',
  'ikev2-forced-encap-no-nat/wire.pcap/initiator': 'a faked source hash; the 2 s capture ends before a NATed peer\'s first keepalive, so a port-preserving NAT cannot be ruled out',
  'ikev2-libipsec-no-nat/wire.pcap/initiator': 'kernel-libipsec fakes the source hash; nothing else shows or rules out a NAT in 2 s',
  'ikev2-libipsec-no-nat/wire.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash too',
  'ikev2-esp-null-tunnel-nat/outside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'ikev2-esp-null-tunnel-nat/inside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'nat-mapping-change/outside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'nat-mapping-change/inside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'child-sa-refused/inside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'child-sa-refused/outside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'child-sa-refused/outside-nat.pcap/initiator': 'kernel-libipsec fakes the initiator\'s source hash and the SNAT kept port 500: outside it, a port-preserving NAT and forced encapsulation look the same, and the 3 s capture ends before a keepalive',
  'responder-stopped/inside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'responder-stopped/outside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'nat-mapping-expired/inside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'nat-mapping-expired/outside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'pmtu-too-small/inside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'pmtu-too-small/outside-nat.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
  'pmtu-too-small/beyond-mtu.pcap/responder': 'kernel-libipsec fakes the responder\'s source hash',
};

/** Warnings that are true statements about a recording, with the reason. */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  // The responder sent ESP to the old mapping after the client moved; the NAT answered it with an ICMP port unreachable.
  'nat-mapping-change/outside-nat.pcap': ['natt.rebinding_not_followed', 'icmp.unreachable'],
};

/**
 * The failure findings a recording's outcome (truth.outcome.cause) explains; where `required`,
 * espy must report at least one of them (an error or warning naming the cause).
 */
const FAILURE_FINDINGS: Record<string, { ids: string[]; required: boolean; requiredAt?: readonly string[] }> = {
  // The lab's kernel cannot install ESP states: charon refuses the CHILD SA after Quick Mode (IKEv1,
  // an Informational in reply) or after IKE_AUTH (IKEv2, encrypted: nothing shows it but the missing ESP).
  'kernel-esp-unsupported': { ids: ['ike.child_sa_refused'], required: false },
  'ike-fragments-dropped': { ids: ['ike.request_unanswered', 'ike.fragments_incomplete'], required: true },
  'responder-stopped': { ids: ['ike.request_unanswered', 'icmp.unreachable', 'esp.stopped', 'esp.one_way'], required: true },
  // TS_UNACCEPTABLE travels in the encrypted IKE_AUTH response: espy sees an IKE SA up and no ESP.
  'child-sa-refused': { ids: [], required: false },
  // Outside the NAT: the responder's ESP to the expired mapping and the NAT's ICMP port unreachable;
  // inside it the client's own port never changes and the ICMP goes to the responder: nothing shows.
  'nat-mapping-expired': { ids: ['natt.rebinding_not_followed', 'icmp.unreachable', 'natt.mapping_expired'], required: true, requiredAt: ['outside-nat.pcap'] },
  // The router's ICMP fragmentation needed travels back past the NAT; beyond the small link only fragments show.
  'pmtu-too-small': { ids: ['icmp.too_big'], required: true, requiredAt: ['inside-nat.pcap', 'outside-nat.pcap'] },
};

/** Where the capture cannot show the float the truth records: "scenario/file" → why. */
const FLOAT_UNSEEN: Record<string, string> = {
  'ike-fragments-dropped/beyond-drop.pcap': 'beyond the drop only the first fragment of each IKE_AUTH copy arrives (on 4500): espy holds it for reassembly and never decodes the request',
};

/** The IKE SA statuses a truth outcome allows: a stopped responder shows as a failed SA (its requests go unanswered). */
const IKE_STATUS: Record<string, readonly string[]> = { established: ['established', 'deleted'], failed: ['failed'], deleted: ['deleted', 'failed'] };
/** CHILD SA statuses: a refusal in encrypted messages shows as no ESP ('none'). */
const CHILD_STATUS: Record<string, readonly string[]> = { established: ['established'], failed: ['failed', 'none'], none: ['failed', 'none', 'unknown'] };

/** The first IKE message of an SA on UDP 4500, according to tshark: the float frame. */
function floatFrameByTshark(file: string, ispi: string): number | null {
  const lines = tshark(file, ['-T', 'fields', '-e', 'frame.number', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'isakmp.ispi']).trim().split('\n');
  for (const line of lines) {
    const [frame, sport, dport, spi] = line.split('\t');
    if (spi?.split(',').includes(ispi) && (sport === '4500' || dport === '4500')) return Number(frame);
  }
  return null;
}

describe.skipIf(scenarios.length === 0)('lab recordings: espy agrees with the truth', () => {
  it.runIf(IN_CI)('tshark is there to cross-check float frames', () => expect(hasTshark()).toBe(true));

  for (const scenario of scenarios) {
    const truth = JSON.parse(readFileSync(path.join(LAB, scenario, 'truth.json'), 'utf8')) as Truth;
    for (const vantage of truth.vantagePoints) {
      const file = path.join(LAB, scenario, vantage.file);
      it(`${scenario}/${vantage.file} (${truth.backend})`, async () => {
        const { report } = await analyzeJson(file);
        const ids = findingIds(report);
        for (const t of truth.ikeSas) {
          const sa = report.ikeSas.find((s) => s.initiatorSpi === t.initiatorSpi);
          expect(sa, `IKE SA ${t.initiatorSpi}`).toBeDefined();
          expect(sa!.responderSpi).toBe(t.responderSpi);
          const behind = (name: string) => truth.peers.find((p) => p.name === name)!.behindNat;
          for (const [side, peer] of [['initiator', t.initiator], ['responder', t.responder]] as const) {
            const want = behind(peer) ? 'behind-nat' : 'not-behind-nat';
            const got = sa!.nat[side];
            const key = `${scenario}/${vantage.file}/${side}`;
            if (got === 'unknown') expect(UNDECIDABLE[key], `${side}: espy says unknown, truth ${want}`).toBeDefined();
            else expect(got, `${side} (${vantage.where})`).toBe(want);
            // The list is exact: an entry that espy now decides is removed from it.
            if (UNDECIDABLE[key] !== undefined) expect(got, `${key} is listed as undecidable`).toBe('unknown');
            // Every verdict, decided or not, says why.
            expect(sa!.nat.reasoning.find((r) => r.startsWith(`${side}: `)), `${side} reasoning`).toMatch(/frame|NAT-D/);
          }
          if (truth.nat.forcedEncapsulation !== sa!.nat.forcedEncapsulation) {
            // A faked hash is visible only where it does not coincide with a real translation.
            expect(truth.nat.forcedEncapsulation && sa!.nat.initiator === 'behind-nat' && sa!.nat.capturePoint.initiatorNat === 'outside', `forcedEncapsulation ${sa!.nat.forcedEncapsulation}`).toBe(true);
          }
          expect(sa!.nattMethod).toBe(truth.expect.nattMethod);
          if (!FLOAT_UNSEEN[`${scenario}/${vantage.file}`]) expect(sa!.floatedAtFrame !== null, 'floated').toBe(truth.expect.floated);
          if (truth.expect.floated && hasTshark()) expect(sa!.floatedAtFrame).toBe(floatFrameByTshark(file, t.initiatorSpi));
          expect(sa!.keepalives > 0, 'keepalives').toBe(truth.expect.keepalives);
        }
        if (truth.expect.espInCapture) {
          const espSpis = report.espSas.map((e) => e.spi);
          const linked = report.ikeSas.flatMap((s) => s.espSpis);
          for (const c of truth.childSas) {
            expect(espSpis).toEqual(expect.arrayContaining([c.spiIn, c.spiOut]));
            expect(linked).toEqual(expect.arrayContaining([c.spiIn, c.spiOut]));
          }
          expect(report.espSas.every((e) => e.transport === 'udp-natt')).toBe(true);
        } else {
          expect(report.espSas).toEqual([]);
        }
        if (truth.expect.mappingChange && vantage.file.startsWith('outside')) expect(ids).toContain('natt.rebinding');
        if (!truth.expect.mappingChange) expect(ids).not.toContain('natt.rebinding');
        if (scenario === 'two-clients-same-nat' && vantage.file.startsWith('outside')) expect(ids).toContain('natt.shared_public_address');
        // A float is "without a NAT" only where NAT-D shows none on either side.
        if (truth.nat.initiatorBehindNat || truth.nat.responderBehindNat) expect(ids).not.toContain('natt.float_without_nat');
        const serious = report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.id);
        const explained = truth.outcome ? (FAILURE_FINDINGS[truth.outcome.cause]?.ids ?? []) : [];
        expect(serious.filter((id) => !(EXPECTED_WARNINGS[`${scenario}/${vantage.file}`] ?? []).includes(id) && !explained.includes(id))).toEqual([]);
        // Did the tunnel work: espy's status per SA against the daemons' account.
        const o = truth.outcome;
        if (o) {
          for (const t of truth.ikeSas) {
            const sa = report.ikeSas.find((s) => s.initiatorSpi === t.initiatorSpi)!;
            expect(IKE_STATUS[o.ikeSa], `IKE SA ${sa.status.ike}, truth ${o.ikeSa}`).toContain(sa.status.ike);
            expect(CHILD_STATUS[o.childSa], `CHILD SA ${sa.status.child}, truth ${o.childSa}`).toContain(sa.status.child);
            if (o.espBothWays) expect(sa.status.esp.initiatorToResponder && sa.status.esp.responderToInitiator, 'ESP both ways').toBeTruthy();
          }
          const failure = FAILURE_FINDINGS[o.cause];
          if (failure?.required && (failure.requiredAt === undefined || failure.requiredAt.includes(vantage.file))) expect(serious.some((id) => explained.includes(id)), `a finding naming ${o.cause}`).toBe(true);
        }
      });
    }
  }
});
