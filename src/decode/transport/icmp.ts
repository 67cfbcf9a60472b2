import type { Decoder, Layer, LayerStatus, NextLayer } from '../layer.js';
import { type ChecksumStatus, CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_UNVERIFIED, fold16, expectedChecksum, sum16 } from '../checksum.js';
import { be16, hex4 } from '../bytes.js';
import { cutShort, handOff, inErrorPacket } from '../frame-view.js';
import { pseudoHeaderSum, verifiableIp } from './pseudo.js';

/**
 * ICMP / ICMPv6: type, code, checksum. Error messages quote the offending packet: its IP header
 * (and whatever follows) is decoded as the next layer, so ESP/UDP/IKE inside errors are visible
 * (tshark does the same, which gives two ip.src values).
 */
interface IcmpFields extends Layer {
  readonly type: number | undefined;
  readonly code: number | undefined;
  readonly checksum: number | undefined;
  readonly checksumStatus: ChecksumStatus | undefined;
  readonly checksumExpected: number | undefined;
  /** An error message (destination unreachable, time exceeded, ...) quoting a packet. */
  readonly error: boolean;
  /** Echo request/reply identifier and sequence number. */
  readonly echoId: number | undefined;
  readonly echoSeq: number | undefined;
}

export interface IcmpLayer extends IcmpFields {
  readonly proto: 'icmp';
}

export interface Icmpv6Layer extends IcmpFields {
  readonly proto: 'icmpv6';
}

declare module '../layer.js' {
  interface LayerMap {
    icmp: IcmpLayer;
    icmpv6: Icmpv6Layer;
  }
}

const HEADER = 8;
/** Destination unreachable, source quench, redirect, time exceeded, parameter problem. */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
/** Destination unreachable, packet too big, time exceeded, parameter problem. */
const ICMPV6_ERRORS = new Set([1, 2, 3, 4]);
const ICMP_ECHO = new Set([0, 8]);
const ICMPV6_ECHO = new Set([128, 129]);

function icmpDecoder<P extends 'icmp' | 'icmpv6'>(proto: P): Decoder {
  const v6 = proto === 'icmpv6';
  const errors = v6 ? ICMPV6_ERRORS : ICMP_ERRORS;
  const echo = v6 ? ICMPV6_ECHO : ICMP_ECHO;
  return (b, offset, ctx) => {
    const n = b.length;
    const type = n >= 1 ? b[0]! : undefined;
    const checksum = n >= 4 ? be16(b, 2) : undefined;
    const isError = type !== undefined && errors.has(type);
    const isEcho = type !== undefined && echo.has(type);
    let status: LayerStatus = 'ok';
    if (n < 4 || (n < HEADER && (isError || isEcho))) status = cutShort(ctx, b, offset, n < 4 ? 4 : HEADER, 'icmp.short', 'ICMP header');

    let checksumStatus: ChecksumStatus | undefined = checksum === undefined ? undefined : CHECKSUM_UNVERIFIED;
    let checksumExpected: number | undefined;
    const ip = checksum !== undefined && !inErrorPacket(ctx) ? verifiableIp(ctx, b) : undefined;
    if (ip && checksum !== undefined) {
      const pseudo = v6 ? pseudoHeaderSum(ip, 58, n) : 0;
      if (pseudo !== undefined) {
        const sum = fold16(sum16(b, 0, n, pseudo));
        checksumExpected = expectedChecksum(sum, checksum);
        checksumStatus = sum === 0xffff ? CHECKSUM_GOOD : CHECKSUM_BAD;
        if (checksumStatus === CHECKSUM_BAD) {
          ctx.expert('icmp.checksum_bad', { offset: offset + 2, field: `${proto}.checksum`, message: `Bad ${v6 ? 'ICMPv6' : 'ICMP'} checksum ${hex4(checksum)} -> ${hex4(checksumExpected)}` });
        }
      }
    }
    const layer = {
      proto,
      offset,
      length: isError ? Math.min(n, HEADER) : n,
      status,
      type,
      code: n >= 2 ? b[1]! : undefined,
      checksum,
      checksumStatus,
      checksumExpected,
      error: isError,
      echoId: isEcho && n >= 6 ? be16(b, 4) : undefined,
      echoSeq: isEcho && n >= 8 ? be16(b, 6) : undefined,
    } as LayerOf<P>;
    const next: NextLayer | undefined = isError && n > HEADER ? handOff(ctx, v6 ? 'ipv6' : 'ip', b.subarray(HEADER), offset + HEADER) : undefined;
    return (next ? { layer, next } : { layer }) as ReturnType<Decoder>;
  };
}

type LayerOf<P> = P extends 'icmp' ? IcmpLayer : Icmpv6Layer;

export const decodeIcmp: Decoder = icmpDecoder('icmp');
export const decodeIcmpv6: Decoder = icmpDecoder('icmpv6');
