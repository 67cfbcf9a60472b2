import type { RawFrame } from '../capture/frame.js';
import { UDP_PORT_DECODER } from '../decode/transport/udp-dispatch.js';
import { TCP_PORT_DECODER } from '../decode/transport/tcp.js';
import { fold16, sum16 } from '../decode/checksum.js';

/**
 * The analysis fast path: most frames of a busy capture are ESP in UDP on the NAT-T port, raw
 * ESP, or NAT keepalives. This recognises exactly those straight from the frame bytes, without
 * building layers, facts or strings, when nothing about the frame is unusual:
 *
 *   Ethernet II (no ISL), at most two 802.1Q/802.1ad tags → IPv4 (options allowed) whose header
 *   checksum verifies, not a fragment, total length within the captured bytes, frame not cut
 *   by the snap length → either IP protocol 50 with a full ESP header, or UDP (length field
 *   sane) with a NAT-T port on one side and no IKE port (or other decoded port) on either,
 *   carrying a one-octet 0xFF keepalive or an ESP header (≥ 8 octets, first word non-zero, not
 *   all 0xFF, not shaped like an unmarked ISAKMP header). A non-zero UDP checksum is verified
 *   here; a bad one goes to the full decode.
 *
 * Every other frame returns FAST_NONE and is decoded in full. For the frames accepted, the
 * full decode raises no finding-relevant expert info and marks no layer malformed, so the
 * analysis is the same either way (test/analysis/fast-path.test.ts compares the reports).
 */
export const FAST_NONE = 0;
export const FAST_UDP_ESP = 1;
export const FAST_RAW_ESP = 2;
export const FAST_KEEPALIVE = 3;
/** IPv4 TCP, or UDP on ports nothing decodes, with good checksums: the analysis only counts it. */
export const FAST_OTHER = 4;
export type FastKind = typeof FAST_NONE | typeof FAST_UDP_ESP | typeof FAST_RAW_ESP | typeof FAST_KEEPALIVE | typeof FAST_OTHER;

/** What the fast path read from an accepted frame (one reused object, numbers only). */
export interface FastFrame {
  srcIp: number;
  dstIp: number;
  sport: number;
  dport: number;
  spi: number;
  sequence: number;
  /** UDP checksum present (and verified good). */
  udpChecksum: boolean;
}

const LINKTYPE_ETHERNET = 1;
const ETHERTYPE_IPV4 = 0x0800;
const PORT_NATT = 1;
const PORT_OTHER = 2;
const PORT_TCP = 4;

/** Per-port class: NAT-T, or a port whose payload the full decoder dispatches otherwise (IKE, L2TP). */
export function portClasses(ikePorts: readonly number[], nattPorts: readonly number[]): Uint8Array {
  const cls = new Uint8Array(65536);
  for (const p of nattPorts) cls[p]! |= PORT_NATT;
  for (const p of ikePorts) cls[p]! |= PORT_OTHER;
  for (const p of Object.keys(UDP_PORT_DECODER)) cls[Number(p)]! |= PORT_OTHER;
  for (const p of Object.keys(TCP_PORT_DECODER)) cls[Number(p)]! |= PORT_TCP;
  return cls;
}

const rd32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);

/** Whether the UDP/TCP checksum over b[at, at + length) with the IPv4 pseudo-header verifies. */
function transportSumOk(b: Uint8Array, at: number, length: number, src: number, dst: number, proto: number): boolean {
  const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + length;
  return fold16(sum16(b, at, at + length, pseudo)) === 0xffff;
}

/**
 * TCP: the analysis uses only its checksum status and port 1723 (PPTP control); with a sane
 * header, a good checksum and another port, the frame only counts.
 */
function tcp(b: Uint8Array, p: number, plen: number, src: number, dst: number, ports: Uint8Array): FastKind {
  if (plen < 20) return FAST_NONE;
  const hl = (b[p + 12]! >> 4) << 2;
  if (hl < 20 || hl > plen) return FAST_NONE;
  const sport = (b[p]! << 8) | b[p + 1]!;
  const dport = (b[p + 2]! << 8) | b[p + 3]!;
  if ((ports[sport]! | ports[dport]!) & PORT_TCP) return FAST_NONE;
  return transportSumOk(b, p, plen, src, dst, 6) ? FAST_OTHER : FAST_NONE;
}

const isTag = (t: number): boolean => t === 0x8100 || t === 0x88a8 || t === 0x9100 || t === 0x9200;

