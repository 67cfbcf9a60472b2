import * as nodeCrypto from 'node:crypto';

/**
 * Allocation-free single-block hashers for NAT-D candidates: HASH(SPIi(8) | SPIr(8) | IPv4(4) |
 * port(2)), a 22-byte message that always fits in one block (RFC 3947 §3.2, RFC 7296 §2.23).
 * node:crypto pays a per-call cost that dominates such tiny inputs; here everything that depends
 * only on the SPI prefix is computed once, and a candidate costs part of one block compression
 * with no allocation. natd-search.ts uses them to recover a NATed sender's private address:port
 * from its own source NAT-D hash (NATT-REFERENCE §2.4), nat-detection.ts to check NAT-D.
 *
 * Block layout, as 32-bit words (SHA-1/SHA-256 big-endian, MD5 little-endian):
 *   w0..w3 SPIi | SPIr (fixed)   w4 address   w5 port, then the 0x80 pad byte   w6..w13 zero
 *   bit length 176 in w15 (SHA-1, SHA-256) or w14 (MD5)
 * Precomputed per SPI pair: the state after rounds/steps 0–3 (they read only w0..w3) and the
 * schedule words that depend only on w0..w3 and constants (SHA-1 w16, w17; SHA-256 w16..w18).
 *
 * Early exit against a target (most candidates stop before the last rounds):
 * - SHA-1: the last digest word is H4 + rotl30(a75), known after round 75 of 80.
 * - SHA-256: the last digest word is H7 + e61, known after round 60 of 64.
 * - MD5: steps 61–63 read only prefix or zero words (M11, M2, M9), so they are inverted once per
 *   target; step 60 reads M4 (the address), which leaves Q56 = T − M4 with T fixed per target.
 *   A candidate is compared right after step 56.
 *
 * The compression functions below are unrolled on purpose: with the message schedule in a typed
 * array and a loop per stage, V8 reached about a third of the speed (measured, ~2 M/s against
 * ~7 M/s for SHA-1). The unrolled lines were generated mechanically from the standard round
 * definitions (FIPS 180-4 §6.1.2 and §6.2.2, RFC 1321 §3.4), with zero words dropped and constant
 * words folded into K; the tests compare them with node:crypto on thousands of random inputs.
 *
 * SHA-384 and SHA-512 (IKEv1 may negotiate them) are not done here: their 64-bit words as pairs
 * of 32-bit halves ran at 0.2–0.3 M/s in every form tried (a loop, 8 rounds unrolled per
 * iteration, fully unrolled — which V8 would not optimise at all), below node:crypto's one-shot
 * `hash()` (0.4–0.9 M/s in a search, measured here; `createHash` 0.23–0.32 M/s), which
 * `NodeIpv4NatdHasher` uses.
 *
 * `singleBlockDigest` is the plain (loop) form of the same compressions, for any message of at
 * most 55 bytes: the IPv6 NAT-D input (8 + 8 + 16 + 2 = 34 bytes) and SPIs of other lengths.
 */

export type FastNatdAlgorithm = 'md5' | 'sha1' | 'sha256';
/** Every hash a NAT-D payload can use: IKEv2 always SHA-1; IKEv1 the negotiated Phase-1 hash (Tiger aside). */
export type NatdHashAlgorithm = FastNatdAlgorithm | 'sha384' | 'sha512';

export const NATD_DIGEST_BYTES: Readonly<Record<NatdHashAlgorithm, number>> = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** Tests candidate (IPv4 address, port) pairs for one SPI pair against a target digest. */
export interface NatdCandidateHasher {
  readonly algorithm: NatdHashAlgorithm;
  /** Digest length in bytes. */
  readonly digestLength: number;
  /** True when HASH(SPIi | SPIr | ipv4 | port) equals target. ipv4 is a host-order u32. */
  matches(ipv4: number, port: number, target: Uint8Array): boolean;
  /** The digest, written into out (allocated only when not given). */
  digest(ipv4: number, port: number, out?: Uint8Array): Uint8Array;
}

/** Message length in bits: 8 + 8 + 4 + 2 bytes. */
const MESSAGE_BITS = 176;

// SHA-1 (FIPS 180-4): initial hash and round constants, as int32 so V8 keeps integer arithmetic.
const H0 = 0x67452301, H1 = 0xefcdab89 | 0, H2 = 0x98badcfe | 0, H3 = 0x10325476, H4 = 0xc3d2e1f0 | 0;
const K1 = 0x5a827999, K2 = 0x6ed9eba1, K3 = 0x8f1bbcdc | 0, K4 = 0xca62c1d6 | 0;
// MD5 (RFC 1321): initial state, per-step constants floor(|sin(i + 1)| · 2^32), shifts, word index.
const IV0 = 0x67452301, IV1 = 0xefcdab89 | 0, IV2 = 0x98badcfe | 0, IV3 = 0x10325476;
const MD5_K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
const MD5_S = Int32Array.from({ length: 64 }, (_, i) => [[7, 12, 17, 22], [5, 9, 14, 20], [4, 11, 16, 23], [6, 10, 15, 21]][i >> 4]![i & 3]!);
const MD5_G = Int32Array.from({ length: 64 }, (_, i) => [i, 5 * i + 1, 3 * i + 5, 7 * i][i >> 4]! & 15);
// SHA-256 (FIPS 180-4 §4.2.2, §5.3.3): initial hash and round constants.
const S0 = 0x6a09e667, S1 = 0xbb67ae85 | 0, S2 = 0x3c6ef372, S3 = 0xa54ff53a | 0, S4 = 0x510e527f, S5 = 0x9b05688c | 0, S6 = 0x1f83d9ab, S7 = 0x5be0cd19;
const SHA256_IV = Int32Array.of(S0, S1, S2, S3, S4, S5, S6, S7);
const SHA256_K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
const readBe = (b: Uint8Array, o: number): number => (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
const readLe = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
const bswap = (x: number): number => (x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24);
const sha256s0 = (x: number): number => rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
const sha256s1 = (x: number): number => rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10);

/** MD5 round function for step i (F, G, H, I of RFC 1321), for the precomputation loops. */
function md5F(i: number, b: number, c: number, d: number): number {
  if (i < 16) return (b & c) | (~b & d);
  if (i < 32) return (b & d) | (c & ~d);
  if (i < 48) return b ^ c ^ d;
  return c ^ (b | ~d);
}

