import { FilterError } from './errors.js';

/**
 * Tokens of Wireshark's display filter language (the subset espy supports). Operators come in
 * their symbol and word forms; keywords are lowercase, as in Wireshark. Anything else made of
 * letters, digits and `_ . : / -` is a word: a field name or an unquoted literal (a number, an
 * address, bytes), told apart by the parser and the compiler.
 */
export type CompareOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'lt' | 'gt' | 'le' | 'ge' | 'contains' | 'matches';

export type Token =
  | { readonly kind: 'word'; readonly text: string; readonly pos: number; readonly len: number }
  | { readonly kind: 'string'; readonly text: string; readonly bytes: Uint8Array; readonly pos: number; readonly len: number }
  | { readonly kind: 'char'; readonly text: string; readonly value: number; readonly pos: number; readonly len: number }
  | { readonly kind: 'cmp'; readonly op: CompareOp; readonly text: string; readonly pos: number; readonly len: number }
  | { readonly kind: 'and' | 'or' | 'not' | 'in' | '&' | '(' | ')' | '{' | '}' | ',' | '..' | 'end'; readonly text: string; readonly pos: number; readonly len: number };

const SYMBOLS: readonly (readonly [string, Token['kind'], CompareOp?])[] = [
  ['===', 'cmp', 'all_eq'],
  ['!==', 'cmp', 'any_ne'],
  ['==', 'cmp', 'any_eq'],
  ['!=', 'cmp', 'all_ne'],
  ['~=', 'cmp', 'any_ne'],
  ['<=', 'cmp', 'le'],
  ['>=', 'cmp', 'ge'],
  ['&&', 'and'],
  ['||', 'or'],
  ['..', '..'],
  ['<', 'cmp', 'lt'],
  ['>', 'cmp', 'gt'],
  ['~', 'cmp', 'matches'],
  ['!', 'not'],
  ['&', '&'],
  ['(', '('],
  [')', ')'],
  ['{', '{'],
  ['}', '}'],
  [',', ','],
];

const KEYWORDS: Readonly<Record<string, readonly [Token['kind'], CompareOp?]>> = {
  and: ['and'],
  or: ['or'],
  not: ['not'],
  in: ['in'],
  eq: ['cmp', 'any_eq'],
  any_eq: ['cmp', 'any_eq'],
  ne: ['cmp', 'all_ne'],
  all_ne: ['cmp', 'all_ne'],
  all_eq: ['cmp', 'all_eq'],
  any_ne: ['cmp', 'any_ne'],
  lt: ['cmp', 'lt'],
  gt: ['cmp', 'gt'],
  le: ['cmp', 'le'],
  ge: ['cmp', 'ge'],
  contains: ['cmp', 'contains'],
  matches: ['cmp', 'matches'],
};

const WORD_CHAR = /[A-Za-z0-9_.:/-]/;
const MAX_EXPRESSION = 64 * 1024;

function utf8(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

/**
 * A quoted string's escapes (Wireshark's): \\ \" \' \a \b \f \n \r \t \v, \xHH and \OOO as raw
 * bytes; other characters as their UTF-8 bytes. Returns the bytes and the index after the quote.
 */
function readQuoted(src: string, start: number, quote: string, expression: string): { bytes: number[]; end: number } {
  const bytes: number[] = [];
  let i = start + 1;
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };
  while (i < src.length) {
    const c = src[i]!;
    if (c === quote) return { bytes, end: i + 1 };
    if (c !== '\\') {
      const cp = src.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...utf8(ch));
      i += ch.length;
      continue;
    }
    const e = src[i + 1];
    if (e === undefined) break;
    if (simple[e] !== undefined) {
      bytes.push(simple[e]!);
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{1,2}/.test(src.slice(i + 2, i + 4))) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i + 2, i + 4))![0];
      bytes.push(parseInt(hex, 16));
      i += 2 + hex.length;
    } else if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4))![0];
      const v = parseInt(oct, 8);
      if (v > 255) throw new FilterError(`invalid escape '\\${oct}'`, expression, i, oct.length + 1);
      bytes.push(v);
      i += 1 + oct.length;
    } else {
      throw new FilterError(`invalid escape '\\${e}'`, expression, i, 2);
    }
  }
  throw new FilterError('unterminated string', expression, start, src.length - start);
}

export function tokenize(expression: string): Token[] {
  if (expression.length > MAX_EXPRESSION) throw new FilterError(`filter longer than ${MAX_EXPRESSION} characters`, expression.slice(0, 80), 0, 1);
  const tokens: Token[] = [];
  let i = 0;
  const n = expression.length;
  outer: while (i < n) {
    const c = expression[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      const { bytes, end } = readQuoted(expression, i, '"', expression);
      tokens.push({ kind: 'string', text: expression.slice(i, end), bytes: Uint8Array.from(bytes), pos: i, len: end - i });
      i = end;
      continue;
    }
    if (c === "'") {
      const { bytes, end } = readQuoted(expression, i, "'", expression);
      if (bytes.length !== 1) throw new FilterError('a character constant holds exactly one byte', expression, i, end - i);
      tokens.push({ kind: 'char', text: expression.slice(i, end), value: bytes[0]!, pos: i, len: end - i });
      i = end;
      continue;
    }
    // A word, but `..` (a range) always ends it: "500..600" is three tokens.
    if (WORD_CHAR.test(c) && !expression.startsWith('..', i)) {
      let j = i;
      while (j < n && WORD_CHAR.test(expression[j]!) && !expression.startsWith('..', j)) j++;
      const text = expression.slice(i, j);
      const kw = KEYWORDS[text];
      if (kw) {
        const [kind, op] = kw;
        tokens.push(op ? { kind: 'cmp', op, text, pos: i, len: j - i } : ({ kind, text, pos: i, len: j - i } as Token));
      } else tokens.push({ kind: 'word', text, pos: i, len: j - i });
      i = j;
      continue;
    }
    for (const [sym, kind, op] of SYMBOLS) {
      if (!expression.startsWith(sym, i)) continue;
      tokens.push(op ? { kind: 'cmp', op, text: sym, pos: i, len: sym.length } : ({ kind, text: sym, pos: i, len: sym.length } as Token));
      i += sym.length;
      continue outer;
    }
    const shown = /[\u0021-\u007e]/.test(c) ? `'${c}'` : `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    throw new FilterError(`unexpected character ${shown}${c === '|' ? ' (bitwise or is not supported; || is logical or)' : ''}`, expression, i, 1);
  }
  tokens.push({ kind: 'end', text: '', pos: n, len: 0 });
  return tokens;
}
