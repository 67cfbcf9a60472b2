import type { Decoder, DissectContext, Layer, LayerStatus, NextLayer } from '../layer.js';
import type { FragmentRecord } from './reassembly.js';
import { ipPayloadNext, frameTime, ipProtoName } from './ip-proto.js';
import { be16, be32, hex4 } from '../bytes.js';
import { cutShort, noteTruncated, wireLength, inErrorPacket } from '../frame-view.js';
import { type ChecksumStatus, CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_UNVERIFIED, expectedChecksum, fold16, sum16 } from '../checksum.js';

/**
 * What happened to the IP payload in this frame:
 * whole — not fragmented; reassembled — this frame completed a datagram, the next layer is decoded
 * from it; held — a fragment kept for reassembly; partial — a first fragment decoded on its own
 * (not reassembled: bad checksum, incomplete capture, limits); fragment — a fragment not decoded
 * further (not reassembled, or quoted in an ICMP error); none — no payload (bad or cut header).
 */
export type IpPayloadState = 'whole' | 'reassembled' | 'held' | 'partial' | 'fragment' | 'none';

export interface ReassemblyInfo {
  readonly length: number;
  readonly fragments: readonly FragmentRecord[];
  readonly overlap: boolean;
}

/** IPv4. Fields whose bytes were not captured are undefined (the tree shows what was read). */
export interface IpLayer extends Layer {
  readonly proto: 'ip';
  readonly version: number;
  /** Header length in bytes (IHL × 4). */
  readonly headerLength: number;
  /** Set when the header is bogus: decoding stopped after version / header length / total length. */
  readonly bogus: 'version' | 'header_length' | 'total_length' | undefined;
  readonly tos: number | undefined;
  readonly totalLength: number | undefined;
  readonly id: number | undefined;
  /** The 3 flag bits (4 reserved, 2 DF, 1 MF). */
  readonly flags: number | undefined;
  /** Fragment offset in 8-byte units, as on the wire. */
  readonly fragOffset: number | undefined;
  readonly ttl: number | undefined;
  readonly protocol: number | undefined;
  readonly checksum: number | undefined;
  readonly checksumStatus: ChecksumStatus | undefined;
  /** The checksum the header should carry (when verified). */
  readonly checksumExpected: number | undefined;
  /** Addresses as host-order u32. */
  readonly src: number | undefined;
  readonly dst: number | undefined;
  readonly payload: IpPayloadState;
  /** Set on the frame that completed a datagram. */
  readonly reassembly: ReassemblyInfo | undefined;
}

declare module '../layer.js' {
  interface LayerMap {
    ip: IpLayer;
  }
}

const MIN_HEADER = 20;