/** One SHA-256 round on state s (a..h) with schedule word w, in place. */
function sha256Round(s: Int32Array, t: number, w: number): void {
  const [a, b, c, d, e, f, g, h] = s as unknown as [number, number, number, number, number, number, number, number];
  const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) + SHA256_K[t]! + w) | 0;
  const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b)))) | 0;
  s[7] = g; s[6] = f; s[5] = e; s[4] = (d + t1) | 0; s[3] = c; s[2] = b; s[1] = a; s[0] = (t1 + t2) | 0;
}

/**
 * Precomputes, for one SPI pair, everything that the candidate does not change, and tests
 * candidates (address, port) against a target digest without allocating.
 */
export class Ipv4NatdHasher implements NatdCandidateHasher {
  readonly algorithm: FastNatdAlgorithm;
  readonly digestLength: number;
  /**
   * SHA-1: w0..w3, w16, w17, state A..E after round 3. MD5: m0..m3, state a..d after step 3.
   * SHA-256: w0..w3, w16..w18, then the state after round 3 in the order the unrolled rounds load
   * it (e, f, g, h, a, b, c, d: round 4's variables are named by their role in round 0).
   */
  private readonly pre = new Int32Array(15);
  /** Digest words of the last full compression (before serialisation). */
  private readonly words = new Int32Array(8);
  /** The target last prepared, its digest words, and in slot 4 the early-exit value for MD5. */
  private target: Uint8Array | undefined;
  private readonly targetWords = new Int32Array(8);

  constructor(algorithm: FastNatdAlgorithm, spiI: Uint8Array, spiR: Uint8Array) {
    if (spiI.length !== 8 || spiR.length !== 8) throw new RangeError('NAT-D SPIs must be 8 bytes each');
    if (algorithm !== 'md5' && algorithm !== 'sha1' && algorithm !== 'sha256') throw new RangeError(`No single-block hasher for ${String(algorithm)}`);
    this.algorithm = algorithm;
    this.digestLength = NATD_DIGEST_BYTES[algorithm];
    const prefix = new Uint8Array(16);
    prefix.set(spiI, 0);
    prefix.set(spiR, 8);
    const pre = this.pre;
    if (algorithm === 'sha1') {
      const w = [0, 4, 8, 12].map((o) => readBe(prefix, o)) as [number, number, number, number];
      pre.set(w, 0);
      pre[4] = rotl(w[2] ^ w[0], 1); // w16 = rotl1(w13 ^ w8 ^ w2 ^ w0), w8 = w13 = 0
      pre[5] = rotl(w[3] ^ w[1], 1); // w17 = rotl1(w14 ^ w9 ^ w3 ^ w1)
      let a = H0, b = H1, c = H2, d = H3, e = H4;
      for (let t = 0; t < 4; t++) {
        const tmp = (rotl(a, 5) + ((b & c) | (~b & d)) + e + K1 + w[t]!) | 0;
        e = d; d = c; c = rotl(b, 30); b = a; a = tmp;
      }
      pre.set([a, b, c, d, e], 6);
    } else if (algorithm === 'sha256') {
      const w = [0, 4, 8, 12].map((o) => readBe(prefix, o)) as [number, number, number, number];
      pre.set(w, 0);
      // w_t = s1(w_{t-2}) + w_{t-7} + s0(w_{t-15}) + w_{t-16}, with w9..w14 = 0 and w15 = 176.
      const w16 = (sha256s0(w[1]) + w[0]) | 0;
      const w17 = (sha256s1(MESSAGE_BITS) + sha256s0(w[2]) + w[1]) | 0;
      const w18 = (sha256s1(w16) + sha256s0(w[3]) + w[2]) | 0;
      pre[4] = w16; pre[5] = w17; pre[6] = w18;
      const s = Int32Array.from(SHA256_IV);
      for (let t = 0; t < 4; t++) sha256Round(s, t, w[t]!);
      pre.set([s[4]!, s[5]!, s[6]!, s[7]!, s[0]!, s[1]!, s[2]!, s[3]!], 7);
    } else {
      const m = [0, 4, 8, 12].map((o) => readLe(prefix, o));
      pre.set(m, 0);
      let a = IV0, b = IV1, c = IV2, d = IV3;
      for (let i = 0; i < 4; i++) {
        const f = (md5F(i, b, c, d) + a + MD5_K[i]! + m[i]!) | 0;
        a = d; d = c; c = b; b = (b + rotl(f, MD5_S[i]!)) | 0;
      }
      pre.set([a, b, c, d], 4);
    }
  }

  matches(ipv4: number, port: number, target: Uint8Array): boolean {
    if (target !== this.target && !this.prepareTarget(target)) return false;
    const tw = this.targetWords, w = this.words;
    if (this.algorithm === 'sha1') {
      if (!sha1Rounds(this.pre, ipv4, port, w, tw)) return false;
      return w[0] === tw[0] && w[1] === tw[1] && w[2] === tw[2] && w[3] === tw[3];
    }
    if (this.algorithm === 'sha256') {
      if (!sha256Rounds(this.pre, ipv4, port, w, tw)) return false;
      return w[0] === tw[0] && w[1] === tw[1] && w[2] === tw[2] && w[3] === tw[3] && w[4] === tw[4] && w[5] === tw[5] && w[6] === tw[6];
    }
    if (!md5Steps(this.pre, ipv4, port, w, tw)) return false;
    return w[0] === tw[0] && w[1] === tw[1] && w[2] === tw[2] && w[3] === tw[3];
  }

  digest(ipv4: number, port: number, out: Uint8Array = new Uint8Array(this.digestLength)): Uint8Array {
    const md5 = this.algorithm === 'md5';
    if (this.algorithm === 'sha1') sha1Rounds(this.pre, ipv4, port, this.words, undefined);
    else if (this.algorithm === 'sha256') sha256Rounds(this.pre, ipv4, port, this.words, undefined);
    else md5Steps(this.pre, ipv4, port, this.words, undefined);
    for (let i = 0; i < this.digestLength >> 2; i++) {
      const v = md5 ? bswap(this.words[i]!) : this.words[i]!;
      out[4 * i] = v >>> 24; out[4 * i + 1] = v >>> 16; out[4 * i + 2] = v >>> 8; out[4 * i + 3] = v;
    }
    return out;
  }

