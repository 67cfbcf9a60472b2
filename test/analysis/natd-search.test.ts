import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ipv4NatdHasher, type FastNatdAlgorithm } from '../../src/analysis/fast-hash.js';
import { natdHash } from '../../src/analysis/natd-hash.js';
import {
  ALL_PRIVATE_RANGES,
  defaultPrivateCandidates,
  MAX_OBSERVED_CANDIDATES,
  countCandidates,
  searchNatdSource,
  type AddressRange,
  type NatdSearchAlgorithm,
} from '../../src/analysis/natd-search.js';
import { NATD_VECTORS as VECTORS } from '../support/natd-vectors.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const u32 = (dotted: string): number => dotted.split('.').reduce((v, o) => v * 256 + Number(o), 0);
const bytesOf = (a: number): Buffer => Buffer.from([a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff]);
const hashOf = (alg: string, spiI: Uint8Array, spiR: Uint8Array, a: number, port: number): Buffer =>
  natdHash(alg, spiI, spiR, bytesOf(a), port);


const ALGORITHMS: readonly FastNatdAlgorithm[] = ['md5', 'sha1'];
const spi = fc.uint8Array({ minLength: 8, maxLength: 8 });
const address = fc.oneof(fc.constantFrom(0, 0xffffffff, 0x7fffffff, 0x80000000), fc.integer({ min: 0, max: 0xffffffff }));
const port = fc.oneof(fc.constantFrom(0, 500, 4500, 65535, 255, 256), fc.integer({ min: 0, max: 65535 }));

