import { describe, expect, it } from 'vitest';
import { natdHash } from '../../src/analysis/natd-hash.js';
import { NATD_VECTORS as VECTORS } from '../support/natd-vectors.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const ip = (s: string): Buffer => Buffer.from(s.split('.').map(Number));


describe('NAT-D hash (RFC 3947 §3.2, RFC 7296 §2.23)', () => {
  it.each(VECTORS)('%s(%s|%s|%s|%d)', (alg, spiI, spiR, addr, port, expected) => {
    expect(natdHash(alg, hex(spiI), hex(spiR), ip(addr), port).toString('hex')).toBe(expected);
  });

  it('depends on the port', () => {
    const [alg, spiI, spiR, addr, , expected] = VECTORS[0];
    expect(natdHash(alg, hex(spiI), hex(spiR), ip(addr), 4500).toString('hex')).not.toBe(expected);
  });
});
