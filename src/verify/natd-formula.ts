import type { IkeMessageFacts, PacketFacts } from '../analysis/facts.js';
import type { NatdCheck } from '../analysis/nat-detection.js';
import { natdHash, sameBytes } from '../analysis/natd-hash.js';

/**
 * Proof that a message's NAT-D was computed with a wrong formula: its hashes do not match the
 * observed addresses the right way, but do match them the wrong way. A plain mismatch proves
 * nothing (a NAT may sit between the sender and the capture point); a match the wrong way does.
 * - IKEv1 (RFC 3947 §3.2): the first NAT-D is the destination; a first hash equal to the
 *   source's and a later one equal to the destination's is the order swapped.
 * - IKEv2 (RFC 7296 §2.23): SOURCE equal to the destination's hash and DESTINATION equal to the
 *   source's is swapped; a response whose hashes match only with SPIr = 0 used the request's SPIs.
 */
export function natdWrongFormula(ike: IkeMessageFacts, check: NatdCheck, p: PacketFacts): string | undefined {
  if (!check.algorithm || check.unverifiable || check.lengthMismatch) return undefined;
  const alg = check.algorithm;
  const h = (spiR: Uint8Array, addr: Uint8Array, port: number): Buffer => natdHash(alg, ike.ispi, spiR, addr, port);
  const srcHash = h(ike.rspi, p.srcAddr, p.src.port);
  const dstHash = h(ike.rspi, p.dstAddr, p.dst.port);
  if (ike.ikeVersion === 1) {
    const [first, ...rest] = ike.natd;
    if (first && check.dstOk === false && sameBytes(first.hash, srcHash) && rest.some((n) => sameBytes(n.hash, dstHash)))
      return 'the first NAT-D hashes the source and a later one the destination: the order is swapped (the first must be the destination)';
    return undefined;
  }
  const sources = ike.natd.filter((n) => n.kind === 'v2-source');
  const destinations = ike.natd.filter((n) => n.kind === 'v2-destination');
  if (check.dstOk === false && check.srcOk === false && sources.some((n) => sameBytes(n.hash, dstHash)) && destinations.some((n) => sameBytes(n.hash, srcHash)))
    return 'NAT_DETECTION_SOURCE_IP hashes the destination and NAT_DETECTION_DESTINATION_IP the source: swapped';
  const zero = new Uint8Array(8);
  if (ike.isResponse && !ike.rspi.every((b) => b === 0)) {
    const zeroSrc = h(zero, p.srcAddr, p.src.port);
    const zeroDst = h(zero, p.dstAddr, p.dst.port);
    const dstZero = check.dstOk === false && destinations.some((n) => sameBytes(n.hash, zeroDst));
    const srcZero = check.srcOk === false && sources.some((n) => sameBytes(n.hash, zeroSrc));
    if (dstZero || srcZero) return `the response's NAT_DETECTION hashes use SPIr = 0 (the request's) instead of the responder SPI from its header`;
  }
  return undefined;
}
