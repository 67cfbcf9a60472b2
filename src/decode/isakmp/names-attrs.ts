import type { NameTable, RangeTable } from './names.js';

/** IKEv1 Phase 1 (IKE) SA attribute types, RFC 2409 appendix A. */
export const IKE_ATTR_TYPE: RangeTable = [
  [1, 1, 'Encryption-Algorithm'], [2, 2, 'Hash-Algorithm'], [3, 3, 'Authentication-Method'], [4, 4, 'Group-Description'],
  [5, 5, 'Group-Type'], [6, 6, 'Group-Prime'], [7, 7, 'Group-Generator-One'], [8, 8, 'Group-Generator-Two'],
  [9, 9, 'Group-Curve-A'], [10, 10, 'Group-Curve-B'], [11, 11, 'Life-Type'], [12, 12, 'Life-Duration'], [13, 13, 'PRF'],
  [14, 14, 'Key-Length'], [15, 15, 'Field-Size'], [16, 16, 'Group-Order'], [17, 17, 'Block-Size'],
  [18, 19, 'Unassigned (Future use)'], [20, 20, 'Asymmetric-Cryptographic-Algorithm-Type'],
  [21, 16383, 'Unassigned (Future use)'], [16384, 32767, 'Private use'],
];

export const IKE_ENCRYPTION: NameTable = {
  0: 'RESERVED', 1: 'DES-CBC', 2: 'IDEA-CBC', 3: 'BLOWFISH-CBC', 4: 'RC5-R16-B64-CBC', 5: '3DES-CBC', 6: 'CAST-CBC',
  7: 'AES-CBC', 8: 'CAMELLIA-CBC', 127: 'SM4-CBC (DEPRECATED)', 128: 'SM1-CBC', 129: 'SM4-CBC',
};

export const IKE_AUTH_METHOD: NameTable = {
  0: 'RESERVED', 1: 'Pre-shared key', 2: 'DSS signatures', 3: 'RSA signatures', 4: 'Encryption with RSA',
  5: 'Revised encryption with RSA', 6: 'Reserved (was Encryption with El-Gamal)',
  7: 'Reserved (was Revised encryption with El-Gamal)', 8: 'Reserved (was ECDSA signatures)',
  9: 'ECDSA with SHA-256 on the P-256 curve', 10: 'ECDSA with SHA-384 on the P-384 curve',
  11: 'ECDSA with SHA-512 on the P-521 curve', 64221: 'HybridInitRSA', 64222: 'HybridRespRSA', 64223: 'HybridInitDSS',
  64224: 'HybridRespDSS', 65001: 'XAUTHInitPreShared', 65002: 'XAUTHRespPreShared', 65003: 'XAUTHInitDSS',
  65004: 'XAUTHRespDSS', 65005: 'XAUTHInitRSA', 65006: 'XAUTHRespRSA', 65007: 'XAUTHInitRSAEncryption',
  65008: 'XAUTHRespRSAEncryption', 65009: 'XAUTHInitRSARevisedEncryption', 65010: 'XAUTHRespRSARevisedEncryption',
};

/** Diffie-Hellman groups (IKEv1 Group-Description and IKEv2 transform type 4 share the numbers). */
export const DH_GROUP: NameTable = {
  0: 'UNDEFINED - 0', 1: 'Default 768-bit MODP group', 2: 'Alternate 1024-bit MODP group',
  3: 'EC2N group on GP[2^155] group', 4: 'EC2N group on GP[2^185] group', 5: '1536 bit MODP group',
  6: 'EC2N group over GF[2^163]', 7: 'EC2N group over GF[2^163]', 8: 'EC2N group over GF[2^283]',
  9: 'EC2N group over GF[2^283]', 10: 'EC2N group over GF[2^409]', 11: 'EC2N group over GF[2^409]',
  12: 'EC2N group over GF[2^571]', 13: 'EC2N group over GF[2^571]', 14: '2048 bit MODP group',
  15: '3072 bit MODP group', 16: '4096 bit MODP group', 17: '6144 bit MODP group', 18: '8192 bit MODP group',
  19: '256-bit random ECP group', 20: '384-bit random ECP group', 21: '521-bit random ECP group',
  22: '1024-bit MODP Group with 160-bit Prime Order Subgroup', 23: '2048-bit MODP Group with 224-bit Prime Order Subgroup',
  24: '2048-bit MODP Group with 256-bit Prime Order Subgroup', 25: '192-bit Random ECP Group',
  26: '224-bit Random ECP Group', 27: '224-bit Brainpool ECP group', 28: '256-bit Brainpool ECP group',
  29: '384-bit Brainpool ECP group', 30: '512-bit Brainpool ECP group', 31: 'Curve25519', 32: 'Curve448',
  33: 'GOST3410_2012_256', 34: 'GOST3410_2012_512', 35: 'ML-KEM-512', 36: 'ML-KEM-768', 37: 'ML-KEM-1024',
};

