import type { ExpertDef } from '../expert-types.js';

/**
 * Expert ids of the ISAKMP (IKEv1/IKEv2) decoder. Every problem the decoder finds in the bytes is
 * one of these, and is also reflected in the status of the layer and of the payload concerned.
 */
export const ISAKMP_EXPERT = {
  'isakmp.too_short': { group: 'malformed', severity: 'error', summary: 'Fewer than 28 bytes: no room for an ISAKMP header' },
  'isakmp.length_invalid': { group: 'malformed', severity: 'error', summary: 'ISAKMP header length is smaller than the 28-byte header' },
  'isakmp.length_mismatch': { group: 'malformed', severity: 'error', summary: 'ISAKMP header length points past the end of the data' },
  'isakmp.trailing_data': { group: 'malformed', severity: 'warning', summary: 'Bytes after the end given by the ISAKMP header length' },
  'isakmp.version_unknown': { group: 'protocol', severity: 'warning', summary: 'Unknown ISAKMP major version: payloads not decoded' },
  'isakmp.payload_length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid payload length' },
  'isakmp.payload_too_long': { group: 'malformed', severity: 'error', summary: 'Payload length exceeds the bytes left in the message' },
  'isakmp.chain_too_long': { group: 'malformed', severity: 'error', summary: 'Too many payloads or sub-structures; decoding stopped' },
  'isakmp.next_payload_missing': { group: 'malformed', severity: 'error', summary: 'Next payload announced, but the message ends' },
  'isakmp.extra_data': { group: 'malformed', severity: 'warning', summary: 'Bytes left in the message after the last payload' },
  'isakmp.payload_unknown': { group: 'undecoded', severity: 'note', summary: 'Unknown payload type, skipped by its length' },
  'isakmp.substructure_invalid': { group: 'malformed', severity: 'warning', summary: 'Proposal or transform "next payload" does not mark the last/more correctly' },
  'isakmp.transform_count_mismatch': { group: 'malformed', severity: 'warning', summary: 'Number of transforms differs from the proposal transform count' },
  'isakmp.attribute_length_invalid': { group: 'malformed', severity: 'error', summary: 'Attribute length exceeds the bytes left' },
  'isakmp.selector_length_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid traffic selector length' },
  'isakmp.spi_size_invalid': { group: 'protocol', severity: 'warning', summary: 'SPI size is not 0, 4, 8 or 16' },
  'isakmp.spi_overrun': { group: 'malformed', severity: 'error', summary: 'SPI size (times the SPI count) exceeds the payload' },
  'isakmp.field_short': { group: 'malformed', severity: 'error', summary: 'Fixed-size field extends beyond its payload' },
  'isakmp.id_string_invalid': { group: 'protocol', severity: 'warning', summary: 'ID_FQDN / USER_FQDN contains NUL or control characters' },
  'isakmp.nat_d_short': { group: 'malformed', severity: 'warning', summary: 'NAT-D hash shorter than any hash algorithm output (16 bytes)' },
  'isakmp.nat_d_length': { group: 'protocol', severity: 'warning', summary: 'NAT-D hash length is not the output size of its hash algorithm (IKEv2: 20-byte SHA-1; IKEv1: 16, 20, 24, 32, 48 or 64)' },
  'isakmp.fragment_number_invalid': { group: 'malformed', severity: 'error', summary: 'Invalid fragment number or total' },
} as const satisfies Record<string, ExpertDef>;

export type IsakmpExpertId = keyof typeof ISAKMP_EXPERT;
