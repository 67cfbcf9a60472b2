import { createHash } from 'node:crypto';
import { toHex } from '../cursor.js';

/**
 * Vendor ID database. Most VIDs are the MD5 of a label, so the table is built from the labels
 * (NATT-REFERENCE.md §3, recomputed with node:crypto) rather than copied from another tool; the
 * few that are not are constants or prefixes listed there. Matching order: exact bytes, then
 * prefixes followed by a version, then ASCII forms.
 */
export interface VendorIdMatch {
  readonly name: string;
  readonly version?: string;
  /** For NAT-T VIDs: the negotiation method label (`RFC 3947`, `draft-ietf-ipsec-nat-t-ike-02\n`, ...). */
  readonly nattMethod?: string;
  /** Decoded extra bytes (flags, product fields) when the VID carries them. */
  readonly detail?: string;
}

const md5 = (s: string): Buffer => createHash('md5').update(s, 'latin1').digest();
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

const ASCII_LIBRESWAN = ascii('OE-Libreswan-');
const ASCII_OPENIKED = ascii('OpenIKED-');
const ASCII_MS_MAMIE = ascii('MS-Mamie');

const RFC3947_NAME = 'RFC 3947 Negotiation of NAT-Traversal in the IKE';

const EXACT = new Map<string, VendorIdMatch>();
function exact(bytes: Uint8Array, match: VendorIdMatch): void {
  EXACT.set(toHex(bytes), match);
}

/** NAT-T method labels, each the string its VID is the MD5 of. */
export const NATT_VID_LABELS: readonly string[] = [
  'RFC 3947',
  'draft-ietf-ipsec-nat-t-ike',
  ...Array.from({ length: 10 }, (_, i) => `draft-ietf-ipsec-nat-t-ike-0${i}`),
  'draft-ietf-ipsec-nat-t-ike-02\n',
  'draft-stenberg-ipsec-nat-traversal-01',
  'draft-stenberg-ipsec-nat-traversal-02',
  'draft-huttunen-ipsec-esp-in-udp-00.txt',
  'ESPThruNAT',
  'Testing NAT-T RFC',
];
for (const label of NATT_VID_LABELS) {
  exact(md5(label), { name: label === 'RFC 3947' ? RFC3947_NAME : label, nattMethod: label });
}

for (const [label, name] of [
  ['MS-Negotiation Discovery Capable', 'MS-Negotiation Discovery Capable'],
  ['Vid-Initial-Contact', 'Microsoft Vid-Initial-Contact'],
  ['IKE CGA version 1', 'IKE CGA version 1'],
  ['GSSAPI', 'GSSAPI'],
  ['A GSS-API Authentication Method for IKE', 'A GSS-API Authentication Method for IKE'],
  ['strongSwan', 'strongSwan'],
  ['KAME/racoon', 'KAME/racoon'],
  ['IPSec-Tools', 'IPSec-Tools'],
  ['ALTIGA GATEWAY', 'Cisco VPN Concentrator'],
  ['ALTIGA NETWORKS', 'Cisco VPN 3000 client'],
  ['Fortinet Endpoint Control', 'Fortinet Endpoint Control'],
  ['SSH Sentinel', 'SSH Sentinel'],
  ['FRAGMENTATION', 'Cisco Fragmentation'],
] as const) {
  exact(md5(label), { name });
}
exact(md5('draft-ietf-ipsra-isakmp-xauth-06.txt').subarray(0, 8), { name: 'XAUTH' });
exact(hex('f14b94b7bff1fef02773b8c49feded26'), { name: 'Shrew Soft' });
exact(hex('3b9031dce4fcf88b489a923963dd0c49'), { name: 'Dead Peer Detection v1 (Check Point DPDv1_NG)' });
exact(hex('2d7922c6b301d9b0e1342739e9cfbbd5'), { name: 'Netscreen (DWR)' });
exact(hex('1d6e178f6c2c0be284985465450fe9d4'), { name: 'Fortigate (Fortinet)' });
for (const [text, name] of [
  ['FLEXVPN-SUPPORTED', 'Cisco FlexVPN Supported'],
  ['CISCO-DELETE-REASON', 'Cisco Delete Reason Supported'],
  ['CISCO-DYNAMIC-ROUTE', 'Cisco Dynamic Route Supported'],
  ['CISCOVPN-REV-02', 'Cisco VPN Revision 2'],
  ['CISCO-GRE-MODE', 'Cisco GRE Mode'],
  ['CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc.', 'Cisco Copyright'],
] as const) {
  exact(ascii(text), { name });
}

const WINDOWS_VERSION: Readonly<Record<number, string>> = {
  2: 'Windows 2000', 3: 'Windows XP SP1', 4: 'Windows 2003 and Windows XP SP2', 5: 'Windows Vista',
  6: 'Windows Server 2008', 7: 'Windows 7', 8: 'Windows Server 2008 R2', 9: 'Windows 8', 10: 'Windows Server 2012',
};

interface PrefixRule {
  readonly prefix: Uint8Array;
  /** Exact total length required, if any. */
  readonly length?: number;
  match(rest: Uint8Array): VendorIdMatch;
}

const u16 = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u32 = (b: Uint8Array, at: number): number => (((b[at] ?? 0) << 24) >>> 0) + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0));

