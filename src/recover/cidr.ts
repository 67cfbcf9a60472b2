import type { AddressRange } from '../analysis/natd-search.js';
import { formatIpv4 } from '../decode/tree.js';

/** Parses dotted IPv4 text to a host-order u32, or undefined. */
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((v, o) => v * 256 + o, 0);
}

/** `a.b.c.d/len` (or a bare address, /32) → the range it covers; undefined when malformed. */
export function parseCidr(text: string): AddressRange | undefined {
  const [addr = '', lenText, ...rest] = text.trim().split('/');
  if (rest.length) return undefined;
  const base = parseIpv4(addr);
  if (base === undefined) return undefined;
  if (lenText !== undefined && !/^\d{1,2}$/.test(lenText)) return undefined;
  const len = lenText === undefined ? 32 : Number(lenText);
  if (len > 32) return undefined;
  const size = 2 ** (32 - len);
  const first = Math.floor(base / size) * size;
  return { first, last: first + size - 1 };
}

/** The shortest CIDR text for a range when it is one prefix, else `first–last`. */
export function formatRange(r: AddressRange): string {
  const size = r.last - r.first + 1;
  const len = 32 - Math.log2(size);
  if (Number.isInteger(len) && r.first % size === 0) return len === 32 ? formatIpv4(r.first) : `${formatIpv4(r.first)}/${len}`;
  return `${formatIpv4(r.first)}–${formatIpv4(r.last)}`;
}

export function rangeSize(ranges: readonly AddressRange[]): number {
  let n = 0;
  for (const r of ranges) n += r.last - r.first + 1;
  return n;
}
