import type { Frame } from '../../../src/capture/frame.js';
import { DEFAULT_DECODE_CONFIG, type DissectContext, type DissectState, type ExpertDetail } from '../../../src/decode/layer.js';
import type { ExpertId } from '../../../src/decode/expert.js';
import type { TreeNode } from '../../../src/decode/tree.js';
import { formatFieldValue } from '../../../src/output/field-format.js';
import { decodeIsakmpLayer, ISAKMP_DESCRIBERS } from '../../../src/decode/isakmp/index.js';
import type { IsakmpLayer } from '../../../src/decode/isakmp/index.js';
import type { Packet } from '../../../src/decode/packet.js';
import { tshark } from '../../support/environment.js';

export interface Noted {
  readonly id: ExpertId;
  readonly detail?: ExpertDetail;
}

/** A minimal DissectContext for one frame: `snapped` marks the frame as cut by the snap length. */
export function fakeContext(length: number, opts: { snapped?: boolean } = {}): { ctx: DissectContext; notes: Noted[] } {
  const notes: Noted[] = [];
  const frame: Frame = {
    number: 1,
    tsSec: 0,
    tsNsec: 0,
    capturedLength: length,
    originalLength: opts.snapped ? length + 1000 : length,
    linkType: 1,
    interfaceId: 0,
    data: new Uint8Array(length),
  };
  const ctx: DissectContext = {
    frame,
    config: DEFAULT_DECODE_CONFIG,
    layers: [],
    state: {} as DissectState,
    expert(id, detail) {
      notes.push(detail ? { id, detail } : { id });
    },
  };
  return { ctx, notes };
}

/** Decodes ISAKMP bytes as if they started a frame (offset 0). */
export function decode(bytes: Uint8Array, opts: { snapped?: boolean; offset?: number } = {}): { layer: IsakmpLayer; notes: Noted[]; ids: string[] } {
  const { ctx, notes } = fakeContext(bytes.length, opts);
  const layer = decodeIsakmpLayer(bytes, opts.offset ?? 0, ctx);
  return { layer, notes, ids: notes.map((n) => n.id) };
}

/** Spaced hex with `#` comments (one field a line in tests) to bytes. */
export function bytesOf(spaced: string): Uint8Array {
  const clean = spaced.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex: ${clean}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function treeOf(layer: IsakmpLayer): TreeNode {
  return ISAKMP_DESCRIBERS.isakmp!.tree(layer, { layers: [layer] } as unknown as Packet);
}

export function infoOf(layer: IsakmpLayer): string | undefined {
  return ISAKMP_DESCRIBERS.isakmp!.info?.(layer, { layers: [layer] } as unknown as Packet);
}

/** Every field occurrence in tree order (hidden nodes included), as `-T fields` would print it. */
export function collectFields(node: TreeNode, out = new Map<string, string[]>()): Map<string, string[]> {
  if (node.field && node.value !== undefined) {
    const list = out.get(node.field.abbrev) ?? [];
    list.push(formatFieldValue(node.field, node.value));
    out.set(node.field.abbrev, list);
  }
  for (const c of node.children ?? []) collectFields(c, out);
  return out;
}

/** All abbrevs (with a field) in tree order, for structure checks. */
export function abbrevsOf(node: TreeNode, out: string[] = []): string[] {
  if (node.field) out.push(node.field.abbrev);
  for (const c of node.children ?? []) abbrevsOf(c, out);
  return out;
}

export interface CapturedIke {
  readonly frame: number;
  readonly srcPort: number;
  readonly dstPort: number;
  /** ISAKMP bytes (non-ESP marker removed). */
  readonly bytes: Uint8Array;
  readonly snapped: boolean;
}

/** The ISAKMP message of every frame tshark decodes as ISAKMP, from udp.payload. */
export function isakmpFrames(capture: string): CapturedIke[] {
  const out: CapturedIke[] = [];
  const text = tshark(capture, ['-Y', 'isakmp', '-T', 'fields', '-E', 'header=n', '-e', 'frame.number', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload', '-e', 'frame.len', '-e', 'frame.cap_len']);
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [frame, sp, dp, payload, len, capLen] = line.split('\t') as [string, string, string, string, string, string];
    if (sp.includes(',') || !payload) continue;
    let bytes = Uint8Array.from(Buffer.from(payload, 'hex'));
    const natt = sp === '4500' || dp === '4500';
    if (natt && bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0) bytes = bytes.subarray(4);
    out.push({ frame: Number(frame), srcPort: Number(sp), dstPort: Number(dp), bytes, snapped: Number(capLen) < Number(len) });
  }
  return out;
}

/** The exactness target of the brief: these fields must print as tshark 4.0 prints them. */
export const COMPARED_FIELDS = [
  'isakmp.ispi', 'isakmp.rspi', 'isakmp.nextpayload', 'isakmp.version', 'isakmp.exchangetype', 'isakmp.flags',
  'isakmp.messageid', 'isakmp.length', 'isakmp.typepayload', 'isakmp.vid_bytes', 'isakmp.notify.msgtype',
  'isakmp.notify.data', 'isakmp.ike.nat_hash', 'isakmp.ike.nat_original_address_ipv4', 'isakmp.delete.spi',
] as const;

/** tshark's `-T fields` rows for a capture: frame number → field → text. */
export function tsharkFields(capture: string, fields: readonly string[], filter = 'isakmp'): Map<number, Map<string, string>> {
  const args = ['-Y', filter, '-T', 'fields', '-E', 'header=n', '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])];
  const rows = new Map<number, Map<string, string>>();
  for (const line of tshark(capture, args).split('\n')) {
    if (!line) continue;
    const cells = line.split('\t');
    const row = new Map<string, string>();
    fields.forEach((f, i) => row.set(f, cells[i + 1] ?? ''));
    rows.set(Number(cells[0]), row);
  }
  return rows;
}
