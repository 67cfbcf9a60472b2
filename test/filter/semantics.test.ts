import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { compileNode } from '../../src/filter/compile.js';
import { ipv4Mapped, parseBytes, parseIpv4, parseIpv6 } from '../../src/filter/literals.js';
import type { FieldCatalog, FilterField, FilterValue } from '../../src/filter/types.js';

/** A small catalog of each type, and records given as plain values per field. */
const FIELDS: FilterField[] = [
  { name: 'n', type: 'uint', bits: 16, domain: 'packet', values: { 2: 'Main Mode', 32: 'Quick Mode' } },
  { name: 'm', type: 'uint', bits: 16, domain: 'packet' },
  { name: 'big', type: 'uint64', domain: 'packet' },
  { name: 'flag', type: 'bool', domain: 'packet' },
  { name: 'b', type: 'bytes', domain: 'packet' },
  { name: 'mac', type: 'ether', domain: 'packet' },
  { name: 'v4', type: 'ipv4', domain: 'packet' },
  { name: 'v6', type: 'ipv6', domain: 'packet' },
  { name: 'addr', type: 'ipaddr', domain: 'packet' },
  { name: 's', type: 'string', domain: 'packet' },
  { name: 't', type: 'time', domain: 'packet' },
  { name: 'sev', type: 'enum', order: ['chat', 'note', 'warning', 'error'], domain: 'finding' },
  { name: 'proto', type: 'protocol', domain: 'packet' },
];
const CATALOG: FieldCatalog = { lookup: (name) => FIELDS.find((f) => f.name === name) };

type Record = Partial<{ [K: string]: readonly FilterValue[] }>;

function test(expr: string, record: Record): boolean {
  const c = compileNode(parseFilter(expr), expr, CATALOG);
  return c.test(c.fields.map((f) => record[f.name] ?? []));
}

const v4 = (s: string): number => parseIpv4(s)!;
const v6 = (s: string): Uint8Array => parseIpv6(s)!;
const bytes = (s: string): Uint8Array => parseBytes(s)!;

describe('comparisons over several occurrences (Wireshark 4.0)', () => {
  const r = { n: [500, 4500] };
  it.each([
    ['n == 500', true], // any_eq
    ['n == 1', false],
    ['n != 500', false], // all_ne: 500 is there
    ['n != 1', true],
    ['n === 500', false], // all_eq
    ['n !== 500', true], // any_ne
    ['n ~= 500', true],
    ['n > 4000', true],
    ['n < 500', false],
    ['n <= 500', true],
    ['n in {1, 4500}', true],
    ['n in {501..4499}', false],
    ['n not in {500}', false],
  ])('%s', (expr, want) => expect(test(expr, r)).toBe(want));

  it('a missing field makes every comparison false, but !(…) true', () => {
    for (const e of ['n == 1', 'n != 1', 'n === 1', 'n !== 1', 'n < 1', 'n > 1', 'n in {1}']) expect(test(e, {})).toBe(false);
    expect(test('!(n == 1)', {})).toBe(true);
    expect(test('n not in {1}', {})).toBe(true);
  });
});

