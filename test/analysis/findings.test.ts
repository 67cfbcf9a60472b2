import { describe, expect, it } from 'vitest';
import { natSession } from '../support/natt-scenarios.js';
import { VID } from '../support/ike-builders.js';
import { analyzeJson, espy, findingIds, tempCapture } from '../support/run-espy.js';
import { ether, ipv4, udp, esp, keepalive } from '../support/packet-builders.js';
import { writePcap } from '../support/capture-writer.js';

const behindNat = { initiator: '10.0.0.2', initiatorNat: '198.51.100.7', initiatorNatPorts: [31000, 31001] as const, responder: '203.0.113.5', capture: 'middle' as const };
const noNat = { initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle' as const };

describe('keepalive findings', () => {
  it('flags a keepalive interval above the NAT timeout while a NAT is present, and not a short one', async () => {
    const slow = await analyzeJson(natSession({ version: 1, ...behindNat, keepalives: { count: 3, interval: 30, from: 'initiator' } }).pcap);
    expect(findingIds(slow.report)).toContain('natt.keepalive_interval_long');
    const fast = await analyzeJson(natSession({ version: 1, ...behindNat, keepalives: { count: 3, interval: 10, from: 'initiator' } }).pcap);
    expect(findingIds(fast.report)).not.toContain('natt.keepalive_interval_long');
    const tuned = await analyzeJson(natSession({ version: 1, ...behindNat, keepalives: { count: 3, interval: 30, from: 'initiator' } }).pcap, '--keepalive-timeout', '45');
    expect(findingIds(tuned.report)).not.toContain('natt.keepalive_interval_long');
  });

  it('flags keepalives where no NAT-T was negotiated', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...noNat, vids: { initiator: [], responder: [] }, float: false, keepalives: { count: 2, interval: 5, from: 'initiator' } }).pcap);
    expect(findingIds(report)).toContain('natt.keepalive_without_natt');
    const clean = await analyzeJson(natSession({ version: 1, ...behindNat, keepalives: { count: 2, interval: 5, from: 'initiator' } }).pcap);
    expect(findingIds(clean.report)).not.toContain('natt.keepalive_without_natt');
  });
});

describe('NAT-T version consistency (RFC 3947 §3.1, §5.1)', () => {
  it('RFC 3947 chosen but NAT-D sent as the drafts\' payload 130', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...behindNat, natdType: 130 }).pcap);
    expect(findingIds(report)).toContain('natt.version_inconsistent');
    const clean = await analyzeJson(natSession({ version: 1, ...behindNat }).pcap);
    expect(findingIds(clean.report)).not.toContain('natt.version_inconsistent');
  });

  it('draft-02 chosen with payload 130 is consistent', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...behindNat, natdType: 130, vids: { initiator: [VID.DRAFT02N], responder: [VID.DRAFT02N] } }).pcap);
    expect(report.ikeSas[0]!.nattMethod).toBe('draft-ietf-ipsec-nat-t-ike-02\n');
    expect(findingIds(report)).not.toContain('natt.version_inconsistent');
  });

  it('encapsulation mode of the drafts (61443) under RFC 3947', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...behindNat, quickMode: { encapMode: 61443 } }).pcap);
    expect(findingIds(report)).toContain('natt.encap_mode_version_mismatch');
    const clean = await analyzeJson(natSession({ version: 1, ...behindNat, quickMode: { encapMode: 3 } }).pcap);
    expect(findingIds(clean.report)).not.toContain('natt.encap_mode_version_mismatch');
  });

  it('only the initiator offers NAT-T', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...noNat, vids: { initiator: [VID.RFC3947], responder: [VID.DPD] }, float: false }).pcap);
    expect(report.ikeSas[0]!.nattMethod).toBeNull();
    expect(findingIds(report)).toContain('natt.vid_not_echoed');
  });

  it('floating without agreed NAT-T', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...behindNat, vids: { initiator: [], responder: [] } }).pcap);
    expect(findingIds(report)).toContain('natt.float_without_natt');
  });
});

