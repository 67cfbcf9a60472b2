import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { CORPUS, FIXTURES, IN_CI, PINNED_TSHARK, REPO_ROOT, capturesUnder, groundTruthMissing, tshark } from '../support/environment.js';
import { concat, esp, ether, gre, icmp, icmpv6, ipv4, ipv6, u32, udp } from '../support/packet-builders.js';
import { writePcap } from '../decode/net/helpers/mini-pcap.js';

/**
 * The summary line of every ICMP/ICMPv6 error message against tshark's columns (issue 15):
 * Source, Destination, Protocol and Info, for every such frame of fixtures/ and the shared
 * corpus, and for a crafted capture with every error type and code tshark names. tshark shows an
 * error as the ICMP packet itself; the packet it quotes only in the detail tree.
 */
const missing = groundTruthMissing({ exactTshark: true, corpus: true });
const missingTshark = groundTruthMissing({ exactTshark: true });

describe('ICMP error summaries: tshark environment', () => {
  it.runIf(IN_CI)('has tshark and the shared corpus under CI', () => {
    expect(missing).toBeUndefined();
  });
});

/** tshark's error messages: destination unreachable, source quench, redirect, time exceeded, parameter problem; ICMPv6 types below 128. */
const ERROR_FILTER = 'icmp.type == 3 || icmp.type == 4 || icmp.type == 5 || icmp.type == 11 || icmp.type == 12 || icmpv6.type < 128';
const COLUMNS = ['frame.number', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Info'];

interface Row {
  readonly frame: number;
  readonly line: string;
}

/** tshark's columns of the frames the filter selects, as "src | dst | protocol | info". */
function tsharkRows(capture: string, filter: string): Row[] {
  const out = tshark(capture, ['-Y', filter, '-T', 'fields', ...COLUMNS.flatMap((c) => ['-e', c])]);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [frame, ...cols] = l.split('\t');
      return { frame: Number(frame), line: cols.join(' | ') };
    });
}

/** espy's summary lines of a capture, as "src | dst | protocol | info" by frame number. */
async function espyRows(capture: string): Promise<Map<number, string>> {
  const io = memoryIo();
  const code = await run(['packets', capture], io);
  expect(io.stderr).toEqual([]);
  expect(code).toBe(0);
  const rows = new Map<number, string>();
  for (const line of io.stdout) {
    const m = /^\s*(\d+)\s+\S+\s+(\S*) → (\S*)\s+(\S+) \d+ (.*)$/.exec(line);
    if (m) rows.set(Number(m[1]), [m[2], m[3], m[4], m[5]].join(' | '));
  }
  return rows;
}

function differences(want: readonly Row[], have: ReadonlyMap<number, string>): string[] {
  return want.filter((r) => have.get(r.frame) !== r.line).map((r) => `frame ${r.frame}\n  tshark: ${r.line}\n  espy:   ${have.get(r.frame) ?? '(no line)'}`);
}

const captures = [
  ...capturesUnder(FIXTURES, { exclude: [`${path.sep}malformed${path.sep}`, `${path.sep}capture${path.sep}`] }),
  ...capturesUnder(CORPUS, { exclude: [`${path.sep}malformed${path.sep}`] }),
];
const keyOf = (c: string): string => (c.startsWith(CORPUS) ? path.relative(CORPUS, c) : path.relative(REPO_ROOT, c));

describe.skipIf(missing !== undefined)(`ICMP error summary lines match tshark ${PINNED_TSHARK} on fixtures/ and the corpus`, () => {
  const compared = new Map<string, number>();

  it.each(captures.map((c) => [keyOf(c), c]))('%s', async (key, capture) => {
    // Which captures hold ICMP at all comes from the capture's wide tshark run (shared, cached);
    // only those get a run of their own with the error filter and the column fields.
    const anyIcmp = ['icmp', 'icmpv6'].some((p) => tshark(capture, ['-T', 'fields', '-e', 'frame.number', '-Y', p]).trim() !== '');
    if (!anyIcmp) return;
    const want = tsharkRows(capture, ERROR_FILTER);
    if (want.length === 0) return;
    compared.set(key, want.length);
    expect(differences(want, await espyRows(capture)).slice(0, 20).join('\n')).toBe('');
  });

  it('compared every ICMP error frame known to be there', () => {
    // fixtures/lab/nat-mapping-change/outside-nat.pcap: the NAT's port unreachable (frame 26);
    // wireshark-wiki/ipsec_esp_capture_2.pcap: 312 protocol unreachables answering ESP.
    expect(compared.get('fixtures/lab/nat-mapping-change/outside-nat.pcap')).toBe(1);
    expect(compared.get('wireshark-wiki/ipsec_esp_capture_2.pcap')).toBe(312);
    expect([...compared.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(313);
  });
});

/** Every ICMP and ICMPv6 error type and code (named or not) tshark 4.0 has words for, quoting ESP-in-UDP. */
function craftedFrames(): Uint8Array[] {
  const a = { src: '198.51.100.2', dst: '203.0.113.2' };
  const quoted4 = ipv4({ src: a.dst, dst: a.src, id: 0x4242 }, udp(4500, 4500, esp(0xb5bd8db7, 9, new Uint8Array(24))));
  const v4 = (type: number, code: number, rest = u32(0), quoted = quoted4): Uint8Array => ether(ipv4(a, icmp(type, code, concat(rest, quoted))));
  const a6 = { src: '2001:db8::9', dst: '2001:db8::1' };
  const quoted6 = ipv6({ src: a6.dst, dst: '2001:db8::2' }, udp(4500, 4500, esp(0x700, 1)));
  const v6 = (type: number, code: number, rest = u32(0)): Uint8Array => ether(ipv6(a6, icmpv6(type, code, concat(rest, quoted6))));
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  return [
    ...range(17).map((c) => v4(3, c, c === 4 ? u32(1400) : u32(0))),
    v4(3, 255),
    v4(4, 0), v4(4, 1),
    ...range(5).map((c) => v4(5, c, u32(0x0a000009))),
    ...range(3).map((c) => v4(11, c)),
    ...range(4).map((c) => v4(12, c, u32(0x14000000))),
    v4(3, 3, u32(0), quoted4.subarray(0, 28)),
    v4(11, 0, u32(0), quoted4.subarray(0, 20)),
    // An error quoting an error, and one carried in GRE: the outer ICMP's own IP header.
    ether(ipv4({ src: '192.0.2.77', dst: a.src }, icmp(11, 0, concat(u32(0), ipv4(a, icmp(3, 3, concat(u32(0), quoted4))))))),
    ether(ipv4({ src: '192.0.2.1', dst: '192.0.2.2' }, gre(0x0800, ipv4(a, icmp(3, 3, concat(u32(0), quoted4)))))),
    ...range(9).map((c) => v6(1, c)),
    v6(1, 200),
    v6(2, 0, u32(1280)), v6(2, 1, u32(1280)),
    ...range(3).map((c) => v6(3, c)),
    ...range(5).map((c) => v6(4, c)),
    v6(4, 9),
  ];
}

describe.skipIf(missingTshark !== undefined)(`ICMP error summary lines match tshark ${PINNED_TSHARK} on crafted errors`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'espy-icmp-summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every type and code', async () => {
    const frames = craftedFrames();
    const capture = path.join(dir, 'icmp-errors.pcap');
    writeFileSync(capture, writePcap(1, frames));
    const want = tsharkRows(capture, 'icmp || icmpv6');
    expect(want.length).toBe(frames.length);
    expect(differences(want, await espyRows(capture)).join('\n')).toBe('');
  });
});
