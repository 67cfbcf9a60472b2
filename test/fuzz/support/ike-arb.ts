/**
 * fast-check arbitraries for well-formed ISAKMP messages (IKEv1 and IKEv2): a header and a chain
 * of payloads of every type espy decodes, with SA → proposal → transform → attribute nesting,
 * notify, delete, vendor ID, NAT-D/NAT-OA, traffic selectors, CP, SK and SKF.
 *
 * Every generated message is valid by construction (lengths, counts and "more" markers agree),
 * and `encodeMessage` says where each payload and each inner length field sits, so tests can
 * break exactly one thing and know which expert entry that must produce.
 */
import fc from 'fast-check';

/** A 16-bit length/count field inside a payload body, with the value that makes it consistent. */
export interface InnerField {
  /** Offset in the body (after the 4-byte generic header). */
  readonly at: number;
  readonly kind: 'proposal' | 'transform' | 'attribute' | 'selector' | 'spi_count';
}

export interface PayloadSpec {
  readonly type: number;
  readonly body: Uint8Array;
  readonly inner: readonly InnerField[];
  readonly critical?: boolean;
}

export interface MessageSpec {
  readonly version: 1 | 2;
  readonly exchange: number;
  readonly flags: number;
  readonly mid: number;
  readonly ispi: Uint8Array;
  readonly rspi: Uint8Array;
  readonly payloads: readonly PayloadSpec[];
}

export interface EncodedMessage {
  readonly bytes: Uint8Array;
  /** Where payload i starts (its generic header); the last entry is the message end. */
  readonly bounds: readonly number[];
  readonly spec: MessageSpec;
}

const u16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const bytes = (n: number[] | Uint8Array): number[] => Array.from(n);

export function encodeMessage(spec: MessageSpec): EncodedMessage {
  const out: number[] = [...spec.ispi, ...spec.rspi, spec.payloads[0]?.type ?? 0, spec.version === 1 ? 0x10 : 0x20, spec.exchange, spec.flags, ...u32(spec.mid), 0, 0, 0, 0];
  const bounds: number[] = [];
  spec.payloads.forEach((p, i) => {
    bounds.push(out.length);
    const next = spec.payloads[i + 1]?.type ?? 0;
    out.push(next, p.critical ? 0x80 : 0, ...u16(4 + p.body.length), ...p.body);
  });
  bounds.push(out.length);
  const b = Uint8Array.from(out);
  new DataView(b.buffer).setUint32(24, b.length);
  return { bytes: b, bounds, spec };
}

// ------------------------------------------------------------------ building blocks

const blob = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const spiSize = fc.constantFrom(0, 4, 8, 16);
/** Printable and hostile text alike: IDs and vendor IDs are arbitrary bytes on the wire. */
const text = fc.oneof(
  fc.string({ maxLength: 24 }).map((s) => new TextEncoder().encode(s)),
  fc.constantFrom('\x1b[31mred\x1b[0m', 'bell\x07', 'cr\rlf\n', '<script>alert(1)</script>', 'vpn.example.org').map((s) => new TextEncoder().encode(s)),
  blob(0, 24),
);

interface Built {
  readonly body: number[];
  readonly inner: InnerField[];
}

/** RFC 2408 data attributes: TV (format bit, 2-byte value) or TLV (length, value). */
const attribute = fc.oneof(
  fc.record({ tv: fc.constant(true as const), type: fc.integer({ min: 1, max: 0x7fff }), value: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ tv: fc.constant(false as const), type: fc.integer({ min: 1, max: 0x7fff }), data: blob(0, 12) }),
);
type Attr = typeof attribute extends fc.Arbitrary<infer T> ? T : never;

function encodeAttributes(attrs: readonly Attr[], base: number, inner: InnerField[]): number[] {
  const out: number[] = [];
  for (const a of attrs) {
    if (a.tv) out.push(...u16(0x8000 | a.type), ...u16(a.value));
    else {
      inner.push({ at: base + out.length + 2, kind: 'attribute' });
      out.push(...u16(a.type), ...u16(a.data.length), ...a.data);
    }
  }
  return out;
}

const transformV1 = fc.record({ number: fc.integer({ min: 1, max: 255 }), id: fc.integer({ min: 0, max: 255 }), attrs: fc.array(attribute, { maxLength: 6 }) });
const transformV2 = fc.record({ ttype: fc.integer({ min: 1, max: 5 }), id: fc.integer({ min: 0, max: 0xffff }), attrs: fc.array(attribute, { maxLength: 3 }) });
const proposal = <T>(t: fc.Arbitrary<T>) =>
  fc.record({ protocol: fc.integer({ min: 1, max: 4 }), spiSize, spiFill: fc.integer({ min: 0, max: 255 }), transforms: fc.array(t, { minLength: 1, maxLength: 4 }) });

