import type { ExpertDef } from './expert-types.js';

/**
 * Expert ids of the link, IP, transport, ESP/AH and tunnel decoders.
 * `<proto>.short` means the bytes end inside a header and the snap length does not explain it
 * (a snapped frame is status 'truncated' with the single core `frame.truncated` note instead).
 */
export const NET_EXPERT = {
  // link
  'link.short': { group: 'malformed', severity: 'error', summary: 'Frame too short for its link-layer header' },
  'link.type_unsupported': { group: 'undecoded', severity: 'chat', summary: 'Link-layer payload type not decoded' },
  'link.length_invalid': { group: 'malformed', severity: 'error', summary: '802.3 length field goes past the end of the frame' },

  // IPv4
  'ip.short': { group: 'malformed', severity: 'error', summary: 'IPv4 header cut short' },
  'ip.version_invalid': { group: 'malformed', severity: 'error', summary: 'IP version does not match the link-layer type' },
  'ip.header_length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid IPv4 header length' },
  'ip.total_length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid IPv4 total length' },
  'ip.total_length_zero': { group: 'protocol', severity: 'note', summary: 'IPv4 total length 0 (TCP segmentation offload?); the captured length is used' },
  'ip.options_invalid': { group: 'malformed', severity: 'warning', summary: 'Invalid IPv4 option length' },
  'ip.checksum_bad': { group: 'checksum', severity: 'warning', summary: 'Bad IPv4 header checksum' },
  'ip.fragment_not_reassembled': { group: 'reassembly', severity: 'note', summary: 'Fragment not reassembled' },
  'ip.fragment_overlap': { group: 'reassembly', severity: 'warning', summary: 'Overlapping fragments' },
  'ip.fragment_duplicate': { group: 'reassembly', severity: 'note', summary: 'Duplicate fragment' },
  'ip.fragment_inconsistent': { group: 'reassembly', severity: 'error', summary: 'Fragment inconsistent with the datagram end' },
  'ip.reassembly_evicted': { group: 'reassembly', severity: 'warning', summary: 'Datagram dropped from reassembly (limit reached)' },
  'ip.reassembly_timeout': { group: 'reassembly', severity: 'note', summary: 'Incomplete datagram dropped from reassembly (timeout)' },

  // IPv6
  'ipv6.short': { group: 'malformed', severity: 'error', summary: 'IPv6 header cut short' },
  'ipv6.version_invalid': { group: 'malformed', severity: 'error', summary: 'IP version does not match the link-layer type' },
  'ipv6.payload_length_invalid': { group: 'malformed', severity: 'error', summary: 'IPv6 payload length exceeds the frame' },
  'ipv6.payload_length_zero': { group: 'protocol', severity: 'note', summary: 'IPv6 payload length 0 (jumbogram or segmentation offload); the captured length is used' },
  'ipv6.ext_chain_too_long': { group: 'malformed', severity: 'error', summary: 'Too many IPv6 extension headers; decoding stopped' },
  'ipv6.ext_length_invalid': { group: 'malformed', severity: 'error', summary: 'IPv6 extension header goes past the payload' },
  'ipv6.hopopts_not_first': { group: 'protocol', severity: 'warning', summary: 'Hop-by-Hop options header not immediately after the IPv6 header' },

  // UDP, TCP, ICMP
  'udp.short': { group: 'malformed', severity: 'error', summary: 'UDP header cut short' },
  'udp.length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid UDP length' },
  'udp.checksum_bad': { group: 'checksum', severity: 'warning', summary: 'Bad UDP checksum' },
  'udp.checksum_zero_ipv6': { group: 'checksum', severity: 'warning', summary: 'Zero UDP checksum over IPv6 (a checksum is mandatory)' },
  'tcp.short': { group: 'malformed', severity: 'error', summary: 'TCP header cut short' },
  'tcp.header_length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid TCP header length' },
  'tcp.checksum_bad': { group: 'checksum', severity: 'warning', summary: 'Bad TCP checksum' },
  'icmp.short': { group: 'malformed', severity: 'error', summary: 'ICMP header cut short' },
  'icmp.checksum_bad': { group: 'checksum', severity: 'warning', summary: 'Bad ICMP checksum' },

  // RFC 3948 UDP encapsulation (NATT-REFERENCE §4.2 B4/B5)
  'udpencap.nat_keepalive': { group: 'protocol', severity: 'chat', summary: 'NAT-keepalive' },
  'udpencap.short': { group: 'malformed', severity: 'error', summary: 'UDP payload on a NAT-T port too short to be IKE, ESP or a keepalive' },
  'udpencap.keepalive_bad_value': { group: 'protocol', severity: 'warning', summary: 'One-octet NAT-keepalive whose value is not 0xFF' },
  'udpencap.keepalive_bad_length': { group: 'protocol', severity: 'warning', summary: 'NAT-keepalive longer than one octet' },
  'udpencap.keepalive_on_ike_port': { group: 'protocol', severity: 'warning', summary: 'NAT-keepalive sent to an IKE port (RFC 3947 §4: not to port 500)' },
  'udpencap.marker_without_ike': { group: 'malformed', severity: 'error', summary: 'Non-ESP marker not followed by an ISAKMP header' },
  'udpencap.marker_missing': { group: 'protocol', severity: 'warning', summary: 'ISAKMP header without the non-ESP marker on a NAT-T port (read as ESP)' },
  'udpencap.non_ike_marker': { group: 'protocol', severity: 'note', summary: 'Non-IKE marker (draft-ietf-ipsec-udp-encaps-00/01) before ESP on an IKE port' },

  // ESP, AH
  'esp.short': { group: 'malformed', severity: 'error', summary: 'ESP packet shorter than SPI and sequence number' },
  'esp.spi_zero': { group: 'protocol', severity: 'error', summary: 'ESP SPI 0 (RFC 3948 §2.1: MUST NOT be used)' },
  'esp.spi_reserved': { group: 'protocol', severity: 'note', summary: 'ESP SPI in the reserved range 1-255 (RFC 4303 §2.1)' },
  'ah.short': { group: 'malformed', severity: 'error', summary: 'AH header cut short' },
  'ah.length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid AH payload length' },

  // tunnels
  'gre.short': { group: 'malformed', severity: 'error', summary: 'GRE header cut short' },
  'gre.unsupported': { group: 'undecoded', severity: 'note', summary: 'GRE version or routing not decoded' },
  'l2tp.short': { group: 'malformed', severity: 'error', summary: 'L2TP header cut short' },
  'l2tp.length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid L2TP length or offset' },
  'l2tp.version_unsupported': { group: 'undecoded', severity: 'note', summary: 'L2TP version not decoded' },
  'pptp.short': { group: 'malformed', severity: 'error', summary: 'PPTP control message cut short' },
  'pptp.length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid PPTP message length' },
  'pptp.magic_cookie_bad': { group: 'protocol', severity: 'warning', summary: 'Incorrect PPTP magic cookie' },
  'ppp.short': { group: 'malformed', severity: 'error', summary: 'PPP header cut short' },
} as const satisfies Record<string, ExpertDef>;
