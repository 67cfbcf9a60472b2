/**
 * Invariants every decode of hostile bytes must keep, shared by the fuzz tests. Each returns a
 * list of violations (empty when fine) so a property can report all of them at once.
 */
import { EXPERT } from '../../../src/decode/expert.js';
import type { Packet } from '../../../src/decode/packet.js';
import type { IsakmpLayer } from '../../../src/decode/isakmp/index.js';
import { packetTree } from '../../../src/output/packet-tree.js';
import { renderTreeText } from '../../../src/output/tree-text.js';
import { renderSummaryLine } from '../../../src/output/summary.js';
import { packetToJson } from '../../../src/output/packet-json.js';
import { safeJson } from '../../../src/output/json.js';
import { DEFAULT_FIELD_OUTPUT, SUPPORTED_FIELDS, extractFields, renderFieldsLine } from '../../../src/output/fields.js';
import { ISAKMP_DESCRIBERS } from '../../../src/decode/isakmp/index.js';
import type { Noted } from '../../decode/isakmp/helpers.js';
import { withoutKnownBugs } from './known-bugs.js';

/** C0 controls except \n, DEL, and the C1 range: none may reach a terminal or a JSON line. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

export function controlCharIn(s: string): string | undefined {
  const m = RAW_CONTROL.exec(s);
  return m ? `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index} in ${JSON.stringify(s.slice(Math.max(0, m.index - 30), m.index + 30))}` : undefined;
}

const groupOf = (id: string): string | undefined => (EXPERT as Record<string, { group: string }>)[id]?.group;

/**
 * The ISAKMP decoder's contract on one message: expert entries carry an offset inside the
 * message, any 'malformed' entry makes the layer malformed and vice versa, 'truncated' only when
 * the frame was snapped, payloads lie inside the message, and the tree renders safely.
 */
export function isakmpViolations(layer: IsakmpLayer, notes: readonly Noted[], at: { base: number; length: number; snapped: boolean }): string[] {
  const { base, length, snapped } = at;
  const v: string[] = [];
  for (const n of notes) {
    const off = n.detail?.offset;
    if (off === undefined || !Number.isInteger(off) || off < base || off > base + length) v.push(`${n.id}: offset ${String(off)} outside ${base}..${base + length}`);
    if (n.id === 'decoder.bug') v.push('decoder.bug');
  }
  const malformedNotes = notes.filter((n) => groupOf(n.id) === 'malformed');
  if (malformedNotes.length > 0 && layer.status !== 'malformed') v.push(`status ${layer.status} with malformed entries ${malformedNotes.map((n) => n.id).join(',')}`);
  if (layer.status === 'malformed' && malformedNotes.length === 0) v.push('status malformed without a malformed expert entry');
  if (layer.status === 'truncated' && !snapped) v.push('status truncated, but the frame was not snapped');
  if (layer.length > length || layer.length < 0) v.push(`layer length ${layer.length} outside 0..${length}`);
  for (const p of layer.payloads) {
    if (p.offset < base || p.offset + 4 > base + length) v.push(`payload ${p.type} at ${p.offset} outside the message`);
    if (p.status === 'malformed' && layer.status !== 'malformed') v.push(`payload ${p.type} malformed, layer ${layer.status}`);
  }
  const tree = ISAKMP_DESCRIBERS.isakmp!.tree(layer, { layers: [layer] } as unknown as Packet);
  for (const line of renderTreeText([tree])) {
    const bad = controlCharIn(line);
    if (bad) v.push(`tree: raw control ${bad}`);
  }
  return withoutKnownBugs(v);
}

/**
 * A packet from `dissectFrame`: no decoder bug, every expert entry inside the frame (or the
 * reassembled datagram), statuses explained, and every view renders without control characters
 * and as valid JSON.
 */
export function packetViolations(packet: Packet): string[] {
  const v: string[] = [];
  const f = packet.frame;
  const reassembled = packet.layers.some((l) => l.reassembled);
  const limit = reassembled ? 65_535 + f.capturedLength : f.capturedLength;
  for (const e of packet.expert) {
    if (e.id === 'decoder.bug') v.push(`decoder.bug: ${e.message}`);
    if (e.offset !== undefined && (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > limit)) v.push(`${e.id}: offset ${e.offset} outside 0..${limit}`);
  }
  const snapped = f.capturedLength < f.originalLength;
  // 'truncated' means bytes are missing, not contradicted: the frame was snapped, or an outer
  // layer already says its payload is incomplete (a malformed length, an unreassembled fragment).
  const fragment = packet.expert.some((e) => e.id === 'ip.fragment_not_reassembled');
  packet.layers.forEach((l, i) => {
    const explained = snapped || reassembled || fragment || packet.layers.slice(0, i).some((o) => o.status !== 'ok');
    if (l.status === 'truncated' && !explained) v.push(`${l.proto} truncated in an unsnapped frame, outer layers ok`);
  });
  for (const l of packet.layers) {
    if (l.status === 'malformed' && !packet.expert.some((e) => groupOf(e.id) === 'malformed')) v.push(`${l.proto} malformed without a malformed expert entry`);
  }
  const view = { firstSec: f.tsSec, firstNsec: f.tsNsec };
  const views: [string, () => string[]][] = [
    ['summary', () => [renderSummaryLine(packet, view)]],
    ['tree', () => renderTreeText(packetTree(packet, view))],
    ['fields', () => [renderFieldsLine(extractFields(packetTree(packet, view), SUPPORTED_FIELDS), DEFAULT_FIELD_OUTPUT)]],
    ['json', () => [safeJson(packetToJson(packet, view))]],
  ];
  for (const [name, render] of views) {
    let lines: string[];
    try {
      lines = render();
    } catch (e) {
      v.push(`${name} rendering threw ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 3).join(' | ') : String(e)}`);
      continue;
    }
    for (const line of lines) {
      const bad = controlCharIn(name === 'fields' ? line.replaceAll('\t', ' ') : line); // tab: the field separator
      if (bad) v.push(`${name}: raw control ${bad}`);
    }
    if (name === 'json') {
      try {
        JSON.parse(lines[0]!);
      } catch (e) {
        v.push(`json does not parse: ${String(e)}`);
      }
    }
  }
  if (v.length) v.push(`context: frame ${f.number} (${f.capturedLength}/${f.originalLength} bytes): ${describePacket(packet)}`);
  return withoutKnownBugs(v);
}

/** One line per packet for failure messages: layers with status, offset and length, then expert ids. */
export function describePacket(packet: Packet): string {
  const layers = packet.layers.map((l) => `${l.proto}:${l.status}@${l.offset}+${l.length}${l.reassembled ? '(R)' : ''}`).join(' ');
  return `${layers} | ${packet.expert.map((e) => `${e.id}@${e.offset ?? '-'}`).join(' ')} | ${Buffer.from(packet.frame.data).toString('hex')}`;
}
