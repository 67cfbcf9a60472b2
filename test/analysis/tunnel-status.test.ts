/**
 * Did the tunnel work, and if not, why (src/analysis/sa-status.ts): the status of every IKE SA
 * and CHILD SA with its evidence, and the failure findings, on the captures issue 15 names and on
 * crafted ones for the failures no bundled capture shows.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/environment.js';
import { analyzeJson, espy, tempCapture } from '../support/run-espy.js';
import { natSession } from '../support/natt-scenarios.js';
import { writePcap, type RecordSpec } from '../support/capture-writer.js';
import { concat, ether, hex, icmp, ipv4, pptpControl, tcp, u16, udp } from '../support/packet-builders.js';
import { ikeMessage, notifyV2 } from '../support/ike-builders.js';
import type { AnalysisReport } from '../../src/analysis/report.js';

const lab = (scenario: string, file: string): string => path.join(FIXTURES, 'lab', scenario, file);
const publicCapture = (name: string): string => path.join(FIXTURES, 'public', name);

function finding(report: AnalysisReport, id: string) {
  return report.findings.find((f) => f.id === id);
}

describe('status and failure findings on the captures of issue 15', () => {
  it('IKE_AUTH sent three times as IP fragments, never answered: failed, the fragments named', async () => {
    const { report, code } = await analyzeJson(publicCapture('ipsec-client-fragmented.pcap'));
    const [sa] = report.ikeSas;
    expect(sa!.status).toMatchObject({ ike: 'failed', child: 'failed', cause: 'ike.request_unanswered', failedFrame: 9 });
    const f = finding(report, 'ike.request_unanswered')!;
    expect(f.severity).toBe('error');
    expect(f.frames).toEqual([3, 9]);
    expect(f.message).toMatch(/IKE_AUTH request from the initiator sent 3 times \(frames 3–9\), never answered; each copy arrived here as IP fragments .* dropped/);
    expect(f.message).toMatch(/IKEv2 fragmentation \(RFC 7383\) was not offered by either peer/);
    expect(sa!.status.verdict).toMatch(/^IKE_AUTH request never answered: 3 tries, each IP-fragmented/);
    expect(code).toBe(0); // --fail-on never
    expect((await espy('analyze', publicCapture('ipsec-client-fragmented.pcap'), '-q')).code).toBe(1);
  });

  it('beyond the router that drops fragments: IKE_AUTH arrives only as first fragments that never complete', async () => {
    const { report } = await analyzeJson(lab('ike-fragments-dropped', 'beyond-drop.pcap'));
    expect(report.ikeSas[0]!.status).toMatchObject({ ike: 'failed', cause: 'ike.fragments_incomplete', failedFrame: 5 });
    const f = finding(report, 'ike.fragments_incomplete')!;
    expect(f).toMatchObject({ severity: 'error', frames: [3, 4, 5] });
    expect(f.message).toMatch(/the initiator sent 3 IP fragments \(frames 3, 4, 5\) whose datagrams never completed here/);
    // Inside the NAT the whole message is there, retransmitted: request_unanswered instead.
    const inside = (await analyzeJson(lab('ike-fragments-dropped', 'inside-nat.pcap'))).report;
    expect(inside.ikeSas[0]!.status.cause).toBe('ike.request_unanswered');
  });

  it('the timeline dates the failure with its verdict', async () => {
    const r = await espy('timeline', publicCapture('ipsec-client-fragmented.pcap'), '--ndjson');
    const failed = r.out.map((l) => JSON.parse(l) as { kind: string; frame: number; message: string }).find((e) => e.kind === 'ike_sa.failed');
    expect(failed).toMatchObject({ frame: 9 });
    expect(failed!.message).toMatch(/^Tunnel failed: IKE_AUTH request never answered: 3 tries, each IP-fragmented/);
  });

  it('a NAT mapping change the responder does not follow: ESP to the old mapping and the ICMP port unreachable that answers it', async () => {
    const { report } = await analyzeJson(lab('nat-mapping-change', 'outside-nat.pcap'));
    const [sa] = report.ikeSas;
    expect(sa!.status).toMatchObject({ ike: 'established', child: 'established', establishedFrame: 4 });
    expect(sa!.status.esp.initiatorToResponder).toMatchObject({ packets: 21 });
    expect(sa!.status.esp.responderToInitiator).toMatchObject({ packets: 19 });
    const stale = finding(report, 'natt.rebinding_not_followed')!;
    expect(stale.frames).toEqual([24, 25]);
    expect(stale.message).toMatch(/ESP SPI 0xb5bd8db7 to its old endpoint 198\.51\.100\.2:20023 until frame 25/);
    const icmp = finding(report, 'icmp.unreachable')!;
    expect(icmp.frames).toEqual([26]);
    expect(icmp.subject).toBe(`IKEv2 ${sa!.initiatorSpi}/${sa!.responderSpi}`);
    const gate = await espy('analyze', lab('nat-mapping-change', 'outside-nat.pcap'), '-q', '--fail-on', 'warning');
    expect(gate.code).toBe(1);
  });

  it('IKEv1 Quick Mode answered by an Informational: the CHILD SA was refused', async () => {
    const { report } = await analyzeJson(lab('ikev1-transport-natt-esp-null', 'outside-nat.pcap'));
    const [sa] = report.ikeSas;
    expect(sa!.status).toMatchObject({ ike: 'established', child: 'failed', cause: 'ike.child_sa_refused', establishedFrame: 6 });
    expect(finding(report, 'ike.child_sa_refused')).toMatchObject({ severity: 'error', frames: [7, 10] });
  });

  it('the quick-start sample: ESP flows from the initiator only', async () => {
    const { report } = await analyzeJson(publicCapture('isakmp4500.pcap'));
    const [sa] = report.ikeSas;
    expect(sa!.status).toMatchObject({ ike: 'established', child: 'one-way' });
    expect(sa!.status.esp.responderToInitiator).toBeNull();
    expect(finding(report, 'esp.one_way')).toMatchObject({ severity: 'warning', frames: [12, 31] });
  });

  it('a working tunnel: up, ESP both ways, the verdict leads the text, and --fail-on warning passes', async () => {
    const file = lab('ikev2-esp-null-tunnel-nat', 'outside-nat.pcap');
    const { report } = await analyzeJson(file);
    expect(report.ikeSas[0]!.status).toMatchObject({ ike: 'established', child: 'established', cause: null });
    const r = await espy('analyze', file, '--fail-on', 'warning');
    expect(r.code).toBe(0);
    const at = r.out.indexOf('Tunnels');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(r.out.indexOf('IKE SAs'));
    expect(r.out[at + 1]).toMatch(/^ {2}#1 up {10}IKE SA up at frame 4, CHILD SA up, ESP both ways \(9 → \/ 9 ← packets\)$/);
  });
});

/** An IKEv2 session through the initiator's NAT with ESP both ways (records, to extend). */
function tunnel(): RecordSpec[] {
  return [...natSession({ version: 2, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [40001, 40002], responder: '203.0.113.9', capture: 'middle', espPackets: 4 }).records];
}

