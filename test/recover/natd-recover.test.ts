import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, IN_CI, REPO_ROOT } from '../support/environment.js';
import { espy, tempCapture } from '../support/run-espy.js';
import { natSession } from '../support/natt-scenarios.js';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import type { RecoveryReport } from '../../src/recover/recover.js';

const ISAKMP4500 = path.join(FIXTURES, 'public/isakmp4500.pcap');
const LAB = path.join(FIXTURES, 'lab/ikev2-client-behind-nat');
/** The compiled worker the pool starts (npm ci builds it; from the sources the pool uses dist/). */
const BUILT_WORKER = path.join(REPO_ROOT, 'dist/recover/natd-worker.js');

async function recoverJson(...argv: string[]): Promise<RecoveryReport> {
  const r = await espy('natd-recover', ...argv, '--json');
  expect(r.code, r.err.join('\n')).toBe(0);
  expect(r.out).toHaveLength(1);
  return JSON.parse(r.out[0]!) as RecoveryReport;
}

/** strongSwan-style fake source NAT-D (random address, port 0): no candidate can match. */
const fakeHashCapture = (): string =>
  tempCapture(natSession({ version: 2, initiator: '198.51.100.7', responder: '203.0.113.9', capture: 'middle', fakeSource: true }).pcap);

describe('espy natd-recover', () => {
  it('recovers the known answer of tcpdump isakmp4500.pcap: 192.1.3.209:500 (NATT-REFERENCE §2.5)', async () => {
    const report = await recoverJson(ISAKMP4500, '--ranges', '192.1.3.0/24');
    expect(report.targets).toHaveLength(1);
    const [t] = report.targets;
    expect(t).toMatchObject({
      kind: 'source',
      ikeVersion: 1,
      initiatorSpi: '9e89f2388f90bc1e',
      responderSpi: '0a74357ce3d1a4bf',
      frame: 5,
      sender: 'initiator',
      subject: 'initiator',
      observed: '192.1.2.254:500',
      algorithm: 'md5',
      hash: '44f517e03fb381f80f842d1538ccffac',
      found: { address: '192.1.3.209', port: 500 },
    });
    expect(t!.work.stoppedBy).toBe('found');
    expect(t!.work.hashes).toBeGreaterThan(0);
  });

  it('uses worker threads when the compiled worker exists', async () => {
    const report = await recoverJson(ISAKMP4500, '--ranges', '192.1.3.0/24', '--workers', '2');
    if (IN_CI || existsSync(BUILT_WORKER)) {
      expect(report.mode).toBe('threads');
      expect(report.workers).toBe(2);
    } else expect(report.mode).toBe('main-thread');
  });

  it('recovers the lab client\'s private address 10.1.0.2 over the full default ranges, seen from outside its NAT', async () => {
    const report = await recoverJson(path.join(LAB, 'outside-nat.pcap')); // its time: `npm run soak`
    expect(report.targets.map((t) => [t.kind, t.subject, t.frame, t.found])).toEqual([['source', 'initiator', 1, { address: '10.1.0.2', port: 500 }]]);
    expect(report.targets[0]!.meaning).toMatch(/private address/);
  });

  it('recovers the NAT\'s public mapping from the responder\'s destination hash, seen from inside', async () => {
    const report = await recoverJson(path.join(LAB, 'inside-nat.pcap'), '--public-ranges', '198.51.100.0/30');
    expect(report.targets.map((t) => [t.kind, t.sender, t.subject, t.frame, t.observed, t.found])).toEqual([
      ['destination', 'responder', 'initiator', 2, '10.1.0.2:500', { address: '198.51.100.2', port: 500 }],
    ]);
  });

  it('lists a NAT-D hash of the wrong length as not searchable instead of crashing (fuzz finding)', async () => {
    // The IKEv2 source notify is empty; the destination hash is a correct SHA-1 that matches.
    const file = path.join(FIXTURES, 'malformed', 'ikev2-natd-source-empty.pcap');
    const report = await recoverJson(file, '-q', '--max-seconds', '0.2', '--workers', '1');
    expect(report.targets).toEqual([]);
    expect(report.skipped.wrongLength).toEqual([{ frame: 1, kind: 'source', algorithm: 'sha1', bytes: 0, expected: 20 }]);
    const text = await espy('natd-recover', file, '-q', '--max-seconds', '0.2', '--workers', '1');
    expect(text.code, text.err.join('\n')).toBe(0);
    expect(text.err).toEqual([]);
    expect(text.out).toContain('NAT-D hash of the wrong length, no address can match it, not searched: frame 1 source (0 bytes, SHA1 has 20)');
  });

  it('reports the work done when a fake hash is not found within a tiny time bound', async () => {
    const file = fakeHashCapture();
    const report = await recoverJson(file, '--max-seconds', '0.3');
    const [t] = report.targets;
    expect(t).toMatchObject({ kind: 'source', subject: 'initiator', found: null });
    expect(t!.work.stoppedBy).toBe('time');
    expect(t!.work.hashes).toBeGreaterThan(0);
    expect(t!.work.hashes).toBeLessThan(t!.work.total);
    expect(t!.work.hashesPerSecond).toBeGreaterThan(0);
    expect(t!.work.groups.map((g) => g.label)).toEqual([
      'addresses seen in the capture (2) × 2 ports',
      '192.168.0.0/16 × 2 ports',
      '172.16.0.0/12 × 2 ports',
      '10.0.0.0/8 × 2 ports',
      '100.64.0.0/10 × 2 ports',
    ]);
    expect(t!.work.groups.reduce((n, g) => n + g.hashes, 0)).toBe(t!.work.hashes);
    const text = await espy('natd-recover', file, '--max-seconds', '0.2');
    expect(text.code).toBe(0);
    expect(text.out.join('\n')).toMatch(/not found: stopped by the time bound \(--max-seconds 0\.2\)/);
    expect(text.out.join('\n')).toMatch(/hashes in [\d.]+ s \([\d.]+ ?[kM]? hashes\/s/);
    expect(text.out.join('\n')).toMatch(/10\.0\.0\.0\/8 × 2 ports: .* (not reached|%|complete)/);
  });

  it('says when every candidate was tried without a match', async () => {
    const report = await recoverJson(fakeHashCapture(), '--ranges', '10.0.0.0/22');
    const [t] = report.targets;
    expect(t!.found).toBeNull();
    expect(t!.work.stoppedBy).toBe('exhausted');
    expect(t!.work.hashes).toBe(t!.work.total);
    expect(t!.work.total).toBe((2 + 1024) * 2);
  });

  it('has nothing to do when every hash matches what the capture sees', async () => {
    const r = await espy('natd-recover', path.join(FIXTURES, 'lab/ikev2-no-nat/wire.pcap'));
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/nothing to recover/);
  });

  it('draws a progress bar on a terminal only', async () => {
    const status: string[] = [];
    const io = { ...memoryIo(), stderrIsTTY: true, status: (s: string) => void status.push(s) };
    expect(await run(['natd-recover', fakeHashCapture(), '--max-seconds', '0.6'], io)).toBe(0);
    expect(status.some((s) => /^espy: \[[#-]{24}\] \d+% .* hashes, .*\/s, \d+ s left/.test(s))).toBe(true);
    expect(status.at(-1)).toBe('');
    const quiet: string[] = [];
    await run(['natd-recover', fakeHashCapture(), '--max-seconds', '0.3', '-q'], { ...memoryIo(), stderrIsTTY: true, status: (s: string) => void quiet.push(s) });
    expect(quiet).toEqual([]);
  });

  it.each([
    ['--ranges', '10.0.0.0/33'],
    ['--ranges', '300.1.1.1'],
    ['--max-seconds', '0'],
    ['--workers', '0'],
  ])('rejects %s %s with exit code 2', async (option, value) => {
    const r = await espy('natd-recover', ISAKMP4500, option, value);
    expect(r.code).toBe(2);
  });
});