export const decodeIpv4: Decoder = (b, offset, ctx) => {
  const n = b.length;
  if (n === 0) return { layer: bogusLayer(offset, 0, 0, undefined, undefined, cutShort(ctx, b, offset, MIN_HEADER, 'ip.short', 'IPv4 header')) };
  const version = b[0]! >> 4;
  const hl = (b[0]! & 0x0f) * 4;
  if (version !== 4) {
    ctx.expert('ip.version_invalid', { offset, field: 'ip.version', message: `Bogus IPv4 version (${version}, must be 4)` });
    return { layer: bogusLayer(offset, version, hl, 'version', undefined, 'malformed') };
  }
  if (hl < MIN_HEADER) {
    ctx.expert('ip.header_length_invalid', { offset, field: 'ip.hdr_len', message: `Bogus IP header length (${hl}, must be at least 20)` });
    return { layer: bogusLayer(offset, version, hl, 'header_length', undefined, 'malformed') };
  }
  const totalLength = n >= 4 ? be16(b, 2) : undefined;
  if (totalLength !== undefined && totalLength !== 0 && totalLength < hl) {
    ctx.expert('ip.total_length_invalid', { offset, field: 'ip.len', message: `Bogus IP length (${totalLength}, less than header length ${hl})` });
    return { layer: bogusLayer(offset, version, hl, 'total_length', totalLength, 'malformed') };
  }
  const inError = inErrorPacket(ctx);
  const wire = wireLength(b, ctx);
  let tl = totalLength ?? wire;
  if (totalLength === 0) {
    tl = wire;
    ctx.expert('ip.total_length_zero', { offset, field: 'ip.len' });
  }

  let status: LayerStatus = 'ok';
  if (n < hl) status = cutShort(ctx, b, offset, hl, 'ip.short', 'IPv4 header');
  else if (tl > n) {
    if (tl <= wire) {
      noteTruncated(ctx, offset + n);
      status = 'truncated';
    } else if (!inError) {
      ctx.expert('ip.total_length_invalid', { offset, field: 'ip.len', message: `IPv4 total length ${tl} exceeds the ${wire} bytes of the packet` });
      status = 'malformed';
    }
  }

  const flagsFrag = n >= 8 ? be16(b, 6) : undefined;
  const checksum = n >= 12 ? be16(b, 10) : undefined;
  let checksumStatus: ChecksumStatus | undefined;
  let checksumExpected: number | undefined;
  if (checksum !== undefined) {
    if (n >= hl) {
      const sum = fold16(sum16(b, 0, hl));
      checksumExpected = expectedChecksum(sum, checksum);
      checksumStatus = sum === 0xffff ? CHECKSUM_GOOD : CHECKSUM_BAD;
      if (checksumStatus === CHECKSUM_BAD) {
        ctx.expert('ip.checksum_bad', { offset: offset + 10, field: 'ip.checksum', message: `Bad IPv4 header checksum ${hex4(checksum)} -> ${hex4(checksumExpected)}` });
      }
    } else checksumStatus = CHECKSUM_UNVERIFIED;
  }
  if (hl > MIN_HEADER && n >= hl) checkOptions(b, hl, offset, ctx);

  const protocol = n >= 10 ? b[9]! : undefined;
  const src = n >= 16 ? be32(b, 12) : undefined;
  const dst = n >= 20 ? be32(b, 16) : undefined;
  const flags = flagsFrag === undefined ? undefined : flagsFrag >>> 13;
  const fragOffset = flagsFrag === undefined ? undefined : flagsFrag & 0x1fff;

  let payload: IpPayloadState = 'none';
  let reassembly: ReassemblyInfo | undefined;
  let next: NextLayer | undefined;
  if (n >= hl && protocol !== undefined && src !== undefined && dst !== undefined && flags !== undefined && fragOffset !== undefined) {
    const end = Math.min(tl, n);
    const data = b.subarray(hl, end);
    const more = (flags & 1) !== 0;
    if (!more && fragOffset === 0) {
      payload = 'whole';
      next = ipPayloadNext(ctx, protocol, data, offset + hl);
    } else if (inError) {
      payload = 'fragment';
    } else {
      const why =
        checksumStatus === CHECKSUM_BAD ? 'bad header checksum' : tl > n ? 'fragment not fully captured' : end <= hl ? 'empty fragment' : undefined;
      if (why === undefined) {
        const id = be16(b, 4);
        const r = ctx.state.fragments.add(
          { key: `4/${src}/${dst}/${protocol}/${id}`, frame: ctx.frame.number, time: frameTime(ctx), offset: fragOffset * 8, more, data },
          (eid, message) => ctx.expert(eid, { offset, message }),
        );
        if (r.kind === 'complete') {
          payload = 'reassembled';
          reassembly = { length: r.data.length, fragments: r.fragments, overlap: r.overlap };
          next = ipPayloadNext(ctx, protocol, r.data, 0);
        } else if (r.kind === 'held') payload = 'held';
      } else {
        ctx.expert('ip.fragment_not_reassembled', { offset, message: `Fragment (offset ${fragOffset * 8}, ID ${hex4(be16(b, 4))}) not reassembled: ${why}` });
      }
      if (payload !== 'reassembled' && payload !== 'held') {
        payload = fragOffset === 0 ? 'partial' : 'fragment';
        if (payload === 'partial') next = ipPayloadNext(ctx, protocol, data, offset + hl);
      }
    }
  }

  const layer: IpLayer = {
    proto: 'ip',
    offset,
    length: Math.min(hl, n),
    status,
    version,
    headerLength: hl,
    bogus: undefined,
    tos: n >= 2 ? b[1]! : undefined,
    totalLength,
    id: n >= 6 ? be16(b, 4) : undefined,
    flags,
    fragOffset,
    ttl: n >= 9 ? b[8]! : undefined,
    protocol,
    checksum,
    checksumStatus,
    checksumExpected,
    src,
    dst,
    payload,
    reassembly,
  };
  return next ? { layer, next } : { layer };
};

function bogusLayer(
  offset: number,
  version: number,
  hl: number,
  bogus: IpLayer['bogus'],
  totalLength: number | undefined,
  status: LayerStatus,
): IpLayer {
  return {
    proto: 'ip', offset, length: 0, status, version, headerLength: hl, bogus, tos: undefined, totalLength, id: undefined,
    flags: undefined, fragOffset: undefined, ttl: undefined, protocol: undefined, checksum: undefined, checksumStatus: undefined,
    checksumExpected: undefined, src: undefined, dst: undefined, payload: 'none', reassembly: undefined,
  };
}

/** Walks the options (EOL, NOP, type-length-value) and reports a length that does not fit. */
function checkOptions(b: Uint8Array, hl: number, offset: number, ctx: DissectContext): void {
  let at = MIN_HEADER;
  while (at < hl) {
    const type = b[at]!;
    if (type === 0) return;
    if (type === 1) {
      at++;
      continue;
    }
    const len = at + 1 < hl ? b[at + 1]! : 0;
    if (len < 2 || at + len > hl) {
      ctx.expert('ip.options_invalid', { offset: offset + at, message: `IPv4 option type ${type} has length ${len}, ${hl - at} bytes left in the header` });
      return;
    }
    at += len;
  }
}

/** tshark's Info for a fragment that is not decoded further. */
export function fragmentInfo(l: IpLayer): string {
  const p = l.protocol ?? 0;
  return `Fragmented IP protocol (proto=${ipProtoName(p)} ${p}, off=${(l.fragOffset ?? 0) * 8}, ID=${(l.id ?? 0).toString(16).padStart(4, '0')})`;
}
