import { describe, expect, it } from 'vitest';
import { EXPERT } from '../../../src/decode/expert.js';
import { ISAKMP_DESCRIBERS, ISAKMP_EXPERT, ISAKMP_FIELDS } from '../../../src/decode/isakmp/index.js';
import type { TreeNode } from '../../../src/decode/tree.js';
import { formatFieldValue } from '../../../src/output/field-format.js';
import { collectFields, decode, infoOf, treeOf } from './helpers.js';
import { message, MESSAGES, V1_VID_RFC3947_LAST, V2_SK } from './messages.js';

const labels = (n: TreeNode, out: string[] = []): string[] => {
  out.push(n.label);
  for (const c of n.children ?? []) labels(c, out);
  return out;
};

describe('header fields and the Info column', () => {
  it('IKEv1 exchange names as tshark 4.0 prints them, unknown ones as "Unknown N"', () => {
    const cases: [number, string][] = [
      [2, 'Identity Protection (Main Mode)'], [4, 'Aggressive'], [5, 'Informational'], [6, 'Transaction (Config Mode)'],
      [32, 'Quick Mode'], [33, 'New Group Mode'], [1, 'Base'], [16, 'Unknown 16'], [34, 'Unknown 34'],
    ];
    for (const [exchange, info] of cases) {
      const { layer } = decode(message({ version: 1, exchange, first: 13, payloads: [V1_VID_RFC3947_LAST] }));
      expect(infoOf(layer)).toBe(info);
    }
  });

  it('IKEv2: exchange, decimal MID (two digits at least), role and direction; 43 is "Unknown 43" in tshark 4.0', () => {
    const cases: [number, number, number, string][] = [
      [34, 0x08, 0, 'IKE_SA_INIT MID=00 Initiator Request'],
      [35, 0x20, 1, 'IKE_AUTH MID=01 Responder Response'],
      [36, 0x28, 12, 'CREATE_CHILD_SA MID=12 Initiator Response'],
      [37, 0x00, 269488144, 'INFORMATIONAL MID=269488144 Responder Request'],
      [43, 0x08, 2, 'Unknown 43 MID=02 Initiator Request'],
    ];
    for (const [exchange, flags, mid, info] of cases) {
      const { layer } = decode(message({ version: 2, exchange, flags, mid, first: 46, payloads: [V2_SK] }));
      expect(infoOf(layer)).toBe(info);
    }
  });

  it('no Info without a header; the protocol column is ISAKMP', () => {
    expect(infoOf(decode(new Uint8Array(10)).layer)).toBeUndefined();
    expect(ISAKMP_DESCRIBERS.isakmp?.column).toBe('ISAKMP');
  });

  it('tree labels read like Wireshark\'s', () => {
    const v1 = labels(treeOf(decode(MESSAGES.v1MainMode1).layer));
    expect(v1).toContain('Next payload: NONE / No Next Payload  (0)');
    expect(v1).toContain('Version: 1.0');
    expect(v1).toContain('0001 .... = MjVer: 0x1');
    expect(v1).toContain('Exchange type: Identity Protection (Main Mode) (2)');
    expect(v1).toContain('.... ...0 = Encryption: Not encrypted');
    expect(v1).toContain('Payload: Proposal (2) # 1');
    expect(v1).toContain('Payload: Transform (3) # 1');
    expect(v1).toContain('IKE Attribute (t=12,l=2): Life-Duration: 28800');
    expect(v1).toContain('Encryption Algorithm: 3DES-CBC (5)');
    expect(v1).toContain('Payload: Vendor ID (13) : RFC 3947 Negotiation of NAT-Traversal in the IKE');
    const v2 = labels(treeOf(decode(MESSAGES.v2Init).layer));
    expect(v2).toContain('Flags: 0x08 (Initiator, No higher version, Request)');
    expect(v2).toContain('..0. .... = Response: Request');
    expect(v2).toContain('0... .... = Critical Bit: Not critical');
    expect(v2).toContain('Transform ID (D-H): 256-bit random ECP group (19)');
    expect(v2).toContain('Payload: Notify (41) - NAT_DETECTION_SOURCE_IP');
    expect(v2).toContain('Notification DATA: <MISSING>');
    expect(v2).toContain('Transform Attribute (t=14,l=2): Key Length: 256');
  });

  it('the exactness-target fields have tshark\'s types and bases', () => {
    const f = collectFields(treeOf(decode(MESSAGES.v2Init).layer));
    expect(f.get('isakmp.ispi')).toEqual(['ea684d21597afd36']);
    expect(f.get('isakmp.rspi')).toEqual(['0000000000000000']);
    expect(f.get('isakmp.version')).toEqual(['0x20']);
    expect(f.get('isakmp.exchangetype')).toEqual(['34']);
    expect(f.get('isakmp.flags')).toEqual(['0x08']);
    expect(f.get('isakmp.messageid')).toEqual(['0x00000000']);
    expect(f.get('isakmp.length')).toEqual([String(MESSAGES.v2Init.length)]);
    expect(f.get('isakmp.flag_i')).toEqual(['1']);
    expect(f.get('isakmp.mjver')).toEqual(['0x02']);
  });
});

describe('catalogues', () => {
  it('ISAKMP_FIELDS has one def per abbrev, every tree field is in it, and the 15 compared fields exist', () => {
    const abbrevs = ISAKMP_FIELDS.map((f) => f.abbrev);
    expect(new Set(abbrevs).size).toBe(abbrevs.length);
    const known = new Set(abbrevs);
    const walk = (n: TreeNode): void => {
      if (n.field) expect(known.has(n.field.abbrev), n.field.abbrev).toBe(true);
      n.children?.forEach(walk);
    };
    for (const m of Object.values(MESSAGES)) walk(treeOf(decode(m).layer));
    for (const a of ['isakmp.ispi', 'isakmp.nextpayload', 'isakmp.typepayload', 'isakmp.vid_bytes', 'isakmp.notify.msgtype', 'isakmp.notify.data', 'isakmp.ike.nat_hash', 'isakmp.ike.nat_original_address_ipv4', 'isakmp.delete.spi']) {
      expect(known.has(a)).toBe(true);
    }
    const version = ISAKMP_FIELDS.find((f) => f.abbrev === 'isakmp.version')!;
    expect(formatFieldValue(version, 0x20)).toBe('0x20');
    const mid = ISAKMP_FIELDS.find((f) => f.abbrev === 'isakmp.messageid')!;
    expect(formatFieldValue(mid, 1)).toBe('0x00000001');
  });

  it('every ISAKMP expert id is in the shared catalogue with a group and severity', () => {
    for (const id of Object.keys(ISAKMP_EXPERT)) expect(EXPERT).toHaveProperty([id]);
    expect(ISAKMP_EXPERT['isakmp.payload_length_invalid']).toMatchObject({ group: 'malformed', severity: 'error' });
  });
});
