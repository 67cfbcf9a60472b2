import type { IkeMsg } from './model.js';
import type { SaContext } from './context.js';
import type { Role } from './requirements.js';
import { EXCHANGE } from '../decode/isakmp/exchanges.js';

/** A request (with its retransmitted copies) and the first reply to it. */
export interface Exchange {
  readonly requester: Role;
  readonly copies: IkeMsg[];
  response: IkeMsg | undefined;
  /** IKEv1: whether the protocol expects a reply (MM1/3/5, AM1, QM1, Transaction); IKEv2: always. */
  readonly expectsReply: boolean;
}

/**
 * The SA's exchanges, from the analysis's classification of each message (analysis/ike-message.ts):
 * a request with its retransmitted copies, and the first reply the analysis paired with one of
 * them (IKEv2: R flag and message ID; IKEv1: the step within Main, Aggressive and Quick Mode).
 * IKEv1 Informational exchanges have no replies and are left out.
 */
export function exchanges(ctx: SaContext): Exchange[] {
  const out: Exchange[] = [];
  /** The exchange of each request copy, by frame; the latest exchange per (exchange type, message ID, requester). */
  const byFrame = new Map<number, Exchange>();
  const latest = new Map<string, Exchange>();
  for (const m of ctx.messages) {
    if (ctx.version === 1 && m.exchangeType === EXCHANGE.INFORMATIONAL_V1) continue;
    if (m.isRequest) {
      const key = `${m.exchangeType}|${m.messageId}|${m.fromInitiator}`;
      const current = latest.get(key);
      if (current && m.retransmission && current.response === undefined) {
        current.copies.push(m);
        byFrame.set(m.frame, current);
        continue;
      }
      const e: Exchange = { requester: m.fromInitiator ? 'initiator' : 'responder', copies: [m], response: undefined, expectsReply: ctx.version === 2 || expectsV1Reply(ctx, m) };
      out.push(e);
      latest.set(key, e);
      byFrame.set(m.frame, e);
      continue;
    }
    const e = m.responseTo !== undefined ? byFrame.get(m.responseTo) : undefined;
    if (e && e.response === undefined && !m.retransmission) e.response = m;
  }
  return out;
}

/** IKEv1: Main Mode 1/3/5, Aggressive Mode 1 and Quick Mode 1 expect a reply; so does a Transaction's first message. */
function expectsV1Reply(ctx: SaContext, m: IkeMsg): boolean {
  if (m.exchangeType === EXCHANGE.MAIN) return m.step === 1 || m.step === 3 || m.step === 5;
  if (m.exchangeType === EXCHANGE.AGGRESSIVE || m.exchangeType === EXCHANGE.QUICK) return m.step === 1;
  return !ctx.messages.some((x) => x.frame < m.frame && x.exchangeType === m.exchangeType && x.messageId === m.messageId && x.fromInitiator === m.fromInitiator && !x.retransmission);
}

export { sameEndpoint } from '../analysis/facts.js';

/** Non-retransmitted Main/Aggressive Mode messages of one side, in order. */
export function phase1Messages(ctx: SaContext, role: Role, exchange: number): IkeMsg[] {
  return ctx.messages.filter((m) => m.exchangeType === exchange && m.fromInitiator === (role === 'initiator') && !m.retransmission);
}