  /** Caches the target's words; false (and nothing cached) when its length cannot match. */
  private prepareTarget(target: Uint8Array): boolean {
    if (target.length !== this.digestLength) return false;
    this.target = target;
    const tw = this.targetWords;
    if (this.algorithm !== 'md5') {
      for (let i = 0; i < this.digestLength >> 2; i++) tw[i] = readBe(target, 4 * i);
      return true;
    }
    for (let i = 0; i < 4; i++) tw[i] = readLe(target, 4 * i);
    // Invert steps 63..61 (words M9 = 0, M2 prefix, M11 = 0) from the final state; each step maps (a, b, c, d) to
    // (d, b + rotl(a + f(b, c, d) + K + M, s), b, c).
    let a = (tw[0]! - IV0) | 0, b = (tw[1]! - IV1) | 0, c = (tw[2]! - IV2) | 0, d = (tw[3]! - IV3) | 0;
    for (let i = 63; i >= 61; i--) {
      const pb = c, pc = d, pd = a;
      a = (rotl((b - pb) | 0, 32 - MD5_S[i]!) - md5F(i, pb, pc, pd) - MD5_K[i]! - (MD5_G[i]! < 4 ? this.pre[MD5_G[i]!]! : 0)) | 0;
      b = pb; c = pc; d = pd;
    }
    // Step 60: Q56 + M4 = rotr(Q60 − Q59, s60) − I(Q59, Q58, Q57) − K60.
    tw[4] = (rotl((b - c) | 0, 32 - MD5_S[60]!) - md5F(60, c, d, a) - MD5_K[60]!) | 0;
    return true;
  }
}

/** node:crypto's one-shot hash (Node ≥ 20.12), else createHash: ~2–3× apart on 22-byte inputs. */
const oneShot: (algorithm: string, data: Uint8Array) => Uint8Array =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function'
    ? (algorithm, data) => nodeCrypto.hash(algorithm, data, 'buffer')
    : (algorithm, data) => nodeCrypto.createHash(algorithm).update(data).digest();

/** The same contract as Ipv4NatdHasher through node:crypto, for SHA-384 and SHA-512 (any algorithm node knows). */
export class NodeIpv4NatdHasher implements NatdCandidateHasher {
  readonly digestLength: number;
  private readonly message = Buffer.alloc(22);

  constructor(readonly algorithm: NatdHashAlgorithm, spiI: Uint8Array, spiR: Uint8Array) {
    if (spiI.length !== 8 || spiR.length !== 8) throw new RangeError('NAT-D SPIs must be 8 bytes each');
    this.digestLength = NATD_DIGEST_BYTES[algorithm];
    this.message.set(spiI, 0);
    this.message.set(spiR, 8);
  }

  matches(ipv4: number, port: number, target: Uint8Array): boolean {
    if (target.length !== this.digestLength) return false;
    const d = this.hash(ipv4, port);
    for (let i = 0; i < d.length; i++) if (d[i] !== target[i]) return false;
    return true;
  }

  digest(ipv4: number, port: number, out: Uint8Array = new Uint8Array(this.digestLength)): Uint8Array {
    out.set(this.hash(ipv4, port));
    return out;
  }

  private hash(ipv4: number, port: number): Uint8Array {
    this.message.writeUInt32BE(ipv4 >>> 0, 16);
    this.message.writeUInt16BE(port, 20);
    return oneShot(this.algorithm, this.message);
  }
}

/** The fastest IPv4 candidate hasher for an algorithm: single-block JS for MD5/SHA-1/SHA-256, node:crypto for SHA-384/512. */
export function ipv4NatdHasher(algorithm: NatdHashAlgorithm, spiI: Uint8Array, spiR: Uint8Array): NatdCandidateHasher {
  return algorithm === 'sha384' || algorithm === 'sha512' ? new NodeIpv4NatdHasher(algorithm, spiI, spiR) : new Ipv4NatdHasher(algorithm, spiI, spiR);
}

/** Scratch block for singleBlockDigest: 16 message words, then the 64-word SHA schedule. */
const scratch = new Int32Array(80);
const scratchBytes = new Uint8Array(64);

/**
 * MD5, SHA-1 or SHA-256 of a message of at most 55 bytes (one padded block), written into out:
 * the loop form of the compressions above, for NAT-D inputs the IPv4 hasher does not cover (IPv6:
 * 34 bytes; SPIs of other lengths). Throws RangeError for a longer message.
 */
export function singleBlockDigest(algorithm: FastNatdAlgorithm, message: Uint8Array, out: Uint8Array = new Uint8Array(NATD_DIGEST_BYTES[algorithm])): Uint8Array {
  if (message.length > 55) throw new RangeError(`A single block holds at most 55 message bytes, not ${message.length}`);
  const bytes = scratchBytes, w = scratch;
  bytes.fill(0);
  bytes.set(message);
  bytes[message.length] = 0x80;
  const bits = message.length * 8;
  if (algorithm === 'md5') {
    for (let i = 0; i < 16; i++) w[i] = readLe(bytes, 4 * i);
    w[14] = bits;
    let a = IV0, b = IV1, c = IV2, d = IV3;
    for (let i = 0; i < 64; i++) {
      const f = (md5F(i, b, c, d) + a + MD5_K[i]! + w[MD5_G[i]!]!) | 0;
      a = d; d = c; c = b; b = (b + rotl(f, MD5_S[i]!)) | 0;
    }
    const state = [(a + IV0) | 0, (b + IV1) | 0, (c + IV2) | 0, (d + IV3) | 0];
    for (let i = 0; i < 4; i++) writeBe(out, 4 * i, bswap(state[i]!));
    return out;
  }
  for (let i = 0; i < 16; i++) w[i] = readBe(bytes, 4 * i);
  w[15] = bits;
  if (algorithm === 'sha1') {
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let a = H0, b = H1, c = H2, d = H3, e = H4;
    for (let t = 0; t < 80; t++) {
      const f = t < 20 ? (b & c) | (~b & d) : t < 40 ? b ^ c ^ d : t < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = t < 20 ? K1 : t < 40 ? K2 : t < 60 ? K3 : K4;
      const tmp = (rotl(a, 5) + f + e + k + w[t]!) | 0;
      e = d; d = c; c = rotl(b, 30); b = a; a = tmp;
    }
    const state = [a + H0, b + H1, c + H2, d + H3, e + H4];
    for (let i = 0; i < 5; i++) writeBe(out, 4 * i, state[i]!);
    return out;
  }
  for (let t = 16; t < 64; t++) w[t] = (sha256s1(w[t - 2]!) + w[t - 7]! + sha256s0(w[t - 15]!) + w[t - 16]!) | 0;
  const s = Int32Array.from(SHA256_IV);
  for (let t = 0; t < 64; t++) sha256Round(s, t, w[t]!);
  for (let i = 0; i < 8; i++) writeBe(out, 4 * i, s[i]! + SHA256_IV[i]!);
  return out;
}

function writeBe(out: Uint8Array, o: number, v: number): void {
  out[o] = v >>> 24; out[o + 1] = v >>> 16; out[o + 2] = v >>> 8; out[o + 3] = v;
}

