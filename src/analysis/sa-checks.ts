import type { IkeSaState } from './ike-sa.js';
import { NATD_KIND_BIT, NOTIFY_BIT, saLabel } from './ike-sa.js';
import type { FindingSink } from './finding-sink.js';
import { HostVerdictMemory, natVerdict, type NatVerdict, type NatdRecord, type NatdRecoveryInput, type PeerEvidence, type RecoveryOutcome, type SideVerdict } from './nat-detection.js';
import { chosenNattMethod, nattGeneration, nattMethods } from './natt-method.js';
import { ENCAP_MODE, EXCHANGE } from './exchange-names.js';
import { endpointKey } from './facts.js';
import { isPrivateAddress } from './addresses.js';

export interface SaConclusions {
  readonly verdict: NatVerdict;
  readonly nattMethod: string | null;
  /** Windows XP SP2 AssumeUDPEncapsulationContextOnSendRule a Windows client would need. */
  readonly windowsRule: 0 | 1 | 2 | null;
  readonly natPresent: boolean;
}

function firstCheck(sa: IkeSaState, fromInitiator: boolean, after = 0): NatdRecord | undefined {
  return sa.natdChecks.find((c) => c.fromInitiator === fromInitiator && c.frame > after);
}

export interface SaEvidence {
  readonly initiatorKeepalives: boolean;
  readonly responderKeepalives: boolean;
  /** A NAT keepalive would have been due: the SA was watched at least this long (seconds). */
  readonly keepaliveTimeout: number;
  /** Tries to recover the private address:port behind a source NAT-D hash (a search bounded by a hash count). */
  readonly recover: (check: NatdRecoveryInput) => RecoveryOutcome | undefined;
  /** The verdicts given so far to hosts of this capture (one memory per analysis): the same host gets the same verdict across its SAs. */
  readonly hosts: HostVerdictMemory;
}

/**
 * End-of-capture conclusions for one IKE SA: the NAT verdict from NAT-D, the NAT-T method, and
 * the findings that need the whole SA (missing NAT-D, float position, version consistency, ...).
 */
