import type { Decoder, Layer, LayerStatus, NextLayer } from '../layer.js';
import type { IpPayloadState, ReassemblyInfo } from './ipv4.js';
import { frameTime, ipPayloadNext } from './ip-proto.js';
import { be16, be32 } from '../bytes.js';
import { cutShort, noteTruncated, wireLength, inErrorPacket } from '../frame-view.js';
import { toHex } from '../cursor.js';

export const IPV6_HOPOPTS = 0;
export const IPV6_ROUTING = 43;
export const IPV6_FRAGMENT = 44;
export const IPV6_NO_NEXT = 59;
export const IPV6_DSTOPTS = 60;

/** Extension headers walked before the upper protocol; longer chains are malformed. */
export const MAX_IPV6_EXT_HEADERS = 16;

export interface Ipv6ExtHeader {
  /** 0 hop-by-hop, 43 routing, 44 fragment, 60 destination options. */
  readonly type: number;
  /** Absolute offset (or in the reassembled datagram). */
  readonly offset: number;
  readonly length: number;
  readonly nxt: number;
  /** Fragment header: offset in bytes, more-fragments flag, identification. */
  readonly fragOffset: number | undefined;
  readonly more: boolean | undefined;
  readonly ident: number | undefined;
  /** Routing header: type and segments left. */
  readonly routingType: number | undefined;
  readonly segmentsLeft: number | undefined;
}

/** IPv6 with its extension-header chain. Fields whose bytes were not captured are undefined. */
export interface Ipv6Layer extends Layer {
  readonly proto: 'ipv6';
  readonly version: number;
  /** Set when the version nibble is not 6: nothing else was decoded. */
  readonly bogus: boolean;
  readonly trafficClass: number | undefined;
  readonly flowLabel: number | undefined;
  readonly payloadLength: number | undefined;
  /** Next header of the fixed header. */
  readonly nxt: number | undefined;
  readonly hopLimit: number | undefined;
  readonly src: Uint8Array | undefined;
  readonly dst: Uint8Array | undefined;
  readonly ext: readonly Ipv6ExtHeader[];
  /** Protocol after the extension headers (undefined when the chain was not walked to its end). */
  readonly upper: number | undefined;
  readonly payload: IpPayloadState;
  readonly reassembly: ReassemblyInfo | undefined;
}

declare module '../layer.js' {
  interface LayerMap {
    ipv6: Ipv6Layer;
  }
}

const HEADER = 40;
const NO_EXT: readonly Ipv6ExtHeader[] = [];

