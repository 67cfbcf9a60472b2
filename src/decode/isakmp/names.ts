/**
 * Names for ISAKMP/IKE numbers, from the IANA registries (spelt as Wireshark shows them where the
 * tree text is meant to read the same). Lookups return undefined for unnamed values.
 */

export type NameTable = Readonly<Record<number, string>>;

/** Ranges for registries that name whole blocks ("Private Use"). First match wins. */
export type RangeTable = readonly (readonly [number, number, string])[];

export function rangeName(table: RangeTable, v: number): string | undefined {
  for (const [lo, hi, name] of table) if (v >= lo && v <= hi) return name;
  return undefined;
}

/** Payload types, IKEv1 and IKEv2 in one number space. */
const PAYLOAD_TYPES: RangeTable = [
  [0, 0, 'NONE / No Next Payload '],
  [1, 1, 'Security Association'],
  [2, 2, 'Proposal'],
  [3, 3, 'Transform'],
  [4, 4, 'Key Exchange'],
  [5, 5, 'Identification'],
  [6, 6, 'Certificate'],
  [7, 7, 'Certificate Request'],
  [8, 8, 'Hash'],
  [9, 9, 'Signature'],
  [10, 10, 'Nonce'],
  [11, 11, 'Notification'],
  [12, 12, 'Delete'],
  [13, 13, 'Vendor ID'],
  [14, 14, 'Attributes'],
  [15, 15, 'SA KEK Payload'],
  [16, 16, 'SA TEK Payload'],
  [17, 17, 'Key Download'],
  [18, 18, 'Sequence Number'],
  [19, 19, 'Proof of Possession'],
  [20, 20, 'NAT-D (RFC 3947)'],
  [21, 21, 'NAT-OA (RFC 3947)'],
  [22, 22, 'Group Associated Policy'],
  [33, 33, 'Security Association'],
  [34, 34, 'Key Exchange'],
  [35, 35, 'Identification - Initiator'],
  [36, 36, 'Identification - Responder'],
  [37, 37, 'Certificate'],
  [38, 38, 'Certificate Request'],
  [39, 39, 'Authentication'],
  [40, 40, 'Nonce'],
  [41, 41, 'Notify'],
  [42, 42, 'Delete'],
  [43, 43, 'Vendor ID'],
  [44, 44, 'Traffic Selector - Initiator'],
  [45, 45, 'Traffic Selector - Responder'],
  [46, 46, 'Encrypted and Authenticated'],
  [47, 47, 'Configuration'],
  [48, 48, 'Extensible Authentication'],
  [49, 49, 'Generic Secure Password Method'],
  [50, 50, 'Group Identification'],
  [51, 51, 'Group Security Association'],
  [52, 52, 'Key Download'],
  [53, 53, 'Encrypted and Authenticated Fragment'],
  [54, 127, 'Unassigned'],
  [128, 129, 'Private Use'],
  [130, 130, 'NAT-D (draft-ietf-ipsec-nat-t-ike-01 to 03)'],
  [131, 131, 'NAT-OA (draft-ietf-ipsec-nat-t-ike-01 to 03)'],
  [132, 132, 'Cisco-Fragmentation'],
  [133, 255, 'Private Use'],
];

export function payloadTypeName(type: number): string {
  return rangeName(PAYLOAD_TYPES, type) ?? 'Unassigned';
}

/** Assigned (or private-use) payload numbers: anything else is unknown and worth a note. */
export function isKnownPayloadType(type: number): boolean {
  return (type >= 1 && type <= 22) || (type >= 33 && type <= 54) || type >= 128;
}

export const DOI: NameTable = { 0: 'ISAKMP', 1: 'IPSEC', 2: 'GDOI' };

export const PROTOCOL_V1: NameTable = { 0: 'RESERVED', 1: 'ISAKMP', 2: 'IPSEC_AH', 3: 'IPSEC_ESP', 4: 'IPCOMP', 5: 'GIGABEAM_RADIO' };
export const PROTOCOL_V2: NameTable = { 0: 'RESERVED', 1: 'IKE', 2: 'AH', 3: 'ESP', 4: 'FC_ESP_HEADER', 5: 'FC_CT_AUTHENTICATION' };

export const ID_TYPE_V1: RangeTable = [
  [0, 0, 'RESERVED'], [1, 1, 'IPV4_ADDR'], [2, 2, 'FQDN'], [3, 3, 'USER_FQDN'], [4, 4, 'IPV4_ADDR_SUBNET'],
  [5, 5, 'IPV6_ADDR'], [6, 6, 'IPV6_ADDR_SUBNET'], [7, 7, 'IPV4_ADDR_RANGE'], [8, 8, 'IPV6_ADDR_RANGE'],
  [9, 9, 'DER_ASN1_DN'], [10, 10, 'DER_ASN1_GN'], [11, 11, 'KEY_ID'], [12, 12, 'KEY_LIST'],
  [13, 248, 'Future use'], [249, 255, 'Private Use'],
];
export const ID_TYPE_V2: RangeTable = [
  [0, 0, 'RESERVED'], [1, 1, 'IPV4_ADDR'], [2, 2, 'FQDN'], [3, 3, 'ID_RFC822_ADDR'], [4, 4, 'Unassigned'],
  [5, 5, 'IPV6_ADDR'], [6, 8, 'Unassigned'], [9, 9, 'DER_ASN1_DN'], [10, 10, 'DER_ASN1_GN'], [11, 11, 'KEY_ID'],
  [12, 12, 'KEY_LIST'], [13, 200, 'Future use'], [201, 255, 'Private Use'],
];

