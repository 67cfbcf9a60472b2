/**
 * Compares the network decoders' `-T fields` output with tshark 4.0's, frame by frame, for the
 * fields this layer owns. Differences listed in test/tshark-differences.md (exact values and a
 * reason) are accepted; anything else is returned for the test to fail on.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_DECODE_CONFIG } from '../../../../src/decode/layer.js';
import { tshark } from '../../../support/environment.js';
import { isKnownDifference, loadKnownDifferences, type KnownDifference } from '../../../support/tshark-differences.js';
import { readCaptureFile } from './mini-pcap.js';
import { decodeNet, fieldValues, newState } from './net-loop.js';

export const NET_COMPARED_FIELDS = [
  'eth.src', 'eth.dst', 'vlan.id',
  'ip.src', 'ip.dst', 'ip.proto', 'ip.id', 'ip.ttl', 'ip.flags.mf', 'ip.frag_offset', 'ip.checksum.status',
  'ipv6.src', 'ipv6.dst', 'ipv6.nxt',
  'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum.status',
  'tcp.srcport', 'tcp.dstport', 'tcp.checksum.status',
  'esp.spi', 'esp.sequence', 'ah.spi',
  'udpencap.non_esp_marker', 'udpencap.nat_keepalive',
] as const;

export interface CompareResult {
  readonly frames: number;
  readonly unexplained: string[];
  readonly explained: number;
}

let known: KnownDifference[] | undefined;

export function compareWithTshark(capture: string, key: string): CompareResult {
  known ??= loadKnownDifferences();
  const expected = tshark(capture, ['-T', 'fields', ...NET_COMPARED_FIELDS.flatMap((f) => ['-e', f])]).replace(/\n$/, '').split('\n');
  const frames = readCaptureFile(new Uint8Array(readFileSync(capture)));
  const state = newState();
  const unexplained: string[] = [];
  let explained = 0;
  if (frames.length !== expected.length) unexplained.push(`frame count: tshark ${expected.length}, espy ${frames.length}`);
  frames.forEach((frame, i) => {
    const got = fieldValues(decodeNet(frame, DEFAULT_DECODE_CONFIG, state), NET_COMPARED_FIELDS);
    const want = (expected[i] ?? '').split('\t');
    NET_COMPARED_FIELDS.forEach((field, j) => {
      const d = { capture: key, frame: frame.number, field, tshark: want[j] ?? '', espy: got[j] ?? '' };
      if (d.tshark === d.espy) return;
      if (isKnownDifference(known!, d)) explained++;
      else unexplained.push(`frame ${d.frame} ${field}: tshark '${d.tshark}' espy '${d.espy}'`);
    });
  });
  return { frames: frames.length, unexplained, explained };
}