/**
 * SHA-1 rounds 4..79 of one candidate block (pre as in Ipv4NatdHasher). With early, returns false
 * after round 75 unless the last digest word equals early[4]. Otherwise writes the five digest
 * words into out and returns true.
 */
function sha1Rounds(pre: Int32Array, ipv4: number, port: number, out: Int32Array, early: Int32Array | undefined): boolean {
  const w2 = pre[2]!, w3 = pre[3]!, w4 = ipv4 | 0, w5 = (port << 16) | 0x8000, w16 = pre[4]!, w17 = pre[5]!;
  let x: number;
  x = 176 ^ w4 ^ w2; const w18 = (x << 1) | (x >>> 31); x = w16 ^ w5 ^ w3; const w19 = (x << 1) | (x >>> 31);
  x = w17 ^ w4; const w20 = (x << 1) | (x >>> 31); x = w18 ^ w5; const w21 = (x << 1) | (x >>> 31);
  x = w19; const w22 = (x << 1) | (x >>> 31); x = w20 ^ 176; const w23 = (x << 1) | (x >>> 31);
  x = w21 ^ w16; const w24 = (x << 1) | (x >>> 31); x = w22 ^ w17; const w25 = (x << 1) | (x >>> 31);
  x = w23 ^ w18; const w26 = (x << 1) | (x >>> 31); x = w24 ^ w19; const w27 = (x << 1) | (x >>> 31);
  x = w25 ^ w20; const w28 = (x << 1) | (x >>> 31); x = w26 ^ w21 ^ 176; const w29 = (x << 1) | (x >>> 31);
  x = w27 ^ w22 ^ w16; const w30 = (x << 1) | (x >>> 31); x = w28 ^ w23 ^ w17 ^ 176; const w31 = (x << 1) | (x >>> 31);
  x = w29 ^ w24 ^ w18 ^ w16; const w32 = (x << 1) | (x >>> 31); x = w30 ^ w25 ^ w19 ^ w17; const w33 = (x << 1) | (x >>> 31);
  x = w31 ^ w26 ^ w20 ^ w18; const w34 = (x << 1) | (x >>> 31); x = w32 ^ w27 ^ w21 ^ w19; const w35 = (x << 1) | (x >>> 31);
  x = w33 ^ w28 ^ w22 ^ w20; const w36 = (x << 1) | (x >>> 31); x = w34 ^ w29 ^ w23 ^ w21; const w37 = (x << 1) | (x >>> 31);
  x = w35 ^ w30 ^ w24 ^ w22; const w38 = (x << 1) | (x >>> 31); x = w36 ^ w31 ^ w25 ^ w23; const w39 = (x << 1) | (x >>> 31);
  x = w37 ^ w32 ^ w26 ^ w24; const w40 = (x << 1) | (x >>> 31); x = w38 ^ w33 ^ w27 ^ w25; const w41 = (x << 1) | (x >>> 31);
  x = w39 ^ w34 ^ w28 ^ w26; const w42 = (x << 1) | (x >>> 31); x = w40 ^ w35 ^ w29 ^ w27; const w43 = (x << 1) | (x >>> 31);
  x = w41 ^ w36 ^ w30 ^ w28; const w44 = (x << 1) | (x >>> 31); x = w42 ^ w37 ^ w31 ^ w29; const w45 = (x << 1) | (x >>> 31);
  x = w43 ^ w38 ^ w32 ^ w30; const w46 = (x << 1) | (x >>> 31); x = w44 ^ w39 ^ w33 ^ w31; const w47 = (x << 1) | (x >>> 31);
  x = w45 ^ w40 ^ w34 ^ w32; const w48 = (x << 1) | (x >>> 31); x = w46 ^ w41 ^ w35 ^ w33; const w49 = (x << 1) | (x >>> 31);
  x = w47 ^ w42 ^ w36 ^ w34; const w50 = (x << 1) | (x >>> 31); x = w48 ^ w43 ^ w37 ^ w35; const w51 = (x << 1) | (x >>> 31);
  x = w49 ^ w44 ^ w38 ^ w36; const w52 = (x << 1) | (x >>> 31); x = w50 ^ w45 ^ w39 ^ w37; const w53 = (x << 1) | (x >>> 31);
  x = w51 ^ w46 ^ w40 ^ w38; const w54 = (x << 1) | (x >>> 31); x = w52 ^ w47 ^ w41 ^ w39; const w55 = (x << 1) | (x >>> 31);
  x = w53 ^ w48 ^ w42 ^ w40; const w56 = (x << 1) | (x >>> 31); x = w54 ^ w49 ^ w43 ^ w41; const w57 = (x << 1) | (x >>> 31);
  x = w55 ^ w50 ^ w44 ^ w42; const w58 = (x << 1) | (x >>> 31); x = w56 ^ w51 ^ w45 ^ w43; const w59 = (x << 1) | (x >>> 31);
  x = w57 ^ w52 ^ w46 ^ w44; const w60 = (x << 1) | (x >>> 31); x = w58 ^ w53 ^ w47 ^ w45; const w61 = (x << 1) | (x >>> 31);
  x = w59 ^ w54 ^ w48 ^ w46; const w62 = (x << 1) | (x >>> 31); x = w60 ^ w55 ^ w49 ^ w47; const w63 = (x << 1) | (x >>> 31);
  x = w61 ^ w56 ^ w50 ^ w48; const w64 = (x << 1) | (x >>> 31); x = w62 ^ w57 ^ w51 ^ w49; const w65 = (x << 1) | (x >>> 31);
  x = w63 ^ w58 ^ w52 ^ w50; const w66 = (x << 1) | (x >>> 31); x = w64 ^ w59 ^ w53 ^ w51; const w67 = (x << 1) | (x >>> 31);
  x = w65 ^ w60 ^ w54 ^ w52; const w68 = (x << 1) | (x >>> 31); x = w66 ^ w61 ^ w55 ^ w53; const w69 = (x << 1) | (x >>> 31);
  x = w67 ^ w62 ^ w56 ^ w54; const w70 = (x << 1) | (x >>> 31); x = w68 ^ w63 ^ w57 ^ w55; const w71 = (x << 1) | (x >>> 31);
  x = w69 ^ w64 ^ w58 ^ w56; const w72 = (x << 1) | (x >>> 31); x = w70 ^ w65 ^ w59 ^ w57; const w73 = (x << 1) | (x >>> 31);
  x = w71 ^ w66 ^ w60 ^ w58; const w74 = (x << 1) | (x >>> 31); x = w72 ^ w67 ^ w61 ^ w59; const w75 = (x << 1) | (x >>> 31);
  x = w73 ^ w68 ^ w62 ^ w60; const w76 = (x << 1) | (x >>> 31); x = w74 ^ w69 ^ w63 ^ w61; const w77 = (x << 1) | (x >>> 31);
  x = w75 ^ w70 ^ w64 ^ w62; const w78 = (x << 1) | (x >>> 31); x = w76 ^ w71 ^ w65 ^ w63; const w79 = (x << 1) | (x >>> 31);
  let b = pre[6]!, c = pre[7]!, d = pre[8]!, e = pre[9]!, a = pre[10]!;
  a = (((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + a + K1 + w4) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + K1 + w5) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + d + K1) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + c + K1) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + b + K1) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + a + K1) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + K1) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + d + K1) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + c + K1) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + b + K1) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + a + K1) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + K1 + 176) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + d + K1 + w16) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + c + K1 + w17) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + b + K1 + w18) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + a + K1 + w19) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K2 + w20) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K2 + w21) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K2 + w22) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K2 + w23) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K2 + w24) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K2 + w25) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K2 + w26) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K2 + w27) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K2 + w28) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K2 + w29) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K2 + w30) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K2 + w31) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K2 + w32) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K2 + w33) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K2 + w34) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K2 + w35) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K2 + w36) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K2 + w37) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K2 + w38) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K2 + w39) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + K3 + w40) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + d + K3 + w41) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + c + K3 + w42) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + b + K3 + w43) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + a + K3 + w44) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + K3 + w45) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + d + K3 + w46) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + c + K3 + w47) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + b + K3 + w48) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + a + K3 + w49) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + K3 + w50) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + d + K3 + w51) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + c + K3 + w52) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + b + K3 + w53) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + a + K3 + w54) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + K3 + w55) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) + d + K3 + w56) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) + c + K3 + w57) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) + b + K3 + w58) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) + a + K3 + w59) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K4 + w60) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K4 + w61) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K4 + w62) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K4 + w63) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K4 + w64) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K4 + w65) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K4 + w66) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K4 + w67) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K4 + w68) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K4 + w69) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K4 + w70) | 0; b = (b << 30) | (b >>> 2);
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K4 + w71) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K4 + w72) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K4 + w73) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K4 + w74) | 0; c = (c << 30) | (c >>> 2);
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K4 + w75) | 0; b = (b << 30) | (b >>> 2);
  if (early !== undefined && ((((e << 30) | (e >>> 2)) + H4) | 0) !== early[4]) return false;
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K4 + w76) | 0; a = (a << 30) | (a >>> 2);
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K4 + w77) | 0; e = (e << 30) | (e >>> 2);
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K4 + w78) | 0; d = (d << 30) | (d >>> 2);
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K4 + w79) | 0; c = (c << 30) | (c >>> 2);
  out[0] = a + H0; out[1] = b + H1; out[2] = c + H2; out[3] = d + H3; out[4] = e + H4;
  return true;
}

