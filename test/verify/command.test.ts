import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { espy, tempCapture } from '../support/run-espy.js';
import { REPO_ROOT, FIXTURES } from '../support/environment.js';
import { natSession } from '../support/natt-scenarios.js';
import { REQUIREMENTS } from '../../src/verify/requirements.js';
import { uncheckedRequirements } from '../../src/verify/checks.js';
import { renderRequirementsMarkdown } from '../../src/output/verify-doc.js';

const DOC = path.join(REPO_ROOT, 'docs', 'verify-requirements.md');

describe('requirement catalogue', () => {
  it('holds exactly A1–A19, B1–B11 and C1–C13 of NATT-REFERENCE §4, once each', () => {
    const want = [...Array.from({ length: 19 }, (_, i) => `A${i + 1}`), ...Array.from({ length: 11 }, (_, i) => `B${i + 1}`), ...Array.from({ length: 13 }, (_, i) => `C${i + 1}`)];
    expect(REQUIREMENTS.map((r) => r.id)).toEqual(want);
  });

  it('has a check for every requirement visible in clear or in timing (C, T); the rest say why not', () => {
    expect(uncheckedRequirements()).toEqual([]);
  });

  it('docs/verify-requirements.md is the generated table and lists every id with its RFC section', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(doc).toBe(renderRequirementsMarkdown().join('\n') + '\n');
    for (const r of REQUIREMENTS) expect(doc).toContain(`| ${r.id} | ${r.section} |`);
  });
});

describe('espy verify command', () => {
  it('prints a table per implementation and a verdict line per implementation', async () => {
    const r = await espy('verify', '--natd-search-hashes', '0', path.join(FIXTURES, 'lab', 'ikev2-client-behind-nat', 'outside-nat.pcap'));
    expect(r.code).toBe(0);
    expect(r.out.some((l) => /Req .*RFC §.*Level.*Result.*Evidence frames.*Note/.test(l))).toBe(true);
    expect(r.out).toContain('198.51.100.2 (initiator): 6 pass, 0 fail, 18 not seen');
    expect(r.out).toContain('203.0.113.2 (responder): 7 pass, 0 fail, 17 not seen');
  });

  it('exits 1 on a MUST failure, 0 on a SHOULD failure unless --strict', async () => {
    const must = tempCapture(natSession({ version: 2, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle', noFloat: true }).pcap);
    const should = tempCapture(natSession({ version: 2, initiator: '10.0.0.2', initiatorNat: '198.51.100.7', responder: '203.0.113.5', capture: 'middle', espPackets: 2, espChecksum: true }).pcap);
    const m = await espy('verify', '--natd-search-hashes', '0', must);
    expect(m.code).toBe(1);
    expect(m.out).toContain('198.51.100.7 (initiator): 3 pass, 1 fail, 20 not seen — 1 MUST failure(s)');
    expect((await espy('verify', '--natd-search-hashes', '0', should)).code).toBe(0);
    expect((await espy('verify', '--natd-search-hashes', '0', '--strict', should)).code).toBe(1);
  });

  it('usage and input errors exit 2 with one line on stderr', async () => {
    for (const argv of [['verify'], ['verify', '/nonexistent/capture.pcap'], ['verify', tempCapture(new Uint8Array([1, 2, 3]))], ['verify', '--keepalive-interval', 'x', 'f']]) {
      const r = await espy(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('--requirements prints the catalogue', async () => {
    const r = await espy('verify', '--requirements');
    expect(r.code).toBe(0);
    expect(r.out.join('\n') + '\n').toBe(readFileSync(DOC, 'utf8'));
  });

  it('--json is one versioned document with the per-SA detail', async () => {
    const r = await espy('verify', '--json', '--natd-search-hashes', '0', path.join(FIXTURES, 'lab', 'ikev1-main-mode-behind-nat', 'outside-nat.pcap'));
    expect(r.out).toHaveLength(1);
    const report = JSON.parse(r.out[0]!);
    expect(report).toMatchObject({ type: 'verify', v: 1, strict: false, summary: { implementations: 2, ikeSas: 1, fail: 0 } });
    const row = report.implementations[0].results.find((x: { id: string }) => x.id === 'A7');
    expect(row).toMatchObject({ rfc: 'RFC 3947', section: '4', level: 'MUST', result: 'pass', frames: [5] });
    expect(row.sas[0]).toMatchObject({ role: 'initiator', result: 'pass' });
  });

  it('a capture without IKE says so', async () => {
    const r = await espy('verify', path.join(FIXTURES, 'lab', 'ikev2-no-nat', 'wire.pcap'), '--ike-port', '9', '--natt-port', '8', '--no-heuristics');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/nothing to verify/);
  });
});

describe('espy verify on the one analysis pass', () => {
  const file = path.join(FIXTURES, 'lab', 'two-clients-same-nat', 'outside-nat.pcap');

  it('reads standard input: the same document as from the file', () => {
    const bin = path.join(REPO_ROOT, 'bin', 'espy.js');
    const fromFile = spawnSync(process.execPath, [bin, 'verify', '--json', file], { encoding: 'utf8' });
    const fromStdin = spawnSync(process.execPath, [bin, 'verify', '--json', '-'], { input: readFileSync(file), encoding: 'utf8' });
    expect(fromStdin.status, fromStdin.stderr).toBe(fromFile.status);
    const strip = (doc: string): unknown => ({ ...(JSON.parse(doc) as object), captures: undefined });
    expect(strip(fromStdin.stdout)).toEqual(strip(fromFile.stdout));
  });

  it('-Y narrows the packets verified, like analyze -Y; report fields are refused', async () => {
    const all = await espy('verify', '--json', file);
    const one = await espy('verify', '--json', '-Y', 'udp.srcport != 4500 || ip.dst != 203.0.113.2', file);
    const count = (out: string[]): number => (JSON.parse(out[0]!) as { summary: { ikeSas: number } }).summary.ikeSas;
    expect(count(all.out)).toBeGreaterThan(0);
    expect(one.out).toHaveLength(1);
    expect(count(one.out)).toBeLessThanOrEqual(count(all.out));
    const refused = await espy('verify', '-Y', 'finding.severity >= warning', file);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toMatch(/packet fields only/);
  });

  it('takes the state caps of analyze: one IKE SA tracked at a time evicts the rest and says so', async () => {
    const capped = await espy('verify', '--json', '--max-ike-sas', '1', file);
    const doc = JSON.parse(capped.out[0]!) as { summary: { ikeSas: number } };
    const all = JSON.parse((await espy('verify', '--json', file)).out[0]!) as { summary: { ikeSas: number } };
    expect(all.summary.ikeSas).toBeGreaterThan(1);
    expect(doc.summary.ikeSas).toBeLessThan(all.summary.ikeSas);
  });
});
