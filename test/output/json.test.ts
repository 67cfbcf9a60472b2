import { describe, expect, it } from 'vitest';
import { safeJson } from '../../src/output/json.js';

describe('safeJson', () => {
  it('writes 64-bit values (bigint) as decimal strings, anywhere in the value', () => {
    expect(safeJson({ a: 1, seq: 18446744073709551615n, list: [1n, { x: 2n }] })).toBe('{"a":1,"seq":"18446744073709551615","list":["1",{"x":"2"}]}');
  });

  it('is JSON.stringify for plain data, with C1 controls, DEL and line separators escaped', () => {
    const v = { s: 'a\u0085b\u007f\u2028\u2029é→', n: [1.5, null, true], u: undefined };
    expect(safeJson(v)).toBe('{"s":"a\\u0085b\\u007f\\u2028\\u2029é→","n":[1.5,null,true]}');
    expect(JSON.parse(safeJson(v))).toEqual({ s: v.s, n: v.n });
  });

  it('still refuses what JSON cannot hold (a cycle)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => safeJson(cyclic)).toThrow(TypeError);
  });
});
