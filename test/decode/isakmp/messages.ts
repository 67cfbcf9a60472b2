/**
 * Hand-made ISAKMP messages: each payload written out as spaced hex with a comment per field
 * (generic header included, lengths counted by hand). `message()` only prepends the 28-byte
 * header with the first payload type and the total length.
 */
import { bytesOf } from './helpers.js';

export interface MessageSpec {
  readonly ispi?: string;
  readonly rspi?: string;
  readonly version: 1 | 2;
  readonly exchange: number;
  readonly flags?: number;
  readonly mid?: number;
  /** Type of the first payload (the header's next payload). */
  readonly first: number;
  readonly payloads: readonly string[];
}

export function message(s: MessageSpec): Uint8Array {
  const body = bytesOf(s.payloads.join('\n'));
  const hdr = bytesOf(`${s.ispi ?? '0102030405060708'} ${s.rspi ?? '0000000000000000'}`);
  const out = new Uint8Array(28 + body.length);
  out.set(hdr, 0);
  out[16] = s.first;
  out[17] = s.version === 1 ? 0x10 : 0x20;
  out[18] = s.exchange;
  out[19] = s.flags ?? (s.version === 2 ? 0x08 : 0);
  new DataView(out.buffer).setUint32(20, s.mid ?? 0);
  new DataView(out.buffer).setUint32(24, out.length);
  out.set(body, 28);
  return out;
}

// ------------------------------------------------------------------------------- IKEv1

/** Phase 1 SA: DOI IPsec, one ISAKMP proposal, one KEY_IKE transform with TV attributes. */
export const V1_SA_PHASE1 = `
  0d 00 00 34      # next: VID (13), reserved, length 52
  00 00 00 01      # DOI: IPSEC
  00 00 00 01      # situation: SIT_IDENTITY_ONLY
  00 00 00 28      # proposal: next NONE, reserved, length 40
  01 01 00 01      # proposal #1, protocol ISAKMP, SPI size 0, 1 transform
  00 00 00 20      # transform: next NONE, reserved, length 32
  01 01 00 00      # transform #1, KEY_IKE, reserved
  80 0b 00 01      # Life-Type (TV): seconds
  80 0c 70 80      # Life-Duration (TV): 28800
  80 01 00 05      # Encryption-Algorithm: 3DES-CBC
  80 02 00 02      # Hash-Algorithm: SHA
  80 03 00 01      # Authentication-Method: pre-shared key
  80 04 00 02      # Group-Description: 1024-bit MODP
`;

/** RFC 3947 VID, next NONE. */
export const V1_VID_RFC3947_LAST = `
  00 00 00 14                                        # next NONE, length 20
  4a 13 1c 81 07 03 58 45 5c 57 28 f2 0e 95 45 2f    # MD5("RFC 3947")
`;

/** Quick Mode SA: ESP proposal with a 4-byte SPI and two transforms (TLV lifetime, draft encapsulation mode). */
export const V1_SA_QUICK = `
  05 00 00 5a      # next: ID (5), length 90
  00 00 00 01      # DOI: IPSEC
  00 00 00 01      # situation
  00 00 00 4e      # proposal: next NONE, length 78
  01 03 04 02      # proposal #1, IPSEC_ESP, SPI size 4, 2 transforms
  11 22 33 44      # SPI
  03 00 00 20      # transform: next Transform, length 32
  01 0c 00 00      # transform #1, ESP_AES, reserved
  80 01 00 01      # SA-Life-Type: seconds
  00 02 00 04      # SA-Life-Duration (TLV), length 4
  00 00 70 80      #   28800
  80 04 f0 03      # Encapsulation-Mode: UDP-Encapsulated-Tunnel (draft, 61443)
  80 05 00 02      # Authentication-Algorithm: HMAC-SHA
  80 06 00 80      # Key-Length: 128
  00 00 00 22      # transform: next NONE, length 34
  02 03 00 00      # transform #2, ESP_3DES
  80 01 00 02      # SA-Life-Type: kilobytes
  00 02 00 06      # SA-Life-Duration (TLV), length 6
  00 01 00 00 00 00 #  4294967296
  80 04 00 03      # Encapsulation-Mode: UDP-Encapsulated-Tunnel (RFC 3947)
  80 05 00 01      # Authentication-Algorithm: HMAC-MD5
  80 03 00 02      # Group-Description: 1024-bit MODP
`;

