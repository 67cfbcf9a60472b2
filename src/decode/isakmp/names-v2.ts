import type { NameTable, RangeTable } from './names.js';

/** IKEv2 transform types and ids (RFC 7296 §3.3.2, IANA "IKEv2 Parameters"). */
export const TRANSFORM_TYPE: RangeTable = [
  [0, 0, 'RESERVED'], [1, 1, 'Encryption Algorithm (ENCR)'], [2, 2, 'Pseudo-random Function (PRF)'],
  [3, 3, 'Integrity Algorithm (INTEG)'], [4, 4, 'Diffie-Hellman Group (D-H)'], [5, 5, 'Extended Sequence Numbers (ESN)'],
  [6, 240, 'Reserved to IANA'], [241, 255, 'Private Use'],
];

export const TF_ENCR: NameTable = {
  0: 'RESERVED', 1: 'ENCR_DES_IV64', 2: 'ENCR_DES', 3: 'ENCR_3DES', 4: 'ENCR_RC5', 5: 'ENCR_IDEA', 6: 'ENCR_CAST',
  7: 'ENCR_BLOWFISH', 8: 'ENCR_3IDEA', 9: 'ENCR_DES_IV32', 10: 'RESERVED', 11: 'ENCR_NULL', 12: 'ENCR_AES_CBC',
  13: 'ENCR_AES_CTR', 14: 'ENCR_AES-CCM_8', 15: 'ENCR-AES-CCM_12', 16: 'ENCR-AES-CCM_16', 17: 'UNASSIGNED',
  18: 'AES-GCM with a 8 octet ICV', 19: 'AES-GCM with a 12 octet ICV', 20: 'AES-GCM with a 16 octet ICV',
  21: 'ENCR_NULL_AUTH_AES_GMAC', 22: 'Reserved for IEEE P1619 XTS-AES', 23: 'ENCR_CAMELLIA_CBC', 24: 'ENCR_CAMELLIA_CTR',
  25: 'ENCR_CAMELLIA_CCM with an 8-octet ICV', 26: 'ENCR_CAMELLIA_CCM with a 12-octet ICV',
  27: 'ENCR_CAMELLIA_CCM with a 16-octet ICV', 28: 'ENCR_CHACHA20_POLY1305',
};

export const TF_PRF: NameTable = {
  0: 'RESERVED', 1: 'PRF_HMAC_MD5', 2: 'PRF_HMAC_SHA1', 3: 'PRF_HMAC_TIGER', 4: 'PRF_AES128_CBC', 5: 'PRF_HMAC_SHA2_256',
  6: 'PRF_HMAC_SHA2_384', 7: 'PRF_HMAC_SHA2_512', 8: 'PRF_AES128_CMAC6',
};

export const TF_INTEG: NameTable = {
  0: 'NONE', 1: 'AUTH_HMAC_MD5_96', 2: 'AUTH_HMAC_SHA1_96', 3: 'AUTH_DES_MAC', 4: 'AUTH_KPDK_MD5', 5: 'AUTH_AES_XCBC_96',
  6: 'AUTH_HMAC_MD5_128', 7: 'AUTH_HMAC_SHA1_160', 8: 'AUTH_AES_CMAC_96', 9: 'AUTH_AES_128_GMAC', 10: 'AUTH_AES_192_GMAC',
  11: 'AUTH_AES_256_GMAC', 12: 'AUTH_HMAC_SHA2_256_128', 13: 'AUTH_HMAC_SHA2_384_192', 14: 'AUTH_HMAC_SHA2_512_256',
};

export const TF_ESN: NameTable = { 0: 'No Extended Sequence Numbers', 1: 'Extended Sequence Numbers' };

export const IKE2_ATTR_TYPE: RangeTable = [
  [0, 13, 'Reserved'], [14, 14, 'Key Length'], [15, 17, 'Reserved'], [18, 16383, 'Unassigned (Future use)'],
  [16384, 32767, 'Private use'],
];

export const SIGNATURE_HASH: RangeTable = [
  [0, 0, 'Reserved'], [1, 1, 'SHA1'], [2, 2, 'SHA2-256'], [3, 3, 'SHA2-384'], [4, 4, 'SHA2-512'], [5, 5, 'Identity'],
  [6, 1023, 'Unassigned'], [1024, 65535, 'Reserved for Private Use'],
];

export const REDIRECT_GW_TYPE: NameTable = { 1: 'IPv4 address', 2: 'IPv6 address', 3: 'FQDN' };
