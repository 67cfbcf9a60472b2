/**
 * Ethernet + IPv4 + UDP/TCP/ESP frames built in place into a reusable buffer, with correct
 * IPv4 header checksums and correct UDP/TCP checksums (or UDP checksum 0 for ESP-in-UDP, as
 * RFC 3948 §3.1.1 recommends).
 */

export const ETH_HEADER = 14;
export const IPV4_HEADER = 20;
export const UDP_HEADER = 8;
export const IP_PROTO_TCP = 6;
export const IP_PROTO_UDP = 17;
export const IP_PROTO_ESP = 50;

/** Largest frame the generator builds (Ethernet MTU 1500 plus header). */
export const MAX_FRAME = 1514;

export function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

export function ipv4Bytes(ip: number): Uint8Array {
  return Uint8Array.of(ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff);
}

export function ipv4Text(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** One's-complement sum of 16-bit big-endian words (not folded, not inverted). */
function sum16(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  let s = initial;
  const end = offset + length - 1;
  let i = offset;
  for (; i < end; i += 2) s += (buf[i]! << 8) | buf[i + 1]!;
  if (i === end) s += buf[i]! << 8;
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

export interface IpParams {
  readonly src: number;
  readonly dst: number;
  readonly proto: number;
  readonly id: number;
  readonly ttl: number;
  readonly dontFragment: boolean;
}

/** A frame under construction: `buf` is reused for every frame; `finish` returns its length. */
export class FrameBuilder {
  readonly buf = Buffer.alloc(MAX_FRAME + 64);

  /** Writes Ethernet + IPv4 headers; returns the offset of the IP payload. */
  private ethIp(dstMac: Uint8Array, srcMac: Uint8Array, ip: IpParams, ipPayloadLength: number): number {
    const b = this.buf;
    b.set(dstMac, 0);
    b.set(srcMac, 6);
    b[12] = 0x08;
    b[13] = 0x00;
    const o = ETH_HEADER;
    b[o] = 0x45;
    b[o + 1] = 0;
    b.writeUInt16BE(IPV4_HEADER + ipPayloadLength, o + 2);
    b.writeUInt16BE(ip.id & 0xffff, o + 4);
    b.writeUInt16BE(ip.dontFragment ? 0x4000 : 0, o + 6);
    b[o + 8] = ip.ttl;
    b[o + 9] = ip.proto;
    b[o + 10] = 0;
    b[o + 11] = 0;
    b.writeUInt32BE(ip.src, o + 12);
    b.writeUInt32BE(ip.dst, o + 16);
    b.writeUInt16BE(~fold(sum16(b, o, IPV4_HEADER)) & 0xffff, o + 10);
    return o + IPV4_HEADER;
  }

  /** Sum of the IPv4 pseudo header for a transport checksum. */
  private pseudo(ip: IpParams, length: number): number {
    return (ip.src >>> 16) + (ip.src & 0xffff) + (ip.dst >>> 16) + (ip.dst & 0xffff) + ip.proto + length;
  }

  /**
   * UDP datagram. The payload must already be at `udpPayloadOffset` (write it first, then call
   * this). `checksum`: compute it, or send 0 (ESP-in-UDP).
   */
  udp(dstMac: Uint8Array, srcMac: Uint8Array, ip: IpParams, srcPort: number, dstPort: number, payloadLength: number, checksum: boolean): number {
    const udpLength = UDP_HEADER + payloadLength;
    const o = this.ethIp(dstMac, srcMac, { ...ip, proto: IP_PROTO_UDP }, udpLength);
    const b = this.buf;
    b.writeUInt16BE(srcPort, o);
    b.writeUInt16BE(dstPort, o + 2);
    b.writeUInt16BE(udpLength, o + 4);
    b.writeUInt16BE(0, o + 6);
    if (checksum) {
      let c = ~fold(sum16(b, o, udpLength, this.pseudo({ ...ip, proto: IP_PROTO_UDP }, udpLength))) & 0xffff;
      if (c === 0) c = 0xffff; // RFC 768: a computed zero is sent as all ones
      b.writeUInt16BE(c, o + 6);
    }
    return o + udpLength;
  }

  /** Raw IP payload (ESP, protocol 50); payload already at `ipPayloadOffset`. */
  raw(dstMac: Uint8Array, srcMac: Uint8Array, ip: IpParams, payloadLength: number): number {
    return this.ethIp(dstMac, srcMac, ip, payloadLength) + payloadLength;
  }

  /** TCP segment with a 20-byte header plus `options` (multiple of 4); payload already in place. */
  tcp(
    dstMac: Uint8Array,
    srcMac: Uint8Array,
    ip: IpParams,
    seg: { srcPort: number; dstPort: number; seq: number; ack: number; flags: number; window: number; options: Uint8Array },
    payloadLength: number,
  ): number {
    const hdr = 20 + seg.options.length;
    const tcpLength = hdr + payloadLength;
    const ipp = { ...ip, proto: IP_PROTO_TCP };
    const o = this.ethIp(dstMac, srcMac, ipp, tcpLength);
    const b = this.buf;
    // The payload was written after a 20+options header; the caller used tcpPayloadOffset(options).
    b.writeUInt16BE(seg.srcPort, o);
    b.writeUInt16BE(seg.dstPort, o + 2);
    b.writeUInt32BE(seg.seq >>> 0, o + 4);
    b.writeUInt32BE(seg.ack >>> 0, o + 8);
    b[o + 12] = (hdr / 4) << 4;
    b[o + 13] = seg.flags;
    b.writeUInt16BE(seg.window, o + 14);
    b.writeUInt16BE(0, o + 16);
    b.writeUInt16BE(0, o + 18);
    b.set(seg.options, o + 20);
    b.writeUInt16BE(~fold(sum16(b, o, tcpLength, this.pseudo(ipp, tcpLength))) & 0xffff, o + 16);
    return o + tcpLength;
  }
}

/** Where a UDP payload starts in the frame. */
export const UDP_PAYLOAD = ETH_HEADER + IPV4_HEADER + UDP_HEADER;
/** Where a raw IP payload starts in the frame. */
export const IP_PAYLOAD = ETH_HEADER + IPV4_HEADER;
export function tcpPayloadOffset(optionsLength: number): number {
  return ETH_HEADER + IPV4_HEADER + 20 + optionsLength;
}