/** ID payloads of every fixed-size type, then FQDN / USER_FQDN / KEY_ID / DER_ASN1_DN. */
export const V1_IDS = `
  05 00 00 0c   01 11 01 f4   c0 a8 01 02                    # ID_IPV4_ADDR udp/500 192.168.1.2
  05 00 00 10   04 11 01 f4   0a 00 00 00 ff ff ff 00        # ID_IPV4_ADDR_SUBNET 10.0.0.0/255.255.255.0
  05 00 00 10   07 00 00 00   0a 00 00 01 0a 00 00 09        # ID_IPV4_ADDR_RANGE 10.0.0.1-10.0.0.9
  05 00 00 18   05 11 01 f4   20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # ID_IPV6_ADDR 2001:db8::1
  05 00 00 28   06 00 00 00   20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 00   # ID_IPV6_ADDR_SUBNET 2001:db8::
                              ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 00   #   /ffff:ffff:ffff:ffff::
  05 00 00 28   08 00 00 00   20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # ID_IPV6_ADDR_RANGE start
                              20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 ff   #   end
  05 00 00 17   02 11 01 f4   76 70 6e 2e 65 78 61 6d 70 6c 65 2e 63 6f 6d      # ID_FQDN vpn.example.com
  05 00 00 14   03 00 00 00   75 73 65 72 40 65 78 61 6d 70 6c 65               # ID_USER_FQDN user@example
  05 00 00 0d   0b 00 00 00   6b 65 79 69 64                                    # ID_KEY_ID "keyid"
  0b 00 00 0e   09 00 00 00   30 04 31 02 30 00                                 # ID_DER_ASN1_DN (tiny DER), next Notification
`;

/** Notification: DPD R-U-THERE with the ISAKMP SPI (16 bytes) and a sequence number; then Delete, NAT-D/NAT-OA. */
export const V1_NOTIFY_DELETE_NATT = `
  0c 00 00 20      # next: Delete (12), length 32
  00 00 00 01      # DOI: IPSEC
  01 10 8d 28      # protocol ISAKMP, SPI size 16, type R-U-THERE (36136)
  01 02 03 04 05 06 07 08 00 00 00 00 00 00 00 00   # SPI: CKY-I | CKY-R
  00 00 00 07      # data: sequence 7
  14 00 00 14      # next: NAT-D (20), length 20
  00 00 00 01      # DOI: IPSEC
  03 04 00 02      # protocol IPSEC_ESP, SPI size 4, 2 SPIs
  01 02 03 04      # SPI 1
  05 06 07 08      # SPI 2
  82 00 00 18      # next: NAT-D draft (130), length 24
  70 48 b1 70 a5 4f a1 c1 65 82 dc e0 08 d0 59 de 92 95 d7 d3   # NAT-D: SHA-1 hash (20 bytes)
  15 00 00 18      # next: NAT-OA (21), length 24
  c9 e4 6d dd fc c2 9d 4e f7 2b a4 da 66 d4 72 06 87 e4 69 e5   # NAT-D (draft 130)
  83 00 00 0c      # next: NAT-OA draft (131), length 12
  01 00 00 00      # ID type IPV4_ADDR, reserved
  c0 a8 01 02      # original address 192.168.1.2
  0e 00 00 18      # next: Attributes (14), length 24
  05 00 00 00      # ID type IPV6_ADDR, reserved
  fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02   # original address fd00::2
`;

/** Mode config (XAUTH request), Cisco fragment, HASH, SIG, NONCE, KE, CERT, CR, an unknown payload, VID. */
export const V1_MISC = `
  84 00 00 1c      # next: Cisco-Fragmentation (132), length 28
  01 00 12 34      # type ISAKMP_CFG_REQUEST, reserved, identifier 0x1234
  c0 88 00 00      # XAUTH_TYPE (TV): generic
  40 89 00 00      # XAUTH_USER_NAME (TLV), empty
  40 8a 00 00      # XAUTH_USER_PASSWORD (TLV), empty
  00 07 00 04      # APPLICATION_VERSION, length 4
  65 73 70 79      #   "espy"
  08 00 00 0c      # next: Hash (8), length 12
  00 07 01 00      # fragment id 7, number 1, flags: more fragments
  de ad be ef      # fragment data
  09 00 00 18      # next: Signature (9), length 24
  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13   # HASH
  0a 00 00 08      # next: Nonce (10), length 8
  aa bb cc dd      # SIG
  04 00 00 14      # next: KE (4), length 20
  00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff   # NONCE
  06 00 00 0c      # next: CERT (6), length 12
  01 02 03 04 05 06 07 08   # KE data
  07 00 00 09      # next: CR (7), length 9
  04 30 00 30 00   # encoding X.509 signature, DER bytes
  3c 00 00 05      # next: 60 (unassigned), length 5
  04               # CR: X.509 signature, no CA
  0d 00 00 07      # next: VID (13), length 7
  ab cd ef         # unknown payload 60: skipped by its length
  00 00 00 0c      # next NONE, length 12
  09 00 26 89 df d6 b7 12   # XAUTH VID (8 bytes)
`;