describe('values by type', () => {
  it('numbers: decimal, hex, octal, binary, names, chars, widths', () => {
    expect(test('n == 0x1f4', { n: [500] })).toBe(true);
    expect(test('n == 0764', { n: [500] })).toBe(true);
    expect(test('n == 0b111110100', { n: [500] })).toBe(true);
    expect(test('n == "Quick Mode"', { n: [32] })).toBe(true);
    expect(test('n == "quick mode"', { n: [32] })).toBe(true);
    expect(test("n == 'A'", { n: [65] })).toBe(true);
    expect(test('n & 0x08', { n: [0x0a] })).toBe(true);
    expect(test('n & 0x04', { n: [0x0a] })).toBe(false);
    expect(test('big > 18446744073709551614', { big: [18446744073709551615n] })).toBe(true);
    expect(() => test('n == 65536', {})).toThrow(/too big/);
  });

  it('booleans', () => {
    expect(test('flag == 1', { flag: [1] })).toBe(true);
    expect(test('flag == True', { flag: [1] })).toBe(true);
    expect(test('flag == FALSE', { flag: [0] })).toBe(true);
    expect(test('flag', { flag: [0] })).toBe(true); // presence, whatever the value
  });

  it('IPv4: address, CIDR, ordering', () => {
    const r = { v4: [v4('10.1.0.2'), v4('203.0.113.2')] };
    expect(test('v4 == 10.0.0.0/8', r)).toBe(true);
    expect(test('v4 == 10.1.0.2/32', r)).toBe(true);
    expect(test('v4 == 0.0.0.0/0', r)).toBe(true);
    expect(test('v4 != 10.0.0.0/8', r)).toBe(false);
    expect(test('v4 !== 10.0.0.0/8', r)).toBe(true);
    expect(test('v4 > 200.0.0.0', r)).toBe(true);
    expect(test('v4 in {192.168.0.0/16, 203.0.113.2}', r)).toBe(true);
  });

  it('IPv6: compressed forms, embedded IPv4, prefixes', () => {
    const r = { v6: [v6('2003:51:6012::2')] };
    expect(test('v6 == 2003:51:6012::2', r)).toBe(true);
    expect(test('v6 == 2003:0051:6012:0000:0000:0000:0000:0002', r)).toBe(true);
    expect(test('v6 == 2003:51::/32', r)).toBe(true);
    expect(test('v6 == 2003:52::/32', r)).toBe(false);
    expect(test('v6 == 2003:51:6012::/47', r)).toBe(true);
    expect(test('v6 == ::ffff:192.0.2.1', { v6: [ipv4Mapped(v4('192.0.2.1'))] })).toBe(true);
    expect(test('v6 > ::1', r)).toBe(true);
  });

  it('either family (report addresses)', () => {
    expect(test('addr == 10.0.0.0/8', { addr: [ipv4Mapped(v4('10.9.8.7'))] })).toBe(true);
    expect(test('addr == 2001:db8::/32', { addr: [ipv4Mapped(v4('10.9.8.7'))] })).toBe(false);
    expect(test('addr == 2001:db8::/32', { addr: [v6('2001:db8::1')] })).toBe(true);
  });

  it('bytes: separators, unseparated hex, strings, contains, ordering by length first', () => {
    const r = { b: [bytes('9e89f2388f90bc1e')] };
    for (const lit of ['9e:89:f2:38:8f:90:bc:1e', '9e-89-f2-38-8f-90-bc-1e', '9e.89.f2.38.8f.90.bc.1e', '9e89f2388f90bc1e', '9E89F2388F90BC1E'])
      expect(test(`b == ${lit}`, r)).toBe(true);
    expect(test('b contains 8f:90', r)).toBe(true);
    expect(test('b contains "\\x8f\\x90"', r)).toBe(true);
    expect(test('b contains 90:8f', r)).toBe(false);
    expect(test('b > ff', r)).toBe(true); // longer is greater (Wireshark's cmp_order)
    expect(test('b < 9e:89:f2:38:8f:90:bc:1f', r)).toBe(true);
  });

  it('Ethernet addresses', () => {
    const r = { mac: [bytes('100000646423')] };
    for (const lit of ['10:00:00:64:64:23', '10-00-00-64-64-23', '1000.0064.6423']) expect(test(`mac == ${lit}`, r)).toBe(true);
    expect(test('mac contains 64:23', r)).toBe(true);
  });

  it('strings: equality, contains, matches, unquoted words', () => {
    const r = { s: ['eth:ip:udp:udpencap'] };
    expect(test('s == "eth:ip:udp:udpencap"', r)).toBe(true);
    expect(test('s contains "udp"', r)).toBe(true);
    expect(test('s matches "udpencap$"', r)).toBe(true);
    expect(test('s matches "(?i)UDPENCAP"', r)).toBe(true);
    expect(test('s matches "UDPENCAP"', r)).toBe(false);
    expect(test('s == "\\x8f"', { s: ['\x8f'] })).toBe(true); // one char per byte, as packet strings are
  });

  it('times in seconds, exact to the nanosecond', () => {
    const r = { t: [1_795_422_423_874_453_000n] };
    expect(test('t > 1795422423.874452999', r)).toBe(true);
    expect(test('t == 1795422423.874453', r)).toBe(true);
    expect(test('t < 1795422423', r)).toBe(false);
  });

  it('ordered names (finding.severity)', () => {
    expect(test('sev >= warning', { sev: [2] })).toBe(true);
    expect(test('sev >= warning', { sev: [1] })).toBe(false);
    expect(test('sev == error', { sev: [3] })).toBe(true);
    expect(() => test('sev == fatal', {})).toThrow(/not a value of sev/);
  });

  it('field against field: any pair for ==, every pair for !=', () => {
    expect(test('n == m', { n: [1, 2], m: [2, 3] })).toBe(true);
    expect(test('n != m', { n: [1, 2], m: [2, 3] })).toBe(false);
    expect(test('n != m', { n: [1], m: [2, 3] })).toBe(true);
    expect(test('n < m', { n: [5], m: [2, 6] })).toBe(true);
    expect(test('n == m', { n: [1] })).toBe(false);
  });

  it('protocols and presence', () => {
    expect(test('proto', { proto: [1] })).toBe(true);
    expect(test('!proto && n', { n: [1] })).toBe(true);
  });
});
