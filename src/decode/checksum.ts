/** Internet checksum math (RFC 1071) and tshark's checksum status numbers, shared by IP, UDP, TCP and ICMP. */

/** tshark's checksum status numbers (ip/udp/tcp .checksum.status). */
export type ChecksumStatus = 0 | 1 | 2 | 3 | 4;
export const CHECKSUM_BAD = 0;
export const CHECKSUM_GOOD = 1;
export const CHECKSUM_UNVERIFIED = 2;
export const CHECKSUM_NOT_PRESENT = 3;
export const CHECKSUM_ILLEGAL = 4;

/** Unfolded one's-complement sum of 16-bit words of b[start, end) (odd tail padded with zero). */
export function sum16(b: Uint8Array, start: number, end: number, acc = 0): number {
  // High and low octets summed apart (no shifts in the loop), four octets per step.
  let hi = 0;
  let lo = 0;
  let i = start;
  const stop4 = start + ((end - start) & ~3);
  for (; i < stop4; i += 4) {
    hi += b[i]! + b[i + 2]!;
    lo += b[i + 1]! + b[i + 3]!;
  }
  if (i + 1 < end) {
    hi += b[i]!;
    lo += b[i + 1]!;
    i += 2;
  }
  if (i < end) hi += b[i]!;
  return acc + hi * 256 + lo;
}

/** Folds a sum to 16 bits (carries wrapped around). */
export function fold16(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/**
 * Given the folded sum of a region *including* its checksum field (good when 0xffff), the value the
 * field should have held (tcpdump's "-> 0x...." value).
 */
export function expectedChecksum(foldedSum: number, field: number): number {
  // Sum without the field, then complemented.
  let s = foldedSum + (~field & 0xffff);
  s = fold16(s);
  return ~s & 0xffff;
}
