import { FilterError } from './errors.js';
import type { Operand } from './parser.js';
import type { FilterField, FilterValue } from './types.js';

/** A literal converted to its field's type. Addresses with a prefix length match a subnet. */
export type Constant =
  | { readonly kind: 'value'; readonly value: FilterValue }
  | { readonly kind: 'cidr4'; readonly network: number; readonly mask: number }
  | { readonly kind: 'cidr6'; readonly network: Uint8Array; readonly bits: number };

const MAX_LITERAL_BYTES = 4096;

/** Integer literal as Wireshark reads it: decimal, 0x hex, 0b binary, leading 0 octal, optional sign. */
export function parseInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (/^0[bB]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body.startsWith('0')) v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  return m[1] === '-' ? -v : v;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = v * 256 + Number(p);
  }
  return v;
}

export function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  let s = text;
  if (s.includes('.')) {
    // An embedded IPv4 address as the last 32 bits: ::ffff:192.0.2.1.
    const cut = s.lastIndexOf(':');
    const v4 = parseIpv4(s.slice(cut + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, cut + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  if (!a || !b) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    if (a.length + b.length > 7) return undefined;
    groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    if (a.length !== 8) return undefined;
    groups = a;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** An IPv4 address as an IPv4-mapped IPv6 address (::ffff:a.b.c.d), to compare either family as bytes. */
export function ipv4Mapped(v: number): Uint8Array {
  return Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** Bytes: `9e:89:f2`, `9e-89-f2`, `9e.89.f2`, or unseparated `9e89f2` (an even number of digits). */
export function parseBytes(text: string): Uint8Array | undefined {
  if (/^[0-9a-fA-F]+$/.test(text)) {
    if (text.length % 2 !== 0 && text.length !== 1) return undefined;
    const out = new Uint8Array(Math.ceil(text.length / 2));
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.length === 1 ? text : text.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  const sep = /[:.-]/.exec(text)?.[0];
  if (!sep) return undefined;
  const parts = text.split(sep);
  if (parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/** MAC address: six bytes with `:`, `-` or `.` between bytes, Cisco's `xxxx.xxxx.xxxx`, or 12 digits. */
export function parseEther(text: string): Uint8Array | undefined {
  const cisco = /^([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})$/.exec(text);
  const b = cisco ? parseBytes(cisco.slice(1).join('')) : parseBytes(text);
  return b && b.length === 6 ? b : undefined;
}

/** Decimal seconds ("1795422423.874453") as integer nanoseconds, exactly. */
export function parseSeconds(text: string): bigint | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d{0,9})\d*)?$/.exec(text);
  if (!m) return undefined;
  const ns = BigInt(m[2]!) * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0') || '0');
  return m[1] === '-' ? -ns : ns;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function nameMatch(names: Readonly<Record<number, string>> | undefined, text: string): number | undefined {
  if (!names) return undefined;
  for (const [k, v] of Object.entries(names)) if (v === text) return Number(k);
  const want = text.toLowerCase();
  for (const [k, v] of Object.entries(names)) if (v.toLowerCase() === want) return Number(k);
  return undefined;
}

/**
 * Converts a literal to `field`'s type, or throws a FilterError pointing at it, worded like
 * Wireshark's ("\"70000\" too big for this field, maximum 65535").
 */
export function literalFor(field: FilterField, op: Operand, expression: string): Constant {
  const fail = (why: string): never => {
    throw new FilterError(why, expression, op.pos, op.len);
  };
  if (op.kind === 'string' && op.bytes.length > MAX_LITERAL_BYTES) fail(`string longer than ${MAX_LITERAL_BYTES} bytes`);
  const text = op.kind === 'string' ? latin1(op.bytes) : op.kind === 'char' ? String(op.value) : op.text;
  const value = (v: FilterValue): Constant => ({ kind: 'value', value: v });
  switch (field.type) {
    case 'uint':
    case 'int':
    case 'uint64': {
      const named = op.kind !== 'char' ? nameMatch(field.values, text) : undefined;
      if (named !== undefined) return value(field.type === 'uint64' ? BigInt(named) : named);
      if (op.kind === 'string') fail(`${field.name} (an integer) cannot be compared with a string (${op.text})${field.values ? ': no value of that name' : ''}`);
      const n = op.kind === 'char' ? BigInt(op.value) : parseInteger(text);
      if (n === undefined) fail(`"${text}" is not a valid number`);
      const max = field.type === 'uint64' ? (1n << 64n) - 1n : field.bits !== undefined ? (1n << BigInt(field.bits)) - 1n : BigInt(Number.MAX_SAFE_INTEGER);
      if (n! > max) fail(`"${text}" too big for this field, maximum ${max}`);
      return value(field.type === 'uint64' ? n! : Number(n!));
    }
    case 'bool': {
      if (/^(true)$/i.test(text)) return value(1);
      if (/^(false)$/i.test(text)) return value(0);
      const n = op.kind === 'char' ? BigInt(op.value) : op.kind === 'word' ? parseInteger(text) : undefined;
      if (n === undefined) fail(`"${text}" is not a valid boolean (True, False, 1 or 0)`);
      return value(n !== 0n ? 1 : 0);
    }
    case 'enum': {
      const i = field.order?.findIndex((o) => o.toLowerCase() === text.toLowerCase()) ?? -1;
      if (i < 0) fail(`"${text}" is not a value of ${field.name} (${field.order?.join(', ')})`);
      return value(i);
    }
    case 'ipv4': {
      if (op.kind !== 'word') fail(`IPv4 address cannot be converted from a string (${op.text})`);
      const [addr, prefix, ...rest] = text.split('/');
      const v = rest.length === 0 ? parseIpv4(addr!) : undefined;
      if (v === undefined) fail(`"${text}" is not a valid IPv4 address`);
      if (prefix === undefined) return value(v!);
      if (!/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) fail(`netmask bits in a CIDR IPv4 address should be <= 32, not ${prefix}`);
      const bits = Number(prefix);
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return { kind: 'cidr4', network: (v! & mask) >>> 0, mask };
    }
    case 'ipv6': {
      if (op.kind !== 'word') fail(`IPv6 address cannot be converted from a string (${op.text})`);
      const [addr, prefix, ...rest] = text.split('/');
      const v = rest.length === 0 ? parseIpv6(addr!) : undefined;
      if (v === undefined) fail(`"${text}" is not a valid IPv6 address`);
      if (prefix === undefined) return value(v!);
      if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > 128) fail(`prefix length in a CIDR IPv6 address should be <= 128, not ${prefix}`);
      return { kind: 'cidr6', network: v!, bits: Number(prefix) };
    }
    case 'ipaddr': {
      if (op.kind !== 'word') fail(`an address cannot be converted from a string (${op.text})`);
      const [addr, prefix, ...rest] = text.split('/');
      const v4 = rest.length === 0 ? parseIpv4(addr!) : undefined;
      const v = v4 !== undefined ? ipv4Mapped(v4) : rest.length === 0 ? parseIpv6(addr!) : undefined;
      if (v === undefined) fail(`"${text}" is not a valid IPv4 or IPv6 address`);
      if (prefix === undefined) return value(v!);
      const max = v4 !== undefined ? 32 : 128;
      if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) fail(`prefix length should be <= ${max}, not ${prefix}`);
      return { kind: 'cidr6', network: v!, bits: Number(prefix) + (v4 !== undefined ? 96 : 0) };
    }
    case 'ether': {
      if (op.kind === 'string') return value(op.bytes);
      const v = op.kind === 'word' ? parseEther(text) : undefined;
      if (v === undefined) fail(`"${text}" is not a valid Ethernet address`);
      return value(v!);
    }
    case 'bytes': {
      if (op.kind === 'string') return value(op.bytes);
      if (op.kind === 'char') return value(Uint8Array.of(op.value));
      const v = parseBytes(text);
      if (v === undefined) fail(`"${text}" is not a valid byte string`);
      return value(v!);
    }
    case 'string':
      return value(op.kind === 'char' ? String.fromCharCode(op.value) : text);
    case 'time': {
      const ns = op.kind === 'word' ? parseSeconds(text) : undefined;
      if (ns === undefined) fail(`"${text}" is not a valid time in seconds`);
      return value(ns!);
    }
    case 'double': {
      const v = op.kind === 'word' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : op.kind === 'char' ? op.value : NaN;
      if (Number.isNaN(v)) fail(`"${text}" is not a valid number`);
      return value(v);
    }
    case 'none':
    case 'protocol':
      return fail(`${field.name} ${field.type === 'protocol' ? 'is a protocol' : 'has no value'}: test its presence ("${field.name}") instead of comparing it`);
  }
}