/** The IP packet of a record (after Ethernet). */
const ipOf = (r: RecordSpec): Uint8Array => r.data.subarray(14);

/** ESP-in-UDP records of the session sent from `src` (address). */
function espFrom(records: readonly RecordSpec[], src: string): RecordSpec[] {
  const want = src.split('.').map(Number);
  return records.filter((r) => {
    const ip = ipOf(r);
    const u = (ip[0]! & 0x0f) * 4;
    const isSrc = want.every((b, i) => ip[12 + i] === b);
    const ports = [(ip[u]! << 8) | ip[u + 1]!, (ip[u + 2]! << 8) | ip[u + 3]!];
    return isSrc && ip[9] === 17 && ports.includes(4500) && ip.length > u + 16 && (ip[u + 8]! | ip[u + 9]! | ip[u + 10]! | ip[u + 11]!) !== 0;
  });
}

/** A copy of an ESP-in-UDP record `dt` seconds later with sequence number `seq` (UDP checksum 0). */
function later(r: RecordSpec, dt: number, seq: number): RecordSpec {
  const data = Uint8Array.from(r.data);
  const ip = 14;
  const u = ip + (data[ip]! & 0x0f) * 4;
  data[u + 6] = 0;
  data[u + 7] = 0;
  new DataView(data.buffer).setUint32(u + 12, seq);
  return { ...r, data, tsSec: (r.tsSec ?? 0) + dt };
}

