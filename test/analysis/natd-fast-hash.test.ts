import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Ipv4NatdHasher,
  NATD_DIGEST_BYTES,
  NodeIpv4NatdHasher,
  ipv4NatdHasher,
  singleBlockDigest,
  type FastNatdAlgorithm,
  type NatdHashAlgorithm,
} from '../../src/analysis/fast-hash.js';
import { checkNatd } from '../../src/analysis/nat-detection.js';
import type { NatdFact } from '../../src/analysis/facts.js';
import { NATD_VECTORS } from '../support/natd-vectors.js';

/**
 * The single-block NAT-D hashers of fast-hash.ts (SHA-256 added to SHA-1 and MD5; SHA-384/512
 * through node:crypto behind the same interface) against known answers and against node:crypto
 * on random inputs of the NAT-D input lengths: 22 bytes (IPv4) and 34 bytes (IPv6).
 */

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const u32 = (dotted: string): number => dotted.split('.').reduce((v, o) => v * 256 + Number(o), 0);
const ALL: readonly NatdHashAlgorithm[] = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'];
const FAST: readonly FastNatdAlgorithm[] = ['md5', 'sha1', 'sha256'];

/** The NAT-D input: SPIi | SPIr | address (4 or 16 bytes) | port, big-endian. */
function natdInput(spiI: Uint8Array, spiR: Uint8Array, address: Uint8Array, port: number): Buffer {
  return Buffer.concat([spiI, spiR, address, Buffer.from([port >> 8, port & 0xff])]);
}
const v4 = (a: number): Buffer => Buffer.from([a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff]);
const nodeHash = (alg: string, data: Uint8Array): Buffer => createHash(alg).update(data).digest();

/**
 * Known answers recomputed with Python's hashlib (`hashlib.new(alg, spiI + spiR +
 * socket.inet_pton(family, address) + struct.pack('>H', port)).hexdigest()`), on the SPIs of the
 * ../shared/NATT-REFERENCE.md §2.5 captures.
 */
const KNOWN_ANSWERS = [
  ['sha256', 'ea684d21597afd36', '0000000000000000', '192.168.1.2', 500, '602f16ae6f701106c2675faf419624dfe72893a3dba2c327664408c74ee57443'],
  ['sha256', '9e89f2388f90bc1e', '0a74357ce3d1a4bf', '192.1.3.209', 500, 'eba28feb7bbc4bb93fa89d4365344a071c881f0c8428ba87f0ff9e2d10ec0ed3'],
  ['sha384', '9e89f2388f90bc1e', '0a74357ce3d1a4bf', '192.1.3.209', 4500, 'ff63bba1c547fb3454b0e23b7642a7c7d50f005413919ad5dda688cb64e5bb2485d91b14b0454e3ab285ab23d515b834'],
  ['sha512', '9e89f2388f90bc1e', '0a74357ce3d1a4bf', '192.1.3.209', 4500, 'b23db936badabbe8c98d9d2251a66662a90ada17d47a51f88030967a5614d544c7f0977ae961f466094eedc707f5f7044048b3a3aeb526461d1616f6ab174081'],
] as const;
const KNOWN_ANSWERS_V6 = [
  ['sha1', 'ea684d21597afd36', 'd9fe2ab22dac23ac', '20010db8000100000000000000000002', 500, 'cf723239c7b78d0be9743c8b83694fd77b72348a'],
  ['md5', '9e89f2388f90bc1e', '0a74357ce3d1a4bf', '20010db8000100000000000000000002', 4500, 'fabc084114a02a2395a96802bd2d25f0'],
  ['sha256', 'ea684d21597afd36', 'd9fe2ab22dac23ac', '20010db8000200000000000000000002', 4500, '95fa8c822271ead94a15558cff582b56c537ae58814c6b15a99675e68c3c4ba6'],
] as const;

const spi = fc.uint8Array({ minLength: 8, maxLength: 8 });
const address = fc.oneof(fc.constantFrom(0, 0xffffffff, 0x7fffffff, 0x80000000), fc.integer({ min: 0, max: 0xffffffff }));
const port = fc.oneof(fc.constantFrom(0, 500, 4500, 65535, 255, 256), fc.integer({ min: 0, max: 65535 }));

