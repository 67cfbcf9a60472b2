import { FilterError } from './errors.js';
import { tokenize, type CompareOp, type Token } from './lexer.js';

/**
 * Display filter syntax tree. Positions are 0-based offsets into the expression, kept for error
 * messages. A word may name a field or be an unquoted literal: the parser records a word and
 * the compiler decides (a word on the left of a comparison or alone must be a field).
 */
export interface Span {
  readonly pos: number;
  readonly len: number;
}

export type Operand =
  | ({ readonly kind: 'word'; readonly text: string } & Span)
  | ({ readonly kind: 'string'; readonly text: string; readonly bytes: Uint8Array } & Span)
  | ({ readonly kind: 'char'; readonly value: number; readonly text: string } & Span);

export interface SetElement {
  readonly low: Operand;
  readonly high?: Operand;
}

export type FilterNode =
  | ({ readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode } & Span)
  | ({ readonly kind: 'not'; readonly operand: FilterNode } & Span)
  | ({ readonly kind: 'exists'; readonly field: Operand } & Span)
  | ({ readonly kind: 'bitand'; readonly left: Operand; readonly mask: Operand } & Span)
  | ({ readonly kind: 'compare'; readonly op: CompareOp; readonly opText: string; readonly opPos: number; readonly left: Operand; readonly right: Operand } & Span)
  | ({ readonly kind: 'in'; readonly left: Operand; readonly elements: readonly SetElement[] } & Span);

/** Nesting bound: a hostile expression cannot exhaust the stack. */
const MAX_DEPTH = 200;

function describe(t: Token): string {
  return t.kind === 'end' ? 'end of expression' : `token '${t.text}'`;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly expression: string,
  ) {}

  private get peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private fail(t: Token, why?: string): never {
    if (t.kind === 'end') throw new FilterError(why ?? 'unexpected end of expression', this.expression, t.pos, 1);
    throw new FilterError(why ?? `unexpected ${describe(t)}`, this.expression, t.pos, t.len);
  }

  parse(): FilterNode {
    if (this.peek.kind === 'end') throw new FilterError('empty filter', this.expression, 0, 1);
    const node = this.or();
    const rest: Token = this.peek;
    if (rest.kind !== 'end') this.fail(rest);
    return node;
  }

  private span(start: number, end: Token | Span): Span {
    return { pos: start, len: end.pos + end.len - start };
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.peek.kind === 'or') {
      this.next();
      const right = this.and();
      left = { kind: 'or', left, right, ...this.span(left.pos, right) };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.peek.kind === 'and') {
      this.next();
      const right = this.unary();
      left = { kind: 'and', left, right, ...this.span(left.pos, right) };
    }
    return left;
  }

  private unary(): FilterNode {
    if (++this.depth > MAX_DEPTH) this.fail(this.peek, `filter nested deeper than ${MAX_DEPTH} levels`);
    try {
      const t = this.peek;
      if (t.kind === 'not') {
        this.next();
        const operand = this.unary();
        return { kind: 'not', operand, ...this.span(t.pos, operand) };
      }
      if (t.kind === '(') {
        this.next();
        const inner = this.or();
        if (this.peek.kind !== ')') this.fail(this.peek, this.peek.kind === 'end' ? 'unexpected end of expression: missing )' : undefined);
        const close = this.next();
        return { ...inner, ...this.span(t.pos, close) };
      }
      return this.test();
    } finally {
      this.depth--;
    }
  }

  private operand(): Operand {
    const t = this.next();
    if (t.kind === 'word') return { kind: 'word', text: t.text, pos: t.pos, len: t.len };
    if (t.kind === 'string') return { kind: 'string', text: t.text, bytes: t.bytes, pos: t.pos, len: t.len };
    if (t.kind === 'char') return { kind: 'char', value: t.value, text: t.text, pos: t.pos, len: t.len };
    return this.fail(t);
  }

  private test(): FilterNode {
    const left = this.operand();
    const t = this.peek;
    if (t.kind === 'cmp') {
      this.next();
      const right = this.operand();
      return { kind: 'compare', op: t.op, opText: t.text, opPos: t.pos, left, right, ...this.span(left.pos, right) };
    }
    if (t.kind === '&') {
      // Wireshark 4.0: `field & mask` is true when some occurrence has a mask bit set.
      this.next();
      const mask = this.operand();
      return { kind: 'bitand', left, mask, ...this.span(left.pos, mask) };
    }
    if (t.kind === 'in' || (t.kind === 'not' && this.tokens[this.i + 1]?.kind === 'in')) {
      const negated = t.kind === 'not';
      if (negated) this.next();
      this.next();
      const { elements, end } = this.set();
      const node: FilterNode = { kind: 'in', left, elements, ...this.span(left.pos, end) };
      return negated ? { kind: 'not', operand: node, ...this.span(left.pos, end) } : node;
    }
    return { kind: 'exists', field: left, pos: left.pos, len: left.len };
  }

  /** `{a, b c, lo..hi}`: elements separated by commas or spaces (tshark 4.0 wants commas). */
  private set(): { elements: SetElement[]; end: Token } {
    const open = this.next();
    if (open.kind !== '{') this.fail(open, `expected '{' after 'in', found ${describe(open)}`);
    const elements: SetElement[] = [];
    for (;;) {
      const low = this.operand();
      let high: Operand | undefined;
      if (this.peek.kind === '..') {
        this.next();
        high = this.operand();
      }
      elements.push(high ? { low, high } : { low });
      if (this.peek.kind === ',') this.next();
      if (this.peek.kind === '}') return { elements, end: this.next() };
      if (this.peek.kind === 'end') this.fail(this.peek, 'unexpected end of expression: missing }');
    }
  }
}

export function parseFilter(expression: string): FilterNode {
  return new Parser(tokenize(expression), expression).parse();
}
