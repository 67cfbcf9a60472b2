import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { analyzeJson, espy } from '../support/run-espy.js';
import { FIXTURES } from '../support/environment.js';

const SAMPLE = path.join(FIXTURES, 'public', 'isakmp4500.pcap');
const MAPPING = path.join(FIXTURES, 'lab', 'nat-mapping-change', 'outside-nat.pcap');

describe('espy packets -Y', () => {
  it('prints only the matching packets, with their own frame numbers', async () => {
    const r = await espy('packets', SAMPLE, '-Y', 'udpencap.nat_keepalive', '-T', 'fields', '-e', 'frame.number', '-e', 'udp.length');
    expect(r).toEqual({ code: 0, out: ['18\t9', '23\t9', '28\t9', '34\t9'], err: [] });
  });

  it('works with the summary, -V and JSON views', async () => {
    expect((await espy('packets', SAMPLE, '-Y', 'esp')).out).toHaveLength(8);
    expect((await espy('packets', SAMPLE, '-Y', 'frame.number == 18', '-V')).out.some((l) => l.includes('NAT-keepalive'))).toBe(true);
    const json = (await espy('packets', SAMPLE, '-Y', 'isakmp.exchangetype == "Quick Mode"', '-T', 'json')).out.map((l) => JSON.parse(l) as { type: string });
    expect(json).toHaveLength(8);
  });

  it('-c counts packets read, as tshark does', async () => {
    const r = await espy('packets', SAMPLE, '-Y', 'esp', '-c', '20', '-T', 'fields', '-e', 'frame.number');
    expect(r.out).toEqual(['12', '17', '19']);
  });

  it('a bad filter is a usage error (exit 2) that shows where', async () => {
    const r = await espy('packets', SAMPLE, '-Y', 'isakmp && )');
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n').split('\n')).toEqual(["espy: -Y: unexpected token ')' at column 11", '    isakmp && )', '              ^']);
  });

  it('an unknown field is named', async () => {
    const r = await espy('packets', SAMPLE, '-Y', 'isakmp.nosuchfield');
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain('"isakmp.nosuchfield" is neither a field nor a protocol name');
  });
});

describe('espy analyze -Y', () => {
  it('packet terms choose the packets analysed', async () => {
    const all = await analyzeJson(SAMPLE);
    const { report } = await analyzeJson(SAMPLE, '-Y', '!udpencap.nat_keepalive');
    expect(report.displayFilter).toEqual({ expression: '!udpencap.nat_keepalive', framesMatched: 31 });
    expect(all.report.summary.keepalives).toBe(4);
    expect(report.summary.keepalives).toBe(0);
    expect(report.ikeSas).toHaveLength(1);
  });

  it('the NDJSON summary carries the filter too', async () => {
    const r = await espy('analyze', SAMPLE, '--ndjson', '-Y', '!udpencap.nat_keepalive');
    const summary = JSON.parse(r.out.at(-1)!) as { type: string; displayFilter?: unknown };
    expect(summary.type).toBe('summary');
    expect(summary.displayFilter).toEqual({ expression: '!udpencap.nat_keepalive', framesMatched: 31 });
    const plain = JSON.parse((await espy('analyze', SAMPLE, '--ndjson')).out.at(-1)!) as { displayFilter?: unknown };
    expect(plain.displayFilter).toBeUndefined();
  });

  it('finding terms choose the findings listed, and the counts follow', async () => {
    const { report } = await analyzeJson(MAPPING, '-Y', 'finding.severity >= note && finding.id != "checksum.offload"');
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.severity !== 'chat' && f.id !== 'checksum.offload')).toBe(true);
    expect(report.summary.findings.chat).toBe(0);
    expect(report.summary.findings.note).toBe(report.findings.filter((f) => f.severity === 'note').length);
  });

  it('ike_sa and esp_sa terms choose the SAs listed', async () => {
    const { report } = await analyzeJson(MAPPING, '-Y', 'esp_sa.packets >= 10 && esp_sa.src == 198.51.100.0/24 && ike_sa.nat.initiator == behind-nat');
    expect(report.espSas.map((e) => e.spi).sort()).toEqual(['12136292', 'e86e4702']);
    expect(report.summary.espSas).toBe(2);
    expect(report.ikeSas).toHaveLength(1);
    const none = await analyzeJson(MAPPING, '-Y', 'ike_sa.version == 1');
    expect(none.report.ikeSas).toEqual([]);
    expect(none.report.summary.natDetected).toBe(0);
  });

  it('--fail-on looks at the findings the filter keeps', async () => {
    expect((await espy('analyze', MAPPING, '-q', '--fail-on', 'note')).code).toBe(1);
    expect((await espy('analyze', MAPPING, '-q', '--fail-on', 'note', '-Y', 'finding.severity >= error')).code).toBe(0);
  });

  it('the text report names the filter', async () => {
    const r = await espy('analyze', SAMPLE, '-q', '--fail-on', 'never', '-Y', 'isakmp');
    expect(r.out[0]).toBe('Display filter: isakmp (15 of 35 frames analysed)');
  });

  it('a term mixing packet and report fields is an error', async () => {
    const r = await espy('analyze', SAMPLE, '-q', '-Y', 'udp.port == 500 || finding.id == "x"');
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain('mixes packet fields and finding.* fields');
  });
});