/** An ICMP error from `from` to the quoted packet's sender, quoting its first 36 bytes. */
function icmpAbout(r: RecordSpec, from: string, type: number, code: number, dt: number): RecordSpec {
  const quoted = ipOf(r).subarray(0, 36);
  const to = Array.from(ipOf(r).subarray(12, 16)).join('.');
  return { data: ether(ipv4({ src: from, dst: to }, icmp(type, code, concat(u16(0), u16(type === 3 && code === 4 ? 1400 : 0), quoted)))), tsSec: (r.tsSec ?? 0) + dt, tsUsec: r.tsUsec ?? 0 };
}

describe('failures on crafted captures', () => {
  it('ESP from the responder stops while the initiator keeps sending: esp.stopped', async () => {
    const records = tunnel();
    const out = espFrom(records, '198.51.100.7');
    expect(out.length).toBeGreaterThan(0);
    const last = out.at(-1)!;
    const more = [1, 2, 3].map((k) => later(last, 25 + k, 100 + k));
    const { report } = await analyzeJson(tempCapture(writePcap([...records, ...more])));
    const f = finding(report, 'esp.stopped')!;
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/^ESP from the responder stopped at frame \d+; the initiator kept sending for 2\d\.\d s more/);
    expect(report.ikeSas[0]!.status.child).toBe('established');
  });

  it.each([
    [4, 'icmp.too_big', /path's MTU is smaller/],
    [13, 'icmp.prohibited', /administratively prohibited/],
    [3, 'icmp.unreachable', /expired or moved/],
  ] as const)('ICMP type 3 code %i quoting the responder\'s ESP: %s, tied to the SA', async (code, id, meaning) => {
    const records = tunnel();
    const back = espFrom(records, '203.0.113.9');
    expect(back.length).toBeGreaterThan(0);
    const error = icmpAbout(back.at(-1)!, '192.0.2.254', 3, code, 0.5);
    const { report } = await analyzeJson(tempCapture(writePcap([...records, error])));
    const f = finding(report, id)!;
    expect(f).toBeDefined();
    expect(f.frames).toEqual([records.length + 1]);
    expect(f.subject).toBe(`IKEv2 ${report.ikeSas[0]!.initiatorSpi}/${report.ikeSas[0]!.responderSpi}`);
    expect(f.message).toMatch(meaning);
  });

  it('IKE_SA_INIT answered with NO_PROPOSAL_CHOSEN in clear: failed, ike.error_notify', async () => {
    const ispi = hex('0102030405060708');
    const at = (data: Uint8Array, s: number): RecordSpec => ({ data, tsSec: 1_700_000_000 + s });
    const request = ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, mid: 0, payloads: [notifyV2(16388, new Uint8Array(20))] });
    const refusal = ikeMessage({ ispi, rspi: new Uint8Array(8), version: 2, exchange: 34, flags: 0x20, mid: 0, payloads: [notifyV2(14)] });
    const pcap = writePcap([
      at(ether(ipv4({ src: '192.0.2.10', dst: '198.51.100.20' }, udp(500, 500, request))), 0),
      at(ether(ipv4({ src: '198.51.100.20', dst: '192.0.2.10' }, udp(500, 500, refusal))), 1),
    ]);
    const { report } = await analyzeJson(tempCapture(pcap));
    const [sa] = report.ikeSas;
    expect(sa!.status).toMatchObject({ ike: 'failed', cause: 'ike.error_notify', failedFrame: 2 });
    expect(finding(report, 'ike.error_notify')).toMatchObject({ severity: 'error', frames: [2] });
    expect(finding(report, 'ike.error_notify')!.message).toMatch(/responder refused the negotiation with NO_PROPOSAL_CHOSEN \(14\)/);
    expect(sa!.status.verdict).toMatch(/^refused: NO_PROPOSAL_CHOSEN/);
  });

  it('raw ESP from a private address to a public one: natt.raw_esp_private_to_public', async () => {
    const session = natSession({ version: 1, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', responder: '203.0.113.9', capture: 'initiator-inside', espPackets: 4, rawEsp: true });
    const { report } = await analyzeJson(tempCapture(session.pcap));
    const f = finding(report, 'natt.raw_esp_private_to_public')!;
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/^Raw ESP \(IP protocol 50\) SPI 0x[0-9a-f]{8} from 10\.0\.0\.2 to 203\.0\.113\.9: one side is a private/);
  });

  it('PPTP after an IKE_SA_INIT nobody answered: tunnel.pptp_fallback', async () => {
    const ispi = hex('1111222233334444');
    const request = ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, mid: 0, payloads: [notifyV2(16388, new Uint8Array(20))] });
    const ike = (s: number): RecordSpec => ({ data: ether(ipv4({ src: '10.1.1.5', dst: '198.51.100.30' }, udp(500, 500, request))), tsSec: 1_700_000_000 + s });
    const pptp: RecordSpec = { data: ether(ipv4({ src: '10.1.1.5', dst: '198.51.100.30' }, tcp(40000, 1723, pptpControl(1)))), tsSec: 1_700_000_020 };
    const { report } = await analyzeJson(tempCapture(writePcap([ike(0), ike(2), ike(6), pptp])));
    expect(report.ikeSas[0]!.status).toMatchObject({ ike: 'failed', cause: 'ike.request_unanswered' });
    const f = finding(report, 'tunnel.pptp_fallback')!;
    expect(f).toMatchObject({ severity: 'note', frames: [3, 4] });
    expect(f.message).toMatch(/switched to PPTP \(frame 4\)/);
  });

  it('a keepalive silence longer than the NAT timeout, then the initiator from a new port: natt.mapping_expired', async () => {
    const s = natSession({ version: 2, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [40001, 40002], responder: '203.0.113.9', capture: 'middle', keepalives: { count: 3, interval: 40, from: 'initiator' }, mappingChange: { newPort: 40500, responderFollows: true }, informationalAfter: 1 });
    const { report } = await analyzeJson(tempCapture(s.pcap));
    const f = finding(report, 'natt.mapping_expired')!;
    expect(f).toMatchObject({ severity: 'warning', frames: [6, 8] });
    expect(f.message).toMatch(/^No keepalive for 40\.0 s \(until frame 6\), longer than a NAT's UDP timeout \(20 s\), then the initiator came back from a new endpoint at frame 8/);
  });

  it('IKEv1 from a private address to a public one without NAT-T: natt.not_negotiated_across_nat', async () => {
    const s = natSession({ version: 1, initiator: '10.0.0.2', responder: '203.0.113.9', capture: 'middle', vids: { initiator: [], responder: [] }, natdOmit: 'initiator' });
    const { report } = await analyzeJson(tempCapture(s.pcap));
    expect(finding(report, 'natt.not_negotiated_across_nat')).toMatchObject({ severity: 'warning', frames: [1] });
    // The same between two public addresses is no NAT at all: nothing to say.
    const open = natSession({ version: 1, initiator: '192.0.2.2', responder: '203.0.113.9', capture: 'middle', vids: { initiator: [], responder: [] }, natdOmit: 'initiator' });
    expect(finding((await analyzeJson(tempCapture(open.pcap))).report, 'natt.not_negotiated_across_nat')).toBeUndefined();
  });
});
