/**
 * Packet builders for tests: each returns the bytes of one header plus its payload, computing
 * lengths and checksums, so crafted captures stay readable:
 *
 *   const bytes = ether(ipv4({ src: '192.0.2.1', dst: '198.51.100.7' }, udp(4500, 4500, nonEsp(ike))));
 *
 * - `udp()` / `tcp()` leave their checksum to the enclosing `ipv4()` / `ipv6()`, which computes
 *   it over the pseudo-header (pass `{ checksum: 0 }` for "none", `'bad'` for a wrong one, or a number).
 * - `ipv4()` / `ipv6()` infer the protocol / next header from the payload builder (udp 17, tcp 6,
 *   esp 50, ah 51, gre 47, ipv4 4, ipv6 41, icmp 1) unless `proto` / `nxt` is given.
 * - `ether()` infers the ethertype the same way (IPv4 0x0800, IPv6 0x86dd, VLAN 0x8100).
 * - `fragmentIpv4()` / `fragmentIpv6()` split a built packet into fragments.
 * - `hex()` reads spaced hex with `#` comments, one line per field.
 * Nothing here imports src/: the bytes are independent of the decoders they test.
 */

export type Bytes = Uint8Array;

/** What each builder produced, so the enclosing builder can infer type numbers and checksums. */
interface Tag {
  readonly kind: 'udp' | 'tcp' | 'esp' | 'ah' | 'gre' | 'ipv4' | 'ipv6' | 'icmp' | 'icmpv6' | 'vlan';
  readonly checksum?: number | 'bad' | 'auto';
  /** For AH: the tag of the payload it protects (its checksum is computed through the AH). */
  readonly inner?: Tag;
}
const tags = new WeakMap<Bytes, Tag>();
const tagged = (b: Bytes, t: Tag): Bytes => (tags.set(b, t), b);

const IP_PROTO: Record<string, number> = { udp: 17, tcp: 6, esp: 50, ah: 51, gre: 47, ipv4: 4, ipv6: 41, icmp: 1, icmpv6: 58 };
const ETHERTYPE: Record<string, number> = { ipv4: 0x0800, ipv6: 0x86dd, vlan: 0x8100 };

