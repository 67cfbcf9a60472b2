import type { FieldDef, FieldValue } from '../field.js';
import { item, type TreeNode } from '../tree.js';

/** Appends a field node when the value was decoded (fields whose bytes were not captured stay out, as in tshark). */
export function add(
  nodes: TreeNode[],
  def: FieldDef,
  value: FieldValue | undefined,
  offset?: number,
  length?: number,
  opts?: { label?: string; children?: readonly TreeNode[]; hidden?: boolean },
): void {
  if (value === undefined) return;
  nodes.push(item(def, value, offset, length, opts));
}

/** Names tshark shows for checksum status values. */
export const CHECKSUM_STATUS_NAMES: Readonly<Record<number, string>> = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

/** "Checksum: 0x1c2f [correct]" / "incorrect, should be 0x9e01" / "[unverified]" / "[missing]" as tshark labels it. */
export function checksumLabel(name: string, value: number, status: number | undefined, expected: number | undefined): string {
  const v = '0x' + value.toString(16).padStart(4, '0');
  switch (status) {
    case 1:
      return `${name}: ${v} [correct]`;
    case 0:
      return `${name}: ${v} incorrect, should be 0x${(expected ?? 0).toString(16).padStart(4, '0')}(may be caused by "checksum offload"?)`;
    case 3:
      return `${name}: ${v} [zero-value ignored]`;
    case 4:
      return `${name}: ${v} [illegal: zero over IPv6]`;
    default:
      return `${name}: ${v} [unverified]`;
  }
}
