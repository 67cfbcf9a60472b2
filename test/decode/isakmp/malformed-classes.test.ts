import { describe, expect, it } from 'vitest';
import { deleteSpis, type PayloadBody } from '../../../src/decode/isakmp/index.js';
import { bytesOf, collectFields, decode, treeOf } from './helpers.js';
import { message, MESSAGES } from './messages.js';

/**
 * NATT-REFERENCE.md §7: one crafted input per malformed-input class (1–9, 11–13), each proving
 * that decoding terminates, keeps what came before the problem, and names it with an expert id.
 */
const v1 = (first: number, ...payloads: string[]) => message({ version: 1, exchange: 2, first, payloads });
const v2 = (first: number, ...payloads: string[]) => message({ version: 2, exchange: 34, first, payloads });
const vid13 = (next: string) => `${next} 00 00 08   de ad be ef`; // VID with 4 bytes

function check(bytes: Uint8Array) {
  const r = decode(bytes);
  expect(() => collectFields(treeOf(r.layer))).not.toThrow();
  return r;
}

describe('§7 malformed-input classes', () => {
  it('1: payload length < 4 (0 and 3) stops the chain: no loop, earlier payloads kept', () => {
    for (const len of ['00', '03']) {
      const r = check(v1(13, vid13('0d'), `0d 00 00 ${len}   ff ff ff ff ff ff ff ff`));
      expect(r.layer.payloads.map((p) => [p.type, p.length, p.body?.kind])).toEqual([[13, 8, 'vid'], [13, Number(`0x${len}`), undefined]]);
      expect(r.ids).toEqual(['isakmp.payload_length_invalid']);
      expect(r.layer.status).toBe('malformed');
      expect(r.layer.payloads[1]!.status).toBe('malformed');
    }
  });

  it('2: payload length past the message, header length < 28, > data, ≠ data', () => {
    const over = check(v1(13, `00 00 00 40   de ad be ef`));
    expect(over.ids).toEqual(['isakmp.payload_too_long']);
    expect(over.layer.payloads[0]!.status).toBe('malformed');
    expect((over.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'vid' }>).data.length).toBe(4);

    const m = v1(13, vid13('00'));
    const view = new DataView(m.buffer);
    view.setUint32(24, 20);
    const short = check(m);
    expect(short.ids[0]).toBe('isakmp.length_invalid');
    expect(short.layer.payloads).toHaveLength(1);

    view.setUint32(24, 400);
    const long = check(m);
    expect(long.ids).toEqual(['isakmp.length_mismatch']);
    expect(long.layer.status).toBe('malformed');
    expect(long.layer.payloads[0]!.body?.kind).toBe('vid');
    const snapped = decode(m, { snapped: true });
    expect(snapped.ids).toEqual([]);
    expect(snapped.layer.status).toBe('truncated');

    view.setUint32(24, 36);
    const trailing = check(Uint8Array.from([...m, 1, 2, 3]));
    expect(trailing.ids).toEqual(['isakmp.trailing_data']);
    expect(trailing.layer.length).toBe(36);
  });

  it('3: sub-length underflow (ID of 5 bytes, proposal and transform overruns, TLV attribute past the end)', () => {
    const id = check(v2(35, `00 00 00 05   01 de ad be ef de ad be ef`));
    expect(id.ids).toEqual(['isakmp.payload_length_invalid']);
    expect(id.layer.payloads[0]!.body).toBeUndefined();
    expect(id.layer.extra?.data.length).toBe(9); // everything after the generic header

    const prop = check(v2(33, `00 00 00 10   00 00 00 40   01 01 00 01   00 00`));
    expect(prop.ids).toContain('isakmp.payload_too_long');
    const transform = check(v2(33, `00 00 00 14   00 00 00 10   01 01 00 01   00 00 00 30 01 00 00 0c`));
    expect(transform.ids).toContain('isakmp.payload_too_long');
    // Two transforms announced, the first claims 0xffff bytes: the overrun is reported at the
    // transform, and no count mismatch 65 535 bytes further on (fuzz finding).
    const overrun = v2(33, `00 00 00 18   00 00 00 14   01 01 00 02   03 00 ff ff 01 00 00 0c   00 00 00 08`);
    const o = check(overrun);
    expect(o.ids).toEqual(['isakmp.payload_too_long']);
    expect(o.notes.map((n) => n.detail?.offset)).toEqual([28 + 4 + 8]);
    // A count that does not fit is reported at the proposal's count field, inside the message.
    const count = check(v2(33, `00 00 00 14   00 00 00 10   01 01 00 03   03 00 00 08 01 00 00 0c`));
    expect(count.ids).toEqual(['isakmp.transform_count_mismatch']);
    expect(count.notes[0]!.detail?.offset).toBe(28 + 4 + 7);
    const attr = check(v2(33, `00 00 00 18   00 00 00 14   01 01 00 01   00 00 00 0c 01 00 00 0c   00 0e 7f ff`));
    expect(attr.ids).toEqual(['isakmp.attribute_length_invalid']);
    const sa = attr.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'sa' }>;
    expect(sa.proposals[0]!.transforms[0]!.attributes[0]).toMatchObject({ type: 14, tv: false, length: 0x7fff, status: 'malformed' });
  });

  it('4: SPI count × size beyond the payload; SPI sizes outside 0/4/8/16', () => {
    const del = check(v2(42, `00 00 00 10   03 04 ff ff   01 02 03 04 05 06 07 08`));
    expect(del.ids).toEqual(['isakmp.spi_overrun']);
    const body = del.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'delete' }>;
    expect(body.spiCount).toBe(0xffff);
    expect(deleteSpis(body)).toHaveLength(2); // only whole SPIs that are present
    expect(collectFields(treeOf(del.layer)).get('isakmp.delete.spi')).toEqual(['01020304', '05060708']);

    const size = check(v2(41, `00 00 00 0d   03 05 40 09   01 02 03 04 05`));
    expect(size.ids).toEqual(['isakmp.spi_size_invalid']);
    const notify = check(v2(41, `00 00 00 0c   03 10 40 09   01 02 03 04`));
    expect(notify.ids).toEqual(['isakmp.spi_overrun']);
    const v1del = check(v1(12, `00 00 00 10   00 00 00 01   03 04 00 03   01 02 03 04`));
    expect(v1del.ids).toEqual(['isakmp.spi_overrun']);
  });

  it('5: a chain without NONE is capped at 256 payloads; an announced payload that is missing is reported', () => {
    const loop = check(v1(13, ...Array.from({ length: 300 }, () => vid13('0d'))));
    expect(loop.layer.payloads).toHaveLength(256);
    expect(loop.ids).toEqual(['isakmp.chain_too_long']);
    const missing = check(v1(13, vid13('0d')));
    expect(missing.ids).toEqual(['isakmp.next_payload_missing']);
  });

  it('6: notify data or an SK body that looks like ISAKMP is never decoded as ISAKMP', () => {
    const inner = Buffer.from(MESSAGES.v1MainMode1).toString('hex');
    const r = check(v1(11, `00 00 ${(12 + MESSAGES.v1MainMode1.length).toString(16).padStart(4, '0')}   00 00 00 01   01 00 00 0e   ${inner}`));
    expect(r.ids).toEqual([]);
    expect(r.layer.payloads).toHaveLength(1);
    expect((r.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'notify' }>).data.length).toBe(MESSAGES.v1MainMode1.length);
    const sk = check(v2(46, `21 00 ${(4 + MESSAGES.v2Init.length).toString(16).padStart(4, '0')}   ${Buffer.from(MESSAGES.v2Init).toString('hex')}`));
    expect(sk.layer.payloads.map((p) => p.body?.kind)).toEqual(['sk']);
  });

  it('7: wrong last/more markers in proposals and transforms (CVE-2017-5205 class)', () => {
    const r = check(v2(33, `00 00 00 1c   0d 00 00 18   01 01 00 02   03 00 00 08 01 00 00 0c   03 00 00 08 02 00 00 05`));
    expect(r.ids).toEqual(['isakmp.substructure_invalid', 'isakmp.substructure_invalid']);
    const sa = r.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'sa' }>;
    expect(sa.proposals[0]!.transforms).toHaveLength(2);
    const more = check(v2(33, `00 00 00 14   02 00 00 10   01 01 00 01   00 00 00 08 01 00 00 0c`));
    expect(more.ids).toEqual(['isakmp.substructure_invalid']);
  });

  it('8: fewer than 28 bytes (empty, 1, 3, a truncated header) is too short; snapped it is truncated', () => {
    for (const n of [0, 1, 3, 27]) {
      const bytes = MESSAGES.v2Init.subarray(0, n);
      const r = check(bytes);
      expect(r.layer.header).toBeUndefined();
      expect(r.ids).toEqual(['isakmp.too_short']);
      expect(r.layer.status).toBe('malformed');
      const s = decode(bytes, { snapped: true });
      expect([s.layer.status, s.ids]).toEqual(['truncated', []]);
    }
  });

  it('9: fixed-size fields beyond the payload: ID_IPV6_ADDR_SUBNET, NAT-OA addresses, short NAT-D', () => {
    const id = check(v1(5, `00 00 00 20   06 00 00 00   ${'20 01 0d b8 '.repeat(6)}`));
    expect(id.ids).toEqual(['isakmp.field_short']);
    expect(collectFields(treeOf(id.layer)).has('isakmp.id.data.ipv6_subnet')).toBe(false);
    const oa4 = check(v1(21, `00 00 00 0a   01 00 00 00   c0 a8`));
    expect(oa4.ids).toEqual(['isakmp.field_short']);
    const oa6 = check(v1(131, `00 00 00 10   05 00 00 00   fd 00 00 00 00 00 00 00`));
    expect(oa6.ids).toEqual(['isakmp.field_short']);
    expect((oa6.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'nat_oa' }>).address).toBeUndefined();
    const nulName = check(v1(5, `00 00 00 10   02 00 00 00   00 00 00 00 00 00 00 00`));
    expect(nulName.ids).toEqual(['isakmp.id_string_invalid']); // CAN-2004-0184: an FQDN of NULs
    const natd = check(v1(20, `00 00 00 07   01 02 03`));
    expect(natd.ids).toEqual(['isakmp.nat_d_short']);
    expect(collectFields(treeOf(natd.layer)).get('isakmp.ike.nat_hash')).toEqual(['010203']);
  });

  it('9b: NAT-D hashes of the wrong length: IKEv2 notify 16388/16389 not 20 bytes, IKEv1 no hash size', () => {
    const hex = (n: number) => '5a '.repeat(n);
    const natd2 = (type: string, n: number) => v2(41, `00 00 ${(8 + n).toString(16).padStart(4, '0')}   00 00 ${type}   ${hex(n)}`);
    for (const type of ['40 04', '40 05']) {
      for (const n of [0, 16, 19, 21, 32]) {
        const r = check(natd2(type, n));
        expect(r.ids, `${type} ${n}`).toEqual(['isakmp.nat_d_length']);
        expect(r.notes[0]!.detail?.offset, 'at the hash').toBe(28 + 8);
        expect(r.layer.status, 'a protocol warning: the structure itself is sound').toBe('ok');
        // The fields do not change (expert entries are espy's own; tshark parity).
        if (n) expect(collectFields(treeOf(r.layer)).get('isakmp.notify.data')).toEqual([hex(n).replaceAll(' ', '')]);
      }
      expect(check(natd2(type, 20)).ids).toEqual([]);
      // Cut by the snap length: the sender is not to blame.
      const m = natd2(type, 20);
      expect(decode(m.subarray(0, m.length - 5), { snapped: true }).ids).toEqual([]);
    }
    // Another notify of any length is not judged; nor is NAT-D in IKEv1 notify numbering.
    expect(check(v2(41, `00 00 00 08   00 00 40 06`)).ids).toEqual([]);
    expect(check(message({ version: 1, exchange: 2, first: 11, payloads: [`00 00 00 0c   00 00 00 01   00 00 40 04`] })).ids).toEqual([]);

    for (const n of [17, 21, 40, 65]) {
      const r = check(v1(20, `00 00 ${(4 + n).toString(16).padStart(4, '0')}   ${hex(n)}`));
      expect(r.ids, `v1 ${n}`).toEqual(['isakmp.nat_d_length']);
      expect(r.notes[0]!.detail?.offset).toBe(28 + 4);
    }
    for (const n of [16, 20, 24, 32, 48, 64]) expect(check(v1(20, `00 00 ${(4 + n).toString(16).padStart(4, '0')}   ${hex(n)}`)).ids, `v1 ${n}`).toEqual([]);
    for (const n of [17, 40]) expect(check(v1(130, `00 00 ${(4 + n).toString(16).padStart(4, '0')}   ${hex(n)}`)).ids, `draft ${n}`).toEqual(['isakmp.nat_d_length']);
  });

  it('11: IKEv2 fragment numbers: 0, beyond the total, total 0', () => {
    for (const [n, t] of [['00 00', '00 02'], ['00 03', '00 02'], ['00 01', '00 00']]) {
      const r = check(message({ version: 2, exchange: 35, first: 53, payloads: [`23 00 00 0c   ${n} ${t}   aa bb cc dd`] }));
      expect(r.ids).toEqual(['isakmp.fragment_number_invalid']);
    }
    const ok = check(message({ version: 2, exchange: 35, first: 53, payloads: [`23 00 00 0c   00 02 00 02   aa bb cc dd`] }));
    expect(ok.ids).toEqual([]);
    const v1frag = check(v1(132, `00 00 00 0a   00 07 00 01   aa bb`));
    expect(v1frag.ids).toEqual(['isakmp.fragment_number_invalid']);
  });

  it('12: huge counts are bounded (proposals, transforms, attributes, SPIs, selectors)', () => {
    const proposals = Array.from({ length: 300 }, () => '02 00 00 08 01 01 00 00').join(' ');
    const p = check(v2(33, `00 00 ${(4 + 300 * 8).toString(16).padStart(4, '0')} ${proposals}`));
    expect(p.ids).toEqual(['isakmp.chain_too_long']);
    expect((p.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'sa' }>).proposals).toHaveLength(256);
    const t = check(v2(33, `00 00 00 14   00 00 00 10   01 01 00 ff   00 00 00 08 01 00 00 0c`));
    expect(t.ids).toEqual(['isakmp.substructure_invalid', 'isakmp.transform_count_mismatch']);
    const attrs = '80 0e 00 80 '.repeat(300);
    const a = check(v2(47, `00 00 ${(8 + 1200).toString(16).padStart(4, '0')}   01 00 00 00   ${attrs}`));
    expect(a.ids).toEqual(['isakmp.chain_too_long']);
    const ts = check(v2(44, `00 00 00 18   ff 00 00 00   07 00 00 10 00 00 ff ff 0a 00 00 00 0a 00 00 ff`));
    expect(ts.ids).toEqual(['isakmp.selector_length_invalid']);
    expect((ts.layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'ts' }>).selectors).toHaveLength(1);
  });

  it('13: an unknown payload is skipped by its own length and the chain goes on', () => {
    const r = check(v1(60, `0d 00 00 07   ab cd ef`, vid13('00')));
    expect(r.layer.payloads.map((p) => [p.type, p.body?.kind])).toEqual([[60, 'opaque'], [13, 'vid']]);
    expect(r.ids).toEqual(['isakmp.payload_unknown']);
    expect(r.layer.status).toBe('ok');
  });

  it('an unknown major version keeps the header and decodes no payload', () => {
    const m = Uint8Array.from(MESSAGES.v2Init);
    m[17] = 0x32;
    const r = check(m);
    expect(r.ids).toEqual(['isakmp.version_unknown']);
    expect(r.layer.ikeVersion).toBeUndefined();
    expect(r.layer.payloads).toEqual([]);
    const f = collectFields(treeOf(r.layer));
    expect(f.get('isakmp.version')).toEqual(['0x32']);
    expect(f.has('isakmp.exchangetype')).toBe(false);
  });

  it('the spaced-hex helper rejects odd input', () => {
    expect(() => bytesOf('0')).toThrow();
  });
});
