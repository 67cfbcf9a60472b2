import type { FieldDef, FieldValue, TimeValue } from './field.js';
import { toHex } from './cursor.js';

/**
 * One line of the packet detail tree. Nodes that carry a `field` are what `-T fields`,
 * JSON and (later) display filters read; nodes without one are text only.
 */
export interface TreeNode {
  readonly field?: FieldDef;
  readonly value?: FieldValue;
  /** Display text, already made safe: packet strings inside it are escaped (see `escapeText`). */
  readonly label: string;
  /** Absolute frame offset and byte count the node covers, when meaningful. */
  readonly offset?: number;
  readonly length?: number;
  readonly children?: readonly TreeNode[];
  /** Present for field extraction but not shown by `-V` (tshark "hidden" items). */
  readonly hidden?: boolean;
}

const PRINTABLE_MIN = 0x20;
const PRINTABLE_MAX = 0x7e;

/**
 * Makes text from a packet safe for a terminal, JSON or HTML attribute-free contexts:
 * every byte outside printable ASCII becomes a C-style escape (\n, \t, \\, \xNN), as
 * Wireshark's format_text does. Used on every string that came from capture bytes.
 */
export function escapeText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= PRINTABLE_MIN && c <= PRINTABLE_MAX) {
      out += c === 0x5c ? '\\\\' : s[i];
    } else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c <= 0xff) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += '\\u' + c.toString(16).padStart(4, '0');
  }
  return out;
}

/** Bytes as a string, one char per byte (latin1), for labels; escape with `escapeText` before display. */
export function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

export function formatIpv4(v: number | Uint8Array): string {
  if (typeof v === 'number') return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
  return `${v[0] ?? 0}.${v[1] ?? 0}.${v[2] ?? 0}.${v[3] ?? 0}`;
}

/** RFC 5952 text form (what tshark prints): lowercase, longest zero run (>1 group) compressed. */
export function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const tail = groups.slice(bestStart + bestLen).map((g) => g.toString(16)).join(':');
  return `${head}::${tail}`;
}

export function formatEther(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

function formatTime(t: TimeValue): string {
  return `${t.sec}.${String(t.nsec).padStart(9, '0')}`;
}

function hexOf(v: number | bigint, bits: number): string {
  return '0x' + v.toString(16).padStart(Math.ceil(bits / 4), '0');
}

/** Wireshark-style display of a value in the tree ("0x00000008", "Main Mode (2)", ...). */
export function displayValue(def: FieldDef, value: FieldValue): string {
  if (value === null) return '';
  switch (def.type) {
    case 'uint':
    case 'uint64':
    case 'int': {
      const n = value as number | bigint;
      const bits = def.bits ?? 32;
      let text: string;
      switch (def.base ?? 'dec') {
        case 'hex':
          text = hexOf(n, bits);
          break;
        case 'dec_hex':
          text = `${n} (${hexOf(n, bits)})`;
          break;
        case 'hex_dec':
          text = `${hexOf(n, bits)} (${n})`;
          break;
        case 'oct':
          text = '0' + n.toString(8);
          break;
        default:
          text = String(n);
      }
      const name = typeof n === 'number' ? def.values?.[n] : undefined;
      return name !== undefined ? `${name} (${text})` : text;
    }
    case 'bool':
      return value ? 'True' : 'False';
    case 'bytes':
      return toHex(value as Uint8Array);
    case 'ipv4':
      return formatIpv4(value as number | Uint8Array);
    case 'ipv6':
      return formatIpv6(value as Uint8Array);
    case 'ether':
      return formatEther(value as Uint8Array);
    case 'string':
      return escapeText(value as string);
    case 'time_epoch':
    case 'time_rel':
      return formatTime(value as TimeValue);
    case 'double':
      return String(value);
    case 'none':
      return '';
  }
}

/**
 * Whether `item` makes labels. Off while a tree is built only for its values (`-T fields`, `-Y`):
 * Wireshark's "invisible tree", which skips formatting text nobody reads.
 */
let labelsWanted = true;

/** Runs `build` with labels off: the trees it makes carry values, and '' for every field label. */
export function withoutLabels<T>(build: () => T): T {
  const was = labelsWanted;
  labelsWanted = false;
  try {
    return build();
  } finally {
    labelsWanted = was;
  }
}

type MutableNode = { -readonly [K in keyof TreeNode]: TreeNode[K] };

/** A field node labelled "Name: value" (or a custom label), with optional children. */
export function item(
  def: FieldDef,
  value: FieldValue,
  offset?: number,
  length?: number,
  opts: { label?: string; children?: readonly TreeNode[]; hidden?: boolean } = {},
): TreeNode {
  const label = !labelsWanted ? '' : opts.label ?? (def.type === 'none' ? def.name : `${def.name}: ${displayValue(def, value)}`);
  // Assigned one by one, not spread: this runs for every field of every packet printed.
  const node: MutableNode = { field: def, value, label };
  if (offset !== undefined) node.offset = offset;
  if (length !== undefined) node.length = length;
  if (opts.children) node.children = opts.children;
  if (opts.hidden) node.hidden = true;
  return node;
}

/** A text-only node (no field), e.g. "Payload: Vendor ID (13)" grouping its fields. */
export function text(label: string, children?: readonly TreeNode[], offset?: number, length?: number): TreeNode {
  const node: MutableNode = { label };
  if (children) node.children = children;
  if (offset !== undefined) node.offset = offset;
  if (length !== undefined) node.length = length;
  return node;
}