export function concludeSa(sa: IkeSaState, findings: FindingSink, evidence: SaEvidence): SaConclusions {
  const label = saLabel(sa);
  let m = firstCheck(sa, true);
  let r = firstCheck(sa, false, m?.frame ?? 0) ?? firstCheck(sa, false);
  // Hashes in packets edited after they were sent (bad UDP checksum, good IPv4 header checksum)
  // say nothing about NATs on the path: set them aside.
  const edited = [m, r].filter((c): c is NatdRecord => c !== undefined && c.rewritten && (c.srcOk === false || c.dstOk === false));
  if (edited.length) {
    findings.add('natt.nat_d_unexplained', label, edited.map((c) => c.frame), 'NAT-D does not match the addresses, and those packets were altered after they were sent (bad UDP checksum, good IPv4 header checksum): an edited capture or a rewriting middlebox, not evidence of a NAT');
    if (m && edited.includes(m)) m = undefined;
    if (r && edited.includes(r)) r = undefined;
  }
  const idleLongEnough = sa.lastTime - sa.firstTime >= evidence.keepaliveTimeout + 5;
  // Only a check whose source hashes matched nothing keeps what a search needs (NatdRecord).
  const tryRecover = (c: NatdRecord | undefined): RecoveryOutcome | undefined => {
    const input = c?.searchInput();
    return input ? evidence.recover(input) : undefined;
  };
  // IKEv1 Aggressive Mode: the initiator's NAT-D (its own source hash, and its view of the
  // responder) travels in message 3, which strongSwan and others encrypt (RFC 3947 §3.2, HDR*).
  const aggressiveHidden = sa.ikeVersion === 1 && m === undefined && r !== undefined && sa.exchangeCount(EXCHANGE.AGGRESSIVE) > 0;
  const initiatorPrivate = sa.initiator !== undefined && isPrivateAddress(sa.initiator.address);
  const responderPrivate = sa.responder !== undefined && isPrivateAddress(sa.responder.address);
  const floated = sa.floatedAtFrame !== null ? { floatedAtFrame: sa.floatedAtFrame } : {};
  const memory = evidence.hosts;
  const initiatorEvidence: PeerEvidence = {
    role: 'initiator',
    ...(m ? { own: m } : {}),
    ...(r ? { peerView: r } : {}),
    ...(aggressiveHidden ? { ownHidden: "the initiator's own NAT-D would be in Aggressive Mode message 3, which is encrypted or was not captured" } : {}),
    keepalives: evidence.initiatorKeepalives,
    portTranslated: sa.initiatorOddPortFrames.length > 0,
    rebinding: sa.rebindingFrame !== undefined,
    addressPrivate: initiatorPrivate,
    peerAddressPrivate: responderPrivate,
    recover: () => tryRecover(m),
    idleLongEnough,
    ...floated,
  };
  const responderEvidence: PeerEvidence = {
    role: 'responder',
    ...(r ? { own: r } : {}),
    ...(m ? { peerView: m } : {}),
    ...(aggressiveHidden ? { peerViewHidden: "the initiator's view of the responder would be in Aggressive Mode message 3, which is encrypted or was not captured" } : {}),
    keepalives: evidence.responderKeepalives,
    portTranslated: sa.responderOddPortFrames.length > 0,
    rebinding: false,
    addressPrivate: responderPrivate,
    peerAddressPrivate: initiatorPrivate,
    recover: () => tryRecover(r),
    idleLongEnough,
    ...floated,
  };
  const host = (e: PeerEvidence): string | undefined => (e.role === 'initiator' ? sa.initiator?.address : sa.responder?.address);
  const verdict = natVerdict(initiatorEvidence, responderEvidence, (e: PeerEvidence, v: SideVerdict) => memory.reconcile(host(e), label, v));
  const natPresent = verdict.initiator === 'behind-nat' || verdict.responder === 'behind-nat';
  // Proven: NAT-D (or a recognised fake) shows neither peer translated.
  const noNat = verdict.initiator === 'not-behind-nat' && verdict.responder === 'not-behind-nat';

  for (const c of sa.natdChecks) {
    if (c.lengthMismatch) findings.add('natt.nat_d_length_mismatch', label, c.frame);
    if (c.unverifiable) findings.add('natt.nat_d_unverifiable', label, c.frame);
  }
  if (natPresent) {
    const describe = (role: 'initiator' | 'responder'): string => {
      const at = role === 'initiator' ? sa.initiator : sa.responder;
      const where = role === 'initiator' ? verdict.capturePoint.initiatorNat : verdict.capturePoint.responderNat;
      const recovered = verdict.recovered[role];
      return `${role} ${at ? endpointKey(at) : ''} behind a NAT (capture ${where === 'both-sides' ? 'between two NATs' : `${where} it`})${recovered ? `, private address ${endpointKey(recovered)} recovered from its NAT-D` : ''}`;
    };
    const sides = [verdict.initiator === 'behind-nat' ? describe('initiator') : '', verdict.responder === 'behind-nat' ? describe('responder') : ''].filter(Boolean).join('; ');
    findings.add('natt.nat_detected', label, verdict.evidenceFrames, `NAT detected: ${sides}`);
  }
  if (verdict.capturePoint.initiatorNat === 'both-sides' || verdict.capturePoint.responderNat === 'both-sides') {
    findings.add('natt.nat_d_unexplained', label, verdict.evidenceFrames, 'NAT-D hashes match neither the addresses seen here nor the peer\'s view: NATs on both sides of the capture point, a rewritten capture, or forged NAT-D');
  }
  if (verdict.forcedEncapsulation)
    findings.add('natt.forced_encap', label, verdict.evidenceFrames, verdict.reasoning.filter((r) => verdict.fakedBy.some((side) => r.startsWith(`${side}: `))).join(' '));

  // NAT-T method and NAT-D presence.
  let nattMethod: string | null = null;
  if (sa.ikeVersion === 1) {
    nattMethod = chosenNattMethod(sa.initiatorVids, sa.responderVids, sa.initiatorFirstSeen);
    const offeredByInitiator = nattMethods(sa.initiatorVids).length > 0;
    const offeredByResponder = nattMethods(sa.responderVids).length > 0;
    if (offeredByInitiator && !offeredByResponder && sa.responderVids.length + sa.messages > 1 && sa.phase1Messages >= 2)
      findings.add('natt.vid_not_echoed', label, sa.firstFrame);
    if (sa.natdChecks.length && (!offeredByInitiator || !offeredByResponder) && sa.initiatorFirstSeen)
      findings.add('natt.nat_d_without_vid', label, sa.natdChecks[0]!.frame);
    if (nattMethod && sa.phase1Messages >= 4 && sa.natdChecks.length === 0 && sa.exchangeCount(EXCHANGE.MAIN) > 0)
      findings.add('natt.nat_d_missing', label, sa.firstFrame, `NAT-T (${JSON.stringify(nattMethod).slice(1, -1)}) was agreed but Main Mode messages 3/4 carry no NAT-D`);
    if (sa.natdChecks.length) {
      const withSources = sa.natdChecks.filter((c) => c.sourceCount === 0);
      if (withSources.length) findings.add('natt.nat_d_count', label, withSources.map((c) => c.frame), 'NAT-D with only the destination hash (RFC 3947 expects at least two)');
    }
    if (nattMethod) {
      const gen = nattGeneration(nattMethod);
      const kinds = { has: (kind: keyof typeof NATD_KIND_BIT): boolean => (sa.natdKinds & NATD_KIND_BIT[kind]) !== 0 };
      const encap = [...sa.encapModes];
      const draftModes = encap.some((e) => e === ENCAP_MODE.UDP_TUNNEL_DRAFT || e === ENCAP_MODE.UDP_TRANSPORT_DRAFT);
      const rfcModes = encap.some((e) => e === ENCAP_MODE.UDP_TUNNEL_RFC || e === ENCAP_MODE.UDP_TRANSPORT_RFC);
      if ((gen === 'rfc' && (kinds.has('v1-draft') || kinds.has('v1-early-draft'))) || (gen === 'draft-130' && (kinds.has('v1') || kinds.has('v1-early-draft'))) || (gen === 'intermediate-draft' && kinds.has('v1-draft')))
        findings.add('natt.version_inconsistent', label, sa.natdChecks.map((c) => c.frame), `NAT-D payload type does not match the chosen method ${JSON.stringify(nattMethod).slice(1, -1)}`);
      if ((gen === 'rfc' && draftModes) || (gen === 'draft-130' && rfcModes))
        findings.add('natt.encap_mode_version_mismatch', label, sa.firstFrame, `encapsulation modes ${encap.join(', ')} do not match ${JSON.stringify(nattMethod).slice(1, -1)}`);
    } else if ([...sa.encapModes].some((e) => e >= ENCAP_MODE.UDP_TUNNEL_RFC)) {
      findings.add('natt.encap_mode_without_natt', label, sa.firstFrame);
    }
  } else {
    const req = sa.natdChecks.find((c) => c.fromInitiator);
    const resp = sa.natdChecks.find((c) => !c.fromInitiator);
    if (req || resp) nattMethod = 'IKEv2';
    for (const c of sa.natdChecks) {
      if ((c.sourceCount === 0) !== (c.destinationCount === 0)) findings.add('natt.nat_d_missing', label, c.frame, 'NAT_DETECTION_SOURCE_IP and NAT_DETECTION_DESTINATION_IP must come together');
      if (c.destinationCount > 1) findings.add('natt.nat_d_count', label, c.frame, `${c.destinationCount} NAT_DETECTION_DESTINATION_IP notifies`);
    }
    if (req && !resp && (sa.notifies & NOTIFY_BIT.NAT_DETECTION_SOURCE_IP) !== 0 && sa.exchangeCount(EXCHANGE.IKE_SA_INIT) >= 2 && sa.exchangeCount(EXCHANGE.IKE_AUTH) > 0)
      findings.add('natt.nat_d_missing', label, req.frame, 'The IKE_SA_INIT request carried NAT_DETECTION notifies, the response did not');
  }

  // Port floating.
  // Only a negotiation seen from its first message started on 4500; an SA first seen there mid-life did not.
  if (sa.startedOnNattPort && sa.initiatorFirstSeen) findings.add('natt.started_on_4500', label, sa.firstFrame);
  if (sa.floatedAtFrame !== null) {
    findings.add('natt.port_float', label, sa.floatedAtFrame, `Floated to the NAT-T port at frame ${sa.floatedAtFrame} (${sa.floatedAt})`);
    if (!nattMethod) findings.add('natt.float_without_natt', label, sa.floatedAtFrame);
    else if (noNat && !verdict.forcedEncapsulation && sa.natdChecks.length) findings.add('natt.float_without_nat', label, sa.floatedAtFrame);
    if (sa.floatExpected === false)
      findings.add('natt.float_unexpected_message', label, sa.floatedAtFrame, `Floated at ${sa.floatedAt}; expected ${sa.ikeVersion === 2 ? 'the first IKE_AUTH request' : 'Main Mode message 5 / Aggressive Mode message 3'}`);
  } else if ((natPresent || verdict.forcedEncapsulation) && sa.laterMessagesOnIkePort.length) {
    findings.add('natt.no_port_float', label, sa.laterMessagesOnIkePort, 'NAT detected, yet later messages stayed on UDP 500');
  }
  // A non-standard source port seen outside a side's NAT is the NAT's translation; seen inside it
  // (or with no NAT) it is the host's own configuration, which is not a finding.
  const translatedSide = (frames: readonly number[], where: string, who: string, endpoints: readonly string[]): void => {
    if (frames.length && (where === 'outside' || where === 'both-sides'))
      findings.add('natt.ike_port_translated', label, frames, `The ${who}'s IKE arrives from ${endpoints.join(', ')}: its NAT translated the source port`);
  };
  translatedSide(sa.initiatorOddPortFrames, verdict.capturePoint.initiatorNat, 'initiator', sa.initiatorEndpoints);
  translatedSide(sa.responderOddPortFrames, verdict.capturePoint.responderNat, 'responder', sa.responderEndpoints);
  if (sa.rebindingFrame !== undefined && sa.oldInitiatorEndpoint && sa.lastInitiator)
    findings.add('natt.rebinding', label, sa.rebindingFrame, `Initiator moved from ${endpointKey(sa.oldInitiatorEndpoint)} to ${endpointKey(sa.lastInitiator)} at frame ${sa.rebindingFrame}${(sa.notifies & NOTIFY_BIT.UPDATE_SA_ADDRESSES) !== 0 ? ' (MOBIKE UPDATE_SA_ADDRESSES seen)' : ' (no cleartext MOBIKE UPDATE_SA_ADDRESSES explains it)'}`);

  // NAT-OA (RFC 3947 §5.2), visible only when Quick Mode is in clear.
  if (sa.natOa.length && noNat) findings.add('natt.nat_oa_without_nat', label, sa.firstFrame);
  const transportModes = [ENCAP_MODE.TRANSPORT, ENCAP_MODE.UDP_TRANSPORT_RFC, ENCAP_MODE.UDP_TRANSPORT_DRAFT] as number[];
  if (natPresent && sa.ikeVersion === 1 && [...sa.encapModes].some((m) => transportModes.includes(m)) && sa.natOa.length === 0)
    findings.add('natt.nat_oa_missing', label, sa.firstFrame, 'Transport mode negotiated in clear through a NAT, but no NAT-OA payload carries the original addresses');
  const observed = new Set([sa.initiator?.address, sa.responder?.address]);
  const translated = sa.natOa.filter((o) => !observed.has(o.address));
  if (translated.length) findings.add('natt.nat_oa_differs', label, sa.firstFrame, `NAT-OA original address(es) ${translated.map((o) => o.address).join(', ')} differ from the addresses seen here`);

  let windowsRule: 0 | 1 | 2 | null = null;
  if (verdict.responder === 'behind-nat') {
    windowsRule = verdict.initiator === 'behind-nat' ? 2 : 1;
    findings.add(
      'natt.responder_behind_nat',
      label,
      verdict.evidenceFrames,
      `Responder behind a NAT: a Windows XP SP2 client needs AssumeUDPEncapsulationContextOnSendRule=${windowsRule} (${windowsRule === 2 ? 'both client and server behind NAT' : 'server behind NAT'}); the SP2 default 0 refuses this SA (KB 885407/885348)`,
    );
  } else if (verdict.responder === 'not-behind-nat') windowsRule = 0;

  return { verdict, nattMethod, windowsRule, natPresent };
}
