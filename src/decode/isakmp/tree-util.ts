import { readU16, readU32 } from '../cursor.js';
import type { FieldDef, FieldValue } from '../field.js';
import { item, type TreeNode } from '../tree.js';
import { F } from './fields.js';
import { payloadTypeName, rangeName, type NameTable, type RangeTable } from './names.js';
import type { IsakmpLayer } from './types.js';

/** Reads the message bytes of a layer by absolute offset (tree building only). */
export class LayerBytes {
  constructor(readonly layer: IsakmpLayer) {}

  view(abs: number, n: number): Uint8Array {
    const rel = abs - this.layer.offset;
    const b = this.layer.bytes;
    const from = Math.max(0, Math.min(rel, b.length));
    return b.subarray(from, Math.max(from, Math.min(rel + n, b.length)));
  }

  u8(abs: number): number {
    return this.layer.bytes[abs - this.layer.offset] ?? 0;
  }

  u16(abs: number): number {
    return readU16(this.layer.bytes, abs - this.layer.offset) ?? 0;
  }

  u32(abs: number): number {
    return readU32(this.layer.bytes, abs - this.layer.offset) ?? 0;
  }

  /** Bytes present from `abs` (for clamping node lengths). */
  left(abs: number): number {
    return Math.max(0, this.layer.offset + this.layer.bytes.length - abs);
  }
}

/** Wireshark's bit picture: ".... ...1" for mask 0x01 of an 8-bit value. */
export function bitString(value: number, mask: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    const bit = 2 ** i;
    s += Math.floor(mask / bit) % 2 ? (Math.floor(value / bit) % 2 ? '1' : '0') : '.';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  return s;
}

/** "Name (n)" for a value, or "Unknown (n)". */
export function named(table: NameTable | RangeTable, v: number, unknown = 'Unknown'): string {
  const name = Array.isArray(table) ? rangeName(table as RangeTable, v) : (table as NameTable)[v];
  return `${name ?? unknown} (${v})`;
}

export function nameOf(table: NameTable | RangeTable, v: number, unknown = 'Unknown'): string {
  return (Array.isArray(table) ? rangeName(table as RangeTable, v) : (table as NameTable)[v]) ?? unknown;
}

/** A field item with a "Name: text" label. */
export function labelled(def: FieldDef, value: FieldValue, offset: number, length: number, text: string, children?: readonly TreeNode[]): TreeNode {
  return item(def, value, offset, length, { label: `${def.name}: ${text}`, ...(children ? { children } : {}) });
}

/** A flag item in Wireshark's form: "..0. .... = Response: Request". */
export function flagItem(def: FieldDef, value: number, mask: number, width: number, offset: number, length: number, yes: string, no: string): TreeNode {
  const set = Math.floor(value / mask) % 2 === 1;
  return item(def, set, offset, length, { label: `${bitString(value, mask, width)} = ${def.name}: ${set ? yes : no}` });
}

/**
 * Next payload, reserved (IKEv2: critical bit and 7 reserved bits) and length. Proposals and
 * transforms always use the IKEv1 form (a reserved byte), as Wireshark shows them.
 */
export function genericHeader(bytes: LayerBytes, at: number, v: 1 | 2, h: { nextPayload: number; length: number }): TreeNode[] {
  const nodes: TreeNode[] = [item(F.nextpayload, h.nextPayload, at, 1, { label: `Next payload: ${payloadTypeName(h.nextPayload)} (${h.nextPayload})` })];
  if (v === 2) {
    const flags = bytes.u8(at + 1);
    nodes.push(flagItem(F.criticalpayload, flags, 0x80, 8, at + 1, 1, 'Critical', 'Not critical'));
    nodes.push(item(F.reserved7, flags & 0x7f, at + 1, 1, { label: `${bitString(flags, 0x7f, 8)} = Reserved: 0x${(flags & 0x7f).toString(16).padStart(2, '0')}` }));
  } else {
    nodes.push(item(F.reserved, bytes.view(at + 1, 1), at + 1, 1));
  }
  nodes.push(item(F.payloadlength, h.length, at + 2, 2));
  return nodes;
}
