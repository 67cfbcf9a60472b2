import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, REPO_ROOT } from '../support/environment.js';
import { analyzeJson, espy, tempCapture } from '../support/run-espy.js';
import { natSession } from '../support/natt-scenarios.js';
import { LadderCollector, type TrafficRow } from '../../src/report/ladder-data.js';
import { analyzeCapture } from '../../src/cli/analyze-command.js';
import { memoryIo } from '../../src/cli/io.js';
import { hostileMainMode } from './hostile-capture.js';
import { writePcap } from '../support/capture-writer.js';
import { ether, ipv4, udp } from '../support/packet-builders.js';

const LAB_OUTSIDE = path.join(FIXTURES, 'lab/ikev2-client-behind-nat/outside-nat.pcap');
const ISAKMP4500 = path.join(FIXTURES, 'public/isakmp4500.pcap');

async function reportHtml(file: string): Promise<string> {
  const out = tempCapture(new Uint8Array(), 'report.html');
  const r = await espy('report', file, '-o', out);
  expect(r.code, r.err.join('\n')).toBe(0);
  return readFileSync(out, 'utf8');
}

async function ladders(file: string) {
  const collector = new LadderCollector();
  await analyzeCapture(file, { failOn: 'never', keepaliveTimeout: 20, maxIkeSas: 1000, maxEspSas: 1000, maxFlows: 1000, natdSearchHashes: 0 }, memoryIo(), false, { listener: collector });
  return collector.ladders;
}