const PREFIXES: readonly PrefixRule[] = [
  { prefix: hex('afcad71368a1f1c96b8696fc7757'), length: 16, match: (r) => ({ name: 'RFC 3706 DPD (Dead Peer Detection)', version: `${r[0]}.${r[1]}` }) },
  { prefix: md5('CISCO-UNITY').subarray(0, 14), length: 16, match: (r) => ({ name: 'CISCO-UNITY', version: `${r[0]}.${r[1]}` }) },
  { prefix: md5('ALTIGA GATEWAY').subarray(0, 14), length: 16, match: (r) => ({ name: 'Cisco VPN Concentrator', version: `${r[0]}.${r[1]}` }) },
  { prefix: md5('FRAGMENTATION'), length: 20, match: (r) => ({ name: 'Cisco Fragmentation', detail: `flags 0x${toHex(r)}` }) },
  {
    prefix: md5('MS NT5 ISAKMPOAKLEY'),
    length: 20,
    match: (r) => {
      const v = u32(r, 0);
      return { name: 'MS NT5 ISAKMPOAKLEY', version: WINDOWS_VERSION[v] ?? `unknown (${v})` };
    },
  },
  {
    prefix: hex('f4ed19e0c114eb516faaac0ee37daf2807b4381f'),
    match: (r) =>
      r.length >= 20
        ? { name: 'Check Point', version: String(u32(r, 4)), detail: `product ${u32(r, 0)}, timestamp ${u32(r, 8)}, features 0x${u32(r, 16).toString(16).padStart(8, '0')}` }
        : { name: 'Check Point' },
  },
  // First 12 bytes of MD5("FORTIGATE"), then release and build.
  { prefix: md5('FORTIGATE').subarray(0, 12), length: 16, match: (r) => ({ name: 'Fortigate (Fortinet)', version: `release ${u16(r, 0)} build ${u16(r, 2)}` }) },
  { prefix: hex('325df29a2319f2dd'), match: (r) => ({ name: 'Cisco antireplay', detail: toHex(r) }) },
  { prefix: hex('8db7a41811221660'), match: (r) => ({ name: 'Cisco heartbeat', detail: toHex(r) }) },
  { prefix: ascii('HeartBeat_Notify'), match: (r) => ({ name: 'Heartbeat Notify', ...(r.length ? { detail: toHex(r) } : {}) }) },
];

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

function printable(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return true;
}

/** Versioned families, built on first use: strongSwan "strongSwan X.Y.Z" and FreeS/WAN "OE" hashes. */
let versioned: Map<string, VendorIdMatch> | undefined;
function versionedTable(): Map<string, VendorIdMatch> {
  if (versioned) return versioned;
  versioned = new Map();
  const families: [string, number[], number, number][] = [
    ['strongSwan', [2, 3, 4, 5, 6], 9, 20],
  ];
  for (const [product, majors, minors, patches] of families) {
    for (const a of majors) for (let b = 0; b <= minors; b++) for (let c = 0; c <= patches; c++) {
      const v = `${a}.${b}.${c}`;
      versioned.set(toHex(md5(`${product} ${v}`)), { name: product, version: v });
    }
  }
  for (const product of ['Openswan', 'Linux FreeS/WAN']) {
    for (let a = 1; a <= 2; a++) for (let b = 0; b <= 6; b++) for (let c = 0; c <= 45; c++) {
      const v = `${a}.${b}.${c}`;
      versioned.set(toHex(oeHash(`${product} ${v}`)), { name: product === 'Openswan' ? 'Openswan' : 'FreeS/WAN', version: v });
    }
  }
  return versioned;
}

/** FreeS/WAN and Openswan VID: "OE" then the first 10 bytes of MD5(version string), each byte (b & 0x7f) | 0x40. */
function oeHash(s: string): Uint8Array {
  const h = md5(s);
  const out = new Uint8Array(12);
  out[0] = 0x4f;
  out[1] = 0x45;
  for (let i = 0; i < 10; i++) out[i + 2] = (h[i]! & 0x7f) | 0x40;
  return out;
}

function isOeForm(b: Uint8Array): boolean {
  if (b.length !== 12 || b[0] !== 0x4f || b[1] !== 0x45) return false;
  for (let i = 2; i < 12; i++) if ((b[i]! & 0xc0) !== 0x40) return false;
  return true;
}

const latin1 = (b: Uint8Array, from = 0): string => Buffer.from(b.buffer, b.byteOffset + from, b.length - from).toString('latin1');

/** Identifies a Vendor ID payload's bytes; undefined when unknown (show it in hex). */
export function identifyVendorId(bytes: Uint8Array): VendorIdMatch | undefined {
  if (bytes.length === 0 || bytes.length > 256) return undefined;
  const key = toHex(bytes);
  const hit = EXACT.get(key);
  if (hit) return hit;
  for (const rule of PREFIXES) {
    if ((rule.length === undefined || rule.length === bytes.length) && startsWith(bytes, rule.prefix)) {
      return rule.match(bytes.subarray(rule.prefix.length));
    }
  }
  if (bytes.length === 16 || bytes.length === 12) {
    const v = versionedTable().get(key);
    if (v) return v;
  }
  if (isOeForm(bytes)) return { name: 'Openswan/FreeS/WAN' };
  if (bytes.length > 13 && startsWith(bytes, ASCII_LIBRESWAN) && printable(bytes, 13)) {
    return { name: 'Libreswan', version: latin1(bytes, 13) };
  }
  if (bytes.length === 12 && bytes[0] === 0x4f && bytes[1] === 0x45 && bytes[2] === 0x4e) return { name: 'Libreswan (3.0 - 3.5)' };
  if (bytes.length > 9 && startsWith(bytes, ASCII_OPENIKED) && printable(bytes, 9)) {
    return { name: 'OpenIKED', version: latin1(bytes, 9) };
  }
  if (startsWith(bytes, ASCII_MS_MAMIE) && printable(bytes, 0)) return { name: 'Microsoft', detail: latin1(bytes) };
  return undefined;
}