/**
 * MD5 steps 4..63 of one candidate block (pre as in Ipv4NatdHasher). With early, returns false
 * after step 56 unless Q56 equals early[4] − M4. Otherwise writes the four state words (digest
 * words, little-endian) into out and returns true.
 */
function md5Steps(pre: Int32Array, ipv4: number, port: number, out: Int32Array, early: Int32Array | undefined): boolean {
  const m0 = pre[0]!, m1 = pre[1]!, m2 = pre[2]!, m3 = pre[3]!, m4 = bswap(ipv4), m5 = (port >>> 8) | ((port & 0xff) << 8) | 0x800000;
  let a = pre[4]!, b = pre[5]!, c = pre[6]!, d = pre[7]!, x: number;
  x = (a + (d ^ (b & (c ^ d))) + (0xf57c0faf | 0) + m4) | 0; a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + (c ^ (a & (b ^ c))) + 0x4787c62a + m5) | 0; d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + (b ^ (d & (a ^ b))) + (0xa8304613 | 0)) | 0; c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + (a ^ (c & (d ^ a))) + (0xfd469501 | 0)) | 0; b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + (d ^ (b & (c ^ d))) + 0x698098d8) | 0; a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + (c ^ (a & (b ^ c))) + (0x8b44f7af | 0)) | 0; d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + (b ^ (d & (a ^ b))) + (0xffff5bb1 | 0)) | 0; c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + (a ^ (c & (d ^ a))) + (0x895cd7be | 0)) | 0; b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + (d ^ (b & (c ^ d))) + 0x6b901122) | 0; a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + (c ^ (a & (b ^ c))) + (0xfd987193 | 0)) | 0; d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + (b ^ (d & (a ^ b))) + (0xa679443e | 0)) | 0; c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + (a ^ (c & (d ^ a))) + 0x49b40821) | 0; b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + (c ^ (d & (b ^ c))) + (0xf61e2562 | 0) + m1) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + (b ^ (c & (a ^ b))) + (0xc040b340 | 0)) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + (a ^ (b & (d ^ a))) + 0x265e5a51) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + (d ^ (a & (c ^ d))) + (0xe9b6c7aa | 0) + m0) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + (c ^ (d & (b ^ c))) + (0xd62f105d | 0) + m5) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + (b ^ (c & (a ^ b))) + 0x02441453) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + (a ^ (b & (d ^ a))) + (0xd8a1e681 | 0)) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + (d ^ (a & (c ^ d))) + (0xe7d3fbc8 | 0) + m4) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + (c ^ (d & (b ^ c))) + 0x21e1cde6) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + (b ^ (c & (a ^ b))) + (0xc3370886 | 0)) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + (a ^ (b & (d ^ a))) + (0xf4d50d87 | 0) + m3) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + (d ^ (a & (c ^ d))) + 0x455a14ed) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + (c ^ (d & (b ^ c))) + (0xa9e3e905 | 0)) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + (b ^ (c & (a ^ b))) + (0xfcefa3f8 | 0) + m2) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + (a ^ (b & (d ^ a))) + 0x676f02d9) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + (d ^ (a & (c ^ d))) + (0x8d2a4c8a | 0)) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + (b ^ c ^ d) + (0xfffa3942 | 0) + m5) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + (0x8771f681 | 0)) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 0x6d9d6122) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + (0xfde538bc | 0)) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + (0xa4beea44 | 0) + m1) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + 0x4bdecfa9 + m4) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + (0xf6bb4b60 | 0)) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + (0xbebfbc70 | 0)) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + 0x289b7ec6) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + (0xeaa127fa | 0) + m0) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + (0xd4ef3085 | 0) + m3) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + 0x04881d05) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + (0xd9d4d039 | 0)) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + (0xe6db99e5 | 0)) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 0x1fa27cf8) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + (0xc4ac5665 | 0) + m2) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (c ^ (b | ~d)) + (0xf4292244 | 0) + m0) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + 0x432aff97) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + (0xab942457 | 0)) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + (0xfc93a039 | 0) + m5) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 0x655b59c3) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + (0x8f0ccc92 | 0) + m3) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + (0xffeff47d | 0)) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + (0x85845dd1 | 0) + m1) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 0x6fa87e4f) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
  if (early !== undefined && a !== ((early[4]! - m4) | 0)) return false;
  x = (d + (b ^ (a | ~c)) + (0xfe2ce6e0 | 0)) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + (0xa3014314 | 0)) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + 0x4e0811a1) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + (0xf7537e82 | 0) + m4) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + (0xbd3af235 | 0)) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + 0x2ad7d2bb + m2) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + (0xeb86d391 | 0)) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
  out[0] = a + IV0; out[1] = b + IV1; out[2] = c + IV2; out[3] = d + IV3;
  return true;
}