// ------------------------------------------------------------------------------- IKEv2

/** SA with an IKE proposal (ENCR with key length, PRF, INTEG, DH) and an ESP proposal with a SPI. */
export const V2_SA = `
  22 00 00 4c      # next: KE (34), not critical, length 76
  02 00 00 2c      # proposal: next Proposal, length 44
  01 01 00 04      # proposal #1, IKE, SPI size 0, 4 transforms
  03 00 00 0c      # transform: more, length 12
  01 00 00 0c      # ENCR, ENCR_AES_CBC
  80 0e 01 00      # Key Length (TV): 256
  03 00 00 08   02 00 00 05   # PRF_HMAC_SHA2_256
  03 00 00 08   03 00 00 0c   # AUTH_HMAC_SHA2_256_128
  00 00 00 08   04 00 00 13   # DH 19, last
  00 00 00 1c      # proposal: next NONE, length 28
  02 03 04 02      # proposal #2, ESP, SPI size 4, 2 transforms
  c0 01 02 03      # SPI
  03 00 00 08   01 00 00 14   # ENCR AES-GCM-16 (no key length)
  00 00 00 08   05 00 00 00   # ESN: none, last
`;

export const V2_KE_NONCE = `
  28 00 00 10      # next: Nonce (40), length 16
  00 13 00 00      # DH group 19, reserved
  01 02 03 04 05 06 07 08   # key exchange data
  29 00 00 14      # next: Notify (41), length 20
  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   # nonce
`;

/** NAT_DETECTION_SOURCE_IP and _DESTINATION_IP for NATT-REFERENCE.md §2.5 (SPIi ea684d21597afd36, SPIr 0). */
export const V2_NAT_DETECTION = `
  29 00 00 1c      # next: Notify, length 28
  00 00 40 04      # protocol 0, SPI size 0, NAT_DETECTION_SOURCE_IP (16388)
  94 9c 9d b5 73 9d 75 a9 74 a4 9c 18 46 18 36 9b 34 b7 f9 42   # SHA-1(SPIs | 192.168.1.2 | 500)
  29 00 00 1c      # next: Notify, length 28
  00 00 40 05      # NAT_DETECTION_DESTINATION_IP (16389)
  3e 72 1b 46 be 07 d5 31 11 42 5d 7f 80 d2 c6 e2 20 c6 07 2e   # SHA-1(SPIs | 192.168.1.14 | 500)
`;

export const V2_NOTIFIES = `
  29 00 00 10      # next: Notify, length 16
  00 00 40 06      # COOKIE (16390)
  c0 0c 1e 00 c0 0c 1e 01   # cookie
  29 00 00 0a      # next: Notify, length 10
  00 00 00 11      # INVALID_KE_PAYLOAD (17)
  00 0e            # accepted group 14
  29 00 00 0c      # next: Notify, length 12
  03 04 40 09      # ESP, SPI size 4, REKEY_SA (16393)
  aa bb cc dd      # SPI
  29 00 00 10      # next: Notify, length 16
  00 00 40 2f      # SIGNATURE_HASH_ALGORITHMS (16431)
  00 01 00 02 00 03 00 04   # SHA1, SHA2-256, SHA2-384, SHA2-512
  29 00 00 08   00 00 40 2e   # IKEV2_FRAGMENTATION_SUPPORTED (16430), next Notify
  2b 00 00 08   00 00 40 0c   # MOBIKE_SUPPORTED (16396), next VID
  2a 00 00 14      # next: Delete (42), length 20
  40 48 b7 d5 6e bc e8 85 25 e7 de 7f 00 d6 c2 d3   # VID: MD5("FRAGMENTATION")
  2a 00 00 10      # next: Delete, length 16
  03 04 00 02      # ESP, SPI size 4, 2 SPIs
  01 02 03 04 05 06 07 08   # SPIs
  00 00 00 08      # next NONE, length 8
  01 00 00 00      # IKE SA, SPI size 0, 0 SPIs
`;