describe('known answers', () => {
  it.each(KNOWN_ANSWERS)('%s(%s|%s|%s|%d) through the search hasher', (alg, spiI, spiR, addr, p, expected) => {
    const hasher = ipv4NatdHasher(alg, hex(spiI), hex(spiR));
    expect(hasher.algorithm).toBe(alg);
    expect(Buffer.from(hasher.digest(u32(addr), p)).toString('hex')).toBe(expected);
    expect(hasher.matches(u32(addr), p, hex(expected))).toBe(true);
    expect(hasher.matches(u32(addr), p ^ 1, hex(expected))).toBe(false);
    expect(hasher.matches(u32(addr) ^ 0x100, p, hex(expected))).toBe(false);
  });

  it.each(NATD_VECTORS)('%s(%s|%s|%s|%d) §2.5 vector through singleBlockDigest', (alg, spiI, spiR, addr, p, expected) => {
    expect(Buffer.from(singleBlockDigest(alg, natdInput(hex(spiI), hex(spiR), v4(u32(addr)), p))).toString('hex')).toBe(expected);
  });

  it.each(KNOWN_ANSWERS_V6)('%s(%s|%s|[%s]|%d) over an IPv6 address (34-byte input)', (alg, spiI, spiR, addr, p, expected) => {
    expect(Buffer.from(singleBlockDigest(alg, natdInput(hex(spiI), hex(spiR), hex(addr), p))).toString('hex')).toBe(expected);
  });

  it('SHA-256 of the empty message and of a 55-byte one (the edges of one block)', () => {
    expect(Buffer.from(singleBlockDigest('sha256', new Uint8Array(0))).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const m = new Uint8Array(55).fill(0x61);
    expect(Buffer.from(singleBlockDigest('sha256', m)).equals(nodeHash('sha256', m))).toBe(true);
    expect(() => singleBlockDigest('sha256', new Uint8Array(56))).toThrow(RangeError);
  });
});

describe('against node:crypto on random inputs', () => {
  it.each(ALL)('%s: the IPv4 search hasher (22-byte input), digest and matches', (alg) => {
    fc.assert(
      fc.property(spi, spi, address, port, (spiI, spiR, a, p) => {
        const expected = nodeHash(alg, natdInput(spiI, spiR, v4(a), p));
        const hasher = ipv4NatdHasher(alg, spiI, spiR);
        expect(Buffer.from(hasher.digest(a, p)).equals(expected)).toBe(true);
        expect(hasher.matches(a, p, expected)).toBe(true);
        expect(hasher.matches((a ^ 1) >>> 0, p, expected)).toBe(false);
        expect(hasher.matches(a, p ^ 0x100, expected)).toBe(false);
      }),
      { numRuns: alg === 'sha384' || alg === 'sha512' ? 500 : 3000 },
    );
  });

  it.each(FAST)('%s: singleBlockDigest on IPv4 (22 bytes) and IPv6 (34 bytes) NAT-D inputs', (alg) => {
    fc.assert(
      fc.property(spi, spi, fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 })), port, (spiI, spiR, addr, p) => {
        const input = natdInput(spiI, spiR, addr, p);
        expect(Buffer.from(singleBlockDigest(alg, input)).equals(nodeHash(alg, input))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(FAST)('%s: singleBlockDigest on every length that fits one block', (alg) => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 55 }), (m) => {
        expect(Buffer.from(singleBlockDigest(alg, m)).equals(nodeHash(alg, m))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('sha256 rejects a target that differs in any one byte (early exit after round 60 and the full compare)', () => {
    const spiI = hex('0102030405060708'), spiR = hex('a0b0c0d0e0f00011');
    const hasher = new Ipv4NatdHasher('sha256', spiI, spiR);
    const a = u32('10.1.2.3');
    const real = nodeHash('sha256', natdInput(spiI, spiR, v4(a), 4500));
    for (let i = 0; i < real.length; i++) {
      const bad = Buffer.from(real);
      bad[i]! ^= 0x01;
      expect(hasher.matches(a, 4500, bad)).toBe(false);
      expect(hasher.matches(a, 4500, real)).toBe(true);
    }
    expect(hasher.matches(a, 4500, real.subarray(0, 31))).toBe(false);
  });
});

describe('hasher choice', () => {
  it('single-block JS for MD5, SHA-1 and SHA-256; node:crypto for SHA-384/512', () => {
    for (const alg of ALL) {
      const h = ipv4NatdHasher(alg, new Uint8Array(8), new Uint8Array(8));
      expect(h).toBeInstanceOf(alg === 'sha384' || alg === 'sha512' ? NodeIpv4NatdHasher : Ipv4NatdHasher);
      expect(h.digestLength).toBe(NATD_DIGEST_BYTES[alg]);
    }
    expect(() => new Ipv4NatdHasher('sha512' as FastNatdAlgorithm, new Uint8Array(8), new Uint8Array(8))).toThrow(RangeError);
    expect(() => new NodeIpv4NatdHasher('sha512', new Uint8Array(4), new Uint8Array(8))).toThrow(RangeError);
  });

  it('checkNatd verifies an IPv6 NAT-D (single-block path) and a SHA-256 IKEv1 one', () => {
    const ispi = hex('ea684d21597afd36'), rspi = hex('d9fe2ab22dac23ac');
    const src = hex('20010db8000100000000000000000002'), dst = hex('20010db8000200000000000000000002');
    const fact = (kind: 'v1' | 'v2-source' | 'v2-destination', hash: Uint8Array): NatdFact => ({ kind, hash });
    const v6 = checkNatd({
      frame: 1, fromInitiator: false, ikeVersion: 2, ispi, rspi, srcAddr: src, srcPort: 500, dstAddr: dst, dstPort: 4500,
      natd: [fact('v2-source', nodeHash('sha1', natdInput(ispi, rspi, src, 500))), fact('v2-destination', hex('cf723239c7b78d0be9743c8b83694fd77b72348a'))],
    });
    expect(v6).toMatchObject({ srcOk: true, dstOk: false, srcPortZero: false, dstPortZero: false });
    const s4 = v4(u32('10.0.0.1')), d4 = v4(u32('192.0.2.9'));
    const v1 = checkNatd({
      frame: 2, fromInitiator: true, ikeVersion: 1, ispi, rspi, srcAddr: s4, srcPort: 500, dstAddr: d4, dstPort: 500, negotiatedHash: 4,
      natd: [fact('v1', nodeHash('sha256', natdInput(ispi, rspi, d4, 500))), fact('v1', nodeHash('sha256', natdInput(ispi, rspi, s4, 0)))],
    });
    expect(v1).toMatchObject({ algorithm: 'sha256', dstOk: true, srcOk: false, srcPortZero: true });
  });
});
