import type { Decoder, Layer, LayerStatus } from '../layer.js';
import { type ChecksumStatus, CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_ILLEGAL, CHECKSUM_NOT_PRESENT, CHECKSUM_UNVERIFIED, expectedChecksum, fold16, sum16 } from '../checksum.js';
import { be16, hex4 } from '../bytes.js';
import { cutShort, noteTruncated, wireLength, inErrorPacket } from '../frame-view.js';
import { enclosingIp } from '../ip/context.js';
import { pseudoHeaderSum } from './pseudo.js';
import { udpNext } from './udp-dispatch.js';

export interface UdpLayer extends Layer {
  readonly proto: 'udp';
  readonly srcPort: number | undefined;
  readonly dstPort: number | undefined;
  /** The length field (header + payload). */
  readonly udpLength: number | undefined;
  readonly checksum: number | undefined;
  /** tshark semantics: 0 bad, 1 good, 2 unverified, 3 not present (zero over IPv4), 4 illegal (zero over IPv6). */
  readonly checksumStatus: ChecksumStatus | undefined;
  /** The checksum the datagram should carry (when verified). */
  readonly checksumExpected: number | undefined;
  /** 'short': length < 8; 'long': length beyond the IP payload. */
  readonly lengthProblem: 'short' | 'long' | undefined;
  /** Payload bytes present (handed to the next decoder). */
  readonly payloadLength: number;
}

declare module '../layer.js' {
  interface LayerMap {
    udp: UdpLayer;
  }
}

const HEADER = 8;
const IP_PROTO_UDP = 17;

export const decodeUdp: Decoder = (b, offset, ctx) => {
  const n = b.length;
  const srcPort = n >= 2 ? be16(b, 0) : undefined;
  const dstPort = n >= 4 ? be16(b, 2) : undefined;
  let udpLength = n >= 6 ? be16(b, 4) : undefined;
  const checksum = n >= 8 ? be16(b, 6) : undefined;
  if (n < HEADER) {
    const status = cutShort(ctx, b, offset, HEADER, 'udp.short', 'UDP header');
    return { layer: layer(offset, n, status, srcPort, dstPort, udpLength, checksum, undefined, undefined, undefined, 0) };
  }
  const ip = enclosingIp(ctx);
  const reported = wireLength(b, ctx);
  // RFC 2675 jumbogram: length 0 over IPv6 means "the rest of the IP payload".
  if (udpLength === 0 && ip?.proto === 'ipv6') udpLength = reported;
  const ulen = udpLength!;
  if (ulen < HEADER) {
    ctx.expert('udp.length_invalid', { offset: offset + 4, field: 'udp.length', message: `Bad UDP length value ${ulen} < 8` });
    return { layer: layer(offset, HEADER, 'malformed', srcPort, dstPort, udpLength, checksum, undefined, undefined, 'short', 0) };
  }
  const partial = ip?.payload === 'partial';
  const inError = inErrorPacket(ctx);
  let status: LayerStatus = 'ok';
  let lengthProblem: UdpLayer['lengthProblem'];
  if (ulen > reported && !partial && !inError) {
    ctx.expert('udp.length_invalid', { offset: offset + 4, field: 'udp.length', message: `Bad UDP length value ${ulen} > IP payload length ${reported}` });
    status = 'malformed';
    lengthProblem = 'long';
  } else if (ulen > n && ulen <= reported) {
    noteTruncated(ctx, offset + n);
    status = 'truncated';
  }

  let checksumStatus: ChecksumStatus = CHECKSUM_UNVERIFIED;
  let checksumExpected: number | undefined;
  const cs = checksum!;
  if (cs === 0) {
    if (ip?.proto === 'ip' || inError) checksumStatus = CHECKSUM_NOT_PRESENT;
    else {
      checksumStatus = CHECKSUM_ILLEGAL;
      ctx.expert('udp.checksum_zero_ipv6', { offset: offset + 6, field: 'udp.checksum', message: 'Zero UDP checksum over IPv6 (illegal: RFC 8200 §8.1 requires one)' });
    }
  } else if (ip && !partial && ulen <= reported && n >= ulen) {
    const pseudo = pseudoHeaderSum(ip, IP_PROTO_UDP, ulen);
    if (pseudo !== undefined) {
      const sum = fold16(sum16(b, 0, ulen, pseudo));
      let expected = expectedChecksum(sum, cs);
      if (expected === 0) expected = 0xffff;
      checksumExpected = expected;
      checksumStatus = sum === 0xffff ? CHECKSUM_GOOD : CHECKSUM_BAD;
      if (checksumStatus === CHECKSUM_BAD) {
        ctx.expert('udp.checksum_bad', { offset: offset + 6, field: 'udp.checksum', message: `Bad UDP checksum ${hex4(cs)} -> ${hex4(expected)}` });
      }
    }
  }

  const end = Math.min(ulen, n);
  const payload = b.subarray(HEADER, end);
  const l = layer(offset, HEADER, status, srcPort, dstPort, udpLength, checksum, checksumStatus, checksumExpected, lengthProblem, payload.length);
  const next = udpNext(ctx, srcPort!, dstPort!, payload, offset + HEADER, Math.min(ulen, reported) - HEADER);
  return next ? { layer: l, next } : { layer: l };
};

function layer(
  offset: number,
  length: number,
  status: LayerStatus,
  srcPort: number | undefined,
  dstPort: number | undefined,
  udpLength: number | undefined,
  checksum: number | undefined,
  checksumStatus: ChecksumStatus | undefined,
  checksumExpected: number | undefined,
  lengthProblem: UdpLayer['lengthProblem'],
  payloadLength: number,
): UdpLayer {
  return { proto: 'udp', offset, length, status, srcPort, dstPort, udpLength, checksum, checksumStatus, checksumExpected, lengthProblem, payloadLength };
}
