/**
 * Builders for capture files in memory: classic pcap (µs / ns / modified, either byte order,
 * any version, snaplen and link type) and pcapng (sections in either byte order, interfaces
 * with if_tsresol / if_tsoffset, EPB, SPB, obsolete PB, and raw blocks of any type).
 * They compute every length; tests corrupt the result afterwards when they need to.
 *
 * ```ts
 * const pcap = writePcap([{ data: frame, tsSec: 1, tsUsec: 2 }], { nanos: false, bigEndian: true });
 * const ng = writePcapng([{ interfaces: [{ linkType: 1, tsresol: 9 }], blocks: [{ kind: 'epb', data: frame, tsSec: 1, tsNsec: 5 }] }]);
 * ```
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;

/** One packet. Time: `tsSec` plus `tsNsec` or `tsUsec` (whichever is given; default 0). */
export interface RecordSpec {
  readonly data: Uint8Array;
  readonly tsSec?: number;
  readonly tsUsec?: number;
  readonly tsNsec?: number;
  /** Length on the wire; default `data.length`. */
  readonly origLen?: number;
}

export interface PcapOptions {
  /** Nanosecond time stamps (magic a1b23c4d). Default false (µs). */
  readonly nanos?: boolean;
  readonly bigEndian?: boolean;
  /** The whole 32-bit LinkType field (upper bits may carry FCS information). Default 1 (Ethernet). */
  readonly linkType?: number;
  readonly snaplen?: number;
  /** Default [2, 4]. Versions before 2.3 get the two lengths swapped, as libpcap expects. */
  readonly version?: readonly [number, number];
  /** Kuznetsov's modified pcap (magic a1b2cd34, 24-byte record headers). */
  readonly modified?: boolean;
}

