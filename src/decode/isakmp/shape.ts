import { readU32 } from '../cursor.js';

export const ISAKMP_HEADER_LENGTH = 28;

/**
 * Whether bytes plausibly start an ISAKMP message (IKEv1 or IKEv2), for recognising IKE on
 * ports that are not configured as IKE ports. Deliberately strict: the length field must equal
 * the bytes available, the version must be 1.x or 2.x and the initiator SPI non-zero.
 */
export function looksLikeIsakmp(b: Uint8Array): boolean {
  if (b.length < ISAKMP_HEADER_LENGTH) return false;
  const length = readU32(b, 24);
  if (length !== b.length) return false;
  const major = b[17]! >> 4;
  if (major !== 1 && major !== 2) return false;
  let spiNonZero = false;
  for (let i = 0; i < 8; i++) if (b[i] !== 0) spiNonZero = true;
  if (!spiNonZero) return false;
  const exchange = b[18]!;
  if (major === 2) return exchange >= 34 && exchange <= 44;
  return exchange <= 6 || exchange === 32 || exchange === 33 || (exchange >= 240 && exchange <= 255);
}