describe('espy report (static checks)', () => {
  it('writes one self-contained page: CSP without scripts, no external resources', async () => {
    const page = await reportHtml(LAB_OUTSIDE);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;/);
    // url(#…) references markers inside the page itself.
    expect(page).not.toMatch(/<script|<link|<iframe|<object|<embed|@import|url\((?!#)|\ssrc=/i);
    // The only URL is the SVG namespace, which is never fetched.
    expect(page.match(/https?:\/\/[^\s"'<>]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
  });

  it('draws one arrow per IKE message of the lab capture and labels the float to 4500', async () => {
    const page = await reportHtml(LAB_OUTSIDE);
    expect(page.match(/<g class="msg ike /g)).toHaveLength(6);
    expect(page.match(/data-float="1"/g)).toHaveLength(1);
    expect(page).toContain('float to 4500');
    expect(page).toContain('data-column="initiator-nat"');
    expect(page).not.toContain('data-column="responder-nat"');
    expect(page).toContain('private 10.1.0.2:500');
  });

  it('collapses keepalives and ESP into runs and keeps retransmission labels', async () => {
    const [sa] = await ladders(ISAKMP4500);
    const traffic = sa!.rows.filter((r): r is TrafficRow => r.kind === 'traffic');
    expect(traffic.reduce((n, r) => n + r.keepalives, 0)).toBe(4);
    expect(traffic.reduce((n, r) => n + r.esp, 0)).toBe(8);
    expect(sa!.rows.filter((r) => r.kind === 'ike')).toHaveLength(15);
    const retx = sa!.rows.filter((r) => r.kind === 'ike' && r.retransmission);
    expect(retx.map((r) => (r.kind === 'ike' ? r.exchange : ''))).toEqual(['Quick Mode 2/3', 'Quick Mode 3/3', 'Quick Mode 2/3', 'Quick Mode 3/3', 'Quick Mode 2/3']);
  });

  it('draws an ICMP error quoting ESP as its own arrow, not as ESP traffic', async () => {
    const [sa] = await ladders(path.join(FIXTURES, 'lab/nat-mapping-change/outside-nat.pcap'));
    const icmp = sa!.rows.filter((r) => r.kind === 'icmp');
    expect(icmp).toHaveLength(1);
    expect(icmp[0]).toMatchObject({ frame: 26, fromInitiator: true, description: 'ICMP port unreachable' });
    expect(icmp[0]!.kind === 'icmp' && icmp[0]!.quoted).toBe('quotes ESP SPI b5bd8db7 203.0.113.2:4500 → 198.51.100.2:20023');
    const traffic = sa!.rows.filter((r): r is TrafficRow => r.kind === 'traffic');
    expect(traffic.flatMap((r) => r.frames)).not.toContain(26);
    // ESP both ways between the same endpoints collapses into one double-headed row.
    expect(traffic[0]).toMatchObject({ firstFrame: 5, lastFrame: 23, esp: 19, bothWays: true });
  });

  it('shows a run of keepalives as one "×N keepalives" arrow', async () => {
    const s = natSession({ version: 2, initiator: '192.168.1.10', initiatorNat: '198.51.100.7', responder: '203.0.113.9', capture: 'middle', keepalives: { count: 5, interval: 20, from: 'initiator' } });
    const page = await reportHtml(tempCapture(s.pcap));
    expect(page.match(/<g class="msg traffic keepalive"/g)).toHaveLength(1);
    expect(page).toContain('×5 keepalives');
  });

  it('escapes markup and terminal escapes from packets, and the file name', async () => {
    const page = await reportHtml(tempCapture(hostileMainMode(), '<b>x<i>.pcap'));
    expect(page).not.toMatch(/<script|<img|<b>|<i>/i);
    expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(page).toContain('\\x1b[31m&lt;img src=x onerror=window.__pwned=2&gt;');
    expect(page).toContain('&lt;b&gt;x&lt;i&gt;.pcap');
    expect(page).not.toContain('\x1b');
  });

  it('reads standard input in its one pass: the same page as from the file', () => {
    const bin = path.join(REPO_ROOT, 'bin', 'espy.js');
    const fromFile = spawnSync(process.execPath, [bin, 'report', ISAKMP4500], { encoding: 'utf8' });
    const fromStdin = spawnSync(process.execPath, [bin, 'report', '-'], { input: readFileSync(ISAKMP4500), encoding: 'utf8' });
    expect(fromFile.status).toBe(0);
    expect(fromStdin.status, fromStdin.stderr).toBe(0);
    // The same ladders and tables; only the capture's name differs ('-' instead of the path).
    const arrows = (page: string): string[] => page.match(/<g class="msg [^>]*>/g) ?? [];
    expect(arrows(fromStdin.stdout).length).toBeGreaterThan(10);
    expect(arrows(fromStdin.stdout)).toEqual(arrows(fromFile.stdout));
    expect(fromStdin.stdout.split(ISAKMP4500).length).toBe(1);
  });

  it('-Y as for analyze: the SAs it selects, each with its own ladder', async () => {
    const file = path.join(FIXTURES, 'lab/two-clients-same-nat/outside-nat.pcap');
    const out = tempCapture(new Uint8Array(), 'filtered.html');
    const r = await espy('report', file, '-Y', 'ike_sa.initiator.port == 500', '-o', out);
    expect(r.code, r.err.join('\n')).toBe(0);
    const page = readFileSync(out, 'utf8');
    const all = await reportHtml(file);
    expect(all.match(/<section class="sa"/g)).toHaveLength(2);
    expect(page.match(/<section class="sa"/g)).toHaveLength(1);
    // The one SA's headline and table row; the other SA's SPI appears in no section.
    expect(page.match(/<p class="headline"><a href="#sa/g)).toHaveLength(1);
    const sections = page.match(/<section class="sa"[\s\S]*?<\/section>/g) ?? [];
    expect(sections.join('')).toContain('182b276b2b7f7e45');
    expect(sections.join('')).not.toContain('be51dfa307e85022');
  });

  it('reports a capture without IKE plainly', async () => {
    const dns = writePcap([{ data: ether(ipv4({ src: '192.0.2.1', dst: '192.0.2.53' }, udp(5353, 53, new Uint8Array(12)))) }]);
    const page = await reportHtml(tempCapture(dns));
    expect(page).toContain('No IKE SAs in this capture.');
  });

  const LAB = path.join(FIXTURES, 'lab');
  const labCaptures = readdirSync(LAB, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'lib')
    .flatMap((d) => readdirSync(path.join(LAB, d.name)).filter((f) => f.endsWith('.pcap')).map((f) => path.join(d.name, f)));

  it('has lab captures to check', () => expect(labCaptures.length).toBeGreaterThanOrEqual(20));

  it.each(labCaptures)('lab %s: one ladder per IKE SA, one arrow per IKE message', async (name) => {
    const file = path.join(LAB, name);
    const { report } = await analyzeJson(file, '--natd-search-hashes', '0');
    const page = await reportHtml(file);
    expect(page.match(/<svg class="ladder"/g) ?? []).toHaveLength(report.ikeSas.length);
    expect((page.match(/<g class="msg ike /g) ?? []).length).toBe(report.ikeSas.reduce((n, s) => n + s.messages, 0));
  });
});
