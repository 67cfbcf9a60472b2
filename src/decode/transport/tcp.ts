import type { Decoder, Layer, LayerStatus, NextLayer, Proto } from '../layer.js';
import { type ChecksumStatus, CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_UNVERIFIED, expectedChecksum, fold16, sum16 } from '../checksum.js';
import { be16, be32, hex4 } from '../bytes.js';
import { cutShort, handOff, noteTruncated, snappedBytes } from '../frame-view.js';
import { pseudoHeaderSum, verifiableIp } from './pseudo.js';

/** TCP header, checksum verified over the pseudo-header. No stream reassembly: each segment alone. */
export interface TcpLayer extends Layer {
  readonly proto: 'tcp';
  readonly srcPort: number | undefined;
  readonly dstPort: number | undefined;
  readonly seq: number | undefined;
  readonly ack: number | undefined;
  /** Data offset in bytes. */
  readonly headerLength: number | undefined;
  /** The 12 flag bits (0x002 SYN, 0x010 ACK, ...). */
  readonly flags: number | undefined;
  readonly window: number | undefined;
  readonly checksum: number | undefined;
  readonly checksumStatus: ChecksumStatus | undefined;
  readonly checksumExpected: number | undefined;
  readonly urgent: number | undefined;
  /** Segment payload bytes present. */
  readonly payloadLength: number;
}

declare module '../layer.js' {
  interface LayerMap {
    tcp: TcpLayer;
  }
}

/** Fixed well-known TCP ports espy decodes (lower port tried first). */
export const TCP_PORT_DECODER: Readonly<Record<number, Proto>> = {
  1723: 'pptp',
};

const MIN_HEADER = 20;
const IP_PROTO_TCP = 6;

export const decodeTcp: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const hl = n >= 13 ? (b[12]! >> 4) * 4 : undefined;
  const base = {
    proto: 'tcp' as const,
    offset,
    srcPort: n >= 2 ? be16(b, 0) : undefined,
    dstPort: n >= 4 ? be16(b, 2) : undefined,
    seq: n >= 8 ? be32(b, 4) : undefined,
    ack: n >= 12 ? be32(b, 8) : undefined,
    headerLength: hl,
    flags: n >= 14 ? be16(b, 12) & 0x0fff : undefined,
    window: n >= 16 ? be16(b, 14) : undefined,
    checksum: n >= 18 ? be16(b, 16) : undefined,
    urgent: n >= 20 ? be16(b, 18) : undefined,
  };
  if (hl !== undefined && hl < MIN_HEADER) {
    ctx.expert('tcp.header_length_invalid', { offset: offset + 12, field: 'tcp.hdr_len', message: `Bogus TCP header length (${hl}, must be at least 20)` });
    return { layer: { ...base, length: Math.min(n, MIN_HEADER), status: 'malformed', checksumStatus: undefined, checksumExpected: undefined, payloadLength: 0 } };
  }
  if (hl === undefined || n < hl) {
    const status = cutShort(ctx, b, offset, hl ?? MIN_HEADER, 'tcp.short', 'TCP header');
    return { layer: { ...base, length: n, status, checksumStatus: undefined, checksumExpected: undefined, payloadLength: 0 } };
  }

  let checksumStatus: ChecksumStatus = CHECKSUM_UNVERIFIED;
  let checksumExpected: number | undefined;
  const ip = verifiableIp(ctx, b);
  const pseudo = ip ? pseudoHeaderSum(ip, IP_PROTO_TCP, n) : undefined;
  if (pseudo !== undefined) {
    const cs = base.checksum!;
    const sum = fold16(sum16(b, 0, n, pseudo));
    checksumExpected = expectedChecksum(sum, cs);
    checksumStatus = sum === 0xffff ? CHECKSUM_GOOD : CHECKSUM_BAD;
    if (checksumStatus === CHECKSUM_BAD) {
      ctx.expert('tcp.checksum_bad', { offset: offset + 16, field: 'tcp.checksum', message: `Bad TCP checksum ${hex4(cs)} -> ${hex4(checksumExpected)}` });
    }
  }
  let status: LayerStatus = 'ok';
  if (snappedBytes(b, ctx) > 0) {
    noteTruncated(ctx, offset + n);
    status = 'truncated';
  }
  const payload = b.subarray(hl);
  const layer: TcpLayer = { ...base, length: hl, status, checksumStatus, checksumExpected, payloadLength: payload.length };
  let next: NextLayer | undefined;
  if (payload.length > 0) {
    const sp = base.srcPort!;
    const dp = base.dstPort!;
    const proto = TCP_PORT_DECODER[Math.min(sp, dp)] ?? TCP_PORT_DECODER[Math.max(sp, dp)];
    if (proto !== undefined) next = handOff(ctx, proto, payload, offset + hl, 'port');
  }
  return next ? { layer, next } : { layer };
};
