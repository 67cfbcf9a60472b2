import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/decode/cursor.js';
import type { NatDBody, NotifyBody } from '../../../src/decode/isakmp/index.js';
import { CORPUS, groundTruthMissing, IN_CI } from '../../support/environment.js';
import { decode, isakmpFrames } from './helpers.js';
import { MESSAGES } from './messages.js';

/** NATT-REFERENCE.md §2.5: HASH(CKY-I | CKY-R | IP | port), all in network order. */
function natd(alg: 'sha1' | 'md5', ispi: string, rspi: string, ip: string, port: number): string {
  const addr = Buffer.from(ip.split('.').map(Number));
  const p = Buffer.from([port >> 8, port & 0xff]);
  return createHash(alg).update(Buffer.from(ispi + rspi, 'hex')).update(addr).update(p).digest('hex');
}

const V2_VECTORS = [
  // IKE_SA_INIT request: SPIr is zero in the hash.
  { ispi: 'ea684d21597afd36', rspi: '0000000000000000', ip: '192.168.1.2', kind: 16388, hash: '949c9db5739d75a974a49c184618369b34b7f942' },
  { ispi: 'ea684d21597afd36', rspi: '0000000000000000', ip: '192.168.1.14', kind: 16389, hash: '3e721b46be07d53111425d7f80d2c6e220c6072e' },
];

/** Frames of the corpus and the NAT-D hashes §2.5 says they carry. */
const CORPUS_VECTORS = [
  { capture: 'zeek-spicy-ipsec/ipsec.cap', frame: 5, alg: 'sha1', ispi: 'c6d1459285150c7e', rspi: '6e961f01bf179b35', hashes: [['192.168.140.200', '7048b170a54fa1c16582dce008d059de9295d7d3'], ['192.168.140.205', 'c9e46dddfcc29d4ef72ba4da66d4720687e469e5']] },
  { capture: 'suricata-verify/ikev1-isakmp-main-mode.pcap', frame: 3, alg: 'sha1', ispi: 'e47a591fd057587f', rspi: 'a00b8ef0902bb8ec', hashes: [['192.168.12.2', '1574d64c0165bad16a023f038d45a07498d8d051'], ['192.168.12.1', 'febf462f1cd75805a7baa28747e769d674f85600']] },
  { capture: 'tcpdump/isakmp4500.pcap', frame: 5, alg: 'md5', ispi: '9e89f2388f90bc1e', rspi: '0a74357ce3d1a4bf', hashes: [['192.1.2.23', '6efe12f04af90dfbcfb15d71b841bb9e'], ['192.1.3.209', '44f517e03fb381f80f842d1538ccffac']] },
] as const;

describe('NAT-D test vectors (NATT-REFERENCE.md §2.5)', () => {
  it('IKEv2 NAT_DETECTION notifies decode to the vector hashes, which recompute from SPIs, address and port', () => {
    const { layer } = decode(MESSAGES.v2Init);
    const notifies = layer.payloads.map((p) => p.body).filter((b): b is NotifyBody => b?.kind === 'notify' && (b.notifyType === 16388 || b.notifyType === 16389));
    expect(notifies.map((n) => [n.notifyType, toHex(n.data)])).toEqual(V2_VECTORS.map((v) => [v.kind, v.hash]));
    expect(toHex(layer.header!.ispi)).toBe('ea684d21597afd36');
    for (const v of V2_VECTORS) expect(natd('sha1', v.ispi, v.rspi, v.ip, 500)).toBe(v.hash);
  });

  it('IKEv1 NAT-D payloads (20 and 130) carry the hash bytes unchanged', () => {
    const { layer } = decode(MESSAGES.v1Quick);
    const hashes = layer.payloads.map((p) => p.body).filter((b): b is NatDBody => b?.kind === 'nat_d').map((b) => toHex(b.hash));
    expect(hashes).toEqual(CORPUS_VECTORS[0].hashes.map(([, h]) => h));
  });

  for (const v of CORPUS_VECTORS) {
    it(`the vectors recompute: ${v.capture} frame ${v.frame}`, () => {
      for (const [ip, hash] of v.hashes) expect(natd(v.alg, v.ispi, v.rspi, ip, 500)).toBe(hash);
    });
  }

  const missing = groundTruthMissing({ tshark: true, corpus: true });
  describe.skipIf(missing !== undefined && !IN_CI)('in the corpus captures', () => {
    for (const v of CORPUS_VECTORS) {
      it(`${v.capture} frame ${v.frame}: decoded NAT-D hashes are the vectors`, () => {
        expect(missing).toBeUndefined();
        const f = isakmpFrames(path.join(CORPUS, v.capture)).find((x) => x.frame === v.frame)!;
        const { layer } = decode(f.bytes);
        expect(toHex(layer.header!.ispi)).toBe(v.ispi);
        expect(toHex(layer.header!.rspi)).toBe(v.rspi);
        const hashes = layer.payloads.map((p) => p.body).filter((b): b is NatDBody => b?.kind === 'nat_d').map((b) => toHex(b.hash));
        expect(hashes).toEqual(v.hashes.map(([, h]) => h));
      });
    }
  });
});