describe('NAT-OA and ESP', () => {
  it('NAT-OA without a NAT', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...noNat, quickMode: { encapMode: 2, natOa: ['192.0.2.10'] } }).pcap);
    expect(findingIds(report)).toContain('natt.nat_oa_without_nat');
    expect(report.ikeSas[0]!.natOa[0]?.address).toBe('192.0.2.10');
  });

  it('ESP SPIs from a cleartext Quick Mode SA payload are tied to the IKE SA', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...behindNat, quickMode: { encapMode: 3 }, espPackets: 4 }).pcap);
    const sa = report.ikeSas[0]!;
    expect(sa.espSpis).toEqual(expect.arrayContaining(['c0ffee01', 'c0ffee02']));
    expect(sa.espSpiLinks['c0ffee01']).toBe('sa-payload');
    expect(report.espSas.every((e) => e.transport === 'udp-natt')).toBe(true);
  });

  it('raw ESP between peers that detected a NAT', async () => {
    const { report } = await analyzeJson(natSession({ version: 1, ...behindNat, espPackets: 2, rawEsp: true }).pcap);
    expect(findingIds(report)).toContain('natt.raw_esp_after_nat');
    const clean = await analyzeJson(natSession({ version: 1, ...behindNat, espPackets: 2 }).pcap);
    expect(findingIds(clean.report)).not.toContain('natt.raw_esp_after_nat');
  });

  it('ESP sequence gaps and replays', async () => {
    const frame = (seq: number) => ({ data: ether(ipv4({ src: '198.51.100.7', dst: '203.0.113.5' }, udp(4500, 4500, esp(0xabcdef01, seq), { checksum: 0 }))), tsSec: 1_700_000_000 + seq });
    const pcap = writePcap([1, 2, 3, 7, 8, 8, 9].map(frame));
    const { report } = await analyzeJson(pcap);
    expect(report.espSas[0]).toMatchObject({ spi: 'abcdef01', packets: 7, transport: 'udp-natt', sequence: { max: 9, gaps: 1, missing: 3, replays: 1 } });
    expect(findingIds(report)).toEqual(expect.arrayContaining(['esp.sequence_gap', 'esp.sequence_replay']));
  });
});

describe('checksums', () => {
  it('a checksum field holding only the pseudo-header sum is offload, reported once per host', async () => {
    const pkt = (checksum: number | 'bad') => ({ data: ether(ipv4({ src: '192.0.2.10', dst: '203.0.113.5' }, udp(40000, 53, new Uint8Array(10), { checksum }))) });
    // Pseudo-header sum for 192.0.2.10 → 203.0.113.5, UDP length 18.
    const sum = (a: number) => a;
    const pseudo = [0xc000, 0x020a, 0xcb00, 0x7105, 17, 18].reduce((s, v) => sum(s + v), 0);
    const folded = (pseudo & 0xffff) + (pseudo >>> 16);
    const { report } = await analyzeJson(writePcap([pkt(folded), pkt(folded), pkt(folded)]));
    const offload = report.findings.filter((f) => f.id === 'checksum.offload');
    expect(offload).toHaveLength(1);
    expect(offload[0]!.count).toBe(1);
    expect(offload[0]!.message).toMatch(/^3 packet/);
    expect(findingIds(report)).not.toContain('checksum.udp_bad');
    const bad = await analyzeJson(writePcap([pkt('bad')]));
    expect(findingIds(bad.report)).toEqual(expect.arrayContaining([expect.stringMatching(/checksum\.(udp_bad|rewritten)/)]));
  });

  it('a non-zero UDP checksum on ESP-in-UDP is noted', async () => {
    const pcap = writePcap([{ data: ether(ipv4({ src: '198.51.100.7', dst: '203.0.113.5' }, udp(4500, 4500, keepalive()))) }]);
    const { report } = await analyzeJson(pcap);
    expect(findingIds(report)).toContain('udpencap.checksum_nonzero');
  });
});

describe('analyze command', () => {
  it('exit code follows --fail-on', async () => {
    const file = tempCapture(natSession({ version: 1, ...behindNat, noFloat: true }).pcap);
    expect((await espy('analyze', file, '-q')).code).toBe(0); // worst is a warning
    expect((await espy('analyze', file, '-q', '--fail-on', 'warning')).code).toBe(1);
    expect((await espy('analyze', file, '-q', '--fail-on', 'bogus')).code).toBe(2);
  });

  it('--ndjson emits one typed event per line', async () => {
    const file = tempCapture(natSession({ version: 2, ...behindNat }).pcap);
    const r = await espy('analyze', file, '--ndjson');
    const events = r.out.map((l) => JSON.parse(l) as { type: string; v: number });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['capture', 'ike_sa', 'finding', 'summary']));
    expect(events.every((e) => e.v === 1)).toBe(true);
  });

  it('the text report has the SA table and findings', async () => {
    const file = tempCapture(natSession({ version: 2, ...behindNat }).pcap);
    const r = await espy('analyze', file);
    const text = r.out.join('\n');
    expect(text).toMatch(/IKE SAs/);
    expect(text).toMatch(/initiator \(capture outside\)/);
    expect(text).toMatch(/natt\.nat_detected/);
  });
});
