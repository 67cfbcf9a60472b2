import { describe, expect, it } from 'vitest';
import { deleteSpis, type IsakmpPayload, type PayloadBody } from '../../../src/decode/isakmp/index.js';
import { toHex } from '../../../src/decode/cursor.js';
import { collectFields, decode, infoOf, treeOf } from './helpers.js';
import { MESSAGES } from './messages.js';

function body<K extends PayloadBody['kind']>(p: IsakmpPayload | undefined, kind: K): PayloadBody & { kind: K } {
  expect(p?.body?.kind).toBe(kind);
  return p!.body as PayloadBody & { kind: K };
}

describe('IKEv2 payloads from hand-made bytes', () => {
  const init = decode(MESSAGES.v2Init);
  const p = init.layer.payloads;

  it('IKE_SA_INIT: header, flags and Info', () => {
    expect(init.notes).toEqual([]);
    expect(init.layer.status).toBe('ok');
    expect(init.layer.ikeVersion).toBe(2);
    expect(init.layer.header).toMatchObject({ majorVersion: 2, minorVersion: 0, exchangeType: 34, flags: 0x08 });
    expect(infoOf(init.layer)).toBe('IKE_SA_INIT MID=00 Initiator Request');
    expect(p.map((x) => x.type)).toEqual([33, 34, 40, 41, 41, 41, 41, 41, 41, 41, 41, 43, 42, 42]);
    expect(p.every((x) => !x.critical && x.reserved === 0)).toBe(true);
  });

  it('SA: proposals with protocol, SPI and typed transforms (ENCR key length attribute)', () => {
    const sa = body(p[0], 'sa');
    expect(sa.doi).toBeUndefined();
    expect(sa.proposals.map((x) => [x.number, x.protocolId, x.spiSize, x.transformCount, x.nextPayload])).toEqual([[1, 1, 0, 4, 2], [2, 3, 4, 2, 0]]);
    expect(toHex(sa.proposals[1]!.spi)).toBe('c0010203');
    expect(sa.proposals[0]!.transforms.map((t) => [t.transformType, t.transformId, t.attributes.length])).toEqual([[1, 12, 1], [2, 5, 0], [3, 12, 0], [4, 19, 0]]);
    expect(sa.proposals[1]!.transforms.map((t) => [t.transformType, t.transformId])).toEqual([[1, 20], [5, 0]]);
    const f = collectFields(treeOf(init.layer));
    expect(f.get('isakmp.ike2.attr.key_length')).toEqual(['256']);
    expect(f.get('isakmp.tf.id.dh')).toEqual(['19']);
    expect(f.get('isakmp.tf.id.esn')).toEqual(['0']);
    expect(f.get('isakmp.nextpayload')!.slice(0, 10)).toEqual(['33', '34', '2', '3', '3', '3', '0', '0', '3', '0']);
  });

  it('KE with its group, Nonce', () => {
    expect(body(p[1], 'ke')).toMatchObject({ group: 19 });
    expect(toHex(body(p[1], 'ke').data)).toBe('0102030405060708');
    expect(body(p[2], 'nonce').data.length).toBe(16);
  });

  it('notifies: NAT detection, COOKIE, INVALID_KE_PAYLOAD, REKEY_SA with SPI, signature hashes, status types', () => {
    const n = p.slice(3, 11).map((x) => body(x, 'notify'));
    expect(n.map((x) => [x.protocolId, x.spiSize, x.notifyType, x.data.length])).toEqual([
      [0, 0, 16388, 20], [0, 0, 16389, 20], [0, 0, 16390, 8], [0, 0, 17, 2], [3, 4, 16393, 0], [0, 0, 16431, 8], [0, 0, 16430, 0], [0, 0, 16396, 0],
    ]);
    expect(toHex(n[4]!.spi)).toBe('aabbccdd');
    const f = collectFields(treeOf(init.layer));
    expect(f.get('isakmp.notify.msgtype')).toEqual(['16388', '16389', '16390', '17', '16393', '16431', '16430', '16396']);
    // Empty notification data prints as tshark 4.0 prints it.
    expect(f.get('isakmp.notify.data')!.slice(4)).toEqual(['<MISSING>', '0001000200030004', '<MISSING>', '<MISSING>']);
    expect(f.get('isakmp.notify.data.accepted_dh_group')).toEqual(['14']);
    expect(f.get('isakmp.notify.data.signature_hash_algorithms')).toEqual(['1', '2', '3', '4']);
    expect(treeOf(init.layer).children!.find((c) => c.label.includes('REKEY_SA'))?.label).toBe('Payload: Notify (41) - REKEY_SA');
  });

  it('VID and Delete (ESP SPIs, IKE SA with SPI size 0)', () => {
    expect(body(p[11], 'vid').vendor?.name).toBe('Cisco Fragmentation');
    const d1 = body(p[12], 'delete');
    expect(d1.doi).toBeUndefined();
    expect(deleteSpis(d1).map(toHex)).toEqual(['01020304', '05060708']);
    expect(body(p[13], 'delete')).toMatchObject({ protocolId: 1, spiSize: 0, spiCount: 0 });
  });

  it('IKE_AUTH in clear: IDi, IDr, CERT, CERTREQ hashes, AUTH, CP, TSi/TSr', () => {
    const { layer, notes } = decode(MESSAGES.v2Auth);
    expect(notes).toEqual([]);
    const q = layer.payloads;
    expect(q.map((x) => x.type)).toEqual([35, 36, 37, 38, 39, 47, 44, 45]);
    expect(body(q[0], 'id')).toMatchObject({ idType: 2 });
    expect(body(q[0], 'id').protocolId).toBeUndefined();
    expect(body(q[3], 'certreq').data.length).toBe(40);
    expect(body(q[4], 'auth')).toMatchObject({ method: 2 });
    const cp = body(q[5], 'config');
    expect(cp.identifier).toBeUndefined();
    expect(cp.attributes.map((a) => [a.type, a.length])).toEqual([[1, 0], [3, 4], [14, 0]]);
    const tsi = body(q[6], 'ts');
    expect(tsi.selectors.map((s) => [s.tsType, s.protocolId, s.startPort, s.endPort, toHex(s.start), toHex(s.end)])).toEqual([[7, 17, 500, 500, '0a000001', '0a0000ff']]);
    expect(body(q[7], 'ts').selectors[0]).toMatchObject({ tsType: 8, startPort: 0, endPort: 65535 });
    const f = collectFields(treeOf(layer));
    expect(f.get('isakmp.id.data.fqdn')).toEqual(['vpn.example.com']);
    expect(f.get('isakmp.id.data.ipv4_addr')).toEqual(['10.0.0.2']);
    expect(f.get('isakmp.ike.certreq.authority')).toEqual(['5eab2368443894d78311600e610eab6964f05782', '662430f3516ce2b4190af54134a7231ad6ffaa04']);
    expect(f.get('isakmp.cfg.attr.internal_ip4_dns')).toEqual(['8.8.8.8']);
    expect(f.get('isakmp.ts.end_ipv6')).toEqual(['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect(infoOf(layer)).toBe('IKE_AUTH MID=01 Initiator Request');
  });

  it('EAP: code, identifier, length and type', () => {
    const { layer } = decode(MESSAGES.v2Eap);
    expect(body(layer.payloads[0], 'eap')).toMatchObject({ code: 2, identifier: 7, eapLength: 9, eapType: 1 });
    expect(infoOf(layer)).toBe('IKE_AUTH MID=02 Responder Response');
  });

  it('SK is opaque and ends the chain (its next payload is inside the ciphertext)', () => {
    const { layer, notes } = decode(MESSAGES.v2Sk);
    expect(notes).toEqual([]);
    expect(layer.payloads).toHaveLength(1);
    expect(body(layer.payloads[0], 'sk').data.length).toBe(32);
    expect(infoOf(layer)).toBe('INFORMATIONAL MID=05 Responder Response');
  });

  it('SKF: fragment number and total, in the Info column too', () => {
    const { layer, notes } = decode(MESSAGES.v2Skf);
    expect(notes).toEqual([]);
    expect(body(layer.payloads[0], 'skf')).toMatchObject({ fragmentNumber: 1, totalFragments: 3 });
    expect(layer.payloads[0]!.nextPayload).toBe(35);
    expect(infoOf(layer)).toBe('IKE_AUTH MID=01 Initiator Request (fragment 1/3)');
    expect(collectFields(treeOf(layer)).get('isakmp.frag.total')).toEqual(['3']);
  });

  it('the critical bit and reserved bits of the generic header', () => {
    const m = Uint8Array.from(MESSAGES.v2Sk);
    m[29] = 0x81;
    const { layer } = decode(m);
    expect(layer.payloads[0]).toMatchObject({ critical: true, reserved: 1 });
    const f = collectFields(treeOf(layer));
    expect(f.get('isakmp.criticalpayload')).toEqual(['1']);
    expect(f.get('isakmp.reserved7')).toEqual(['0x01']);
  });
});
