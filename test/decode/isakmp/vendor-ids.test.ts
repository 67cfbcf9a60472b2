import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identifyVendorId, NATT_VID_LABELS } from '../../../src/decode/isakmp/index.js';

const md5 = (s: string): string => createHash('md5').update(s, 'latin1').digest('hex');
const id = (hex: string) => identifyVendorId(Uint8Array.from(Buffer.from(hex, 'hex')));
const ascii = (s: string) => identifyVendorId(Uint8Array.from(Buffer.from(s, 'latin1')));

describe('vendor ID database', () => {
  it('MD5 recomputations match NATT-REFERENCE.md §3.1 for the NAT-T labels', () => {
    expect(md5('RFC 3947')).toBe('4a131c81070358455c5728f20e95452f');
    expect(md5('draft-ietf-ipsec-nat-t-ike-02\n')).toBe('90cb80913ebb696e086381b5ec427b1f');
    expect(md5('draft-ietf-ipsec-nat-t-ike-03')).toBe('7d9419a65310ca6f2c179d9215529d56');
    expect(md5('ESPThruNAT')).toBe('50760f624c63e5c53eea386c685ca083');
    expect(md5('CISCO-UNITY')).toBe('12f5f28c457168a9702d9fe274cc02d4');
    expect(md5('MS NT5 ISAKMPOAKLEY')).toBe('1e2b516905991c7d7c96fcbfb587e461');
  });

  it('every NAT-T VID is recognised with its method label', () => {
    for (const label of NATT_VID_LABELS) expect(id(md5(label))?.nattMethod).toBe(label);
    expect(id('4a131c81070358455c5728f20e95452f')).toEqual({ name: 'RFC 3947 Negotiation of NAT-Traversal in the IKE', nattMethod: 'RFC 3947' });
    expect(id('90cb80913ebb696e086381b5ec427b1f')?.nattMethod).toBe('draft-ietf-ipsec-nat-t-ike-02\n');
    expect(id('cd60464335df21f87cfdb2fc68b6a448')?.nattMethod).toBe('draft-ietf-ipsec-nat-t-ike-02');
    expect(id('4df37928e9fc4fd1b3262170d515c662')?.nattMethod).toBe('draft-ietf-ipsec-nat-t-ike');
    expect(id('42ea5b6f898d9773a575df26e7dd19e1')?.nattMethod).toBe('draft-ietf-ipsec-nat-t-ike-09');
    expect(id('27bab5dc01ea0760ea4e3190ac27c0d0')?.nattMethod).toBe('draft-stenberg-ipsec-nat-traversal-01');
    expect(id('6a7434c19d7e36348090a02334c9c805')?.nattMethod).toBe('draft-huttunen-ipsec-esp-in-udp-00.txt');
    expect(id('c40fee00d5d39ddb1fc762e09b7cfea7')?.nattMethod).toBe('Testing NAT-T RFC');
  });

  it('constants and exact MD5s of §3.2', () => {
    expect(id('afcad71368a1f1c96b8696fc77570100')).toEqual({ name: 'RFC 3706 DPD (Dead Peer Detection)', version: '1.0' });
    expect(id('09002689dfd6b712')?.name).toBe('XAUTH');
    expect(id('fb1de3cdf341b7ea16b7e5be0855f120')?.name).toBe('MS-Negotiation Discovery Capable');
    expect(id('26244d38eddb61b3172a36e3d0cfb819')?.name).toBe('Microsoft Vid-Initial-Contact');
    expect(id('e3a5966a76379fe707228231e5ce8652')?.name).toBe('IKE CGA version 1');
    expect(id('621b04bb09882ac1e15935fefa24aeee')?.name).toBe('GSSAPI');
    expect(id('ad2c0dd0b9c32083ccba25b8861ec455')?.name).toBe('A GSS-API Authentication Method for IKE');
    expect(id('882fe56d6fd20dbc2251613b2ebe5beb')).toEqual({ name: 'strongSwan' });
    expect(id('7003cbc1097dbe9c2600ba6983bc8b35')?.name).toBe('KAME/racoon');
    expect(id('20a3622c1cea7ce37bee3ca484425276')?.name).toBe('IPSec-Tools');
    expect(id('f6f7efc7f5aeb8cb158cb9d094ba69e7')?.name).toBe('Cisco VPN 3000 client');
    expect(id('b4f01ca951e9da8d0bafbbd34ad3044e')?.name).toBe('Fortinet Endpoint Control');
    expect(id('f14b94b7bff1fef02773b8c49feded26')?.name).toBe('Shrew Soft');
    expect(id('054182a07c7ae206f9d2cf9d2432c482')?.name).toBe('SSH Sentinel');
    expect(id('3b9031dce4fcf88b489a923963dd0c49')?.name).toBe('Dead Peer Detection v1 (Check Point DPDv1_NG)');
    expect(id('2d7922c6b301d9b0e1342739e9cfbbd5')?.name).toBe('Netscreen (DWR)');
    expect(id('1d6e178f6c2c0be284985465450fe9d4')?.name).toBe('Fortigate (Fortinet)');
  });

  it('prefix forms decode their version or flags', () => {
    expect(id('12f5f28c457168a9702d9fe274cc0100')).toEqual({ name: 'CISCO-UNITY', version: '1.0' });
    expect(id('1f07f70eaa6514d3b0fa96542a500305')).toEqual({ name: 'Cisco VPN Concentrator', version: '3.5' });
    expect(id('4048b7d56ebce88525e7de7f00d6c2d3')).toEqual({ name: 'Cisco Fragmentation' });
    expect(id('4048b7d56ebce88525e7de7f00d6c2d380000000')).toEqual({ name: 'Cisco Fragmentation', detail: 'flags 0x80000000' });
    expect(id('1e2b516905991c7d7c96fcbfb587e46100000007')).toEqual({ name: 'MS NT5 ISAKMPOAKLEY', version: 'Windows 7' });
    expect(id('1e2b516905991c7d7c96fcbfb587e46100000004')?.version).toBe('Windows 2003 and Windows XP SP2');
    expect(id('8299031757a36082c6a621de00020003')).toEqual({ name: 'Fortigate (Fortinet)', version: 'release 2 build 3' });
    const cp = id('f4ed19e0c114eb516faaac0ee37daf2807b4381f000000010000138d459becd70000000018000000');
    expect(cp).toMatchObject({ name: 'Check Point', version: '5005' });
    expect(id('325df29a2319f2dd00000001')?.name).toBe('Cisco antireplay');
    expect(id('8db7a4181122166000000001')?.name).toBe('Cisco heartbeat');
    expect(id('4865617274426561745f4e6f74696679386b0100')).toEqual({ name: 'Heartbeat Notify', detail: '386b0100' });
  });

  it('versioned hashes: strongSwan and FreeS/WAN / Openswan "OE" forms', () => {
    expect(id(md5('strongSwan 5.9.14'))).toEqual({ name: 'strongSwan', version: '5.9.14' });
    expect(id('9e10a0d4205edc6c90bd5381a53c2d2b')).toEqual({ name: 'strongSwan', version: '5.1.1' });
    expect(id('4f4548724b6e5e68557c604f')).toEqual({ name: 'Openswan', version: '2.2.0' });
    // ikev1-certs.pcap (Openswan 2.6.32 per the corpus manifest)
    expect(id('4f4568794c64414365636661')).toEqual({ name: 'Openswan', version: '2.6.32' });
    expect(id('4f45726c415c6e51756b5352')).toEqual({ name: 'Openswan/FreeS/WAN' });
  });

  it('ASCII forms: Cisco, Libreswan, OpenIKED', () => {
    expect(ascii('FLEXVPN-SUPPORTED')?.name).toBe('Cisco FlexVPN Supported');
    expect(ascii('CISCO-DELETE-REASON')?.name).toBe('Cisco Delete Reason Supported');
    expect(ascii('CISCO-DYNAMIC-ROUTE')?.name).toBe('Cisco Dynamic Route Supported');
    expect(ascii('CISCOVPN-REV-02')?.name).toBe('Cisco VPN Revision 2');
    expect(ascii('CISCO-GRE-MODE')?.name).toBe('Cisco GRE Mode');
    expect(ascii('CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc.')?.name).toBe('Cisco Copyright');
    expect(id('4f452d4c696272657377616e2d352e30')).toEqual({ name: 'Libreswan', version: '5.0' });
    expect(id('4f70656e494b45442d372e34')).toEqual({ name: 'OpenIKED', version: '7.4' });
  });

  it('unknown, empty and oversized VIDs are undefined (shown in hex)', () => {
    expect(id('a9b9b1034f7e50a2513b47b100bb85a9')).toBeUndefined();
    expect(id('')).toBeUndefined();
    expect(id('deadbeef')).toBeUndefined();
    expect(identifyVendorId(new Uint8Array(100_000))).toBeUndefined();
  });
});
