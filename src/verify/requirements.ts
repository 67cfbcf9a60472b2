/**
 * The one catalogue of NAT-T conformance requirements `espy verify` judges (RFC 3947, RFC 3948,
 * RFC 7296 §2.11/§2.23; ../shared/NATT-REFERENCE.md §4 A1–A19, B1–B11, C1–C13). Everything else —
 * the checks, the text and JSON output, docs/verify-requirements.md — is keyed by these ids.
 */

/**
 * BCP 14 level of a requirement. `defined`: the RFC defines the wire format or placement
 * without a keyword (NAT-D formula, marker, payload numbers); a violation breaks interoperation
 * and counts like a MUST. `info`: not a requirement on what is sent (reported, never failed).
 */
export type Level = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY' | 'defined' | 'info';

/**
 * What it takes to judge from a capture (NATT-REFERENCE §4): C cleartext, T timing or state
 * across packets, K1 IKEv1 Phase-1 keys, K2 IKEv2 SK keys, D ESP decryption, — not observable.
 * `C/K1`: cleartext in some exchanges (Aggressive Mode), encrypted in others.
 */
export type Visibility = 'C' | 'T' | 'C,T' | 'C/K1' | 'K1' | 'K2' | 'D' | '—';

export type Role = 'initiator' | 'responder';

export interface Requirement {
  readonly id: string;
  readonly rfc: 'RFC 3947' | 'RFC 3948' | 'RFC 7296';
  readonly section: string;
  /** First the level of the main obligation; a second one when the clause has two (SHOULD / MUST NOT). */
  readonly levels: readonly Level[];
  readonly visibility: Visibility;
  /** IKE versions whose SAs the requirement applies to. */
  readonly ikeVersions: readonly (1 | 2)[];
  /** Whose behaviour is judged: the peer in this role of the IKE SA. */
  readonly roles: readonly Role[];
  readonly summary: string;
  /** How espy decides, for the documentation. */
  readonly check: string;
}

const V1 = [1] as const;
const V2 = [2] as const;
const ANY = [1, 2] as const;
const BOTH = ['initiator', 'responder'] as const;
const I = ['initiator'] as const;
const R = ['responder'] as const;

