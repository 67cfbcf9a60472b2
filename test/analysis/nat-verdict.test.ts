import { describe, expect, it } from 'vitest';
import { natSession } from '../support/natt-scenarios.js';
import { analyzeJson, findingIds } from '../support/run-espy.js';

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
        // Watched past the keepalive timeout without a keepalive: no NAT in front of the initiator.
        const long = await analyzeJson(natSession({ version, initiator: '192.0.2.10', responder: '203.0.113.5', capture: 'middle', fakeSource: true, informationalAfter: 40 }).pcap);
        expect(long.report.ikeSas[0]!.nat).toMatchObject({ initiator: 'not-behind-nat', responder: 'not-behind-nat', forcedEncapsulation: true });
      });

      it('a port-preserving NAT is recognised by recovering the private address from the source hash', async () => {
        const { report } = await analyzeJson(natSession({ version, initiator: '10.3.1.20', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle' }).pcap);
        const sa = report.ikeSas[0]!;
        expect(sa.nat).toMatchObject({ initiator: 'behind-nat', forcedEncapsulation: false, capturePoint: { initiatorNat: 'outside' } });
        expect(sa.nat.privateAddresses.initiator).toBe('10.3.1.20:500');
        const off = await analyzeJson(natSession({ version, initiator: '10.3.1.20', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle' }).pcap, '--natd-search-ms', '0');
        expect(off.report.ikeSas[0]!.nat.initiator).toBe('unknown');
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
