import type { VendorIdFact } from './facts.js';

/** NAT-T methods by preference, best first (strongSwan's order; libreswan maps -04…-09 to RFC). */
const PREFERENCE = [
  'RFC 3947',
  'draft-ietf-ipsec-nat-t-ike-09',
  'draft-ietf-ipsec-nat-t-ike-08',
  'draft-ietf-ipsec-nat-t-ike-07',
  'draft-ietf-ipsec-nat-t-ike-06',
  'draft-ietf-ipsec-nat-t-ike-05',
  'draft-ietf-ipsec-nat-t-ike-04',
  'draft-ietf-ipsec-nat-t-ike-03',
  'draft-ietf-ipsec-nat-t-ike-02',
  'draft-ietf-ipsec-nat-t-ike-02\n',
  'draft-ietf-ipsec-nat-t-ike',
  'draft-ietf-ipsec-nat-t-ike-01',
  'draft-ietf-ipsec-nat-t-ike-00',
];

function rank(method: string): number {
  const i = PREFERENCE.indexOf(method);
  return i < 0 ? PREFERENCE.length : i;
}

export function nattMethods(vids: readonly VendorIdFact[]): string[] {
  const out: string[] = [];
  for (const v of vids) if (v.nattMethod && !out.includes(v.nattMethod)) out.push(v.nattMethod);
  return out.sort((a, b) => rank(a) - rank(b));
}

/**
 * The method the responder chose (RFC 3947 §3.1: both sides send NAT-T vendor IDs; the responder
 * echoes the one it supports): the responder's best NAT-T VID that the initiator offered, or its
 * best one when the initiator's first message was not seen.
 */
export function chosenNattMethod(initiatorVids: readonly VendorIdFact[], responderVids: readonly VendorIdFact[], initiatorSeen: boolean): string | null {
  const offered = nattMethods(initiatorVids);
  const answered = nattMethods(responderVids);
  const common = initiatorSeen ? answered.filter((m) => offered.includes(m)) : answered;
  return common[0] ?? null;
}

export type NattGeneration = 'rfc' | 'draft-130' | 'intermediate-draft' | 'other-draft';

/**
 * Which payload numbers and encapsulation modes a chosen method implies (RFC 3947 §3.1, §5.1):
 * RFC 3947 uses NAT-D 20 and modes 3/4; drafts -02/-03 use NAT-D 130 and modes 61443/61444;
 * drafts -04…-09 are seen with both 20 and the old 15 (tcpdump ISAKMP_sa_setup.pcap: draft-07
 * with 15), so only the drafts' 130 contradicts them.
 */
export function nattGeneration(method: string): NattGeneration {
  if (method === 'RFC 3947' || method === 'draft-ietf-ipsec-nat-t-ike') return 'rfc';
  if (/-0[4-9]$/.test(method)) return 'intermediate-draft';
  if (/-0[23]\n?$/.test(method)) return 'draft-130';
  return 'other-draft';
}