export const LIFE_TYPE: NameTable = { 0: 'RESERVED', 1: 'Seconds', 2: 'Kilobytes' };
export const GROUP_TYPE: NameTable = { 0: 'UNDEFINED - 0', 1: 'MODP', 2: 'ECP', 3: 'EC2N' };

/** IPsec DOI SA attributes (RFC 2407 §4.5 and later). */
export const IPSEC_ATTR_TYPE: RangeTable = [
  [1, 1, 'SA-Life-Type'], [2, 2, 'SA-Life-Duration'], [3, 3, 'Group-Description'], [4, 4, 'Encapsulation-Mode'],
  [5, 5, 'Authentication-Algorithm'], [6, 6, 'Key-Length'], [7, 7, 'Key-Rounds'], [8, 8, 'Compress-Dictionary-Size'],
  [9, 9, 'Compress-Private-Algorithm'], [10, 10, 'ECN Tunnel'], [11, 11, 'Extended (64-bit) Sequence Number'],
  [12, 12, 'Authentication Key Length'], [13, 13, 'Signature Encoding Algorithm'], [14, 14, 'Address Preservation'],
  [15, 15, 'SA Direction'], [16, 32000, 'Unassigned (Future use)'], [32001, 32767, 'Private use'],
];

/** Encapsulation modes, with the UDP-encapsulated values of RFC 3947 (3/4) and of the drafts (61443/61444). */
export const ENCAP_MODE: NameTable = {
  0: 'RESERVED', 1: 'Tunnel', 2: 'Transport', 3: 'UDP-Encapsulated-Tunnel', 4: 'UDP-Encapsulated-Transport',
  61440: 'Check Point IPSec UDP Encapsulation', 61443: 'UDP-Encapsulated-Tunnel (draft)',
  61444: 'UDP-Encapsulated-Transport (draft)',
};

export const IPSEC_AUTH_ALGORITHM: NameTable = {
  0: 'RESERVED', 1: 'HMAC-MD5', 2: 'HMAC-SHA', 3: 'DES-MAC', 4: 'KPDK', 5: 'HMAC-SHA2-256', 6: 'HMAC-SHA2-384',
  7: 'HMAC-SHA2-512', 8: 'HMAC-RIPEMD', 9: 'AES-XCBC-MAC', 10: 'SIG-RSA', 11: 'AES-128-GMAC', 12: 'AES-192-GMAC',
  13: 'AES-256-GMAC',
};
export const ECN_TUNNEL: NameTable = { 0: 'RESERVED', 1: 'Allowed', 2: 'Forbidden' };
export const EXT_SEQ: NameTable = { 0: 'RESERVED', 1: '64-bit Sequence Number' };
export const ADDR_PRESERVATION: NameTable = { 0: 'Reserved', 1: 'None', 2: 'Source-Only', 3: 'Destination-Only', 4: 'Source-and-Destination' };
export const SA_DIRECTION: NameTable = { 0: 'Reserved', 1: 'Sender-Only', 2: 'Receiver-Only', 3: 'Symmetric' };

/** IKEv1 transform ids by proposal protocol (RFC 2407 §4.4). */
export const V1_TRANSFORM_ISAKMP: NameTable = { 0: 'RESERVED', 1: 'KEY_IKE' };
export const V1_TRANSFORM_AH: NameTable = {
  0: 'RESERVED', 1: 'RESERVED', 2: 'MD5', 3: 'SHA', 4: 'DES', 5: 'SHA2-256', 6: 'SHA2-384', 7: 'SHA2-512', 8: 'RIPEMD',
  9: 'AES-XCBC-MAC', 10: 'RSA', 11: 'AES-128-GMAC', 12: 'AES-192-GMAC', 13: 'AES-256-GMAC',
};
export const V1_TRANSFORM_ESP: NameTable = {
  0: 'RESERVED', 1: 'DES-IV64', 2: 'DES', 3: '3DES', 4: 'RC5', 5: 'IDEA', 6: 'CAST', 7: 'BLOWFISH', 8: '3IDEA',
  9: 'DES-IV32', 10: 'RC4', 11: 'NULL', 12: 'AES', 13: 'AES-CTR', 14: 'AES-CCM_8', 15: 'AES-CCM_12', 16: 'AES-CCM_16',
  18: 'AES-GCM_8', 19: 'AES-GCM_12', 20: 'AES-GCM_16', 21: 'SEED_CBC', 22: 'CAMELLIA', 23: 'NULL_AUTH_AES_GMAC',
};
export const V1_TRANSFORM_IPCOMP: NameTable = { 0: 'RESERVED', 1: 'OUI', 2: 'DEFLATE', 3: 'LZS', 4: 'LZJH' };

