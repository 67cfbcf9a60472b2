import { FilterError } from './errors.js';
import { literalFor, type Constant } from './literals.js';
import type { FilterNode, Operand } from './parser.js';
import type { CompareOp } from './lexer.js';
import type { FieldCatalog, FilterField, FilterSlots, FilterType, FilterValue } from './types.js';

/**
 * A filter compiled once into a tree of closures. `fields` lists the fields it reads (slot i of
 * the record is field i), so a record provider collects only those values.
 */
export interface CompiledFilter {
  readonly expression: string;
  readonly fields: readonly FilterField[];
  readonly test: (slots: FilterSlots) => boolean;
}

type Test = (s: FilterSlots) => boolean;
type Pred = (v: FilterValue) => boolean;

/** Wireshark orders byte strings by length first, then by content (fvalue bytes cmp_order). */
function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function bytesContain(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

export function valuesEqual(a: FilterValue, b: FilterValue): boolean {
  if (a instanceof Uint8Array) return b instanceof Uint8Array && a.length === b.length && bytesCompare(a, b) === 0;
  return a === b;
}

export function valuesCompare(a: FilterValue, b: FilterValue): number {
  if (a instanceof Uint8Array) return b instanceof Uint8Array ? bytesCompare(a, b) : 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

function prefixMatch(v: Uint8Array, network: Uint8Array, bits: number): boolean {
  if (v.length !== network.length) return false;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (v[i] !== network[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((v[whole]! ^ network[whole]!) & mask) === 0;
}

function equalsConstant(c: Constant): Pred {
  switch (c.kind) {
    case 'value': {
      const k = c.value;
      return k instanceof Uint8Array ? (v) => valuesEqual(v, k) : (v) => v === k;
    }
    case 'cidr4':
      return (v) => typeof v === 'number' && ((v & c.mask) >>> 0) === c.network;
    case 'cidr6':
      return (v) => v instanceof Uint8Array && prefixMatch(v, c.network, c.bits);
  }
}

function constantValue(c: Constant): FilterValue {
  return c.kind === 'value' ? c.value : c.network;
}

/** Types whose values compare with each other (field against field). */
function family(t: FilterType): string {
  return t === 'uint' || t === 'int' || t === 'bool' || t === 'double' ? 'number' : t;
}

const SEQUENCE_TYPES: readonly FilterType[] = ['bytes', 'ether', 'ipv6', 'string'];

function anyOf(vals: readonly FilterValue[], p: Pred): boolean {
  for (const v of vals) if (p(v)) return true;
  return false;
}

function allOf(vals: readonly FilterValue[], p: Pred): boolean {
  if (vals.length === 0) return false;
  for (const v of vals) if (!p(v)) return false;
  return true;
}

/**
 * Wireshark 4.0 semantics over fields with several occurrences: `==` (any_eq) and the ordering
 * operators hold when ANY occurrence satisfies them; `!=` (all_ne) when every occurrence differs;
 * `===` (all_eq) when every occurrence is equal; `!==`/`~=` (any_ne) when one differs. A field
 * absent from the record makes every comparison false (`!(a == b)` is true there, `a != b` not).
 */
function quantify(op: CompareOp, eq: Pred, cmp: (v: FilterValue) => number): (vals: readonly FilterValue[]) => boolean {
  switch (op) {
    case 'any_eq':
      return (vals) => anyOf(vals, eq);
    case 'all_eq':
      return (vals) => allOf(vals, eq);
    case 'all_ne':
      return (vals) => allOf(vals, (v) => !eq(v));
    case 'any_ne':
      return (vals) => anyOf(vals, (v) => !eq(v));
    case 'lt':
      return (vals) => anyOf(vals, (v) => cmp(v) < 0);
    case 'gt':
      return (vals) => anyOf(vals, (v) => cmp(v) > 0);
    case 'le':
      return (vals) => anyOf(vals, (v) => cmp(v) <= 0);
    case 'ge':
      return (vals) => anyOf(vals, (v) => cmp(v) >= 0);
    case 'contains':
    case 'matches':
      throw new Error(`quantify: ${op}`);
  }
}

class Compiler {
  readonly fields: FilterField[] = [];
  private readonly slots = new Map<string, number>();

  constructor(
    private readonly expression: string,
    private readonly catalog: FieldCatalog,
  ) {}

  private fail(why: string, at: { pos: number; len: number }): never {
    throw new FilterError(why, this.expression, at.pos, at.len);
  }

  private slot(field: FilterField): number {
    let i = this.slots.get(field.name);
    if (i === undefined) {
      i = this.fields.length;
      this.fields.push(field);
      this.slots.set(field.name, i);
    }
    return i;
  }

  /** A word that must name a field (alone, or on the left of a comparison or `in`). */
  private field(op: Operand, context: string): FilterField {
    if (op.kind !== 'word') this.fail(`${context} must be a field, not ${op.text}`, op);
    const f = this.catalog.lookup(op.text);
    if (!f) this.fail(`"${op.text}" is neither a field nor a protocol name`, op);
    return f!;
  }

  compile(node: FilterNode): Test {
    switch (node.kind) {
      case 'and': {
        const a = this.compile(node.left);
        const b = this.compile(node.right);
        return (s) => a(s) && b(s);
      }
      case 'or': {
        const a = this.compile(node.left);
        const b = this.compile(node.right);
        return (s) => a(s) || b(s);
      }
      case 'not': {
        const a = this.compile(node.operand);
        return (s) => !a(s);
      }
      case 'exists': {
        const i = this.slot(this.field(node.field, 'a test'));
        return (s) => s[i]!.length > 0;
      }
      case 'in':
        return this.compileIn(node);
      case 'bitand': {
        const field = this.field(node.left, 'the left side of "&"');
        if (!['uint', 'int', 'uint64', 'bool'].includes(field.type)) this.fail(`"&" works on integer fields; ${field.name} is not one`, node.left);
        const i = this.slot(field);
        const c = literalFor(field, node.mask, this.expression);
        const mask = (c as Extract<Constant, { kind: 'value' }>).value;
        if (typeof mask === 'bigint') return (s) => anyOf(s[i]!, (v) => ((v as bigint) & mask) !== 0n);
        const m = BigInt(mask as number);
        return (s) => anyOf(s[i]!, (v) => (BigInt(v as number) & m) !== 0n);
      }
      case 'compare':
        return this.compileCompare(node);
    }
  }

  private compileIn(node: Extract<FilterNode, { kind: 'in' }>): Test {
    const field = this.field(node.left, 'the left side of "in"');
    const i = this.slot(field);
    const preds: Pred[] = node.elements.map((e) => {
      const low = literalFor(field, e.low, this.expression);
      if (!e.high) return equalsConstant(low);
      const high = literalFor(field, e.high, this.expression);
      const lo = constantValue(low);
      const hi = constantValue(high);
      return (v) => valuesCompare(v, lo) >= 0 && valuesCompare(v, hi) <= 0;
    });
    return (s) => anyOf(s[i]!, (v) => preds.some((p) => p(v)));
  }

  private compileCompare(node: Extract<FilterNode, { kind: 'compare' }>): Test {
    const field = this.field(node.left, `the left side of "${node.opText}"`);
    const i = this.slot(field);
    const opSpan = { pos: node.opPos, len: node.opText.length };
    if (node.op === 'contains') {
      if (!SEQUENCE_TYPES.includes(field.type)) this.fail(`"contains" works on strings and byte fields; ${field.name} is not one`, opSpan);
      // Any run of bytes, not a whole address: `eth.src contains 64:23`.
      const r = literalFor(field.type === 'string' ? field : { ...field, type: 'bytes' }, node.right, this.expression);
      if (r.kind !== 'value') this.fail('"contains" needs a plain value, not a subnet', node.right);
      const c = (r as Extract<Constant, { kind: 'value' }>).value;
      const pred: Pred = typeof c === 'string' ? (v) => typeof v === 'string' && v.includes(c) : (v) => v instanceof Uint8Array && bytesContain(v, c as Uint8Array);
      return (s) => anyOf(s[i]!, pred);
    }
    const right = this.rightSide(field, node.right);
    if (node.op === 'matches') {
      if (field.type !== 'string') this.fail(`"matches" works on string fields; ${field.name} is not one`, opSpan);
      if (node.right.kind !== 'string') this.fail('"matches" needs a quoted regular expression', node.right);
      let source = (right as Extract<Constant, { kind: 'value' }>).value as string;
      let flags = 's';
      if (source.startsWith('(?i)')) {
        source = source.slice(4);
        flags += 'i';
      }
      let re: RegExp;
      try {
        re = new RegExp(source, flags);
      } catch (e) {
        this.fail(`invalid regular expression: ${e instanceof Error ? e.message : String(e)}`, node.right);
      }
      return (s) => anyOf(s[i]!, (v) => typeof v === 'string' && re.test(v));
    }
    if ('field' in right) {
      const other = right.field;
      if (family(other.type) !== family(field.type) || other.type === 'none' || other.type === 'protocol' || field.type === 'none' || field.type === 'protocol')
        this.fail(`${field.name} (${field.type}) and ${other.name} (${other.type}) cannot be compared`, node);
      const j = this.slot(other);
      const op = node.op;
      return (s) => pairwise(op, s[i]!, s[j]!);
    }
    const c = right as Constant;
    const k = constantValue(c);
    const test = quantify(node.op, equalsConstant(c), (v) => valuesCompare(v, k));
    return (s) => test(s[i]!);
  }

  /** The right side: a literal of the left field's type, or, failing that, a field. */
  private rightSide(field: FilterField, op: Operand): Constant | { field: FilterField } {
    try {
      return literalFor(field, op, this.expression);
    } catch (e) {
      const other = op.kind === 'word' ? this.catalog.lookup(op.text) : undefined;
      if (other && e instanceof FilterError) return { field: other };
      throw e;
    }
  }
}

/** Field against field: every pair of occurrences, with the same quantifiers as against a value. */
function pairwise(op: CompareOp, as: readonly FilterValue[], bs: readonly FilterValue[]): boolean {
  if (as.length === 0 || bs.length === 0) return false;
  const pairs = (p: (a: FilterValue, b: FilterValue) => boolean, every: boolean): boolean => {
    for (const a of as) for (const b of bs) if (p(a, b) !== every) return !every;
    return every;
  };
  switch (op) {
    case 'any_eq':
      return pairs(valuesEqual, false);
    case 'all_eq':
      return pairs(valuesEqual, true);
    case 'all_ne':
      return pairs((a, b) => !valuesEqual(a, b), true);
    case 'any_ne':
      return pairs((a, b) => !valuesEqual(a, b), false);
    case 'lt':
      return pairs((a, b) => valuesCompare(a, b) < 0, false);
    case 'gt':
      return pairs((a, b) => valuesCompare(a, b) > 0, false);
    case 'le':
      return pairs((a, b) => valuesCompare(a, b) <= 0, false);
    case 'ge':
      return pairs((a, b) => valuesCompare(a, b) >= 0, false);
    default:
      return false;
  }
}

export function compileNode(node: FilterNode, expression: string, catalog: FieldCatalog): CompiledFilter {
  const c = new Compiler(expression, catalog);
  const test = c.compile(node);
  return { expression, fields: c.fields, test };
}