function encodeProposals(version: 1 | 2, props: readonly { protocol: number; spiSize: number; spiFill: number; transforms: readonly (Record<string, unknown> & { attrs: readonly Attr[] })[] }[], base: number, inner: InnerField[]): number[] {
  const out: number[] = [];
  props.forEach((p, pi) => {
    const start = base + out.length;
    const tbytes: number[] = [];
    const tStart = start + 8 + p.spiSize;
    p.transforms.forEach((t, ti) => {
      const at = tStart + tbytes.length;
      inner.push({ at: at + 2, kind: 'transform' });
      const attrs = encodeAttributes(t.attrs, at + 8, inner);
      const ids = version === 1 ? [t['number'] as number, t['id'] as number, 0, 0] : [t['ttype'] as number, 0, ...u16(t['id'] as number)];
      tbytes.push(ti === p.transforms.length - 1 ? 0 : 3, 0, ...u16(8 + attrs.length), ...ids, ...attrs);
    });
    inner.push({ at: start + 2, kind: 'proposal' });
    const spi = Array<number>(p.spiSize).fill(p.spiFill);
    out.push(pi === props.length - 1 ? 0 : 2, 0, ...u16(8 + p.spiSize + tbytes.length), pi + 1, p.protocol, p.spiSize, p.transforms.length, ...spi, ...tbytes);
  });
  return out;
}

const saV1 = fc.array(proposal(transformV1), { minLength: 1, maxLength: 3 }).map((props): Built => {
  const inner: InnerField[] = [];
  return { body: [...u32(1), ...u32(1), ...encodeProposals(1, props, 8, inner)], inner };
});
const saV2 = fc.array(proposal(transformV2), { minLength: 1, maxLength: 3 }).map((props): Built => {
  const inner: InnerField[] = [];
  return { body: encodeProposals(2, props, 0, inner), inner };
});

/** ID data with the fixed size its type needs (or free text for names). */
const idData = fc.oneof(
  fc.tuple(fc.constantFrom(1, 4, 5, 6, 7, 8), blob(0, 4)).map(([t, extra]) => ({ t, data: [...Array<number>({ 1: 4, 4: 8, 5: 16, 6: 32, 7: 8, 8: 32 }[t]!).fill(10), ...extra] })),
  fc.tuple(fc.constantFrom(2, 3, 9, 11), text).map(([t, s]) => ({ t, data: bytes(s) })),
);
const notifyType = fc.oneof(fc.integer({ min: 1, max: 0xffff }), fc.constantFrom(16388, 16389, 16390, 16430, 24578, 36136));
const notify = (version: 1 | 2) =>
  fc.record({ protocol: fc.integer({ min: 0, max: 4 }), spiSize, type: notifyType, data: fc.oneof(text, blob(0, 40)) }).map(
    (n): Built => ({ body: [...(version === 1 ? u32(1) : []), n.protocol, n.spiSize, ...u16(n.type), ...Array<number>(n.spiSize).fill(0xab), ...n.data], inner: [] }),
  );
const del = (version: 1 | 2) =>
  fc.record({ protocol: fc.integer({ min: 1, max: 3 }), spiSize: fc.constantFrom(4, 8, 16), count: fc.integer({ min: 0, max: 6 }) }).map((d): Built => {
    const p = version === 1 ? 4 : 0;
    return { body: [...(version === 1 ? u32(1) : []), d.protocol, d.spiSize, ...u16(d.count), ...Array<number>(d.spiSize * d.count).fill(0x5a)], inner: [{ at: p + 2, kind: 'spi_count' }] };
  });
const MD5_RFC3947 = [0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f];
const vid = fc.oneof(text, fc.constant(Uint8Array.from(MD5_RFC3947))).map((d): Built => ({ body: bytes(d), inner: [] }));
const natd = fc.constantFrom(16, 20, 32, 48, 64).chain((n) => blob(n, n)).map((h): Built => ({ body: bytes(h), inner: [] }));
const natOa = fc.oneof(blob(4, 4).map((a) => [1, 0, 0, 0, ...a]), blob(16, 16).map((a) => [5, 0, 0, 0, ...a])).map((body): Built => ({ body, inner: [] }));
const opaque = blob(0, 48).map((d): Built => ({ body: bytes(d), inner: [] }));
const selectors = fc.array(fc.boolean(), { maxLength: 4 }).map((kinds): Built => {
  const inner: InnerField[] = [];
  const out: number[] = [kinds.length, 0, 0, 0];
  for (const v6 of kinds) {
    inner.push({ at: out.length + 2, kind: 'selector' });
    const n = v6 ? 16 : 4;
    out.push(v6 ? 8 : 7, 17, ...u16(8 + 2 * n), ...u16(0), ...u16(0xffff), ...Array<number>(n).fill(0), ...Array<number>(n).fill(0xff));
  }
  return { body: out, inner };
});
const config = (version: 1 | 2) =>
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(attribute, { maxLength: 5 })).map(([t, attrs]): Built => {
    const inner: InnerField[] = [];
    const attrBytes = encodeAttributes(version === 2 ? attrs.map((a) => (a.tv ? { tv: false as const, type: a.type, data: Uint8Array.from(u16(a.value)) } : a)) : attrs, 4, inner);
    return { body: [t, 0, ...(version === 1 ? u16(7) : [0, 0]), ...attrBytes], inner };
  });