export const decodeIpv6: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const version = n > 0 ? b[0]! >> 4 : 6;
  if (n === 0 || version !== 6) {
    const status = n === 0 ? cutShort(ctx, b, offset, HEADER, 'ipv6.short', 'IPv6 header') : 'malformed';
    if (n > 0) ctx.expert('ipv6.version_invalid', { offset, field: 'ipv6.version', message: `Bogus IPv6 version (${version}, must be 6)` });
    return { layer: baseLayer(offset, status, version, true, b, n) };
  }
  if (n < HEADER) return { layer: baseLayer(offset, cutShort(ctx, b, offset, HEADER, 'ipv6.short', 'IPv6 header'), version, false, b, n) };

  const inError = inErrorPacket(ctx);
  const wire = wireLength(b, ctx);
  const plen = be16(b, 4);
  let status: LayerStatus = 'ok';
  let tl = HEADER + plen;
  if (plen === 0) {
    tl = wire;
    ctx.expert('ipv6.payload_length_zero', { offset: offset + 4, field: 'ipv6.plen' });
  }
  if (tl > n) {
    if (tl <= wire) {
      noteTruncated(ctx, offset + n);
      status = 'truncated';
    } else if (!inError) {
      ctx.expert('ipv6.payload_length_invalid', { offset: offset + 4, field: 'ipv6.plen', message: `IPv6 payload length ${plen} exceeds the ${wire - HEADER} bytes after the header` });
      status = 'malformed';
    }
  }
  const end = Math.min(tl, n);

  let ext = NO_EXT;
  let nh = b[6]!;
  let at = HEADER;
  let upper: number | undefined;
  let frag: Ipv6ExtHeader | undefined;
  for (;;) {
    if (nh !== IPV6_HOPOPTS && nh !== IPV6_ROUTING && nh !== IPV6_FRAGMENT && nh !== IPV6_DSTOPTS) {
      upper = nh;
      break;
    }
    if (ext.length >= MAX_IPV6_EXT_HEADERS) {
      ctx.expert('ipv6.ext_chain_too_long', { offset: offset + at, message: `More than ${MAX_IPV6_EXT_HEADERS} IPv6 extension headers; decoding stopped` });
      status = 'malformed';
      break;
    }
    const len = nh === IPV6_FRAGMENT ? 8 : at + 2 <= end ? (b[at + 1]! + 1) * 8 : 8;
    if (at + len > end) {
      if (end < tl && tl <= wire) status = 'truncated';
      else {
        ctx.expert('ipv6.ext_length_invalid', { offset: offset + at, message: `Extension header ${nh} of ${len} bytes at offset ${at} goes past the ${end - HEADER}-byte payload` });
        status = 'malformed';
      }
      break;
    }
    if (nh === IPV6_HOPOPTS && ext.length > 0) ctx.expert('ipv6.hopopts_not_first', { offset: offset + at, field: 'ipv6.hopopts' });
    const isFrag = nh === IPV6_FRAGMENT;
    const isRouting = nh === IPV6_ROUTING;
    const h: Ipv6ExtHeader = {
      type: nh,
      offset: offset + at,
      length: len,
      nxt: b[at]!,
      fragOffset: isFrag ? be16(b, at + 2) & 0xfff8 : undefined,
      more: isFrag ? (b[at + 3]! & 1) !== 0 : undefined,
      ident: isFrag ? be32(b, at + 4) : undefined,
      routingType: isRouting ? b[at + 2]! : undefined,
      segmentsLeft: isRouting ? b[at + 3]! : undefined,
    };
    if (ext === NO_EXT) ext = [];
    (ext as Ipv6ExtHeader[]).push(h);
    if (isFrag && frag === undefined) frag = h;
    nh = h.nxt;
    at += len;
  }

  let payload: IpPayloadState = 'none';
  let reassembly: ReassemblyInfo | undefined;
  let next: NextLayer | undefined;
  if (upper !== undefined) {
    const data = b.subarray(at, end);
    if (frag === undefined || (frag.fragOffset === 0 && !frag.more)) {
      payload = 'whole';
      if (upper !== IPV6_NO_NEXT) next = ipPayloadNext(ctx, upper, data, offset + at);
    } else if (inError) {
      payload = 'fragment';
    } else {
      if (tl <= n && data.length > 0) {
        const r = ctx.state.fragments.add(
          {
            key: `6/${toHex(b.subarray(8, 24))}/${toHex(b.subarray(24, 40))}/${frag.ident}`,
            frame: ctx.frame.number,
            time: frameTime(ctx),
            offset: frag.fragOffset!,
            more: frag.more!,
            data,
            meta: upper,
          },
          (eid, message) => ctx.expert(eid, { offset, message }),
        );
        if (r.kind === 'complete') {
          payload = 'reassembled';
          reassembly = { length: r.data.length, fragments: r.fragments, overlap: r.overlap };
          next = ipPayloadNext(ctx, r.meta ?? upper, r.data, 0);
        } else if (r.kind === 'held') payload = 'held';
      } else {
        ctx.expert('ip.fragment_not_reassembled', { offset, message: `IPv6 fragment (offset ${frag.fragOffset}) not reassembled: fragment not fully captured` });
      }
      if (payload !== 'reassembled' && payload !== 'held') {
        payload = frag.fragOffset === 0 ? 'partial' : 'fragment';
        if (payload === 'partial') next = ipPayloadNext(ctx, upper, data, offset + at);
      }
    }
  }

  const layer: Ipv6Layer = {
    proto: 'ipv6', offset, length: at, status, version, bogus: false, trafficClass: (be16(b, 0) >>> 4) & 0xff, flowLabel: be32(b, 0) & 0xfffff,
    payloadLength: plen, nxt: b[6]!, hopLimit: b[7]!, src: b.subarray(8, 24), dst: b.subarray(24, 40), ext, upper, payload, reassembly,
  };
  return next ? { layer, next } : { layer };
};

function baseLayer(offset: number, status: LayerStatus, version: number, bogus: boolean, b: Uint8Array, n: number): Ipv6Layer {
  const ok = !bogus;
  return {
    proto: 'ipv6',
    offset,
    length: Math.min(n, HEADER),
    status,
    version,
    bogus,
    trafficClass: ok && n >= 2 ? (be16(b, 0) >>> 4) & 0xff : undefined,
    flowLabel: ok && n >= 4 ? be32(b, 0) & 0xfffff : undefined,
    payloadLength: ok && n >= 6 ? be16(b, 4) : undefined,
    nxt: ok && n >= 7 ? b[6]! : undefined,
    hopLimit: ok && n >= 8 ? b[7]! : undefined,
    src: ok && n >= 24 ? b.subarray(8, 24) : undefined,
    dst: ok && n >= 40 ? b.subarray(24, 40) : undefined,
    ext: NO_EXT,
    upper: undefined,
    payload: 'none',
    reassembly: undefined,
  };
}

/** tshark's Info for an IPv6 fragment that is not decoded further. */
export function ipv6FragmentInfo(l: Ipv6Layer): string | undefined {
  const f = l.ext.find((e) => e.type === IPV6_FRAGMENT);
  if (!f) return undefined;
  return `IPv6 fragment (off=${f.fragOffset} more=${f.more ? 'y' : 'n'} ident=0x${(f.ident ?? 0).toString(16).padStart(8, '0')} nxt=${f.nxt})`;
}
