import { describe, expect, it } from 'vitest';
import { parseFilter, type FilterNode } from '../../src/filter/parser.js';
import { tokenize } from '../../src/filter/lexer.js';
import { FilterError } from '../../src/filter/errors.js';
import { compilePacketFilter, compileAnalysisFilter } from '../../src/filter/display-filter.js';

/** The filter's shape as a compact string: (and a b), (not a), a==1, a in {…}. */
function shape(n: FilterNode): string {
  switch (n.kind) {
    case 'and':
    case 'or':
      return `(${n.kind} ${shape(n.left)} ${shape(n.right)})`;
    case 'not':
      return `(not ${shape(n.operand)})`;
    case 'exists':
      return n.field.text;
    case 'bitand':
      return `${n.left.text}&${n.mask.text}`;
    case 'compare':
      return `${n.left.text} ${n.op} ${n.right.text}`;
    case 'in':
      return `${n.left.text} in {${n.elements.map((e) => (e.high ? `${e.low.text}..${e.high.text}` : e.low.text)).join(',')}}`;
  }
}

function errorOf(f: () => unknown): FilterError {
  try {
    f();
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('display filter grammar', () => {
  it.each([
    ['isakmp', 'isakmp'],
    ['udpencap.nat_keepalive', 'udpencap.nat_keepalive'],
    ['a == 1 && b', '(and a any_eq 1 b)'],
    ['a eq 1 and b ne 2', '(and a any_eq 1 b all_ne 2)'],
    ['a === 1 || a !== 2 || a ~= 3', '(or (or a all_eq 1 a any_ne 2) a any_ne 3)'],
    ['a lt 1 or a gt 2 or a le 3 or a ge 4', '(or (or (or a lt 1 a gt 2) a le 3) a ge 4)'],
    ['a<1||a>2||a<=3||a>=4', '(or (or (or a lt 1 a gt 2) a le 3) a ge 4)'],
    // and binds tighter than or (tshark 4.0: "isakmp or esp and udp.srcport == 1" selects isakmp)
    ['a or b and c', '(or a (and b c))'],
    ['(a or b) and c', '(and (or a b) c)'],
    ['!a && not b', '(and (not a) (not b))'],
    ['!(a == 1)', '(not a any_eq 1)'],
    ['a in {500 4500}', 'a in {500,4500}'],
    ['a in {500, 4500}', 'a in {500,4500}'],
    ['a in {4000..4600, 500}', 'a in {4000..4600,500}'],
    ['a not in {1}', '(not a in {1})'],
    ['a !in {1}', '(not a in {1})'],
    ['a contains "x" && a matches "^y"', '(and a contains "x" a matches "^y")'],
    ['a ~ "x"', 'a matches "x"'],
    ['a & 0x08', 'a&0x08'],
    ['ip.src == 10.0.0.0/8', 'ip.src any_eq 10.0.0.0/8'],
    ['ipv6.src == 2003:51:6012::2', 'ipv6.src any_eq 2003:51:6012::2'],
    ['ipv6.src == ::1', 'ipv6.src any_eq ::1'],
    ['isakmp.ispi == 9e:89:f2:38:8f:90:bc:1e', 'isakmp.ispi any_eq 9e:89:f2:38:8f:90:bc:1e'],
  ])('%s', (text, want) => {
    expect(shape(parseFilter(text))).toBe(want);
  });

  it('keeps string escapes as bytes', () => {
    const t = tokenize('"a\\x8f\\n\\101\\"é"')[0]!;
    expect(t.kind).toBe('string');
    expect(t.kind === 'string' && [...t.bytes]).toEqual([0x61, 0x8f, 0x0a, 0x41, 0x22, 0xc3, 0xa9]);
  });

  it('keywords are lowercase, as in Wireshark', () => {
    expect(() => parseFilter('udp AND isakmp')).toThrow(FilterError);
  });
});

describe('syntax errors point at the column', () => {
  it.each([
    // expression, message, 1-based column, caret length
    ['isakmp && )', "unexpected token ')'", 11, 1],
    ['isakmp &&', 'unexpected end of expression', 10, 1],
    ['(udp', 'unexpected end of expression: missing )', 5, 1],
    ['udp.srcport in {}', "unexpected token '}'", 17, 1],
    ['udp.srcport in {500..}', "unexpected token '}'", 22, 1],
    ['udp.srcport in {500', 'unexpected end of expression: missing }', 20, 1],
    ['udp.srcport == 500 ==', "unexpected token '=='", 20, 2],
    ['udp AND isakmp', "unexpected token 'AND'", 5, 3],
    ['udp | isakmp', "unexpected character '|'", 5, 1],
    ['frame.len > "abc', 'unterminated string', 13, 4],
    ['"x" == udp', 'must be a field', 1, 3],
    ['', 'empty filter', 1, 1],
  ])('%s', (text, message, column, length) => {
    const e = errorOf(() => compilePacketFilter(text));
    expect(e.message).toContain(message);
    expect(e.message).toMatch(new RegExp(`at column ${column}$`));
    expect(e.position + 1).toBe(column);
    expect(e.length).toBe(length);
  });

  it('draws the expression and a caret under the problem, like Wireshark', () => {
    const e = errorOf(() => compilePacketFilter('udp.srcport == 70000'));
    expect(e.lines()).toEqual(['"70000" too big for this field, maximum 65535 at column 16', '    udp.srcport == 70000', '                   ^~~~~']);
  });

  it('names an unknown field', () => {
    const e = errorOf(() => compilePacketFilter('isakmp && foo.bar == 1'));
    expect(e.message).toBe('"foo.bar" is neither a field nor a protocol name at column 11');
    expect(e.length).toBe(7);
  });

  it.each([
    ['isakmp.ispi == zz', '"zz" is not a valid byte string', 16],
    ['ip.src == 1.2.3', '"1.2.3" is not a valid IPv4 address', 11],
    ['ip.src == 192.1.2.0/33', 'netmask bits in a CIDR IPv4 address should be <= 32, not 33', 11],
    ['ip.src == "192.1.2.23"', 'IPv4 address cannot be converted from a string', 11],
    ['ipv6.src == 2001:db8::1::2', 'is not a valid IPv6 address', 13],
    ['udp.srcport == "500"', 'cannot be compared with a string', 16],
    ['esp.spi == 1.5', '"1.5" is not a valid number', 12],
    ['isakmp == 1', 'isakmp is a protocol', 11],
    ['udpencap.nat_keepalive == 1', 'has no value', 27],
    ['udp.srcport contains 01', '"contains" works on strings and byte fields', 13],
    ['frame.protocols matches "("', 'invalid regular expression', 25],
    ['ip.src == ipv6.src', 'cannot be compared', 1],
    ['finding.severity >= warning', 'use it with espy analyze -Y', 1],
  ])('%s', (text, message, column) => {
    const e = errorOf(() => compilePacketFilter(text));
    expect(e.message).toContain(message);
    expect(e.position + 1).toBe(column);
  });

  it('rejects a term that mixes packet and report fields (analyze)', () => {
    const e = errorOf(() => compileAnalysisFilter('udp.port == 500 || finding.id == "x"'));
    expect(e.message).toContain('mixes packet fields and finding.* fields');
    expect(e.position).toBe(0);
    expect(e.length).toBe('udp.port == 500 || finding.id == "x"'.length);
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    expect(() => parseFilter('('.repeat(100_000) + 'udp' + ')'.repeat(100_000))).toThrow(FilterError);
    expect(() => parseFilter('!'.repeat(100_000) + 'udp')).toThrow(FilterError);
  });
});
