/** Exchange type names (RFC 2408 §3.1, RFC 2409, RFC 7296 §3.1) for tables and timelines. */
export const IKEV1_EXCHANGES: Readonly<Record<number, string>> = {
  0: 'None',
  1: 'Base',
  2: 'Main Mode',
  3: 'Authentication Only',
  4: 'Aggressive Mode',
  5: 'Informational',
  6: 'Transaction (Config Mode)',
  32: 'Quick Mode',
  33: 'New Group Mode',
};

export const IKEV2_EXCHANGES: Readonly<Record<number, string>> = {
  34: 'IKE_SA_INIT',
  35: 'IKE_AUTH',
  36: 'CREATE_CHILD_SA',
  37: 'INFORMATIONAL',
  38: 'IKE_SESSION_RESUME',
  43: 'IKE_INTERMEDIATE',
  44: 'IKE_FOLLOWUP_KE',
};

export function exchangeName(ikeVersion: 1 | 2, type: number): string {
  return (ikeVersion === 1 ? IKEV1_EXCHANGES[type] : IKEV2_EXCHANGES[type]) ?? `exchange ${type}`;
}

export const EXCHANGE = { MAIN: 2, AGGRESSIVE: 4, INFORMATIONAL_V1: 5, QUICK: 32, IKE_SA_INIT: 34, IKE_AUTH: 35, CREATE_CHILD_SA: 36, INFORMATIONAL: 37 } as const;

/** IKEv2 notify types the analysis reads. */
export const NOTIFY = { NAT_DETECTION_SOURCE_IP: 16388, NAT_DETECTION_DESTINATION_IP: 16389, UPDATE_SA_ADDRESSES: 16400, MOBIKE_SUPPORTED: 16396, USE_TRANSPORT_MODE: 16391 } as const;

/** Encapsulation-mode values (RFC 3947 §5.1 and the drafts). */
export const ENCAP_MODE = { TUNNEL: 1, TRANSPORT: 2, UDP_TUNNEL_RFC: 3, UDP_TRANSPORT_RFC: 4, UDP_TUNNEL_DRAFT: 61443, UDP_TRANSPORT_DRAFT: 61444 } as const;
