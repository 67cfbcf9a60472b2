import { describe, expect, it } from 'vitest';
import { attributeValue, deleteSpis, type IsakmpPayload, type PayloadBody } from '../../../src/decode/isakmp/index.js';
import { toHex } from '../../../src/decode/cursor.js';
import { collectFields, decode, infoOf, treeOf } from './helpers.js';
import { MESSAGES } from './messages.js';

function body<K extends PayloadBody['kind']>(p: IsakmpPayload | undefined, kind: K): PayloadBody & { kind: K } {
  expect(p?.body?.kind).toBe(kind);
  return p!.body as PayloadBody & { kind: K };
}

describe('IKEv1 payloads from hand-made bytes', () => {
  it('Main Mode 1: header, SA (proposal, transform, TV attributes) and the RFC 3947 VID', () => {
    const { layer, notes } = decode(MESSAGES.v1MainMode1);
    expect(notes).toEqual([]);
    expect(layer.status).toBe('ok');
    expect(layer.ikeVersion).toBe(1);
    const h = layer.header!;
    expect(toHex(h.ispi)).toBe('0102030405060708');
    expect(h).toMatchObject({ nextPayload: 1, majorVersion: 1, minorVersion: 0, exchangeType: 2, flags: 0, messageId: 0, length: 28 + 52 + 20 });
    expect(layer.payloads.map((p) => p.type)).toEqual([1, 13]);
    const sa = body(layer.payloads[0], 'sa');
    expect(sa.doi).toBe(1);
    expect(toHex(sa.situation!)).toBe('00000001');
    expect(sa.proposals).toHaveLength(1);
    const prop = sa.proposals[0]!;
    expect(prop).toMatchObject({ number: 1, protocolId: 1, spiSize: 0, transformCount: 1, nextPayload: 0, length: 40, status: 'ok' });
    const t = prop.transforms[0]!;
    expect(t).toMatchObject({ number: 1, transformId: 1, length: 32 });
    expect(t.attributes.map((a) => [a.type, a.tv, attributeValue(a)])).toEqual([
      [11, true, 1], [12, true, 28800], [1, true, 5], [2, true, 2], [3, true, 1], [4, true, 2],
    ]);
    const vid = body(layer.payloads[1], 'vid');
    expect(vid.vendor).toEqual({ name: 'RFC 3947 Negotiation of NAT-Traversal in the IKE', nattMethod: 'RFC 3947' });
    expect(infoOf(layer)).toBe('Identity Protection (Main Mode)');
    // Proposal and transform "next payload" fields are isakmp.nextpayload too, in tree order.
    const fields = collectFields(treeOf(layer));
    expect(fields.get('isakmp.nextpayload')).toEqual(['1', '13', '0', '0', '0']);
    expect(fields.get('isakmp.typepayload')).toEqual(['1', '2', '3', '13']);
    expect(fields.get('isakmp.version')).toEqual(['0x10']);
    expect(fields.get('isakmp.messageid')).toEqual(['0x00000000']);
  });

  const quick = decode(MESSAGES.v1Quick);
  const payloads = quick.layer.payloads;

  it('Quick Mode: decodes all 27 payloads; only the unassigned type 60 gets a note', () => {
    expect(quick.ids).toEqual(['isakmp.payload_unknown']);
    expect(quick.layer.status).toBe('ok');
    expect(payloads.map((p) => p.type)).toEqual([1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 11, 12, 20, 130, 21, 131, 14, 132, 8, 9, 10, 4, 6, 7, 60, 13]);
    expect(infoOf(quick.layer)).toBe('Quick Mode (Message fragment 1)');
    expect(quick.layer.header!.messageId).toBe(0x12345678);
  });

  it('Quick Mode SA: ESP proposal with SPI, TLV lifetimes and both encapsulation-mode numberings', () => {
    const sa = body(payloads[0], 'sa');
    const prop = sa.proposals[0]!;
    expect(prop).toMatchObject({ protocolId: 3, spiSize: 4, transformCount: 2 });
    expect(toHex(prop.spi)).toBe('11223344');
    const [t1, t2] = prop.transforms;
    expect(t1!.attributes.map((a) => [a.type, a.tv, a.length, attributeValue(a)])).toEqual([
      [1, true, 2, 1], [2, false, 4, 28800], [4, true, 2, 61443], [5, true, 2, 2], [6, true, 2, 128],
    ]);
    expect(t2!.attributes.find((a) => a.type === 2)!.length).toBe(6);
    expect(attributeValue(t2!.attributes.find((a) => a.type === 2)!)).toBe(2 ** 32);
    expect(attributeValue(t2!.attributes.find((a) => a.type === 4)!)).toBe(3);
    const tree = collectFields(treeOf(quick.layer));
    expect(tree.get('isakmp.ipsec.attr.encap_mode')).toEqual(['61443', '3']);
    expect(tree.get('isakmp.ipsec.attr.life_duration64')).toEqual(['4294967296']);
  });

  it('ID payloads: every fixed-size type, names, key id and DER name', () => {
    const ids = payloads.slice(1, 11).map((p) => body(p, 'id'));
    expect(ids.map((i) => [i.idType, i.protocolId, i.port, i.data.length])).toEqual([
      [1, 17, 500, 4], [4, 17, 500, 8], [7, 0, 0, 8], [5, 17, 500, 16], [6, 0, 0, 32], [8, 0, 0, 32],
      [2, 17, 500, 15], [3, 0, 0, 12], [11, 0, 0, 5], [9, 0, 0, 6],
    ]);
    const f = collectFields(treeOf(quick.layer));
    expect(f.get('isakmp.id.data.ipv4_addr')).toEqual(['192.168.1.2', '10.0.0.0']);
    expect(f.get('isakmp.id.data.ipv4_subnet')).toEqual(['255.255.255.0']);
    expect(f.get('isakmp.id.data.ipv4_range_end')).toEqual(['10.0.0.9']);
    expect(f.get('isakmp.id.data.ipv6_addr')).toEqual(['2001:db8::1', '2001:db8::']);
    expect(f.get('isakmp.id.data.ipv6_subnet')).toEqual(['ffff:ffff:ffff:ffff::']);
    expect(f.get('isakmp.id.data.ipv6_range_end')).toEqual(['2001:db8::ff']);
    expect(f.get('isakmp.id.data.fqdn')).toEqual(['vpn.example.com']);
    expect(f.get('isakmp.id.data.user_fqdn')).toEqual(['user@example']);
    expect(f.get('isakmp.id.data.key_id')).toEqual(['6b65796964']);
    expect(f.get('isakmp.id.port')).toEqual(['500', '500', '0', '500', '0', '0', '500', '0', '0', '0']);
  });

  it('Notification with a 16-byte SPI and a DPD sequence; Delete with two SPIs', () => {
    const n = body(payloads[11], 'notify');
    expect(n).toMatchObject({ doi: 1, protocolId: 1, spiSize: 16, notifyType: 36136 });
    expect(toHex(n.spi)).toBe('01020304050607080000000000000000');
    expect(toHex(n.data)).toBe('00000007');
    const d = body(payloads[12], 'delete');
    expect(d).toMatchObject({ doi: 1, protocolId: 3, spiSize: 4, spiCount: 2 });
    expect(deleteSpis(d).map(toHex)).toEqual(['01020304', '05060708']);
    const f = collectFields(treeOf(quick.layer));
    expect(f.get('isakmp.notify.msgtype')).toEqual(['36136']);
    expect(f.get('isakmp.notify.data')).toEqual(['00000007']);
    expect(f.get('isakmp.notify.data.dpd.are_you_there')).toEqual(['7']);
    expect(f.get('isakmp.delete.spi')).toEqual(['01020304', '05060708']);
    expect(f.get('isakmp.spinum')).toEqual(['2']);
  });

  it('NAT-D (20 and draft 130) and NAT-OA (21 IPv4, draft 131 IPv6)', () => {
    expect(toHex(body(payloads[13], 'nat_d').hash)).toBe('7048b170a54fa1c16582dce008d059de9295d7d3');
    expect(toHex(body(payloads[14], 'nat_d').hash)).toBe('c9e46dddfcc29d4ef72ba4da66d4720687e469e5');
    const oa4 = body(payloads[15], 'nat_oa');
    expect([oa4.idType, toHex(oa4.address!)]).toEqual([1, 'c0a80102']);
    const oa6 = body(payloads[16], 'nat_oa');
    expect([oa6.idType, toHex(oa6.address!)]).toEqual([5, 'fd000000000000000000000000000002']);
    const f = collectFields(treeOf(quick.layer));
    expect(f.get('isakmp.ike.nat_hash')).toEqual(['7048b170a54fa1c16582dce008d059de9295d7d3', 'c9e46dddfcc29d4ef72ba4da66d4720687e469e5']);
    expect(f.get('isakmp.ike.nat_original_address_ipv4')).toEqual(['192.168.1.2']);
    expect(f.get('isakmp.ike.nat_original_address_ipv6')).toEqual(['fd00::2']);
  });

  it('mode config (XAUTH), Cisco fragment, HASH, SIG, NONCE, KE, CERT, CR, unknown type, XAUTH VID', () => {
    const cfg = body(payloads[17], 'config');
    expect(cfg).toMatchObject({ cfgType: 1, identifier: 0x1234 });
    expect(cfg.attributes.map((a) => [a.type, a.tv, a.length])).toEqual([[16520, true, 2], [16521, false, 0], [16522, false, 0], [7, false, 4]]);
    expect(body(payloads[18], 'frag_v1')).toMatchObject({ id: 7, number: 1, last: false });
    expect(toHex(body(payloads[19], 'hash').data)).toBe('000102030405060708090a0b0c0d0e0f10111213');
    expect(toHex(body(payloads[20], 'sig').data)).toBe('aabbccdd');
    expect(body(payloads[21], 'nonce').data.length).toBe(16);
    expect(body(payloads[22], 'ke').data.length).toBe(8);
    expect(body(payloads[23], 'cert')).toMatchObject({ encoding: 4 });
    expect(body(payloads[24], 'certreq')).toMatchObject({ certType: 4 });
    expect(toHex(body(payloads[25], 'opaque').data)).toBe('abcdef');
    expect(body(payloads[26], 'vid').vendor?.name).toBe('XAUTH');
    const f = collectFields(treeOf(quick.layer));
    expect(f.get('isakmp.cfg.attr.application_version')).toEqual(['espy']);
    expect(f.get('isakmp.cfg.attr.xauth.type')).toEqual(['0']);
    expect(f.get('isakmp.frag.packetid')).toEqual(['0x0007']);
    expect(f.get('isakmp.datapayload')).toEqual(['abcdef']);
  });

  it('an encrypted IKEv1 message is one opaque "Encrypted Data" item after the header', () => {
    const m = Uint8Array.from(MESSAGES.v1MainMode1);
    m[19] = 0x01; // E flag
    const { layer, notes } = decode(m);
    expect(notes).toEqual([]);
    expect(layer.payloads).toEqual([]);
    expect(layer.encrypted?.data.length).toBe(72);
    expect(layer.encrypted?.offset).toBe(28);
    const f = collectFields(treeOf(layer));
    expect(f.get('isakmp.enc.data')).toEqual(['1']);
    expect(f.get('isakmp.nextpayload')).toEqual(['1']);
    expect(f.has('isakmp.typepayload')).toBe(false);
  });

  it('offsets are absolute: the same message at frame offset 46 shifts every offset by 46', () => {
    const { layer } = decode(MESSAGES.v1MainMode1, { offset: 46 });
    expect(layer.offset).toBe(46);
    expect(layer.payloads[0]!.offset).toBe(46 + 28);
    expect((layer.payloads[0]!.body as Extract<PayloadBody, { kind: 'sa' }>).proposals[0]!.offset).toBe(46 + 28 + 12);
    expect(treeOf(layer).children![0]!.offset).toBe(46);
  });
});