const CERT_COMMON: RangeTable = [
  [1, 1, 'PKCS #7 wrapped X.509 certificate'], [2, 2, 'PGP Certificate'], [3, 3, 'DNS Signed Key'],
  [4, 4, 'X.509 Certificate - Signature'],
];
export const CERT_TYPE_V1: RangeTable = [
  [0, 0, 'NONE'], ...CERT_COMMON, [5, 5, 'X.509 Certificate - Key Exchange'], [6, 6, 'Kerberos Tokens'],
  [7, 7, 'Certificate Revocation List (CRL)'], [8, 8, 'Authority Revocation List (ARL)'], [9, 9, 'SPKI Certificate'],
  [10, 10, 'X.509 Certificate - Attribute'], [11, 255, 'RESERVED'],
];
export const CERT_TYPE_V2: RangeTable = [
  [0, 0, 'RESERVED'], ...CERT_COMMON, [5, 5, '*undefined by any document*'], [6, 6, 'Kerberos Tokens'],
  [7, 7, 'Certificate Revocation List (CRL)'], [8, 8, 'Authority Revocation List (ARL)'], [9, 9, 'SPKI Certificate'],
  [10, 10, 'X.509 Certificate - Attribute'], [11, 11, 'Raw RSA Key'], [12, 12, 'Hash and URL of X.509 certificate'],
  [13, 13, 'Hash and URL of X.509 bundle'], [14, 14, 'OCSP Content'], [15, 15, 'Raw Public Key'],
  [16, 200, 'RESERVED to IANA'], [201, 255, 'PRIVATE USE'],
];

export const AUTH_METHOD_V2: RangeTable = [
  [0, 0, 'RESERVED TO IANA'], [1, 1, 'RSA Digital Signature'], [2, 2, 'Shared Key Message Integrity Code'],
  [3, 3, 'DSS Digital Signature'], [4, 8, 'RESERVED TO IANA'], [9, 9, 'ECDSA with SHA-256 on the P-256 curve'],
  [10, 10, 'ECDSA with SHA-384 on the P-384 curve'], [11, 11, 'ECDSA with SHA-512 on the P-521 curve'],
  [12, 12, 'Generic Secure Password Authentication Method'], [13, 13, 'NULL Authentication'],
  [14, 14, 'Digital Signature'], [15, 200, 'RESERVED TO IANA'], [201, 255, 'PRIVATE USE'],
];

export const TS_TYPE: RangeTable = [
  [0, 6, 'Reserved'], [7, 7, 'TS_IPV4_ADDR_RANGE'], [8, 8, 'TS_IPV6_ADDR_RANGE'], [9, 9, 'TS_FC_ADDR_RANGE'],
  [10, 240, 'Future use'], [241, 255, 'Private use'],
];

export const CFG_TYPE_V1: RangeTable = [
  [0, 0, 'Reserved'], [1, 1, 'ISAKMP_CFG_REQUEST'], [2, 2, 'ISAKMP_CFG_REPLY'], [3, 3, 'ISAKMP_CFG_SET'],
  [4, 4, 'ISAKMP_CFG_ACK'], [5, 127, 'Future use'], [128, 255, 'Private Use'],
];
export const CFG_TYPE_V2: RangeTable = [
  [0, 0, 'RESERVED'], [1, 1, 'CFG_REQUEST'], [2, 2, 'CFG_REPLY'], [3, 3, 'CFG_SET'], [4, 4, 'CFG_ACK'],
  [5, 127, 'Future use'], [128, 255, 'Private Use'],
];

/** IP protocol numbers seen in ID and traffic selector payloads. */
export const IP_PROTOCOL: NameTable = {
  1: 'ICMP', 2: 'IGMP', 4: 'IPv4', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH',
  58: 'IPv6-ICMP', 89: 'OSPFIGP', 103: 'PIM', 132: 'SCTP', 136: 'UDPLite',
};

export const EAP_CODE: NameTable = { 1: 'Request', 2: 'Response', 3: 'Success', 4: 'Failure', 5: 'Initiate', 6: 'Finish' };
export const EAP_TYPE: NameTable = {
  1: 'Identity', 2: 'Notification', 3: 'Legacy Nak (Response Only)', 4: 'MD5-Challenge', 5: 'One-Time Password (OTP)',
  6: 'Generic Token Card (GTC)', 13: 'EAP-TLS', 17: 'LEAP', 18: 'EAP-SIM', 21: 'EAP-TTLS', 23: 'EAP-AKA',
  25: 'PEAP', 26: 'EAP-MSCHAPv2', 43: 'EAP-FAST', 49: 'EAP-IKEv2', 50: 'EAP-AKA\'', 52: 'EAP-pwd',
  254: 'Expanded Type', 255: 'Experimental',
};

export function nameOr(table: NameTable, v: number, fallback = 'Unknown'): string {
  return table[v] ?? fallback;
}
