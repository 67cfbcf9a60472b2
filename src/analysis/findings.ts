/**
 * The finding catalogue: every conclusion `espy analyze` can report, with its severity and the
 * RFC clause it rests on. Ids are stable once released (README lists them). Code refers to ids;
 * severity lives only here.
 */
export type FindingSeverity = 'chat' | 'note' | 'warning' | 'error';

export const FINDING_SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { chat: 0, note: 1, warning: 2, error: 3 };

export interface FindingDef {
  readonly severity: FindingSeverity;
  readonly summary: string;
  readonly rfc: string;
}

export const FINDINGS = {
  // NAT detection (NAT-D)
  'natt.nat_detected': { severity: 'note', summary: 'NAT detected between the peers (NAT-D hashes do not match the observed addresses)', rfc: 'RFC 3947 §3.2; RFC 7296 §2.23' },
  'natt.nat_d_length_mismatch': { severity: 'error', summary: 'NAT-D hash length differs from the negotiated hash size', rfc: 'RFC 3947 §3.2' },
  'natt.nat_d_unexplained': { severity: 'warning', summary: 'NAT-D hashes match no observed address on either side of the capture point', rfc: 'RFC 3947 §3.2; RFC 7296 §2.23' },
  'natt.nat_d_missing': { severity: 'warning', summary: 'NAT-D payloads missing where NAT-T was negotiated', rfc: 'RFC 3947 §3.2; RFC 7296 §2.23' },
  'natt.nat_d_count': { severity: 'note', summary: 'Unusual number of NAT-D payloads', rfc: 'RFC 3947 §3.2' },
  'natt.nat_d_without_vid': { severity: 'warning', summary: 'NAT-D sent although a side sent no NAT-T vendor ID', rfc: 'RFC 3947 §3.1' },
  'natt.nat_d_unverifiable': { severity: 'note', summary: 'NAT-D hash could not be recomputed (unsupported hash algorithm)', rfc: 'RFC 3947 §3.2' },
  'natt.forced_encap': { severity: 'note', summary: 'UDP encapsulation forced without a NAT (faked NAT-D source hash)', rfc: 'RFC 3947 §5.1; RFC 7296 §2.23' },
  'natt.vid_not_echoed': { severity: 'chat', summary: 'Only the initiator sent a NAT-T vendor ID: NAT-T not negotiated', rfc: 'RFC 3947 §3.1' },
  'natt.version_inconsistent': { severity: 'warning', summary: 'NAT-D / NAT-OA payload type or encapsulation mode does not match the chosen NAT-T version', rfc: 'RFC 3947 §3.1, §5.1' },
  // Port floating
  'natt.port_float': { severity: 'chat', summary: 'IKE SA floated from UDP 500 to 4500', rfc: 'RFC 3947 §4; RFC 7296 §2.23' },
  'natt.float_without_natt': { severity: 'warning', summary: 'IKE SA moved to the NAT-T port although NAT-T was not negotiated', rfc: 'RFC 3947 §4' },
  'natt.float_without_nat': { severity: 'chat', summary: 'IKE SA floated to 4500 although no NAT was detected', rfc: 'RFC 3947 §4' },
  'natt.float_unexpected_message': { severity: 'warning', summary: 'IKE SA floated at a different message than the RFCs specify', rfc: 'RFC 3947 §4; RFC 7296 §2.23' },
  'natt.no_port_float': { severity: 'warning', summary: 'NAT detected but the IKE SA never moved to UDP 4500', rfc: 'RFC 3947 §4; RFC 7296 §2.23' },
  'natt.ike_on_500_after_float': { severity: 'warning', summary: 'IKE message on UDP 500 after the SA floated to 4500', rfc: 'RFC 3947 §4' },
  'natt.started_on_4500': { severity: 'chat', summary: 'Negotiation started directly on the NAT-T port', rfc: 'RFC 3947 §4; RFC 7296 §2.23' },
  'natt.marker_missing': { severity: 'warning', summary: 'IKE on the NAT-T port without the non-ESP marker', rfc: 'RFC 3948 §2.2' },
  'natt.marker_without_ike': { severity: 'error', summary: 'Non-ESP marker on the NAT-T port not followed by an IKE header', rfc: 'RFC 3948 §2.2' },
  'natt.udpencap_short': { severity: 'error', summary: 'UDP payload on the NAT-T port of 2–3 bytes: neither a keepalive, a marker nor ESP', rfc: 'RFC 3948 §2' },
  'natt.esp_on_500': { severity: 'error', summary: 'ESP inside UDP on port 500 (not in the drafts\' non-IKE marker form)', rfc: 'RFC 7296 §2.23; RFC 3948 §2.1' },
  'natt.non_ike_marker': { severity: 'note', summary: 'Draft-style non-IKE marker (8 zero bytes) carrying ESP on port 500', rfc: 'draft-ietf-ipsec-udp-encaps-00/01' },
  'natt.response_port_mismatch': { severity: 'warning', summary: 'Response not sent to the address and port the request came from', rfc: 'RFC 3947 §3, §4; RFC 7296 §2.11' },
  // Keepalives
  'natt.keepalive_interval_long': { severity: 'warning', summary: 'NAT keepalive interval longer than a typical NAT UDP timeout while a NAT is present', rfc: 'RFC 3948 §4' },
  'natt.keepalive_without_natt': { severity: 'warning', summary: 'NAT keepalives where no NAT-T was negotiated', rfc: 'RFC 3948 §2.3' },
  'natt.keepalive_from_public_side': { severity: 'chat', summary: 'NAT keepalives from the side NAT-D says is not behind a NAT', rfc: 'RFC 3948 §4' },
  'natt.keepalive_on_500': { severity: 'warning', summary: 'NAT keepalive sent to port 500', rfc: 'RFC 3947 §4' },
  'natt.keepalive_bad': { severity: 'warning', summary: 'Malformed NAT keepalive (must be exactly one 0xFF octet)', rfc: 'RFC 3948 §2.3' },
  // NAT-OA and encapsulation mode
  'natt.nat_oa_without_nat': { severity: 'note', summary: 'NAT-OA sent although no NAT was detected', rfc: 'RFC 3947 §5.2' },
  'natt.nat_oa_missing': { severity: 'warning', summary: 'Transport mode through a NAT without NAT-OA', rfc: 'RFC 3947 §5.2' },
  'natt.nat_oa_differs': { severity: 'chat', summary: 'NAT-OA original address differs from the observed address (translated)', rfc: 'RFC 3947 §5.2' },
  'natt.encap_mode_version_mismatch': { severity: 'warning', summary: 'Encapsulation mode value does not match the chosen NAT-T version (RFC 3/4 vs draft 61443/61444)', rfc: 'RFC 3947 §5.1' },
  'natt.encap_mode_without_natt': { severity: 'warning', summary: 'UDP-encapsulated mode proposed or chosen without NAT-T', rfc: 'RFC 3947 §5.1' },
  // Checksums
  'checksum.ipv4_bad': { severity: 'error', summary: 'Bad IPv4 header checksum', rfc: 'RFC 791' },
  'checksum.udp_bad': { severity: 'warning', summary: 'Bad UDP checksum', rfc: 'RFC 768' },
  'checksum.tcp_bad': { severity: 'warning', summary: 'Bad TCP checksum', rfc: 'RFC 9293' },
  'checksum.offload': { severity: 'note', summary: 'Checksums left for the NIC to fill in (capture-host checksum offload), not corruption', rfc: '—' },
  'checksum.rewritten': { severity: 'warning', summary: 'Bad UDP checksum with a good IPv4 checksum: addresses rewritten by a middlebox or an edited capture', rfc: '—' },
  'udpencap.checksum_bad': { severity: 'error', summary: 'UDP-encapsulated ESP or keepalive with a wrong non-zero UDP checksum', rfc: 'RFC 3948 §2.1' },
  'udpencap.checksum_nonzero': { severity: 'chat', summary: 'UDP-encapsulated ESP with a non-zero UDP checksum (SHOULD be zero)', rfc: 'RFC 3948 §2.1' },
  'udpencap.ipv6_zero_checksum': { severity: 'warning', summary: 'UDP-encapsulated ESP over IPv6 with a zero UDP checksum', rfc: 'RFC 8200 §8.1' },
  // Did the tunnel work (sa-status.ts)
  'ike.request_unanswered': { severity: 'error', summary: 'IKE request retransmitted and never answered (the cause named: IP fragments dropped, a dead peer, ...)', rfc: 'RFC 7296 §2.1, §2.4; RFC 7383' },
  'ike.fragments_incomplete': { severity: 'error', summary: 'IKE negotiation stopped at IP fragments that never completed: the rest were dropped on the path', rfc: 'RFC 7383 §1; RFC 791' },
  'ike.error_notify': { severity: 'error', summary: 'Negotiation refused with an error notify in clear (NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED, ...)', rfc: 'RFC 7296 §3.10.1; RFC 2408 §3.14.1' },
  'ike.child_sa_refused': { severity: 'error', summary: 'IKEv1 Quick Mode answered by an Informational: the CHILD SA was refused, no ESP flows', rfc: 'RFC 2409 §5.5' },
  'esp.one_way': { severity: 'warning', summary: 'ESP in one direction only: nothing came back', rfc: 'RFC 4303 §3' },
  'esp.stopped': { severity: 'warning', summary: 'ESP from one peer stopped while the other kept sending', rfc: 'RFC 4303 §3' },
  'icmp.unreachable': { severity: 'warning', summary: 'ICMP unreachable answered IPsec packets: an expired or moved NAT mapping, or a stopped daemon', rfc: 'RFC 792; RFC 4443 §3.1; RFC 3948 §4' },
  'icmp.too_big': { severity: 'warning', summary: 'ICMP fragmentation needed / packet too big for IPsec packets: path MTU trouble', rfc: 'RFC 1191; RFC 8201; RFC 3948 §3' },
  'icmp.prohibited': { severity: 'warning', summary: 'ICMP administratively prohibited answered IPsec packets: a filter on the path', rfc: 'RFC 1812 §5.2.7.1; RFC 4443 §3.1' },
  // ESP / AH
  'esp.sequence_gap': { severity: 'note', summary: 'ESP sequence numbers skipped (loss before the capture point)', rfc: 'RFC 4303 §3.3.3' },
  'esp.sequence_replay': { severity: 'warning', summary: 'ESP sequence number repeated (replay or duplicate)', rfc: 'RFC 4303 §3.4.3' },
  'esp.sequence_reset': { severity: 'note', summary: 'ESP sequence number went back to a low value on the same SPI', rfc: 'RFC 4303 §3.3.3' },
  'natt.raw_esp_after_nat': { severity: 'warning', summary: 'Raw ESP (IP protocol 50) between peers that detected a NAT: it will not traverse', rfc: 'RFC 3948 §1; RFC 7296 §2.23' },
  'natt.mapping_expired': { severity: 'warning', summary: 'A keepalive silence longer than the NAT UDP timeout, then the peer back from a new mapping: the mapping expired', rfc: 'RFC 3948 §4' },
  'natt.not_negotiated_across_nat': { severity: 'warning', summary: 'IKE between a private and a public address without NAT-T: ESP will not cross the NAT on the path', rfc: 'RFC 3947 §3; RFC 3715 §2.2' },
  'natt.raw_esp_private_to_public': { severity: 'error', summary: 'Raw ESP (IP protocol 50) from a private address to a public one: a NAT on the path cannot carry it', rfc: 'RFC 3715 §2.2; RFC 3948 §1' },
  'natt.ah_across_nat': { severity: 'error', summary: 'AH between peers separated by a NAT: AH authenticates the addresses and always breaks', rfc: 'RFC 3715 §2.1' },
  // Translation anomalies
  'natt.ike_port_translated': { severity: 'note', summary: 'IKE from a source port other than 500/4500: port translation on the path', rfc: 'RFC 3947 §3' },
  'natt.rebinding': { severity: 'note', summary: 'Same IKE SA or ESP SPI from a new outer address or port (NAT mapping change)', rfc: 'RFC 3947 §7; RFC 7296 §2.23' },
  'natt.rebinding_not_followed': { severity: 'warning', summary: 'After a NAT mapping change the peer kept sending to the old mapping', rfc: 'RFC 3947 §7; RFC 7296 §2.23' },
  'natt.mapping_reuse': { severity: 'warning', summary: 'One public address:port used by two different peers\' IPsec flows (misdelivery risk, KB 885348)', rfc: 'RFC 3948 §5.1' },
  'natt.shared_public_address': { severity: 'note', summary: 'Several clients behind one public address talk to the same responder', rfc: 'RFC 3948 §5' },
  'natt.responder_behind_nat': { severity: 'note', summary: 'Responder behind a NAT: Windows XP SP2 clients refuse it unless AssumeUDPEncapsulationContextOnSendRule is 1 (server behind NAT) or 2 (both behind NAT)', rfc: 'RFC 3947 §4; KB 885348' },
  'tunnel.l2tp_cleartext': { severity: 'note', summary: 'Cleartext L2TP (UDP 1701) outside IPsec', rfc: 'RFC 3193' },
  'tunnel.pptp_fallback': { severity: 'note', summary: 'PPTP between the peers after their IPsec attempt failed (the old fallback when L2TP/IPsec could not cross a NAT)', rfc: 'RFC 2637; RFC 3193 §4' },
  'tunnel.pptp': { severity: 'note', summary: 'PPTP tunnel (TCP 1723 + GRE): the usual fallback when NAT-T fails', rfc: 'RFC 2637' },
  // Decoding and resources
  'decode.malformed': { severity: 'warning', summary: 'Malformed packets (see `espy packets -V` for the layer and offset)', rfc: '—' },
  'analysis.ike_sa_evicted': { severity: 'warning', summary: 'IKE SA state evicted: more IKE SAs than --max-ike-sas', rfc: '—' },
  'analysis.esp_sa_evicted': { severity: 'warning', summary: 'ESP SA state evicted: more ESP SAs than --max-esp-sas', rfc: '—' },
  'analysis.flow_evicted': { severity: 'warning', summary: 'Flow state evicted: more UDP flows than --max-flows', rfc: '—' },
  'analysis.findings_capped': { severity: 'warning', summary: 'More distinct findings than --max-findings: further subjects are counted in one entry per id', rfc: '—' },
  'analysis.reassembly_limit': { severity: 'warning', summary: 'IP fragments dropped from reassembly: a limit was reached (--max-datagram-bytes, --max-fragment-bytes, --max-datagrams, --reassembly-timeout)', rfc: '—' },
  'capture.read_error': { severity: 'error', summary: 'Reading stopped early at a file error (corrupt or truncated file, or a record over --max-record-bytes): later packets are not analysed', rfc: '—' },
  'capture.resynchronised': { severity: 'error', summary: 'Damaged pcapng block framing: bytes of the capture were skipped to the next intact block (the packets in them are lost), reading went on there', rfc: '—' },
  'capture.blocks_skipped': { severity: 'warning', summary: 'Well-framed capture blocks that could not be used (a packet on an undefined interface, a captured length past its block, an unknown block type) were skipped', rfc: '—' },
} as const satisfies Record<string, FindingDef>;

export type FindingId = keyof typeof FINDINGS;
