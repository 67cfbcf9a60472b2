import type { Endpoint, IkeMessageFacts } from './facts.js';
import { EXCHANGE, IKEV1_EXCHANGE_MESSAGES, exchangeName } from './exchange-names.js';

/**
 * The one classification of an IKE message, made once by `IkeSaTracker.update` and handed to
 * every consumer (`AnalysisListener.ikeMessage`): which SA it belongs to, who sent it, where it
 * stands in its exchange, whether it repeats an earlier message, which request it answers and
 * whether the SA floated with it. The timeline, the report's ladders and `verify` read these
 * records instead of working the same things out again.
 *
 * The rules (README "How espy classifies IKE messages"):
 * - SA: by SPI pair, across addresses, ports and the float (a zero responder SPI joins the SA of
 *   its initiator SPI).
 * - Sender: IKEv2's I flag; for IKEv1, the endpoint (then the address) the SA's initiator or
 *   responder last used.
 * - Step (IKEv1): Main Mode 1-6 and Aggressive Mode 1-3 from the message itself (who sent it,
 *   whether it carries an SA payload, whether it is encrypted), so a message missing from the
 *   capture does not shift the others; Quick Mode 1-3 per message ID from who sent first.
 * - Retransmission: the same sender role, exchange type, message ID, flags, length and
 *   zero-ness of the responder SPI as one of the SA's last 64 messages. The source address and
 *   port are not part of it: a message resent from a new NAT mapping is still a retransmission.
 */
export interface IkeMessageRecord {
  readonly frame: number;
  readonly time: number;
  /** The tracker's SA: the same object for every message of one SA (until it is evicted), so consumers key by it. */
  readonly sa: IkeSaIdentity;
  readonly ikeVersion: 1 | 2;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly facts: IkeMessageFacts;
  readonly fromInitiator: boolean;
  /** A request (IKEv2: R flag clear; IKEv1: the odd steps, and any message without a step from the initiator). */
  readonly isRequest: boolean;
  readonly retransmission: boolean;
  /** The frame of the message this one repeats. */
  readonly originalFrame: number | undefined;
  /** IKEv1 Main (1-6), Aggressive (1-3) and Quick Mode (1-3) step; undefined otherwise. */
  readonly step: number | undefined;
  /** The request this response answers (its frame), when the capture has it. */
  readonly responseTo: number | undefined;
  /** The SA moved to the NAT-T port with this message. */
  readonly floated: boolean;
}

/** What a record says of its SA (`IkeSa` in ike-sa.ts); the SPIs are hex, the responder's zeros until known. */
export interface IkeSaIdentity {
  readonly key: string;
  readonly ikeVersion: 1 | 2;
  readonly ispi: string;
  readonly rspi: string;
  readonly firstFrame: number;
}

/**
 * The IKEv1 Main / Aggressive Mode step of a message from what it carries: the SA payload is
 * in messages 1 and 2, Main Mode 5 and 6 are encrypted, odd steps come from the initiator.
 */
export function phase1Step(ike: IkeMessageFacts, fromInitiator: boolean): number | undefined {
  if (ike.exchangeType === EXCHANGE.MAIN) {
    if (ike.encrypted) return fromInitiator ? 5 : 6;
    if (ike.hasSa) return fromInitiator ? 1 : 2;
    return fromInitiator ? 3 : 4;
  }
  if (ike.exchangeType === EXCHANGE.AGGRESSIVE) {
    if (!fromInitiator) return 2;
    return ike.hasSa && !ike.encrypted ? 1 : 3;
  }
  return undefined;
}

/** "Main Mode message 5", "IKE_AUTH request", "Quick Mode message 2", "Informational". */
export function ikeMessageLabel(m: Pick<IkeMessageRecord, 'ikeVersion' | 'step' | 'facts'>): string {
  const name = exchangeName(m.ikeVersion, m.facts.exchangeType);
  if (m.ikeVersion === 2) return m.facts.isResponse === undefined ? name : `${name} ${m.facts.isResponse ? 'response' : 'request'}`;
  return m.step === undefined ? name : `${name} message ${m.step}`;
}

/** The short form for a ladder row: "Main Mode 3/6", "IKE_AUTH request". */
export function ikeMessageShortLabel(m: Pick<IkeMessageRecord, 'ikeVersion' | 'step' | 'facts'>): string {
  if (m.ikeVersion === 2 || m.step === undefined) return ikeMessageLabel(m);
  return `${exchangeName(1, m.facts.exchangeType)} ${m.step}/${IKEV1_EXCHANGE_MESSAGES[m.facts.exchangeType] ?? '?'}`;
}

/** The message with which an IKE SA counts as established (IKEv2 IKE_AUTH response, Main Mode 6, Aggressive Mode 3), or false. */
export function establishesSa(m: Pick<IkeMessageRecord, 'ikeVersion' | 'step' | 'facts' | 'fromInitiator'>): boolean {
  const t = m.facts.exchangeType;
  if (m.ikeVersion === 2) return t === EXCHANGE.IKE_AUTH && m.facts.isResponse === true;
  // The last message of Main Mode (6) or Aggressive Mode (3).
  return (t === EXCHANGE.MAIN || t === EXCHANGE.AGGRESSIVE) && m.step === IKEV1_EXCHANGE_MESSAGES[t];
}
