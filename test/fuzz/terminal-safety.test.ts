/**
 * Strings from packets never reach a terminal with control characters, and JSON stays valid:
 * a capture whose ID, vendor ID, notify, certificate and CP payloads carry ANSI escapes, BEL,
 * CR, C1 controls (raw 0x9b and UTF-8 C2 9B), DEL, NUL and HTML goes through every command and
 * view. Checked on code points (U+0000–U+001F except \n, U+007F–U+009F), both in process and on
 * the real stdout bytes of bin/espy.js (strict UTF-8).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { REPO_ROOT } from '../support/environment.js';
import { writePcap } from '../support/capture-writer.js';
import { concat, ether, ipv4, ipv6, nonEsp, u16, u8, udp } from '../support/packet-builders.js';
import { ikeMessage, NAT_DETECTION_DESTINATION_IP, NAT_DETECTION_SOURCE_IP, notifyV2, vid, type PayloadSpec } from '../support/ike-builders.js';

const EVIL = ['\x1b[31mRED\x1b[0m', 'bell\x07', 'over\rwrite', '<script>alert(1)</script>', 'c1\x9b31m', 'utf8-c1 \xc2\x9b31m', 'nul\x00del\x7f', 'tab\there', 'line\nbreak', '\u2028sep'];
const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const evil = (i: number): Uint8Array => bytesOf(EVIL[i % EVIL.length]!);
const all = bytesOf(EVIL.join('|'));

/** Code points no output may carry raw: C0 but \n, DEL, C1. */
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const ispi = Uint8Array.of(0xe1, 0x1e, 0, 0, 0, 0, 0, 1);
const rspi = Uint8Array.of(0xe1, 0x1e, 0, 0, 0, 0, 0, 2);

function hostileCapture(): Uint8Array {
  const idV1 = (s: Uint8Array, type = 2): PayloadSpec => ({ type: 5, body: concat(u8(type), u8(17), u16(500), s) });
  const notifyV1 = (data: Uint8Array): PayloadSpec => ({ type: 11, body: concat(Uint8Array.of(0, 0, 0, 1), u8(1), u8(0), u16(24578), data) });
  const v1 = ikeMessage({ ispi, version: 1, exchange: 4, payloads: [idV1(all), idV1(evil(0), 3), idV1(evil(4), 9), vid(all), vid(evil(5)), notifyV1(all), { type: 13, body: evil(6) }] });
  const idV2 = (type: number, s: Uint8Array, idType = 3): PayloadSpec => ({ type, body: concat(u8(idType), u8(0), u16(0), s) });
  const v2 = ikeMessage({
    ispi,
    rspi,
    version: 2,
    exchange: 35,
    flags: 0x08,
    mid: 1,
    payloads: [
      idV2(35, all),
      idV2(36, evil(1), 2),
      { type: 43, body: all },
      notifyV2(16384, all),
      notifyV2(NAT_DETECTION_SOURCE_IP, all),
      notifyV2(NAT_DETECTION_DESTINATION_IP, evil(3)),
      { type: 37, body: concat(u8(4), all) },
      { type: 47, body: concat(u8(1), u8(0), u16(0), u16(16), u16(all.length), all) },
      { type: 48, body: concat(u8(2), u8(1), u16(5 + all.length), u8(1), all) },
    ],
  });
  const v2Init = ikeMessage({ ispi, version: 2, exchange: 34, flags: 0x08, payloads: [{ type: 43, body: all }, notifyV2(NAT_DETECTION_SOURCE_IP, evil(2)), notifyV2(NAT_DETECTION_DESTINATION_IP, evil(7))] });
  const frames = [
    ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.2' }, udp(500, 500, v1))),
    ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.2' }, udp(500, 500, v2Init))),
    ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.2' }, udp(4500, 4500, nonEsp(v2)))),
    ether(ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, udp(4500, 4500, nonEsp(v2)))),
  ];
  return writePcap(frames.map((data, i) => ({ data, tsSec: 1_700_000_000 + i })));
}

const dir = mkdtempSync(path.join(tmpdir(), 'espy-terminal-'));
const capture = path.join(dir, 'hostile-strings.pcap');
writeFileSync(capture, hostileCapture());

const COMMANDS: readonly (readonly string[])[] = [
  ['packets', capture],
  ['packets', capture, '-V'],
  ['packets', capture, '-T', 'json'],
  ['packets', capture, '-T', 'fields', '-e', 'isakmp.vid_bytes', '-e', 'isakmp.notify.data', '-e', 'isakmp.ike.nat_hash', '-e', 'isakmp.typepayload'],
  ['analyze', capture, '--fail-on', 'never', '--natd-search-hashes', '0'],
  ['analyze', capture, '--json', '--fail-on', 'never', '--natd-search-hashes', '0'],
  ['analyze', capture, '--ndjson', '--fail-on', 'never', '--natd-search-hashes', '0'],
  ['verify', capture, '--natd-search-hashes', '0'],
  ['verify', capture, '--json', '--natd-search-hashes', '0'],
  ['report', capture, '-q', '--natd-search-hashes', '0'],
];

function check(argv: readonly string[], lines: readonly string[]): void {
  const json = argv.includes('json') || argv.includes('--json') || argv.includes('--ndjson');
  const fields = argv.includes('fields');
  for (const line of lines) {
    const m = FORBIDDEN.exec(fields ? line.replaceAll('\t', ' ') : line);
    expect(m, `${argv.slice(1).join(' ')}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(line.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`).toBeNull();
    if (json) {
      const parsed: unknown = JSON.parse(line);
      // The strings survive, escaped, never raw: no parsed string value carries ESC either.
      expect(JSON.stringify(parsed)).not.toMatch(/\\u001b\[31m/);
    }
  }
  if (argv[0] === 'report') expect(lines.join('\n')).not.toContain('<script>alert(1)</script>');
}

describe('terminal safety: hostile strings in ID, vendor ID, notify, CERT, CP and EAP payloads', () => {
  it.each(COMMANDS.map((c) => [c.join(' ').replace(capture, 'FILE'), c]))('espy %s', async (_name, argv) => {
    const io = memoryIo();
    const code = await run(argv, io);
    expect([0, 1], io.stderr.join('\n')).toContain(code);
    expect(io.stdout.length).toBeGreaterThan(0);
    check(argv, [...io.stdout, ...io.stderr]);
  });

  it('the packet strings really are in the capture (the test tests something)', async () => {
    const io = memoryIo();
    await run(['packets', capture, '-V'], io);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/\\x1b\[31mRED|\\x1b\[31m|\\e\[31m/);
    expect(text).toContain('<script>alert(1)</script>');
  });

  const bin = path.join(REPO_ROOT, 'bin', 'espy.js');
  const built = existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'));
  it.skipIf(!built)('the bytes bin/espy.js writes are valid UTF-8 without raw controls (-V, summary, analyze)', () => {
    for (const argv of [COMMANDS[0]!, COMMANDS[1]!, COMMANDS[4]!, COMMANDS[5]!]) {
      let out: Buffer;
      try {
        out = execFileSync(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        out = (e as { stdout: Buffer }).stdout; // exit 1 (findings) is fine here
      }
      const text = new TextDecoder('utf-8', { fatal: true }).decode(out);
      check(argv, text.replace(/\n$/, '').split('\n'));
    }
  });
});