/** Byte writer with a chosen byte order. */
class Bytes {
  private readonly parts: number[] = [];
  constructor(private readonly bigEndian: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.bigEndian ? this.u8(v >>> 8).u8(v) : this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    const b = [v >>> 24, v >>> 16, v >>> 8, v];
    for (const x of this.bigEndian ? b : b.reverse()) this.u8(x);
    return this;
  }
  u64(v: bigint): this {
    const x = BigInt.asUintN(64, v);
    const hi = Number(x >> 32n);
    const lo = Number(x & 0xffffffffn);
    return this.bigEndian ? this.u32(hi).u32(lo) : this.u32(lo).u32(hi);
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const nsOf = (r: RecordSpec): number => r.tsNsec ?? (r.tsUsec ?? 0) * 1000;

/** A classic libpcap file. */
export function writePcap(records: readonly RecordSpec[], options: PcapOptions = {}): Uint8Array {
  const { nanos = false, bigEndian = false, linkType = LINKTYPE_ETHERNET, snaplen = 262_144, modified = false } = options;
  const [major, minor] = options.version ?? [2, 4];
  const w = new Bytes(bigEndian);
  w.u32(modified ? 0xa1b2cd34 : nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(major).u16(minor).u32(0).u32(0).u32(snaplen).u32(linkType);
  for (const r of records) {
    const frac = nanos ? nsOf(r) : (r.tsUsec ?? Math.floor((r.tsNsec ?? 0) / 1000));
    const cap = r.data.length;
    const orig = r.origLen ?? cap;
    const swapped = major === 2 && minor < 3;
    w.u32(r.tsSec ?? 0).u32(frac).u32(swapped ? orig : cap).u32(swapped ? cap : orig);
    if (modified) w.u32(0).u16(0x0800).u8(0).u8(0);
    w.raw(r.data);
  }
  return w.done();
}

// ---------------------------------------------------------------------------------- pcapng

export interface PcapngOption {
  readonly code: number;
  readonly value: Uint8Array;
}

export interface PcapngInterfaceSpec {
  /** Default 1 (Ethernet). */
  readonly linkType?: number;
  /** Default 0 (no limit). */
  readonly snaplen?: number;
  /** The if_tsresol byte (e.g. 9 for ns, 0x94 for 2^-20); omitted means µs. */
  readonly tsresol?: number;
  /** if_tsoffset in seconds. */
  readonly tsoffset?: bigint;
  /** Further options, written before the ones above. */
  readonly options?: readonly PcapngOption[];
}

/** A packet of an EPB or PB: time from `timestamp` (raw units) or from tsSec/tsNsec/tsUsec. */
export interface PcapngPacketSpec extends RecordSpec {
  readonly interfaceId?: number;
  /** The raw 64-bit time stamp, in the interface's units; overrides tsSec/tsNsec. */
  readonly timestamp?: bigint;
  readonly options?: readonly PcapngOption[];
}

export type PcapngBlockSpec =
  | ({ readonly kind: 'epb' } & PcapngPacketSpec)
  | ({ readonly kind: 'pb'; readonly drops?: number } & PcapngPacketSpec)
  /** Simple Packet Block: `data` must already be cut to min(origLen, snaplen of interface 0). */
  | { readonly kind: 'spb'; readonly data: Uint8Array; readonly origLen?: number }
  /** An interface defined after some packets (ids continue from the section's `interfaces`). */
  | ({ readonly kind: 'idb' } & PcapngInterfaceSpec)
  /** Any block (unknown types, NRB = 4, ISB = 5, custom = 0xbad, ...): `body` is padded to 4. */
  | { readonly kind: 'raw'; readonly type: number; readonly body: Uint8Array };

export interface PcapngSectionSpec {
  readonly bigEndian?: boolean;
  /** Default [1, 0]. */
  readonly version?: readonly [number, number];
  /** Interfaces described right after the SHB, ids 0, 1, ... */
  readonly interfaces?: readonly PcapngInterfaceSpec[];
  readonly blocks: readonly PcapngBlockSpec[];
}

/** One block: type, total length, `body` padded to 4 bytes, total length again. */
export function pcapngBlock(type: number, body: Uint8Array, bigEndian = false): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const w = new Bytes(bigEndian).u32(type).u32(total).raw(body).pad4().u32(total);
  return w.done();
}

function optionsBytes(options: readonly PcapngOption[], bigEndian: boolean): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const w = new Bytes(bigEndian);
  for (const o of options) w.u16(o.code).u16(o.value.length).raw(o.value).pad4();
  return w.u16(0).u16(0).done();
}

/** Units per second of an if_tsresol byte (undefined: µs). */
export function pcapngUnitsPerSecond(tsresol: number | undefined): bigint {
  if (tsresol === undefined) return 1_000_000n;
  const e = BigInt(tsresol & 0x7f);
  return tsresol & 0x80 ? 2n ** e : 10n ** e;
}

/** The raw time stamp for `tsSec` + `tsNsec` on an interface (floor; minus its if_tsoffset). */
export function pcapngTimestamp(iface: PcapngInterfaceSpec, tsSec: number, tsNsec: number): bigint {
  const units = pcapngUnitsPerSecond(iface.tsresol);
  const sec = BigInt(tsSec) - (iface.tsoffset ?? 0n);
  return sec * units + (BigInt(tsNsec) * units) / 1_000_000_000n;
}

function interfaceBlock(i: PcapngInterfaceSpec, bigEndian: boolean): Uint8Array {
  const opts: PcapngOption[] = [...(i.options ?? [])];
  if (i.tsresol !== undefined) opts.push({ code: 9, value: Uint8Array.of(i.tsresol) });
  if (i.tsoffset !== undefined) opts.push({ code: 14, value: new Bytes(bigEndian).u64(i.tsoffset).done() });
  const body = new Bytes(bigEndian).u16(i.linkType ?? LINKTYPE_ETHERNET).u16(0).u32(i.snaplen ?? 0);
  return pcapngBlock(1, concatBytes([body.done(), optionsBytes(opts, bigEndian)]), bigEndian);
}

/** A pcapng file of one or more sections. */
export function writePcapng(sections: readonly PcapngSectionSpec[]): Uint8Array {
  const out: Uint8Array[] = [];
  for (const s of sections) {
    const be = s.bigEndian ?? false;
    const [major, minor] = s.version ?? [1, 0];
    const shb = new Bytes(be).u32(0x1a2b3c4d).u16(major).u16(minor).u64(-1n).done();
    out.push(pcapngBlock(0x0a0d0d0a, shb, be));
    const interfaces = [...(s.interfaces ?? [])];
    for (const i of interfaces) out.push(interfaceBlock(i, be));
    for (const b of s.blocks) {
      if (b.kind === 'idb') {
        interfaces.push(b);
        out.push(interfaceBlock(b, be));
      } else if (b.kind === 'raw') {
        out.push(pcapngBlock(b.type, b.body, be));
      } else if (b.kind === 'spb') {
        const body = new Bytes(be).u32(b.origLen ?? b.data.length).raw(b.data).done();
        out.push(pcapngBlock(3, body, be));
      } else {
        const id = b.interfaceId ?? 0;
        const ts = b.timestamp ?? pcapngTimestamp(interfaces[id] ?? {}, b.tsSec ?? 0, nsOf(b));
        const w = new Bytes(be);
        if (b.kind === 'epb') w.u32(id);
        else w.u16(id).u16(b.drops ?? 0);
        // Two 32-bit words, high first, each in the section's byte order (not one 64-bit integer).
        const hi = Number(BigInt.asUintN(64, ts) >> 32n);
        const lo = Number(BigInt.asUintN(64, ts) & 0xffffffffn);
        w.u32(hi).u32(lo).u32(b.data.length).u32(b.origLen ?? b.data.length).raw(b.data).pad4();
        const body = concatBytes([w.done(), optionsBytes(b.options ?? [], be)]);
        out.push(pcapngBlock(b.kind === 'epb' ? 6 : 2, body, be));
      }
    }
  }
  return concatBytes(out);
}

/** Offsets where each block of a pcapng file starts (and the file length last): for truncation tests. */
export function pcapngBlockBoundaries(file: Uint8Array): number[] {
  const out: number[] = [];
  let le = true;
  let at = 0;
  const dv = new DataView(file.buffer, file.byteOffset, file.length);
  while (at + 12 <= file.length) {
    out.push(at);
    if (dv.getUint32(at, false) === 0x0a0d0d0a) le = dv.getUint32(at + 8, false) === 0x4d3c2b1a;
    at += dv.getUint32(at + 4, le);
  }
  out.push(at);
  return out;
}

/** Offsets where each record of a classic pcap file starts (and the file length last). */
export function pcapRecordBoundaries(file: Uint8Array, recordHeaderBytes = 16): number[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.length);
  const m = dv.getUint32(0, false);
  const le = m === 0xd4c3b2a1 || m === 0x4d3cb2a1 || m === 0x34cdb2a1;
  const minor = dv.getUint16(6, le);
  const out: number[] = [];
  let at = 24;
  while (at + recordHeaderBytes <= file.length) {
    out.push(at);
    at += recordHeaderBytes + dv.getUint32(at + (minor < 3 ? 12 : 8), le);
  }
  out.push(at);
  return out;
}
