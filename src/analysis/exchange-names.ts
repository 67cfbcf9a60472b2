/**
 * Exchange type names (RFC 2408 §3.1, RFC 2409, RFC 7296 §3.1) for tables and timelines. The table
 * is `decode/isakmp/exchanges.ts`, the layer that owns the wire numbers; re-exported here.
 */
export { EXCHANGE, exchangeName, IKEV1_EXCHANGE_MESSAGES, IKEV1_EXCHANGES, IKEV2_EXCHANGES } from '../decode/isakmp/exchanges.js';

/** IKEv2 notify types the analysis reads. */
export const NOTIFY = { NAT_DETECTION_SOURCE_IP: 16388, NAT_DETECTION_DESTINATION_IP: 16389, UPDATE_SA_ADDRESSES: 16400, MOBIKE_SUPPORTED: 16396, USE_TRANSPORT_MODE: 16391 } as const;

/** Encapsulation-mode values (RFC 3947 §5.1 and the drafts). */
export const ENCAP_MODE = { TUNNEL: 1, TRANSPORT: 2, UDP_TUNNEL_RFC: 3, UDP_TRANSPORT_RFC: 4, UDP_TUNNEL_DRAFT: 61443, UDP_TRANSPORT_DRAFT: 61444 } as const;
