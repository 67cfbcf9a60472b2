import type { NatdFact } from './facts.js';
import { IKEV1_HASH_ALGORITHMS, TIGER_HASH, ikev1HashForLength, natdHash, sameBytes } from './natd-hash.js';

/** The outcome of recomputing one message's NAT-D hashes from the addresses seen at the capture point. */
export interface NatdCheck {
  readonly frame: number;
  readonly fromInitiator: boolean;
  /** Destination hash equals hash(observed dst, dport). Undefined when the message has none. */
  readonly dstOk?: boolean;
  /** Some source hash equals hash(observed src, sport). Undefined when the message has none. */
  readonly srcOk?: boolean;
  /** A source hash equals hash(observed src, port 0): libreswan's forced-encapsulation form. */
  readonly srcPortZero: boolean;
  /** Hash algorithm used (node name), or undefined when none could be used. */
  readonly algorithm?: string;
  readonly lengthMismatch: boolean;
  readonly unverifiable: boolean;
  readonly sourceCount: number;
  readonly destinationCount: number;
}

export interface NatdInput {
  readonly frame: number;
  readonly fromInitiator: boolean;
  readonly ikeVersion: 1 | 2;
  readonly ispi: Uint8Array;
  readonly rspi: Uint8Array;
  readonly srcAddr: Uint8Array;
  readonly srcPort: number;
  readonly dstAddr: Uint8Array;
  readonly dstPort: number;
  readonly natd: readonly NatdFact[];
  /** IKEv1: the Phase-1 hash attribute the responder chose, when seen. */
  readonly negotiatedHash?: number;
}

/**
 * Recomputes NAT-D for one message. IKEv1 (RFC 3947 §3.2): HASH(CKY-I|CKY-R|IP|port) with the
 * negotiated hash; the first payload is the destination, the rest the sender's candidates.
 * IKEv2 (RFC 7296 §2.23): SHA-1(SPIi|SPIr|IP|port) with SPIr as in the header (zero in the
 * IKE_SA_INIT request); notify 16388 = source, 16389 = destination.
 */
export function checkNatd(m: NatdInput): NatdCheck {
  let dst: NatdFact[];
  let src: NatdFact[];
  if (m.ikeVersion === 1) {
    dst = m.natd.slice(0, 1);
    src = m.natd.slice(1);
  } else {
    dst = m.natd.filter((n) => n.kind === 'v2-destination');
    src = m.natd.filter((n) => n.kind === 'v2-source');
  }
  let algorithm: string | undefined;
  let lengthMismatch = false;
  let unverifiable = false;
  if (m.ikeVersion === 2) algorithm = 'sha1';
  else if (m.negotiatedHash !== undefined) {
    const alg = IKEV1_HASH_ALGORITHMS[m.negotiatedHash];
    if (alg) algorithm = alg.node;
    else unverifiable = true; // Tiger or unknown
  } else {
    const first = m.natd[0];
    const byLength = first ? ikev1HashForLength(first.hash.length) : undefined;
    if (byLength !== undefined) algorithm = IKEV1_HASH_ALGORITHMS[byLength]!.node;
    else unverifiable = true;
  }
  const expectedLength = m.ikeVersion === 2 ? 20 : m.negotiatedHash !== undefined ? IKEV1_HASH_ALGORITHMS[m.negotiatedHash]?.bytes : undefined;
  if (expectedLength !== undefined && m.natd.some((n) => n.hash.length !== expectedLength)) lengthMismatch = true;
  if (m.ikeVersion === 1 && m.negotiatedHash === TIGER_HASH) unverifiable = true;

  const base = {
    frame: m.frame,
    fromInitiator: m.fromInitiator,
    lengthMismatch,
    unverifiable,
    sourceCount: src.length,
    destinationCount: dst.length,
  };
  if (!algorithm || unverifiable) return { ...base, srcPortZero: false, unverifiable: true };
  const h = (addr: Uint8Array, port: number): Buffer => natdHash(algorithm!, m.ispi, m.rspi, addr, port);
  const dstHash = h(m.dstAddr, m.dstPort);
  const srcHash = h(m.srcAddr, m.srcPort);
  const srcZero = h(m.srcAddr, 0);
  return {
    ...base,
    algorithm,
    ...(dst.length ? { dstOk: dst.some((n) => sameBytes(n.hash, dstHash)) } : {}),
    ...(src.length ? { srcOk: src.some((n) => sameBytes(n.hash, srcHash)) } : {}),
    srcPortZero: src.some((n) => sameBytes(n.hash, srcZero)),
  };
}

export type NatSide = 'behind-nat' | 'not-behind-nat' | 'unknown';
/** Where the capture sits relative to a peer's NAT: inside (between the peer and its NAT) or outside. */
export type CapturePosition = 'inside' | 'outside' | 'both-sides' | 'no-nat' | 'unknown';

export interface NatVerdict {
  readonly initiator: NatSide;
  readonly responder: NatSide;
  readonly forcedEncapsulation: boolean;
  readonly capturePoint: { readonly initiatorNat: CapturePosition; readonly responderNat: CapturePosition };
  /** Human explanation of how the verdict was reached. */
  readonly reasoning: readonly string[];
  /** Frames whose hashes support the verdict. */
  readonly evidenceFrames: readonly number[];
}

