import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturesUnder, CORPUS, groundTruthMissing, IN_CI, tshark } from '../../support/environment.js';
import { collectFields, decode, infoOf, isakmpFrames, treeOf } from './helpers.js';
import { MESSAGES } from './messages.js';

function exercise(bytes: Uint8Array, snapped = false) {
  const r = decode(bytes, { snapped });
  collectFields(treeOf(r.layer));
  infoOf(r.layer);
  return r;
}

/** Real captured messages of each kind (Main Mode with SA, NAT-D, IKEv2 SA_INIT, SKF) when the corpus is here. */
function realMessages(): Uint8Array[] {
  if (groundTruthMissing({ tshark: true, corpus: true })) return [];
  const pick = (capture: string, frames: number[]) => isakmpFrames(path.join(CORPUS, capture)).filter((f) => frames.includes(f.frame)).map((f) => f.bytes);
  return [
    ...pick('zeek-spicy-ipsec/ipsec.cap', [1, 3, 5, 7]),
    ...pick('zeek-spicy-ipsec/ikev1-certs.pcap', [2, 4]),
    ...pick('ndpi/esp.pcapng', [1, 3]),
    ...pick('zeek-plugin-ikev2/ikev2.pcap', [1, 5]),
    ...pick('scapy/ikev2_notify_redirect.pcap', [2]),
  ];
}

describe('every prefix of a message', () => {
  const samples = [...Object.values(MESSAGES), ...realMessages()];
  it(`decodes without throwing; truncated when snapped, malformed otherwise (${samples.length} messages)`, () => {
    expect(samples.length).toBeGreaterThanOrEqual(IN_CI ? 17 : 7);
    for (const m of samples) {
      expect(exercise(m).layer.status).not.toBe('malformed');
      for (let n = 0; n < m.length; n++) {
        const cut = m.subarray(0, n);
        const snapped = exercise(cut, true);
        // A snapped message is only truncated: no error, whatever the cut (notes such as an unknown payload type stay).
        const errors = snapped.ids.filter((id) => id !== 'isakmp.payload_unknown');
        expect([n, snapped.layer.status, errors]).toEqual([n, 'truncated', []]);
        const whole = exercise(cut, false);
        expect([n, whole.layer.status]).toEqual([n, 'malformed']);
        expect(whole.ids.length).toBeGreaterThan(0);
      }
    }
  });
});

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('hostile mutations', () => {
  it('random byte, length and next-payload mutations never throw and stay bounded', () => {
    const rnd = prng(0x15a4b);
    for (const base of Object.values(MESSAGES)) {
      for (let i = 0; i < 1500; i++) {
        const m = Uint8Array.from(base);
        const edits = 1 + Math.floor(rnd() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rnd() * m.length);
          const kind = rnd();
          if (kind < 0.4) m[at] = Math.floor(rnd() * 256);
          else if (kind < 0.7) m[at] = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff][Math.floor(rnd() * 8)]!;
          else m[at] = [0, 1, 2, 3, 13, 15, 33, 41, 46, 53, 130, 255][Math.floor(rnd() * 12)]!;
        }
        const len = rnd() < 0.2 ? Math.floor(rnd() * m.length) : m.length;
        const r = exercise(m.subarray(0, len), rnd() < 0.5);
        expect(r.layer.payloads.length).toBeLessThanOrEqual(256);
        expect(r.notes.length).toBeLessThan(600);
      }
    }
  });
});

const missing = groundTruthMissing({ tshark: true, corpus: true });

/** Expected outcome for the malformed corpus: ids that must appear for a frame's ISAKMP bytes. */
const EXPECTED: Readonly<Record<string, { frame: number; ids: readonly string[] }>> = {
  'ipsec-ikev1-payload-bad-length.pcap': { frame: 1, ids: ['isakmp.payload_length_invalid'] },
  'ipsec-ikev1-zero-length.pcap': { frame: 1, ids: ['isakmp.length_invalid'] },
  'isakmp-pointer-loop.pcap': { frame: 1, ids: ['isakmp.length_invalid'] },
  'ikev2-id-short.pcap': { frame: 1, ids: ['isakmp.payload_length_invalid'] },
  'ike-scan-malformed-probe.pcap': { frame: 1, ids: ['isakmp.version_unknown'] },
  'isakmp-delete-segfault.pcap': { frame: 1, ids: ['isakmp.version_unknown'] },
  'isakmp-no-none-np.pcapng': { frame: 1, ids: ['isakmp.trailing_data'] },
  'isakmp-identification-segfault.pcap': { frame: 1, ids: ['isakmp.id_string_invalid'] },
};

describe.skipIf(missing !== undefined && !IN_CI)('the malformed corpus', () => {
  it('every UDP 500/4500 payload decodes without throwing, with the expected expert ids', () => {
    expect(missing).toBeUndefined();
    const seen = new Set<string>();
    for (const capture of capturesUnder(path.join(CORPUS, 'malformed'))) {
      const name = path.basename(capture);
      const out = tshark(capture, ['-T', 'fields', '-E', 'header=n', '-e', 'frame.number', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload', '-e', 'frame.len', '-e', 'frame.cap_len']);
      for (const line of out.split('\n')) {
        const [frame, sp, dp, payload, len, cap] = line.split('\t');
        if (!payload || !sp || !dp) continue;
        const ports = [sp, dp].flatMap((x) => x.split(','));
        if (!ports.includes('500') && !ports.includes('4500')) continue;
        let bytes = Uint8Array.from(Buffer.from(payload.split(',')[0]!, 'hex'));
        if (ports.includes('4500') && bytes.length >= 4 && bytes.subarray(0, 4).every((b) => b === 0)) bytes = bytes.subarray(4);
        const r = exercise(bytes, Number(cap) < Number(len));
        expect(['ok', 'truncated', 'malformed']).toContain(r.layer.status);
        const want = EXPECTED[name];
        if (want && want.frame === Number(frame)) {
          for (const id of want.ids) expect(r.ids, `${name}`).toContain(id);
          seen.add(name);
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});