describe('Ipv4NatdHasher (fast single-block SHA-1 / MD5)', () => {
  it.each(VECTORS)('%s(%s|%s|%s|%d) matches the §2.5 vector', (alg, spiI, spiR, addr, p, expected) => {
    const hasher = new Ipv4NatdHasher(alg, hex(spiI), hex(spiR));
    expect(Buffer.from(hasher.digest(u32(addr), p)).toString('hex')).toBe(expected);
    expect(hasher.matches(u32(addr), p, hex(expected))).toBe(true);
    expect(hasher.matches(u32(addr), p ^ 1, hex(expected))).toBe(false);
  });

  it.each(ALGORITHMS)('%s agrees with node:crypto on random SPIs, addresses and ports', (alg) => {
    fc.assert(
      fc.property(spi, spi, address, port, (spiI, spiR, a, p) => {
        const expected = hashOf(alg, spiI, spiR, a, p);
        const hasher = new Ipv4NatdHasher(alg, spiI, spiR);
        expect(Buffer.from(hasher.digest(a, p)).equals(expected)).toBe(true);
        expect(hasher.matches(a, p, expected)).toBe(true);
        expect(hasher.matches((a ^ 1) >>> 0, p, expected)).toBe(false);
        expect(hasher.matches(a, p ^ 0x100, expected)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it.each(ALGORITHMS)('%s rejects a target that differs in any one byte (early exit and full compare)', (alg) => {
    const spiI = hex('0102030405060708'), spiR = hex('a0b0c0d0e0f00011');
    const hasher = new Ipv4NatdHasher(alg, spiI, spiR);
    const a = u32('10.1.2.3');
    const real = hashOf(alg, spiI, spiR, a, 4500);
    for (let i = 0; i < real.length; i++) {
      const bad = Buffer.from(real);
      bad[i]! ^= 0x80;
      expect(hasher.matches(a, 4500, bad)).toBe(false);
      expect(hasher.matches(a, 4500, real)).toBe(true); // the target cache follows the argument
    }
    expect(hasher.matches(a, 4500, real.subarray(0, real.length - 1))).toBe(false);
  });

  it('writes into a caller-provided buffer', () => {
    const hasher = new Ipv4NatdHasher('sha1', hex('ea684d21597afd36'), hex('0000000000000000'));
    const out = new Uint8Array(20);
    expect(hasher.digest(u32('192.168.1.2'), 500, out)).toBe(out);
    expect(Buffer.from(out).toString('hex')).toBe('949c9db5739d75a974a49c184618369b34b7f942');
  });

  it('refuses SPIs that are not 8 bytes', () => {
    expect(() => new Ipv4NatdHasher('md5', new Uint8Array(7), new Uint8Array(8))).toThrow(RangeError);
  });
});

describe('candidate lists', () => {
  it('defaultPrivateCandidates: observed /32s first (deduplicated), then the common ranges in order', () => {
    const observed = [u32('192.1.2.254'), u32('10.0.0.1'), u32('192.1.2.254'), -1, 2 ** 32, 1.5];
    const list = defaultPrivateCandidates(observed);
    expect(list.slice(0, 2)).toEqual([
      { first: u32('192.1.2.254'), last: u32('192.1.2.254') },
      { first: u32('10.0.0.1'), last: u32('10.0.0.1') },
    ]);
    const common = list.slice(2);
    expect(countCandidates(common, 1)).toBe(1_506_304);
    expect(common[0]).toEqual({ first: u32('192.168.0.0'), last: u32('192.168.255.255') });
    expect(common[1]).toEqual({ first: u32('10.0.0.0'), last: u32('10.0.255.255') });
    expect(common[2]).toEqual({ first: u32('172.16.0.0'), last: u32('172.16.255.255') });
    expect(common[3]).toEqual({ first: u32('10.1.0.0'), last: u32('10.1.3.255') });
    expect(common[257]).toEqual({ first: u32('10.255.0.0'), last: u32('10.255.3.255') });
    expect(common[258]).toEqual({ first: u32('100.64.0.0'), last: u32('100.64.255.255') });
    expect(common.at(-1)).toEqual({ first: u32('172.17.0.0'), last: u32('172.31.255.255') });
    expect(common).toHaveLength(260);
    const sorted = [...common].sort((x, y) => x.first - y.first);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.first).toBeGreaterThan(sorted[i - 1]!.last);
  });

  it('defaultPrivateCandidates caps the observed addresses', () => {
    const many = Array.from({ length: 5000 }, (_, i) => u32('198.18.0.0') + i);
    expect(defaultPrivateCandidates(many)).toHaveLength(MAX_OBSERVED_CANDIDATES + 260);
  });

  it('ALL_PRIVATE_RANGES covers 192.168/16, 172.16/12, 10/8 and 100.64/10', () => {
    expect(countCandidates(ALL_PRIVATE_RANGES, 1)).toBe(65_536 + 1_048_576 + 16_777_216 + 4_194_304);
    expect(ALL_PRIVATE_RANGES.at(-1)).toEqual({ first: u32('100.64.0.0'), last: u32('100.127.255.255') });
  });
});

describe('searchNatdSource', () => {
  const spiI = hex('9e89f2388f90bc1e'), spiR = hex('0a74357ce3d1a4bf');
  const ports = [500, 4500] as const;
  const observed = [u32('192.1.2.254'), u32('198.51.100.7')];
  const candidates = defaultPrivateCandidates(observed);
  const search = (algorithm: NatdSearchAlgorithm, target: Uint8Array, list: readonly AddressRange[] = candidates, maxHashes?: number) =>
    searchNatdSource({ algorithm, spiI, spiR, target, ports, candidates: list, ...(maxHashes !== undefined ? { maxHashes } : {}) });

  it('recovers 192.1.3.209:500 from the tcpdump isakmp4500.pcap source NAT-D (§2.4, §2.5)', () => {
    const r = searchNatdSource({
      algorithm: 'md5', spiI, spiR, target: hex('44f517e03fb381f80f842d1538ccffac'), ports: [500],
      candidates: [{ first: u32('192.1.3.0'), last: u32('192.1.3.255') }],
    });
    expect(r.found).toEqual({ address: '192.1.3.209', port: 500 });
    expect(r.tried).toBe(210);
    expect(r.exhausted).toBe(false);
  });

  it.each([
    ['md5', '198.51.100.7', 4500, 2 * 1 + 2], // an observed address, second in the list
    ['sha1', '192.168.0.1', 500, 2 * (2 + 1) + 1], // first common range
    ['md5', '192.168.17.200', 4500, undefined],
    ['sha1', '10.77.2.9', 4500, undefined], // the 10.x.0.0–10.x.3.255 blocks
    ['md5', '10.255.3.255', 500, undefined], // the last 10.x block, its last address
    ['sha1', '100.64.12.34', 500, undefined],
    ['md5', '172.31.255.254', 4500, undefined], // last range
  ] as const)('%s: finds a planted %s:%d', (alg, addr, p, expectedTried) => {
    const r = search(alg, hashOf(alg, spiI, spiR, u32(addr), p));
    expect(r.found).toEqual({ address: addr, port: p });
    if (expectedTried !== undefined) expect(r.tried).toBe(expectedTried);
    expect(r.exhausted).toBe(false);
  });

  it.each(['sha256', 'sha384', 'sha512'] as const)('%s (single-block JS for SHA-256, node:crypto for SHA-384/512)', (alg) => {
    const list = [{ first: u32('192.168.1.0'), last: u32('192.168.1.255') }];
    const r = search(alg, hashOf(alg, spiI, spiR, u32('192.168.1.77'), 4500), list);
    expect(r.found).toEqual({ address: '192.168.1.77', port: 4500 });
    expect(r.tried).toBe(2 * 77 + 2);
  });

  it.each(ALGORITHMS)('%s: a port-0 fake over a public address is not found after trying every candidate', (alg) => {
    const publicAddress = fc.sample(fc.integer({ min: u32('11.0.0.0'), max: u32('99.255.255.255') }), 1)[0]!;
    const list = defaultPrivateCandidates([...observed, publicAddress]);
    const r = search(alg, hashOf(alg, spiI, spiR, publicAddress, 0), list);
    expect(r.found).toBeUndefined();
    expect(r.tried).toBe(countCandidates(list, ports.length));
    expect(r.exhausted).toBe(true);
  });

  it('stops after exactly maxHashes hashes, on any machine', () => {
    for (const maxHashes of [0, 1, 2, 3, 1001]) {
      const r = search('sha1', new Uint8Array(20), ALL_PRIVATE_RANGES, maxHashes);
      expect(r).toEqual({ tried: maxHashes, exhausted: false });
    }
    // A planted match beyond the budget is not found; within it, it is.
    const target = hashOf('md5', spiI, spiR, u32('192.168.0.9'), 4500);
    expect(search('md5', target, ALL_PRIVATE_RANGES, 19).found).toBeUndefined();
    expect(search('md5', target, ALL_PRIVATE_RANGES, 20)).toEqual({ found: { address: '192.168.0.9', port: 4500 }, tried: 20, exhausted: false });
  });

  it('polls shouldStop (natd-recover\'s clock) between addresses, and only there', () => {
    let polls = 0;
    const r = searchNatdSource({ algorithm: 'sha1', spiI, spiR, target: new Uint8Array(20), ports, candidates: ALL_PRIVATE_RANGES, shouldStop: () => ++polls >= 3 });
    expect(polls).toBe(3);
    expect(r.exhausted).toBe(false);
    expect(r.tried % ports.length).toBe(0);
    expect(r.tried).toBeGreaterThanOrEqual(3 * 65_536);
  });

  it('refuses input that no candidate could match', () => {
    expect(() => search('sha1', new Uint8Array(16))).toThrow(RangeError);
    expect(() => searchNatdSource({ algorithm: 'md5', spiI, spiR, target: new Uint8Array(16), ports: [70_000], candidates })).toThrow(RangeError);
    expect(() => search('md5', new Uint8Array(16), candidates, -1)).toThrow(RangeError);
    expect(() => search('md5', new Uint8Array(16), [{ first: 5, last: 4 }])).toThrow(RangeError);
  });

  it('finds nothing and tries nothing without ports or candidates', () => {
    expect(searchNatdSource({ algorithm: 'md5', spiI, spiR, target: new Uint8Array(16), ports: [], candidates }))
      .toMatchObject({ tried: 0, exhausted: true });
    expect(search('md5', new Uint8Array(16), [])).toMatchObject({ tried: 0, exhausted: true });
  });
});