/** Signs of address or port translation for the initiator seen elsewhere than in NAT-D. */
export interface TranslationEvidence {
  readonly initiatorKeepalives: boolean;
  readonly initiatorPortTranslated: boolean;
  readonly initiatorRebinding: boolean;
  /** The initiator address seen at the capture point is private (RFC 1918, RFC 6598, ULA, link-local). */
  readonly initiatorAddressPrivate: boolean;
}

function side(before: boolean | undefined, after: boolean | undefined): { nat: NatSide; where: CapturePosition } {
  if (before === undefined && after === undefined) return { nat: 'unknown', where: 'unknown' };
  if (before && after) return { nat: 'behind-nat', where: 'both-sides' };
  if (before) return { nat: 'behind-nat', where: 'outside' };
  if (after) return { nat: 'behind-nat', where: 'inside' };
  if (before === false && after === false) return { nat: 'not-behind-nat', where: 'no-nat' };
  return { nat: 'unknown', where: 'unknown' };
}

/**
 * Combines the initiator's NAT-D message M and the responder's reply R seen at one capture point
 * (../shared/NATT-REFERENCE.md §2.4): for the initiator's address, !M.srcOk means a NAT between
 * the initiator and the capture point (capture outside it), !R.dstOk a NAT between the capture
 * point and the responder translating the initiator (capture inside it); the same with
 * R.srcOk / M.dstOk for the responder. Forced encapsulation (§2.3) is recognised first: a source
 * hash over port 0 (libreswan), or a source hash that matches nothing while no translation of the
 * initiator is otherwise seen (strongSwan `encap=yes`, kernel-libipsec).
 */
export function natVerdict(m: NatdCheck | undefined, r: NatdCheck | undefined, evidence: TranslationEvidence): NatVerdict {
  const reasoning: string[] = [];
  let forced = false;
  let mSrcOk = m?.srcOk;
  if (m?.srcPortZero) {
    forced = true;
    mSrcOk = true;
    reasoning.push(`frame ${m.frame}: the initiator's source NAT-D hashes its address with port 0 (libreswan forced encapsulation)`);
  }
  let rSrcOk = r?.srcOk;
  if (r?.srcPortZero) {
    forced = true;
    rSrcOk = true;
    reasoning.push(`frame ${r.frame}: the responder's source NAT-D hashes its address with port 0 (libreswan forced encapsulation)`);
  }
  const initiatorBefore = mSrcOk === undefined ? undefined : !mSrcOk;
  const initiatorAfter = r?.dstOk === undefined ? undefined : !r.dstOk;
  if (initiatorBefore && initiatorAfter === false && !evidence.initiatorKeepalives && !evidence.initiatorPortTranslated && !evidence.initiatorRebinding) {
    forced = true;
    reasoning.push(
      `frame ${m!.frame}: the initiator's source NAT-D matches no address, yet the responder's view of the initiator (frame ${r!.frame}) equals what the capture sees and no translation is otherwise seen (no keepalives from the initiator, standard ports, no rebinding): a faked source hash forcing UDP encapsulation (strongSwan encap=yes or kernel-libipsec), not a NAT — unless a port-preserving NAT sits between the initiator and this capture point and the capture ends before the first keepalive`,
    );
  }
  let init = forced && initiatorBefore && !initiatorAfter ? { nat: 'not-behind-nat' as NatSide, where: 'no-nat' as CapturePosition } : side(initiatorBefore, initiatorAfter);
  let fakedBehindNat = false;
  if (initiatorBefore && initiatorAfter && evidence.initiatorAddressPrivate) {
    // A private source seen here, translated before the responder: the capture is inside the
    // initiator's NAT, and the source hash that matches nothing is a fake (strongSwan sends one
    // when its source is %any or UDP encapsulation is required), not a second NAT.
    init = { nat: 'behind-nat', where: 'inside' };
    fakedBehindNat = true;
    reasoning.push(
      `frame ${r!.frame}: the responder sees the initiator at another address than the private one the capture sees: the capture is inside the initiator's NAT; the initiator's source NAT-D (frame ${m!.frame}) matches no address, as when strongSwan fakes it (source %any or required UDP encapsulation)`,
    );
  }
  const resp = side(rSrcOk === undefined ? undefined : !rSrcOk, m?.dstOk === undefined ? undefined : !m.dstOk);
  if (m && r && !forced && !fakedBehindNat) {
    if (initiatorBefore) reasoning.push(`frame ${m.frame}: the initiator's source NAT-D does not hash the source the capture sees: a NAT between the initiator and the capture point`);
    if (initiatorAfter) reasoning.push(`frame ${r.frame}: the responder's destination NAT-D (its view of the initiator) differs from what the capture sees: a NAT between the capture point and the responder translates the initiator`);
  }
  if (rSrcOk === false) reasoning.push(`frame ${r!.frame}: the responder's source NAT-D does not hash the source the capture sees: a NAT in front of the responder, outside the capture point`);
  if (m?.dstOk === false) reasoning.push(`frame ${m.frame}: the initiator's destination NAT-D differs from the destination the capture sees: the responder's address is translated between the initiator and the capture point`);
  const evidenceFrames = [m?.frame, r?.frame].filter((f): f is number => f !== undefined);
  return {
    initiator: init.nat,
    responder: resp.nat,
    forcedEncapsulation: forced,
    capturePoint: { initiatorNat: init.where, responderNat: resp.where },
    reasoning,
    evidenceFrames,
  };
}