/** IDi, IDr, CERT, CERTREQ, AUTH, CP, TSi, TSr, EAP (cleartext, as in a crafted IKE_AUTH). */
export const V2_AUTH_PAYLOADS = `
  24 00 00 17      # next: IDr (36), length 23
  02 00 00 00      # ID_FQDN, reserved
  76 70 6e 2e 65 78 61 6d 70 6c 65 2e 63 6f 6d   # vpn.example.com
  25 00 00 0c      # next: CERT (37), length 12
  01 00 00 00      # ID_IPV4_ADDR
  0a 00 00 02      # 10.0.0.2
  26 00 00 09      # next: CERTREQ (38), length 9
  04 30 00 30 00   # X.509 signature, DER bytes
  27 00 00 2d      # next: AUTH (39), length 45
  04               # X.509 signature
  5e ab 23 68 44 38 94 d7 83 11 60 0e 61 0e ab 69 64 f0 57 82   # CA key hash 1
  66 24 30 f3 51 6c e2 b4 19 0a f5 41 34 a7 23 1a d6 ff aa 04   # CA key hash 2
  2f 00 00 10      # next: CP (47), length 16
  02 00 00 00      # Shared Key MIC, reserved
  00 01 02 03 04 05 06 07   # auth data
  2c 00 00 18      # next: TSi (44), length 24
  01 00 00 00      # CFG_REQUEST, reserved
  00 01 00 00      # INTERNAL_IP4_ADDRESS, empty
  00 03 00 04 08 08 08 08   # INTERNAL_IP4_DNS 8.8.8.8
  00 0e 00 00      # SUPPORTED_ATTRIBUTES, empty
  2d 00 00 18      # next: TSr (45), length 24
  01 00 00 00      # 1 selector
  07 11 00 10      # TS_IPV4_ADDR_RANGE, UDP, length 16
  01 f4 01 f4      # ports 500-500
  0a 00 00 01 0a 00 00 ff   # 10.0.0.1-10.0.0.255
  00 00 00 30      # next NONE, length 48
  01 00 00 00      # 1 selector
  08 00 00 28      # TS_IPV6_ADDR_RANGE, any protocol, length 40
  00 00 ff ff      # ports 0-65535
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # ::
  ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff   # ffff:...:ffff
`;

/** EAP in clear (only seen decrypted in practice): tshark's EAP dissector rewrites the Info column. */
export const V2_EAP = `
  00 00 00 0d      # next NONE, length 13
  02 07 00 09 01 75 73 65 72   # EAP Response, id 7, length 9, Identity "user"
`;

export const V2_SK = `
  00 00 00 24      # next: (inner) NONE, length 36
  00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff   # IV ...
  00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff   # ... ciphertext and ICV (opaque)
`;

export const V2_SKF = `
  23 00 00 14      # next: (inner) IDi (35), length 20
  00 01 00 03      # fragment 1 of 3
  00 11 22 33 44 55 66 77 88 99 aa bb   # IV, ciphertext, ICV
`;

export const MESSAGES = {
  v1MainMode1: message({ version: 1, exchange: 2, first: 1, payloads: [V1_SA_PHASE1, V1_VID_RFC3947_LAST] }),
  v1Quick: message({ version: 1, exchange: 32, mid: 0x12345678, first: 1, payloads: [V1_SA_QUICK, V1_IDS, V1_NOTIFY_DELETE_NATT, V1_MISC] }),
  v2Init: message({ ispi: 'ea684d21597afd36', version: 2, exchange: 34, first: 33, payloads: [V2_SA, V2_KE_NONCE, V2_NAT_DETECTION, V2_NOTIFIES] }),
  v2Auth: message({ version: 2, exchange: 35, mid: 1, first: 35, payloads: [V2_AUTH_PAYLOADS] }),
  v2Eap: message({ version: 2, exchange: 35, flags: 0x20, mid: 2, first: 48, payloads: [V2_EAP] }),
  v2Sk: message({ version: 2, exchange: 37, flags: 0x20, mid: 5, first: 46, payloads: [V2_SK] }),
  v2Skf: message({ version: 2, exchange: 35, mid: 1, first: 53, payloads: [V2_SKF] }),
} as const;