/** Spaced hex, `#` comments to end of line: `hex('45 00 # version, tos')`. */
export function hex(s: string): Bytes {
  const clean = s.replace(/#[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2) throw new Error(`odd hex length in ${s}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function concat(...parts: readonly Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

export const u8 = (v: number): Bytes => Uint8Array.of(v & 0xff);
export const u16 = (v: number): Bytes => Uint8Array.of((v >>> 8) & 0xff, v & 0xff);
export const u32 = (v: number): Bytes => Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);

export function mac(s: string): Bytes {
  return Uint8Array.from(s.split(':'), (h) => parseInt(h, 16));
}

export function ip4(s: string): Bytes {
  return Uint8Array.from(s.split('.'), Number);
}

export function ip6(s: string): Bytes {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return concat(...groups.map((g) => u16(parseInt(g, 16))));
}

/** RFC 1071 one's-complement sum of byte runs, folded to 16 bits (not inverted). */
export function onesSum(...parts: readonly Bytes[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i + 1 < p.length; i += 2) sum += (p[i]! << 8) | p[i + 1]!;
    if (p.length % 2) sum += p[p.length - 1]! << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export const internetChecksum = (...parts: readonly Bytes[]): number => ~onesSum(...parts) & 0xffff;

// ---------------------------------------------------------------- link layers

export interface EtherOptions {
  readonly src?: string;
  readonly dst?: string;
  /** Ethertype; inferred from the payload builder, else 0x0800. */
  readonly type?: number;
}

export function ether(payload: Bytes, o: EtherOptions = {}): Bytes {
  const type = o.type ?? ETHERTYPE[tags.get(payload)?.kind ?? 'ipv4'] ?? 0x0800;
  return concat(mac(o.dst ?? '02:00:00:00:00:02'), mac(o.src ?? '02:00:00:00:00:01'), u16(type), payload);
}

/** One 802.1Q tag (TPID written by the enclosing ether/vlan; use `tpid` 0x88a8 for an 802.1ad outer tag). */
export function vlan(id: number, payload: Bytes, o: { pcp?: number; type?: number } = {}): Bytes {
  const type = o.type ?? ETHERTYPE[tags.get(payload)?.kind ?? 'ipv4'] ?? 0x0800;
  return tagged(concat(u16(((o.pcp ?? 0) << 13) | (id & 0xfff)), u16(type), payload), { kind: 'vlan' });
}

/** Linux cooked capture v1 (LINKTYPE 113). */
export function sll(payload: Bytes, o: { pkttype?: number; protocol?: number; addr?: string } = {}): Bytes {
  const addr = concat(mac(o.addr ?? '02:00:00:00:00:01'), new Uint8Array(2));
  const proto = o.protocol ?? ETHERTYPE[tags.get(payload)?.kind ?? 'ipv4'] ?? 0x0800;
  return concat(u16(o.pkttype ?? 0), u16(1), u16(6), addr, u16(proto), payload);
}

/** Linux cooked capture v2 (LINKTYPE 276). */
export function sll2(payload: Bytes, o: { pkttype?: number; protocol?: number; ifindex?: number } = {}): Bytes {
  const proto = o.protocol ?? ETHERTYPE[tags.get(payload)?.kind ?? 'ipv4'] ?? 0x0800;
  const addr = concat(mac('02:00:00:00:00:01'), new Uint8Array(2));
  return concat(u16(proto), u16(0), u32(o.ifindex ?? 1), u16(1), u8(o.pkttype ?? 0), u8(6), addr, payload);
}

/** BSD loopback: LINKTYPE_NULL (0) in the writer's byte order, or LINKTYPE_LOOP (108) big-endian. */
export function loopback(family: number, payload: Bytes, order: 'le' | 'be' = 'le'): Bytes {
  const f = u32(family);
  return concat(order === 'le' ? f.reverse() : f, payload);
}

// ---------------------------------------------------------------- IP

export interface Ipv4Options {
  readonly src?: string;
  readonly dst?: string;
  readonly proto?: number;
  readonly id?: number;
  /** 3 flag bits: 2 = DF, 1 = MF (as in the header's top bits >> 13). */
  readonly flags?: number;
  /** In 8-byte units, as on the wire. */
  readonly fragOffset?: number;
  readonly ttl?: number;
  readonly tos?: number;
  /** Raw option bytes, padded to 4 with zeros. */
  readonly options?: Bytes;
  /** Header checksum override ('bad' flips the low bit). */
  readonly checksum?: number | 'bad';
  /** Total length override (default header + payload). */
  readonly totalLength?: number;
  /** Compute the payload's UDP/TCP checksum as if these addresses were used (for NAT rewrites). */
  readonly pseudoSrc?: string;
}

export function ipv4(a: Ipv4Options | Bytes, b?: Bytes): Bytes {
  const [o, payload] = a instanceof Uint8Array ? [{} as Ipv4Options, a] : [a, b ?? new Uint8Array()];
  const src = ip4(o.src ?? '192.0.2.1');
  const dst = ip4(o.dst ?? '198.51.100.2');
  const tag = tags.get(payload);
  const proto = o.proto ?? IP_PROTO[tag?.kind ?? ''] ?? 253;
  const opts = o.options ?? new Uint8Array();
  const padded = concat(opts, new Uint8Array((4 - (opts.length % 4)) % 4));
  const hlen = 20 + padded.length;
  const body = withTransportChecksum(payload, proto, o.pseudoSrc ? ip4(o.pseudoSrc) : src, dst);
  const h = concat(
    u8(0x40 | (hlen / 4)), u8(o.tos ?? 0), u16(o.totalLength ?? hlen + body.length),
    u16(o.id ?? 0x1234), u16(((o.flags ?? 0) << 13) | (o.fragOffset ?? 0)),
    u8(o.ttl ?? 64), u8(proto), u16(0), src, dst, padded,
  );
  const sum = internetChecksum(h);
  const cs = o.checksum === 'bad' ? sum ^ 1 : (o.checksum ?? sum);
  h.set(u16(cs), 10);
  return tagged(concat(h, body), { kind: 'ipv4' });
}

export interface Ipv6Ext {
  /** 0 hop-by-hop, 43 routing, 60 destination options, 44 fragment, 51 AH (use ah()), or any. */
  readonly type: number;
  /** Body after next-header/length (hop/dst/routing: padded to 8-byte units). */
  readonly body?: Bytes;
  /** Override the next-header byte (for loops). */
  readonly nxt?: number;
}

export interface Ipv6Options {
  readonly src?: string;
  readonly dst?: string;
  readonly nxt?: number;
  readonly hlim?: number;
  readonly flow?: number;
  readonly ext?: readonly Ipv6Ext[];
  readonly payloadLength?: number;
}

export function ipv6(a: Ipv6Options | Bytes, b?: Bytes): Bytes {
  const [o, payload] = a instanceof Uint8Array ? [{} as Ipv6Options, a] : [a, b ?? new Uint8Array()];
  const src = ip6(o.src ?? '2001:db8::1');
  const dst = ip6(o.dst ?? '2001:db8::2');
  const upper = o.nxt ?? IP_PROTO[tags.get(payload)?.kind ?? ''] ?? 59;
  const body = withTransportChecksum(payload, upper, src, dst);
  const ext = o.ext ?? [];
  const parts: Bytes[] = [];
  ext.forEach((e, i) => {
    const nxt = e.nxt ?? ext[i + 1]?.type ?? upper;
    if (e.type === 44) {
      parts.push(concat(u8(nxt), u8(0), e.body ?? new Uint8Array(6)));
      return;
    }
    const raw = e.body ?? new Uint8Array(6);
    const len = Math.ceil((raw.length + 2) / 8);
    parts.push(concat(u8(nxt), u8(len - 1), raw, new Uint8Array(len * 8 - 2 - raw.length)));
  });
  const rest = concat(...parts, body);
  const first = ext[0]?.type ?? upper;
  const flow = o.flow ?? 0;
  const h = concat(u32(0x60000000 | flow), u16(o.payloadLength ?? rest.length), u8(first), u8(o.hlim ?? 64), src, dst);
  return tagged(concat(h, rest), { kind: 'ipv6' });
}

function withTransportChecksum(payload: Bytes, proto: number, src: Bytes, dst: Bytes): Bytes {
  const tag = tags.get(payload);
  if (tag?.kind === 'ah' && tag.inner) {
    const off = (payload[1]! + 2) * 4;
    const inner = payload.slice(off);
    tags.set(inner, tag.inner);
    return tagged(concat(payload.subarray(0, off), withTransportChecksum(inner, payload[0]!, src, dst)), tag);
  }
  const at = tag?.kind === 'udp' ? 6 : tag?.kind === 'tcp' ? 16 : tag?.kind === 'icmpv6' ? 2 : -1;
  if (at < 0 || tag?.checksum === undefined || typeof tag.checksum === 'number') return payload;
  const out = payload.slice();
  tags.set(out, tag);
  out[at] = 0;
  out[at + 1] = 0;
  const pseudo = concat(src, dst, src.length === 4 ? concat(u8(0), u8(proto), u16(out.length)) : concat(u32(out.length), u32(proto)));
  let sum = internetChecksum(pseudo, out);
  if (tag.kind === 'udp' && sum === 0) sum = 0xffff;
  out.set(u16(tag.checksum === 'bad' ? sum ^ 0x5a5a : sum), at);
  return out;
}

/**
 * Splits a built IPv4 packet (options kept in every fragment) into fragments carrying at most
 * `sizes[i]` payload bytes (multiples of 8 except the last); the rest goes in the last fragment.
 */
export function fragmentIpv4(packet: Bytes, sizes: readonly number[]): Bytes[] {
  const hlen = (packet[0]! & 0x0f) * 4;
  const payload = packet.subarray(hlen);
  const out: Bytes[] = [];
  let at = 0;
  for (let i = 0; at < payload.length || i === 0; i++) {
    const n = i < sizes.length ? Math.min(sizes[i]!, payload.length - at) : payload.length - at;
    const h = packet.slice(0, hlen);
    const more = at + n < payload.length;
    h.set(u16(hlen + n), 2);
    h.set(u16((h[6]! & 0x40) << 8 | (more ? 0x2000 : 0) | (at / 8)), 6);
    h.set(u16(0), 10);
    h.set(u16(internetChecksum(h)), 10);
    out.push(tagged(concat(h, payload.subarray(at, at + n)), { kind: 'ipv4' }));
    at += n;
  }
  return out;
}

/** Splits a built IPv6 packet (no extension headers) into fragments with a fragment header. */
export function fragmentIpv6(packet: Bytes, sizes: readonly number[], ident = 0xabcd1234): Bytes[] {
  const nxt = packet[6]!;
  const payload = packet.subarray(40);
  const out: Bytes[] = [];
  let at = 0;
  for (let i = 0; at < payload.length || i === 0; i++) {
    const n = i < sizes.length ? Math.min(sizes[i]!, payload.length - at) : payload.length - at;
    const more = at + n < payload.length;
    const h = packet.slice(0, 40);
    h[6] = 44;
    h.set(u16(8 + n), 4);
    out.push(tagged(concat(h, u8(nxt), u8(0), u16(at | (more ? 1 : 0)), u32(ident), payload.subarray(at, at + n)), { kind: 'ipv6' }));
    at += n;
  }
  return out;
}

// ---------------------------------------------------------------- transport

export interface TransportOptions {
  /** 0 = none, 'bad' = wrong, a number = literal; default: computed by ipv4()/ipv6(). */
  readonly checksum?: number | 'bad';
  /** UDP length override. */
  readonly length?: number;
}

export function udp(sport: number, dport: number, payload: Bytes = new Uint8Array(), o: TransportOptions = {}): Bytes {
  const b = concat(u16(sport), u16(dport), u16(o.length ?? 8 + payload.length), u16(typeof o.checksum === 'number' ? o.checksum : 0), payload);
  return tagged(b, { kind: 'udp', checksum: o.checksum ?? 'auto' });
}

export interface TcpOptions extends TransportOptions {
  readonly seq?: number;
  readonly ack?: number;
  /** Flag bits (0x02 SYN, 0x10 ACK, 0x18 PSH|ACK, ...). Default PSH|ACK. */
  readonly flags?: number;
  readonly window?: number;
  /** Raw option bytes, padded to 4. */
  readonly options?: Bytes;
}

export function tcp(sport: number, dport: number, payload: Bytes = new Uint8Array(), o: TcpOptions = {}): Bytes {
  const opts = o.options ?? new Uint8Array();
  const padded = concat(opts, new Uint8Array((4 - (opts.length % 4)) % 4));
  const off = (20 + padded.length) / 4;
  const b = concat(
    u16(sport), u16(dport), u32(o.seq ?? 1), u32(o.ack ?? 0), u8(off << 4), u8(o.flags ?? 0x18),
    u16(o.window ?? 65535), u16(typeof o.checksum === 'number' ? o.checksum : 0), u16(0), padded, payload,
  );
  return tagged(b, { kind: 'tcp', checksum: o.checksum ?? 'auto' });
}

/** ICMP (for IPv4) with a computed checksum. */
export function icmp(type: number, code: number, body: Bytes = new Uint8Array(4)): Bytes {
  const b = concat(u8(type), u8(code), u16(0), body);
  b.set(u16(internetChecksum(b)), 2);
  return tagged(b, { kind: 'icmp' });
}

/** ICMPv6; the checksum (over the pseudo-header) is computed by ipv6(). */
export function icmpv6(type: number, code: number, body: Bytes = new Uint8Array(4)): Bytes {
  return tagged(concat(u8(type), u8(code), u16(0), body), { kind: 'icmpv6', checksum: 'auto' });
}

// ---------------------------------------------------------------- IPsec and NAT-T

/** ESP header + opaque body (ciphertext, padding, ICV: whatever the test needs). */
export function esp(spi: number, seq: number, body: Bytes = new Uint8Array(16)): Bytes {
  return tagged(concat(u32(spi), u32(seq), body), { kind: 'esp' });
}

/** AH (IPv4 style: ICV multiple of 4). `nxt` defaults from the payload builder. */
export function ah(spi: number, seq: number, payload: Bytes, o: { nxt?: number; icv?: Bytes } = {}): Bytes {
  const icv = o.icv ?? new Uint8Array(12);
  const nxt = o.nxt ?? IP_PROTO[tags.get(payload)?.kind ?? ''] ?? 59;
  const words = (12 + icv.length) / 4;
  const inner = tags.get(payload);
  return tagged(concat(u8(nxt), u8(words - 2), u16(0), u32(spi), u32(seq), icv, payload), { kind: 'ah', ...(inner ? { inner } : {}) });
}

/** RFC 3948 non-ESP marker (4 zero bytes) before an IKE message. */
export const nonEsp = (ike: Bytes): Bytes => concat(new Uint8Array(4), ike);

/** Draft non-IKE marker (8 zero bytes) before ESP, as old implementations sent on port 500. */
export const nonIke = (espBytes: Bytes): Bytes => concat(new Uint8Array(8), espBytes);

/** RFC 3948 NAT-keepalive: one octet 0xFF. */
export const keepalive = (): Bytes => Uint8Array.of(0xff);

/**
 * A minimal ISAKMP message: 28-byte header + `body`, length field correct.
 * IKEv2 IKE_SA_INIT request by default; `version` 0x10 and `exchange` 2 for IKEv1 Main Mode.
 */
export function isakmp(o: { ispi?: Bytes; rspi?: Bytes; next?: number; version?: number; exchange?: number; flags?: number; mid?: number; body?: Bytes } = {}): Bytes {
  const body = o.body ?? new Uint8Array();
  return concat(
    o.ispi ?? hex('01 02 03 04 05 06 07 08'), o.rspi ?? new Uint8Array(8),
    u8(o.next ?? 0), u8(o.version ?? 0x20), u8(o.exchange ?? 34), u8(o.flags ?? 0x08), u32(o.mid ?? 0), u32(28 + body.length), body,
  );
}

// ---------------------------------------------------------------- tunnels

export function gre(protocol: number, payload: Bytes, o: { key?: number; seq?: number; checksum?: boolean } = {}): Bytes {
  const flags = (o.checksum ? 0x8000 : 0) | (o.key !== undefined ? 0x2000 : 0) | (o.seq !== undefined ? 0x1000 : 0);
  const parts = [u16(flags), u16(protocol)];
  if (o.checksum) parts.push(u32(0));
  if (o.key !== undefined) parts.push(u32(o.key));
  if (o.seq !== undefined) parts.push(u32(o.seq));
  const b = concat(...parts, payload);
  if (o.checksum) b.set(u16(internetChecksum(b)), 4);
  return tagged(b, { kind: 'gre' });
}

/** PPTP enhanced GRE (version 1, protocol 0x880b): key = payload length + call id. */
export function pptpGre(callId: number, payload: Bytes, o: { seq?: number; ack?: number } = {}): Bytes {
  const flags = 0x2001 | (o.seq !== undefined ? 0x1000 : 0) | (o.ack !== undefined ? 0x0080 : 0);
  const parts = [u16(flags), u16(0x880b), u16(payload.length), u16(callId)];
  if (o.seq !== undefined) parts.push(u32(o.seq));
  if (o.ack !== undefined) parts.push(u32(o.ack));
  return tagged(concat(...parts, payload), { kind: 'gre' });
}

/** PPP in HDLC-like framing (FF 03) + protocol. */
export const ppp = (protocol: number, payload: Bytes, o: { acfc?: boolean } = {}): Bytes =>
  concat(o.acfc ? new Uint8Array() : hex('ff 03'), u16(protocol), payload);

/** L2TPv2 header: data message with length bit, or a control message (T, L, S set). */
export function l2tpV2(tunnel: number, session: number, payload: Bytes, o: { control?: boolean; ns?: number; nr?: number } = {}): Bytes {
  if (o.control) {
    const len = 12 + payload.length;
    return concat(u16(0xc802), u16(len), u16(tunnel), u16(session), u16(o.ns ?? 0), u16(o.nr ?? 0), payload);
  }
  return concat(u16(0x4002), u16(8 + payload.length), u16(tunnel), u16(session), payload);
}

/** PPTP control message (TCP 1723): length, type 1, magic cookie, control type, reserved, body. */
export function pptpControl(controlType: number, body: Bytes = new Uint8Array(), o: { cookie?: number; length?: number } = {}): Bytes {
  return concat(u16(o.length ?? 12 + body.length), u16(1), u32(o.cookie ?? 0x1a2b3c4d), u16(controlType), u16(0), body);
}