/** Classifies a record (`raw.buffer[raw.offset, raw.offset + raw.capturedLength)`); on a hit, fills `out`. */
export function classifyFrame(raw: RawFrame, ports: Uint8Array, out: FastFrame): FastKind {
  if (raw.linkType !== LINKTYPE_ETHERNET) return FAST_NONE;
  const b = raw.buffer;
  const o = raw.offset;
  const n = raw.capturedLength;
  const end = o + n;
  if (n < 34 || raw.originalLength !== n) return FAST_NONE;
  // Cisco ISL (01:00:0c:00:00 / 0c:00:0c:00:00) is decoded differently.
  if ((b[o] === 0x01 || b[o] === 0x0c) && b[o + 1] === 0x00 && b[o + 2] === 0x0c && b[o + 3] === 0x00 && b[o + 4] === 0x00) return FAST_NONE;
  let type = (b[o + 12]! << 8) | b[o + 13]!;
  let ip = o + 14;
  if (type !== ETHERTYPE_IPV4) {
    if (!isTag(type)) return FAST_NONE;
    type = (b[o + 16]! << 8) | b[o + 17]!;
    ip = o + 18;
    if (type !== ETHERTYPE_IPV4) {
      if (!isTag(type)) return FAST_NONE;
      type = (b[o + 20]! << 8) | b[o + 21]!;
      ip = o + 22;
      if (type !== ETHERTYPE_IPV4) return FAST_NONE;
    }
  }
  // IPv4 header.
  if (end - ip < 20) return FAST_NONE;
  const vhl = b[ip]!;
  if (vhl >> 4 !== 4) return FAST_NONE;
  const hl = (vhl & 0x0f) << 2;
  const tl = (b[ip + 2]! << 8) | b[ip + 3]!;
  if (hl < 20 || tl < hl || ip + tl > end) return FAST_NONE;
  // Fragments (MF or an offset) go through reassembly.
  if ((((b[ip + 6]! << 8) | b[ip + 7]!) & 0x3fff) !== 0) return FAST_NONE;
  let hi = 0;
  let lo = 0;
  for (let i = ip; i < ip + hl; i += 2) {
    hi += b[i]!;
    lo += b[i + 1]!;
  }
  let sum = hi * 256 + lo;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  if (sum !== 0xffff) return FAST_NONE;
  const proto = b[ip + 9]!;
  const src = ((b[ip + 12]! << 24) >>> 0) + ((b[ip + 13]! << 16) | (b[ip + 14]! << 8) | b[ip + 15]!);
  const dst = ((b[ip + 16]! << 24) >>> 0) + ((b[ip + 17]! << 16) | (b[ip + 18]! << 8) | b[ip + 19]!);
  const p = ip + hl;
  const plen = tl - hl;
  if (proto === 50) {
    if (plen < 8) return FAST_NONE;
    out.srcIp = src;
    out.dstIp = dst;
    out.sport = 0;
    out.dport = 0;
    out.spi = ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    out.sequence = ((b[p + 4]! << 24) >>> 0) + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
    out.udpChecksum = false;
    return FAST_RAW_ESP;
  }
  if (proto === 6) return tcp(b, p, plen, src, dst, ports);
  if (proto !== 17 || plen < 9) return FAST_NONE;
  const sport = (b[p]! << 8) | b[p + 1]!;
  const dport = (b[p + 2]! << 8) | b[p + 3]!;
  const cls = ports[sport]! | ports[dport]!;
  const ulen = (b[p + 4]! << 8) | b[p + 5]!;
  if (ulen < 9 || ulen > plen) return FAST_NONE;
  const u = p + 8;
  const wire = ulen - 8;
  const checksum = (b[p + 6]! << 8) | b[p + 7]!;
  if (cls === 0) {
    // Ports nothing dispatches: only the shape heuristics could make it IKE or a keepalive.
    if (wire === 1) return FAST_NONE;
    if (wire >= 28 && rd32(b, u + 24) === wire) return FAST_NONE;
    if (wire >= 32 && rd32(b, u) === 0 && rd32(b, u + 28) === wire - 4) return FAST_NONE;
    return checksum === 0 || transportSumOk(b, p, ulen, src, dst, 17) ? FAST_OTHER : FAST_NONE;
  }
  if (cls !== PORT_NATT) return FAST_NONE;
  let kind: FastKind;
  if (wire === 1) {
    if (b[u] !== 0xff) return FAST_NONE;
    kind = FAST_KEEPALIVE;
  } else {
    if (wire < 8) return FAST_NONE;
    const spi = ((b[u]! << 24) >>> 0) + ((b[u + 1]! << 16) | (b[u + 2]! << 8) | b[u + 3]!);
    // Zero: the non-ESP marker (IKE). All 0xFF: a keepalive of the wrong length.
    if (spi === 0) return FAST_NONE;
    if (spi === 0xffffffff) {
      let all = true;
      for (let i = u + 4; i < u + wire; i++) if (b[i] !== 0xff) all = false;
      if (all) return FAST_NONE;
    }
    // Could be an ISAKMP header without the marker (the length field equals the payload): full decode.
    if (wire >= 28 && ((b[u + 24]! << 24) >>> 0) + ((b[u + 25]! << 16) | (b[u + 26]! << 8) | b[u + 27]!) === wire) return FAST_NONE;
    out.spi = spi;
    out.sequence = ((b[u + 4]! << 24) >>> 0) + ((b[u + 5]! << 16) | (b[u + 6]! << 8) | b[u + 7]!);
    kind = FAST_UDP_ESP;
  }
  // A non-zero checksum is verified as the UDP decoder does; a bad one is for the full decode.
  if (checksum !== 0 && !transportSumOk(b, p, ulen, src, dst, 17)) return FAST_NONE;
  out.srcIp = src;
  out.dstIp = dst;
  out.sport = sport;
  out.dport = dport;
  out.udpChecksum = checksum !== 0;
  return kind;
}