/** Mode config / IKEv2 CP attribute types. */
export const CFG_ATTR_V1: RangeTable = [
  [0, 0, 'RESERVED'], [1, 1, 'INTERNAL_IP4_ADDRESS'], [2, 2, 'INTERNAL_IP4_NETMASK'], [3, 3, 'INTERNAL_IP4_DNS'],
  [4, 4, 'INTERNAL_IP4_NBNS'], [5, 5, 'INTERNAL_ADDRESS_EXPIRY'], [6, 6, 'INTERNAL_IP4_DHCP'], [7, 7, 'APPLICATION_VERSION'],
  [8, 8, 'INTERNAL_IP6_ADDRESS'], [9, 9, 'INTERNAL_IP6_NETMASK'], [10, 10, 'INTERNAL_IP6_DNS'], [11, 11, 'INTERNAL_IP6_NBNS'],
  [12, 12, 'INTERNAL_IP6_DHCP'], [13, 13, 'INTERNAL_IP4_SUBNET'], [14, 14, 'SUPPORTED_ATTRIBUTES'],
  [15, 15, 'INTERNAL_IP6_SUBNET'], [16, 16383, 'FUTURE USE'], [16384, 16386, 'PRIVATE USE'],
  [16387, 16387, 'CHKPT_DEF_DOMAIN'], [16388, 16388, 'CHKPT_MAC_ADDRESS'], [16389, 16389, 'CHKPT_MARCIPAN_REASON_CODE'],
  [16400, 16400, 'CHKPT_UNKNOWN1'], [16401, 16401, 'CHKPT_UNKNOWN2'], [16402, 16402, 'CHKPT_UNKNOWN3'],
  [16403, 16519, 'PRIVATE USE'], [16520, 16520, 'XAUTH_TYPE'], [16521, 16521, 'XAUTH_USER_NAME'],
  [16522, 16522, 'XAUTH_USER_PASSWORD'], [16523, 16523, 'XAUTH_PASSCODE'], [16524, 16524, 'XAUTH_MESSAGE'],
  [16525, 16525, 'XAUTH_CHALLANGE'], [16526, 16526, 'XAUTH_DOMAIN'], [16527, 16527, 'XAUTH_STATUS'],
  [16528, 16528, 'XAUTH_NEXT_PIN'], [16529, 16529, 'XAUTH_ANSWER'], [16530, 28671, 'PRIVATE USE'],
  [28672, 28672, 'UNITY_BANNER'], [28673, 28673, 'UNITY_SAVE_PASSWD'], [28674, 28674, 'UNITY_DEF_DOMAIN'],
  [28675, 28675, 'UNITY_SPLIT_DOMAIN'], [28676, 28676, 'UNITY_SPLIT_INCLUDE'], [28677, 28677, 'UNITY_NATT_PORT'],
  [28678, 28678, 'UNITY_SPLIT_EXCLUDE'], [28679, 28679, 'UNITY_PFS'], [28680, 28680, 'UNITY_FW_TYPE'],
  [28681, 28681, 'UNITY_BACKUP_SERVERS'], [28682, 28682, 'UNITY_DDNS_HOSTNAME'], [28683, 32767, 'PRIVATE USE'],
];
export const CFG_ATTR_V2: RangeTable = [
  [0, 0, 'RESERVED'], [1, 1, 'INTERNAL_IP4_ADDRESS'], [2, 2, 'INTERNAL_IP4_NETMASK'], [3, 3, 'INTERNAL_IP4_DNS'],
  [4, 4, 'INTERNAL_IP4_NBNS'], [5, 5, 'INTERNAL_ADDRESS_EXPIRY'], [6, 6, 'INTERNAL_IP4_DHCP'], [7, 7, 'APPLICATION_VERSION'],
  [8, 8, 'INTERNAL_IP6_ADDRESS'], [9, 9, 'RESERVED'], [10, 10, 'INTERNAL_IP6_DNS'], [11, 11, 'INTERNAL_IP6_NBNS'],
  [12, 12, 'INTERNAL_IP6_DHCP'], [13, 13, 'INTERNAL_IP4_SUBNET'], [14, 14, 'SUPPORTED_ATTRIBUTES'],
  [15, 15, 'INTERNAL_IP6_SUBNET'], [16, 16, 'MIP6_HOME_PREFIX'], [17, 17, 'INTERNAL_IP6_LINK'],
  [18, 18, 'INTERNAL_IP6_PREFIX'], [19, 19, 'HOME_AGENT_ADDRESS'], [20, 20, 'P_CSCF_IP4_ADDRESS'],
  [21, 21, 'P_CSCF_IP6_ADDRESS'], [22, 22, 'FTT_KAT'], [23, 16383, 'RESERVED TO IANA'], [16384, 32767, 'PRIVATE USE'],
];
export const XAUTH_TYPE: NameTable = { 0: 'Generic', 1: 'RADIUS-CHAP', 2: 'OTP', 3: 'S/KEY' };
export const XAUTH_STATUS: NameTable = { 0: 'Fail', 1: 'Success' };