const payload = (type: number, b: fc.Arbitrary<Built>, critical = false): fc.Arbitrary<PayloadSpec> =>
  b.map((x) => ({ type, body: Uint8Array.from(x.body), inner: x.inner, ...(critical ? { critical } : {}) }));

/** IKEv1 payloads that are valid in any exchange (types 15/16 are left out: their meaning depends on it). */
export const payloadV1 = fc.oneof(
  payload(1, saV1),
  payload(4, opaque),
  payload(5, idData.chain((id) => fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffff })).map(([proto, port]): Built => ({ body: [id.t, proto, ...u16(port), ...id.data], inner: [] })))),
  payload(6, blob(1, 24).map((d): Built => ({ body: bytes(d), inner: [] }))),
  payload(7, blob(1, 24).map((d): Built => ({ body: bytes(d), inner: [] }))),
  payload(8, opaque),
  payload(9, opaque),
  payload(10, opaque),
  payload(11, notify(1)),
  payload(12, del(1)),
  payload(13, vid),
  payload(14, config(1)),
  payload(20, natd),
  payload(130, natd),
  payload(21, natOa),
  payload(131, natOa),
  payload(132, fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 255 }), fc.boolean(), opaque).map(([id, n, last, d]): Built => ({ body: [...u16(id), n, last ? 1 : 0, ...d.body], inner: [] }))),
);

/** IKEv2 payloads other than SK/SKF (which must come last). */
export const payloadV2 = fc.oneof(
  payload(33, saV2),
  payload(34, fc.tuple(fc.integer({ min: 1, max: 40 }), opaque).map(([g, d]): Built => ({ body: [...u16(g), 0, 0, ...d.body], inner: [] }))),
  payload(35, idData.map((id): Built => ({ body: [id.t, 0, 0, 0, ...id.data], inner: [] }))),
  payload(36, idData.map((id): Built => ({ body: [id.t, 0, 0, 0, ...id.data], inner: [] }))),
  payload(37, blob(1, 24).map((d): Built => ({ body: bytes(d), inner: [] }))),
  payload(38, blob(1, 24).map((d): Built => ({ body: bytes(d), inner: [] }))),
  payload(39, fc.tuple(fc.integer({ min: 1, max: 14 }), opaque).map(([m, d]): Built => ({ body: [m, 0, 0, 0, ...d.body], inner: [] }))),
  payload(40, opaque),
  payload(41, notify(2)),
  payload(42, del(2)),
  payload(43, vid),
  payload(44, selectors),
  payload(45, selectors),
  payload(47, config(2)),
  payload(48, fc.tuple(fc.constantFrom(1, 2, 3, 4), fc.integer({ min: 0, max: 255 }), opaque).map(([code, id, d]): Built => ({ body: [code, id, ...u16(4 + d.body.length + 1), 1, ...d.body], inner: [] }))),
);

const skTail = fc.oneof(
  payload(46, opaque),
  fc.integer({ min: 1, max: 8 }).chain((total) => fc.tuple(fc.integer({ min: 1, max: total }), fc.constant(total), opaque)).chain(([n, total, d]) => payload(53, fc.constant({ body: [...u16(n), ...u16(total), ...d.body], inner: [] }))),
);

const header = {
  ispi: blob(8, 8).filter((b) => b.some((x) => x !== 0)),
  rspi: fc.oneof(fc.constant(new Uint8Array(8)), blob(8, 8)),
  mid: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff })),
};

export const messageV1: fc.Arbitrary<MessageSpec> = fc.record({
  version: fc.constant(1 as const),
  exchange: fc.constantFrom(2, 4, 5, 6, 32),
  flags: fc.constantFrom(0, 2, 4),
  mid: header.mid,
  ispi: header.ispi,
  rspi: header.rspi,
  payloads: fc.array(payloadV1, { maxLength: 8 }),
});

export const messageV2: fc.Arbitrary<MessageSpec> = fc
  .record({
    exchange: fc.constantFrom(34, 35, 36, 37, 43),
    flags: fc.constantFrom(0x08, 0x20, 0x28, 0x00),
    mid: header.mid,
    ispi: header.ispi,
    rspi: header.rspi,
    payloads: fc.array(payloadV2, { maxLength: 8 }),
    tail: fc.option(skTail, { nil: undefined }),
  })
  .map(({ tail, ...m }) => ({ ...m, version: 2 as const, payloads: tail ? [...m.payloads, tail] : m.payloads }));

export const message: fc.Arbitrary<MessageSpec> = fc.oneof(messageV1, messageV2);