export const REQUIREMENTS: readonly Requirement[] = [
  // RFC 3947: IKEv1 NAT-T negotiation
  { id: 'A1', rfc: 'RFC 3947', section: '3', levels: ['MUST'], visibility: 'C', ikeVersions: V1, roles: BOTH, summary: 'Process IKE requests whose source port is not 500', check: 'PASS when a request from a translated source port (neither 500 nor 4500) is answered; FAIL when such a request is retransmitted and never answered while the peer answered other requests of the SA' },
  { id: 'A2', rfc: 'RFC 3947', section: '3', levels: ['MUST'], visibility: 'C,T', ikeVersions: V1, roles: BOTH, summary: 'Reply to the source address and port of the request; the responder\'s own later messages use the addresses the SA last used', check: 'every reply goes to the source IP:port of its request; messages the original responder starts go to the initiator\'s last-used IP:port' },
  { id: 'A3', rfc: 'RFC 3947', section: '3.1', levels: ['MUST'], visibility: 'C', ikeVersions: V1, roles: BOTH, summary: 'A side that supports NAT-T sends its vendor ID in its first Phase-1 message (MM1/AM1, MM2/AM2); NAT-T goes on only when both did', check: 'NAT-T VID in MM1/AM1 and in MM2/AM2; FAIL when a side uses NAT-T (NAT-D, port 4500) without having sent one, or without a version in common. Several NAT-T VIDs in MM2 are not a violation (Windows advertises all it supports); the version in use is judged by A6' },
  { id: 'A4', rfc: 'RFC 3947', section: '3.2', levels: ['defined'], visibility: 'C/K1', ikeVersions: V1, roles: BOTH, summary: 'NAT-D payloads (at least two) in Main Mode 3/4 and Aggressive Mode 2/3', check: 'when NAT-T was agreed, MM3, MM4 and AM2 carry ≥ 2 NAT-D payloads; AM3 is encrypted (NOT-SEEN)' },
  { id: 'A5', rfc: 'RFC 3947', section: '3.2', levels: ['defined'], visibility: 'C', ikeVersions: V1, roles: BOTH, summary: 'NAT-D = HASH(CKY-I | CKY-R | IP | port) with the negotiated hash; first the destination, then the sender\'s addresses', check: 'recomputed from the addresses seen; a mismatch must be explained by the NAT verdict (translation on the right side of the capture point) or a forced-encapsulation fake; FAIL on a wrong length, or hashes that match the observed addresses in swapped order' },
  { id: 'A6', rfc: 'RFC 3947', section: '3.1, 5.1', levels: ['defined'], visibility: 'C/K1', ikeVersions: V1, roles: BOTH, summary: 'One NAT-T version throughout: NAT-D 20 / NAT-OA 21 / modes 3-4 for RFC 3947, 130 / 131 / 61443-61444 for drafts -02/-03', check: 'every NAT-D, NAT-OA payload type and encapsulation mode a side sends matches the version chosen from the vendor IDs' },
  { id: 'A7', rfc: 'RFC 3947', section: '4', levels: ['MUST'], visibility: 'C,T', ikeVersions: V1, roles: I, summary: 'With a NAT, the initiator changes to UDP 4500 when it sends the ID payload (MM5, AM3)', check: 'MM5/AM3 on the NAT-T port; FAIL when a NAT (or a forced-encapsulation fake) was detected and MM5/AM3 stayed on 500' },
  { id: 'A8', rfc: 'RFC 3947', section: '4', levels: ['MUST'], visibility: 'C', ikeVersions: V1, roles: BOTH, summary: 'After the change, all IKE packets use port 4500', check: 'no new IKE message of the SA on UDP 500 after its first message on 4500' },
  { id: 'A9', rfc: 'RFC 3947', section: '4', levels: ['MUST'], visibility: 'C', ikeVersions: V1, roles: R, summary: 'The responder answers the floated message with UDP(4500, Y), Y the port it came from', check: 'the reply to the first message on 4500 leaves from the NAT-T port to the request\'s source IP:port' },
  { id: 'A10', rfc: 'RFC 3947', section: '4', levels: ['MUST'], visibility: 'C,T', ikeVersions: V1, roles: R, summary: 'A Phase-1 rekey started by the responder uses UDP(4500, Y)', check: 'a Main/Aggressive Mode started by the old responder toward the initiator while the floated SA lives starts on 4500' },
  { id: 'A11', rfc: 'RFC 3947', section: '4', levels: ['MUST'], visibility: 'C', ikeVersions: V1, roles: R, summary: 'Support negotiations that start on port 4500', check: 'PASS when a Phase 1 started on 4500 is answered; FAIL when it is retransmitted and never answered' },
  { id: 'A12', rfc: 'RFC 3947', section: '4', levels: ['MUST'], visibility: 'C/K1', ikeVersions: V1, roles: BOTH, summary: 'With NAT-T, the port in the Phase-1 ID payload is 0', check: 'cleartext ID payloads (Aggressive Mode 1/2) carry port 0; Main Mode IDs are encrypted (NOT-SEEN)' },
  { id: 'A13', rfc: 'RFC 3947', section: '4', levels: ['defined'], visibility: 'C', ikeVersions: V1, roles: BOTH, summary: 'No NAT-keepalives to port 500', check: 'every keepalive a side sends goes to a port other than 500' },
  { id: 'A14', rfc: 'RFC 3947', section: '5.1', levels: ['SHOULD', 'SHOULD NOT'], visibility: 'C', ikeVersions: V1, roles: BOTH, summary: 'UDP-encapsulated modes with a NAT, not without (ESP seen afterwards as the proxy for the encrypted Quick Mode SA)', check: 'FAIL (SHOULD) for raw ESP after a NAT was detected; FAIL (SHOULD NOT) for ESP in UDP when both sides are definitely not behind a NAT and nothing was faked' },
  { id: 'A15', rfc: 'RFC 3947', section: '5.2', levels: ['MUST', 'SHOULD NOT'], visibility: 'K1', ikeVersions: V1, roles: BOTH, summary: 'Transport mode through a NAT: Quick Mode carries the NAT-OA payloads; tunnel mode should not', check: 'cleartext Quick Mode only: UDP-Encapsulated-Transport proposed/selected needs NAT-OA; NAT-OA with tunnel mode is a SHOULD NOT' },
  { id: 'A16', rfc: 'RFC 3947', section: '5.2', levels: ['MUST'], visibility: 'K1', ikeVersions: V1, roles: BOTH, summary: 'NAT-OA ID type is ID_IPV4_ADDR or ID_IPV6_ADDR, reserved fields zero', check: 'cleartext Quick Mode only: NAT-OA ID type 1 or 5 and zero reserved bytes' },
  { id: 'A17', rfc: 'RFC 3947', section: '6', levels: ['MUST NOT'], visibility: '—', ikeVersions: V1, roles: BOTH, summary: 'Do not use the IP/port of an INITIAL-CONTACT from a NATed host to pick SAs to delete', check: 'behaviour inside the peer: not observable on the wire' },
  { id: 'A18', rfc: 'RFC 3947', section: '7', levels: ['SHOULD', 'MUST NOT'], visibility: 'C,T', ikeVersions: V1, roles: BOTH, summary: 'The end not behind a NAT follows the peer\'s new mapping (last valid packet); the host behind a dynamic NAT must not change its peer address', check: 'after a packet of the SA arrives from a new IP:port, the non-NATed peer sends to the new one (FAIL: it keeps the old one); a NATed peer following a move of the other peer is a MUST NOT' },
  { id: 'A19', rfc: 'RFC 3947', section: '8', levels: ['info'], visibility: 'C', ikeVersions: V1, roles: BOTH, summary: 'NAT-D exposes the private address to a brute force of about 2^24 + 2·2^16 hashes', check: 'informational: reports the private address espy recovered from the NAT-D hashes; never PASS or FAIL' },
  // RFC 3948: UDP encapsulation of ESP
  { id: 'B1', rfc: 'RFC 3948', section: '2.1', levels: ['MUST NOT'], visibility: 'C', ikeVersions: ANY, roles: BOTH, summary: 'No ESP packet with SPI 0', check: 'every ESP packet a side sends has a non-zero SPI' },
  { id: 'B2', rfc: 'RFC 3948', section: '2.1', levels: ['MUST'], visibility: 'C,T', ikeVersions: ANY, roles: BOTH, summary: 'UDP-encapsulated ESP uses the same source and destination ports as the IKE traffic', check: 'every ESP-in-UDP port pair a side sends is one its IKE messages used (ports a NAT mapping change moved count as the old ones)' },
  { id: 'B3', rfc: 'RFC 3948', section: '2.1, 2.3', levels: ['SHOULD'], visibility: 'C', ikeVersions: ANY, roles: BOTH, summary: 'IPv4 UDP checksum of ESP-in-UDP and NAT-keepalives sent as zero', check: 'every IPv4 ESP-in-UDP packet and keepalive a side sends has UDP checksum 0 (IPv6 is not judged: it needs a checksum)' },
  { id: 'B4', rfc: 'RFC 3948', section: '2.2', levels: ['defined'], visibility: 'C', ikeVersions: ANY, roles: BOTH, summary: 'IKE on the NAT-T port is preceded by the 4-byte non-ESP marker', check: 'no ISAKMP header without the marker, and no marker without an ISAKMP header, on the NAT-T port' },
  { id: 'B5', rfc: 'RFC 3948', section: '2.3', levels: ['MUST'], visibility: 'C', ikeVersions: ANY, roles: BOTH, summary: 'A NAT-keepalive is exactly one octet 0xFF, on the ports of the UDP-encapsulated ESP', check: 'every keepalive is one octet 0xFF and uses a port pair the same side used for IKE or ESP' },
  { id: 'B6', rfc: 'RFC 3948', section: '2.3', levels: ['SHOULD'], visibility: '—', ikeVersions: ANY, roles: BOTH, summary: 'The receiver ignores NAT-keepalives', check: 'nothing is expected in return: not observable' },
  { id: 'B7', rfc: 'RFC 3948', section: '4', levels: ['MUST NOT'], visibility: '—', ikeVersions: ANY, roles: BOTH, summary: 'Keepalives are not used to decide whether a connection is alive', check: 'behaviour inside the peer: not observable' },
  { id: 'B8', rfc: 'RFC 3948', section: '4', levels: ['MAY'], visibility: 'T', ikeVersions: ANY, roles: BOTH, summary: 'Keepalives while SAs exist, or up to N (5) minutes after', check: 'keepalives fall within the SA\'s observed activity (plus 5 minutes); the end of an SA is encrypted, so later ones are NOT-SEEN' },
  { id: 'B9', rfc: 'RFC 3948', section: '4', levels: ['SHOULD'], visibility: 'T', ikeVersions: ANY, roles: BOTH, summary: 'The side behind a NAT sends keepalives when it sent nothing for M (20) seconds', check: 'FAIL when the side the NAT verdict puts behind a NAT goes more than M + 5 s without sending anything while the SA lives; keepalives from a side not behind a NAT are noted (allowed by the MAY of §4)' },
  { id: 'B10', rfc: 'RFC 3948', section: '3.1.1, 3.1.2', levels: ['MUST'], visibility: 'D', ikeVersions: ANY, roles: BOTH, summary: 'After decapsulation, fix or drop the inner transport checksums (transport mode); verify them (tunnel mode)', check: 'needs ESP decryption' },
  { id: 'B11', rfc: 'RFC 3948', section: '5.1, 5.2', levels: ['MUST'], visibility: 'C,T', ikeVersions: ANY, roles: R, summary: 'Several clients behind one NAT (same public address) are kept apart', check: 'each concurrent SA from one public address gets its packets on its own port: nothing of one SA goes to another SA\'s client port' },
  // RFC 7296: IKEv2
  { id: 'C1', rfc: 'RFC 7296', section: '2.11', levels: ['MUST'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'Accept requests from any port; respond to the IP:port the request came from, from the IP:port it arrived on', check: 'every response goes back to its request\'s source and leaves from its destination; a request retransmitted from an unusual port and never answered is a FAIL' },
  { id: 'C2', rfc: 'RFC 7296', section: '2.23', levels: ['MUST'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'IKE_SA_INIT request and response carry NAT_DETECTION_SOURCE_IP and NAT_DETECTION_DESTINATION_IP', check: 'both notifies, or none (NAT-T not supported); a successful response without them after a request with them is a FAIL' },
  { id: 'C3', rfc: 'RFC 7296', section: '2.23', levels: ['defined'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'NAT_DETECTION hash = SHA-1(SPIi | SPIr | IP | port), SPIr zero in the request', check: 'as A5; FAIL also for a response hashed with a zero SPIr or SOURCE/DESTINATION swapped' },
  { id: 'C4', rfc: 'RFC 7296', section: '2.23', levels: ['MAY'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'Several NAT_DETECTION_SOURCE_IP payloads may be sent', check: 'PASS when seen (allowed); never FAIL' },
  { id: 'C5', rfc: 'RFC 7296', section: '2.23', levels: ['MUST'], visibility: 'C,T', ikeVersions: V2, roles: BOTH, summary: 'With a NAT, all IKE after IKE_SA_INIT goes over UDP 4500', check: 'the initiator floats at the first IKE_AUTH request when a NAT (or a fake) was detected; no new IKE of the SA on 500 afterwards; the responder answers on 4500' },
  { id: 'C6', rfc: 'RFC 7296', section: '2.23', levels: ['MUST'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'With a NAT, ESP is UDP-encapsulated', check: 'no raw ESP (IP protocol 50) between the peers after a NAT was detected' },
  { id: 'C7', rfc: 'RFC 7296', section: '2.23', levels: ['MUST NOT'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'No UDP encapsulation on port 500', check: 'no ESP in UDP with port 500 at either end (draft non-IKE marker, or the SA\'s SPI right after the UDP header)' },
  { id: 'C8', rfc: 'RFC 7296', section: '2.23', levels: ['SHOULD'], visibility: 'T', ikeVersions: V2, roles: BOTH, summary: 'The side behind a NAT sends NAT-keepalives', check: 'as B9 (RFC 3948 §4 timing, M = 20 s)' },
  { id: 'C9', rfc: 'RFC 7296', section: '2.23', levels: ['SHOULD', 'SHOULD NOT'], visibility: 'C,T', ikeVersions: V2, roles: BOTH, summary: 'The side not behind a NAT updates the peer address from new authenticated packets; the side behind a NAT does not', check: 'as A18, with SHOULD NOT for the NATed side' },
  { id: 'C10', rfc: 'RFC 7296', section: '2.23, 3.1', levels: ['MUST'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'IKE on port 4500 carries the 4-byte zero non-ESP marker', check: 'as B4, for IKEv2 SAs' },
  { id: 'C11', rfc: 'RFC 7296', section: '2.23', levels: ['MAY'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'An initiator may start IKE_SA_INIT on port 4500', check: 'PASS when seen (and answered); never FAIL' },
  { id: 'C12', rfc: 'RFC 7296', section: '3.10, 3.10.1', levels: ['MUST'], visibility: 'C', ikeVersions: V2, roles: BOTH, summary: 'NAT_DETECTION notifies carry no SPI, so protocol ID 0 ("MUST be sent as zero"), SPI size 0, and the 20-byte SHA-1', check: 'every NAT_DETECTION_* notify a side sends has that shape' },
  { id: 'C13', rfc: 'RFC 7296', section: '2.23.1', levels: ['defined'], visibility: 'K2', ikeVersions: V2, roles: BOTH, summary: 'Transport mode with a NAT: traffic selectors use the actual addresses', check: 'needs IKEv2 decryption' },
];

export const REQUIREMENT_BY_ID: ReadonlyMap<string, Requirement> = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/** Levels whose failure makes `espy verify` exit 1; `--strict` adds SHOULD and SHOULD NOT. */
export function isBlocking(level: Level, strict: boolean): boolean {
  if (level === 'MUST' || level === 'MUST NOT' || level === 'defined') return true;
  return strict && (level === 'SHOULD' || level === 'SHOULD NOT');
}

export function levelText(r: Requirement): string {
  return r.levels.join(' / ');
}

export function reference(r: Requirement): string {
  return `${r.rfc} §${r.section}`;
}
