import { describe, expect, it } from 'vitest';
import { formatRange, parseCidr } from '../../src/recover/cidr.js';
import { createSearchPool, type SearchGroup } from '../../src/recover/natd-pool.js';
import { natdHash } from '../../src/analysis/natd-hash.js';

describe('CIDR parsing', () => {
  it.each([
    ['192.168.0.0/16', 0xc0a80000, 0xc0a8ffff, '192.168.0.0/16'],
    ['10.1.2.3/8', 0x0a000000, 0x0affffff, '10.0.0.0/8'],
    ['192.1.3.209', 0xc00103d1, 0xc00103d1, '192.1.3.209'],
    ['0.0.0.0/0', 0, 0xffffffff, '0.0.0.0/0'],
  ])('%s', (text, first, last, canonical) => {
    const r = parseCidr(text);
    expect(r).toEqual({ first, last });
    expect(formatRange(r!)).toBe(canonical);
  });

  it.each(['10.0.0.0/33', '256.0.0.1', '10.0.0', '10.0.0.0/8/8', 'x', '10.0.0.0/'])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('parallel search', () => {
  const spiI = Buffer.from('0102030405060708', 'hex');
  const spiR = Buffer.alloc(8);
  /** No deadline: the outcome must not depend on how fast the machine is (a hang fails the test's timeout). */
  const NO_DEADLINE = Number.POSITIVE_INFINITY;
  const u32 = (a: string): number => a.split('.').reduce((v, o) => v * 256 + Number(o), 0);

  it('tries every candidate exactly once across chunks and groups when nothing matches', async () => {
    const pool = await createSearchPool(2);
    try {
      const groups: SearchGroup[] = [
        { label: 'a', ranges: [{ first: u32('10.0.0.0'), last: u32('10.0.3.255') }, { first: u32('10.9.0.0'), last: u32('10.9.0.9') }], ports: [500, 4500, 1] },
        { label: 'b', ranges: [{ first: u32('192.0.2.1'), last: u32('192.0.2.2') }], ports: 'all' },
      ];
      const out = await pool.search({ algorithm: 'sha1', spiI, spiR, target: Buffer.alloc(20), groups }, NO_DEADLINE);
      expect(out.stoppedBy).toBe('exhausted');
      expect(out.groups).toEqual([
        { label: 'a', hashes: 1034 * 3, total: 1034 * 3 },
        { label: 'b', hashes: 2 * 65_536, total: 2 * 65_536 },
      ]);
    } finally {
      await pool.close();
    }
  });

  it('finds a candidate in the last chunk of a later group, with MD5', async () => {
    const pool = await createSearchPool(2);
    try {
      const target = natdHash('md5', spiI, spiR, Buffer.from([172, 31, 255, 254]), 65_000);
      const groups: SearchGroup[] = [
        { label: 'first', ranges: [{ first: u32('10.0.0.0'), last: u32('10.0.255.255') }], ports: [500] },
        { label: 'second', ranges: [{ first: u32('172.31.255.254'), last: u32('172.31.255.254') }], ports: 'all' },
      ];
      const out = await pool.search({ algorithm: 'md5', spiI, spiR, target, groups }, NO_DEADLINE);
      expect(out.found).toEqual({ address: '172.31.255.254', port: 65_000 });
      expect(out.stoppedBy).toBe('found');
    } finally {
      await pool.close();
    }
  });
});