/**
 * SHA-256 rounds 4..63 of one candidate block (pre as in Ipv4NatdHasher). With early, returns
 * false after round 60 unless the last digest word equals early[7]. Otherwise writes the eight
 * digest words into out and returns true. Round t's variables are named by their role in round
 * t mod 8, so no round moves a value between variables.
 */
function sha256Rounds(pre: Int32Array, ipv4: number, port: number, out: Int32Array, early: Int32Array | undefined): boolean {
  const w3 = pre[3]!, w4 = ipv4 | 0, w5 = (port << 16) | 0x8000, w16 = pre[4]!, w17 = pre[5]!, w18 = pre[6]!;
  let a = pre[7]!, b = pre[8]!, c = pre[9]!, d = pre[10]!, e = pre[11]!, f = pre[12]!, g = pre[13]!, h = pre[14]!;
  const w19 = ((((w17 >>> 17) | (w17 << 15)) ^ ((w17 >>> 19) | (w17 << 13)) ^ (w17 >>> 10)) + (((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3)) + w3) | 0;
  const w20 = ((((w18 >>> 17) | (w18 << 15)) ^ ((w18 >>> 19) | (w18 << 13)) ^ (w18 >>> 10)) + (((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3)) + w4) | 0;
  const w21 = ((((w19 >>> 17) | (w19 << 15)) ^ ((w19 >>> 19) | (w19 << 13)) ^ (w19 >>> 10)) + w5) | 0;
  const w22 = ((((w20 >>> 17) | (w20 << 15)) ^ ((w20 >>> 19) | (w20 << 13)) ^ (w20 >>> 10)) + 0x000000b0) | 0;
  const w23 = ((((w21 >>> 17) | (w21 << 15)) ^ ((w21 >>> 19) | (w21 << 13)) ^ (w21 >>> 10)) + w16) | 0;
  const w24 = ((((w22 >>> 17) | (w22 << 15)) ^ ((w22 >>> 19) | (w22 << 13)) ^ (w22 >>> 10)) + w17) | 0;
  const w25 = ((((w23 >>> 17) | (w23 << 15)) ^ ((w23 >>> 19) | (w23 << 13)) ^ (w23 >>> 10)) + w18) | 0;
  const w26 = ((((w24 >>> 17) | (w24 << 15)) ^ ((w24 >>> 19) | (w24 << 13)) ^ (w24 >>> 10)) + w19) | 0;
  const w27 = ((((w25 >>> 17) | (w25 << 15)) ^ ((w25 >>> 19) | (w25 << 13)) ^ (w25 >>> 10)) + w20) | 0;
  const w28 = ((((w26 >>> 17) | (w26 << 15)) ^ ((w26 >>> 19) | (w26 << 13)) ^ (w26 >>> 10)) + w21) | 0;
  const w29 = ((((w27 >>> 17) | (w27 << 15)) ^ ((w27 >>> 19) | (w27 << 13)) ^ (w27 >>> 10)) + w22) | 0;
  const w30 = ((((w28 >>> 17) | (w28 << 15)) ^ ((w28 >>> 19) | (w28 << 13)) ^ (w28 >>> 10)) + w23 + 0x602c0017) | 0;
  const w31 = ((((w29 >>> 17) | (w29 << 15)) ^ ((w29 >>> 19) | (w29 << 13)) ^ (w29 >>> 10)) + w24 + (((w16 >>> 7) | (w16 << 25)) ^ ((w16 >>> 18) | (w16 << 14)) ^ (w16 >>> 3)) + 0x000000b0) | 0;
  const w32 = ((((w30 >>> 17) | (w30 << 15)) ^ ((w30 >>> 19) | (w30 << 13)) ^ (w30 >>> 10)) + w25 + (((w17 >>> 7) | (w17 << 25)) ^ ((w17 >>> 18) | (w17 << 14)) ^ (w17 >>> 3)) + w16) | 0;
  const w33 = ((((w31 >>> 17) | (w31 << 15)) ^ ((w31 >>> 19) | (w31 << 13)) ^ (w31 >>> 10)) + w26 + (((w18 >>> 7) | (w18 << 25)) ^ ((w18 >>> 18) | (w18 << 14)) ^ (w18 >>> 3)) + w17) | 0;
  const w34 = ((((w32 >>> 17) | (w32 << 15)) ^ ((w32 >>> 19) | (w32 << 13)) ^ (w32 >>> 10)) + w27 + (((w19 >>> 7) | (w19 << 25)) ^ ((w19 >>> 18) | (w19 << 14)) ^ (w19 >>> 3)) + w18) | 0;
  const w35 = ((((w33 >>> 17) | (w33 << 15)) ^ ((w33 >>> 19) | (w33 << 13)) ^ (w33 >>> 10)) + w28 + (((w20 >>> 7) | (w20 << 25)) ^ ((w20 >>> 18) | (w20 << 14)) ^ (w20 >>> 3)) + w19) | 0;
  const w36 = ((((w34 >>> 17) | (w34 << 15)) ^ ((w34 >>> 19) | (w34 << 13)) ^ (w34 >>> 10)) + w29 + (((w21 >>> 7) | (w21 << 25)) ^ ((w21 >>> 18) | (w21 << 14)) ^ (w21 >>> 3)) + w20) | 0;
  const w37 = ((((w35 >>> 17) | (w35 << 15)) ^ ((w35 >>> 19) | (w35 << 13)) ^ (w35 >>> 10)) + w30 + (((w22 >>> 7) | (w22 << 25)) ^ ((w22 >>> 18) | (w22 << 14)) ^ (w22 >>> 3)) + w21) | 0;
  const w38 = ((((w36 >>> 17) | (w36 << 15)) ^ ((w36 >>> 19) | (w36 << 13)) ^ (w36 >>> 10)) + w31 + (((w23 >>> 7) | (w23 << 25)) ^ ((w23 >>> 18) | (w23 << 14)) ^ (w23 >>> 3)) + w22) | 0;
  const w39 = ((((w37 >>> 17) | (w37 << 15)) ^ ((w37 >>> 19) | (w37 << 13)) ^ (w37 >>> 10)) + w32 + (((w24 >>> 7) | (w24 << 25)) ^ ((w24 >>> 18) | (w24 << 14)) ^ (w24 >>> 3)) + w23) | 0;
  const w40 = ((((w38 >>> 17) | (w38 << 15)) ^ ((w38 >>> 19) | (w38 << 13)) ^ (w38 >>> 10)) + w33 + (((w25 >>> 7) | (w25 << 25)) ^ ((w25 >>> 18) | (w25 << 14)) ^ (w25 >>> 3)) + w24) | 0;
  const w41 = ((((w39 >>> 17) | (w39 << 15)) ^ ((w39 >>> 19) | (w39 << 13)) ^ (w39 >>> 10)) + w34 + (((w26 >>> 7) | (w26 << 25)) ^ ((w26 >>> 18) | (w26 << 14)) ^ (w26 >>> 3)) + w25) | 0;
  const w42 = ((((w40 >>> 17) | (w40 << 15)) ^ ((w40 >>> 19) | (w40 << 13)) ^ (w40 >>> 10)) + w35 + (((w27 >>> 7) | (w27 << 25)) ^ ((w27 >>> 18) | (w27 << 14)) ^ (w27 >>> 3)) + w26) | 0;
  const w43 = ((((w41 >>> 17) | (w41 << 15)) ^ ((w41 >>> 19) | (w41 << 13)) ^ (w41 >>> 10)) + w36 + (((w28 >>> 7) | (w28 << 25)) ^ ((w28 >>> 18) | (w28 << 14)) ^ (w28 >>> 3)) + w27) | 0;
  const w44 = ((((w42 >>> 17) | (w42 << 15)) ^ ((w42 >>> 19) | (w42 << 13)) ^ (w42 >>> 10)) + w37 + (((w29 >>> 7) | (w29 << 25)) ^ ((w29 >>> 18) | (w29 << 14)) ^ (w29 >>> 3)) + w28) | 0;
  const w45 = ((((w43 >>> 17) | (w43 << 15)) ^ ((w43 >>> 19) | (w43 << 13)) ^ (w43 >>> 10)) + w38 + (((w30 >>> 7) | (w30 << 25)) ^ ((w30 >>> 18) | (w30 << 14)) ^ (w30 >>> 3)) + w29) | 0;
  const w46 = ((((w44 >>> 17) | (w44 << 15)) ^ ((w44 >>> 19) | (w44 << 13)) ^ (w44 >>> 10)) + w39 + (((w31 >>> 7) | (w31 << 25)) ^ ((w31 >>> 18) | (w31 << 14)) ^ (w31 >>> 3)) + w30) | 0;
  const w47 = ((((w45 >>> 17) | (w45 << 15)) ^ ((w45 >>> 19) | (w45 << 13)) ^ (w45 >>> 10)) + w40 + (((w32 >>> 7) | (w32 << 25)) ^ ((w32 >>> 18) | (w32 << 14)) ^ (w32 >>> 3)) + w31) | 0;
  const w48 = ((((w46 >>> 17) | (w46 << 15)) ^ ((w46 >>> 19) | (w46 << 13)) ^ (w46 >>> 10)) + w41 + (((w33 >>> 7) | (w33 << 25)) ^ ((w33 >>> 18) | (w33 << 14)) ^ (w33 >>> 3)) + w32) | 0;
  const w49 = ((((w47 >>> 17) | (w47 << 15)) ^ ((w47 >>> 19) | (w47 << 13)) ^ (w47 >>> 10)) + w42 + (((w34 >>> 7) | (w34 << 25)) ^ ((w34 >>> 18) | (w34 << 14)) ^ (w34 >>> 3)) + w33) | 0;
  const w50 = ((((w48 >>> 17) | (w48 << 15)) ^ ((w48 >>> 19) | (w48 << 13)) ^ (w48 >>> 10)) + w43 + (((w35 >>> 7) | (w35 << 25)) ^ ((w35 >>> 18) | (w35 << 14)) ^ (w35 >>> 3)) + w34) | 0;
  const w51 = ((((w49 >>> 17) | (w49 << 15)) ^ ((w49 >>> 19) | (w49 << 13)) ^ (w49 >>> 10)) + w44 + (((w36 >>> 7) | (w36 << 25)) ^ ((w36 >>> 18) | (w36 << 14)) ^ (w36 >>> 3)) + w35) | 0;
  const w52 = ((((w50 >>> 17) | (w50 << 15)) ^ ((w50 >>> 19) | (w50 << 13)) ^ (w50 >>> 10)) + w45 + (((w37 >>> 7) | (w37 << 25)) ^ ((w37 >>> 18) | (w37 << 14)) ^ (w37 >>> 3)) + w36) | 0;
  const w53 = ((((w51 >>> 17) | (w51 << 15)) ^ ((w51 >>> 19) | (w51 << 13)) ^ (w51 >>> 10)) + w46 + (((w38 >>> 7) | (w38 << 25)) ^ ((w38 >>> 18) | (w38 << 14)) ^ (w38 >>> 3)) + w37) | 0;
  const w54 = ((((w52 >>> 17) | (w52 << 15)) ^ ((w52 >>> 19) | (w52 << 13)) ^ (w52 >>> 10)) + w47 + (((w39 >>> 7) | (w39 << 25)) ^ ((w39 >>> 18) | (w39 << 14)) ^ (w39 >>> 3)) + w38) | 0;
  const w55 = ((((w53 >>> 17) | (w53 << 15)) ^ ((w53 >>> 19) | (w53 << 13)) ^ (w53 >>> 10)) + w48 + (((w40 >>> 7) | (w40 << 25)) ^ ((w40 >>> 18) | (w40 << 14)) ^ (w40 >>> 3)) + w39) | 0;
  const w56 = ((((w54 >>> 17) | (w54 << 15)) ^ ((w54 >>> 19) | (w54 << 13)) ^ (w54 >>> 10)) + w49 + (((w41 >>> 7) | (w41 << 25)) ^ ((w41 >>> 18) | (w41 << 14)) ^ (w41 >>> 3)) + w40) | 0;
  const w57 = ((((w55 >>> 17) | (w55 << 15)) ^ ((w55 >>> 19) | (w55 << 13)) ^ (w55 >>> 10)) + w50 + (((w42 >>> 7) | (w42 << 25)) ^ ((w42 >>> 18) | (w42 << 14)) ^ (w42 >>> 3)) + w41) | 0;
  const w58 = ((((w56 >>> 17) | (w56 << 15)) ^ ((w56 >>> 19) | (w56 << 13)) ^ (w56 >>> 10)) + w51 + (((w43 >>> 7) | (w43 << 25)) ^ ((w43 >>> 18) | (w43 << 14)) ^ (w43 >>> 3)) + w42) | 0;
  const w59 = ((((w57 >>> 17) | (w57 << 15)) ^ ((w57 >>> 19) | (w57 << 13)) ^ (w57 >>> 10)) + w52 + (((w44 >>> 7) | (w44 << 25)) ^ ((w44 >>> 18) | (w44 << 14)) ^ (w44 >>> 3)) + w43) | 0;
  const w60 = ((((w58 >>> 17) | (w58 << 15)) ^ ((w58 >>> 19) | (w58 << 13)) ^ (w58 >>> 10)) + w53 + (((w45 >>> 7) | (w45 << 25)) ^ ((w45 >>> 18) | (w45 << 14)) ^ (w45 >>> 3)) + w44) | 0;
  const w61 = ((((w59 >>> 17) | (w59 << 15)) ^ ((w59 >>> 19) | (w59 << 13)) ^ (w59 >>> 10)) + w54 + (((w46 >>> 7) | (w46 << 25)) ^ ((w46 >>> 18) | (w46 << 14)) ^ (w46 >>> 3)) + w45) | 0;
  const w62 = ((((w60 >>> 17) | (w60 << 15)) ^ ((w60 >>> 19) | (w60 << 13)) ^ (w60 >>> 10)) + w55 + (((w47 >>> 7) | (w47 << 25)) ^ ((w47 >>> 18) | (w47 << 14)) ^ (w47 >>> 3)) + w46) | 0;
  const w63 = ((((w61 >>> 17) | (w61 << 15)) ^ ((w61 >>> 19) | (w61 << 13)) ^ (w61 >>> 10)) + w56 + (((w48 >>> 7) | (w48 << 25)) ^ ((w48 >>> 18) | (w48 << 14)) ^ (w48 >>> 3)) + w47) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x3956c25b + w4) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x59f111f1 + w5) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + (0x923f82a4 | 0)) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + (0xab1c5ed5 | 0)) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + (0xd807aa98 | 0)) | 0; d = (d + h) | 0;
  h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x12835b01) | 0; c = (c + g) | 0;
  g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x243185be) | 0; b = (b + f) | 0;
  f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x550c7dc3) | 0; a = (a + e) | 0;
  e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x72be5d74) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + (0x80deb1fe | 0)) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + (0x9bdc06a7 | 0)) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + (0xc19bf224 | 0)) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + (0xe49b69c1 | 0) + w16) | 0; d = (d + h) | 0;
  h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + (0xefbe4786 | 0) + w17) | 0; c = (c + g) | 0;
  g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x0fc19dc6 + w18) | 0; b = (b + f) | 0;
  f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x240ca1cc + w19) | 0; a = (a + e) | 0;
  e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x2de92c6f + w20) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x4a7484aa + w21) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x5cb0a9dc + w22) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x76f988da + w23) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + (0x983e5152 | 0) + w24) | 0; d = (d + h) | 0;
  h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + (0xa831c66d | 0) + w25) | 0; c = (c + g) | 0;
  g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + (0xb00327c8 | 0) + w26) | 0; b = (b + f) | 0;
  f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + (0xbf597fc7 | 0) + w27) | 0; a = (a + e) | 0;
  e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + (0xc6e00bf3 | 0) + w28) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + (0xd5a79147 | 0) + w29) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x06ca6351 + w30) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x14292967 + w31) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x27b70a85 + w32) | 0; d = (d + h) | 0;
  h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x2e1b2138 + w33) | 0; c = (c + g) | 0;
  g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x4d2c6dfc + w34) | 0; b = (b + f) | 0;
  f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x53380d13 + w35) | 0; a = (a + e) | 0;
  e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x650a7354 + w36) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x766a0abb + w37) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + (0x81c2c92e | 0) + w38) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + (0x92722c85 | 0) + w39) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + (0xa2bfe8a1 | 0) + w40) | 0; d = (d + h) | 0;
  h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + (0xa81a664b | 0) + w41) | 0; c = (c + g) | 0;
  g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + (0xc24b8b70 | 0) + w42) | 0; b = (b + f) | 0;
  f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + (0xc76c51a3 | 0) + w43) | 0; a = (a + e) | 0;
  e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + (0xd192e819 | 0) + w44) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + (0xd6990624 | 0) + w45) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + (0xf40e3585 | 0) + w46) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x106aa070 + w47) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x19a4c116 + w48) | 0; d = (d + h) | 0;
  h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x1e376c08 + w49) | 0; c = (c + g) | 0;
  g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x2748774c + w50) | 0; b = (b + f) | 0;
  f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x34b0bcb5 + w51) | 0; a = (a + e) | 0;
  e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x391c0cb3 + w52) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x4ed8aa4a + w53) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x5b9cca4f + w54) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x682e6ff3 + w55) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x748f82ee + w56) | 0; d = (d + h) | 0;
  h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x78a5636f + w57) | 0; c = (c + g) | 0;
  g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + (0x84c87814 | 0) + w58) | 0; b = (b + f) | 0;
  f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + (0x8cc70208 | 0) + w59) | 0; a = (a + e) | 0;
  e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + (0x90befffa | 0) + w60) | 0; h = (h + d) | 0;
  d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  if (early !== undefined && ((h + S7) | 0) !== early[7]) return false;
  c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + (0xa4506ceb | 0) + w61) | 0; g = (g + c) | 0;
  c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + (0xbef9a3f7 | 0) + w62) | 0; f = (f + b) | 0;
  b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + (0xc67178f2 | 0) + w63) | 0; e = (e + a) | 0;
  a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  out[0] = a + S0; out[1] = b + S1; out[2] = c + S2; out[3] = d + S3; out[4] = e + S4; out[5] = f + S5; out[6] = g + S6; out[7] = h + S7;
  return true;
}
