import type { IkeMsg } from './model.js';
import type { SaContext } from './context.js';
import type { Role } from './requirements.js';

const INFORMATIONAL_V1 = 5;
const MAIN = 2;
const AGGRESSIVE = 4;

/** A request (with its retransmitted copies) and the first reply to it. */
export interface Exchange {
  readonly requester: Role;
  readonly copies: IkeMsg[];
  response: IkeMsg | undefined;
  /** IKEv1: whether the protocol expects a reply (MM1/3/5, AM1, QM1, Transaction); IKEv2: always. */
  readonly expectsReply: boolean;
}

/**
 * Pairs requests and replies. IKEv2 (RFC 7296 §2.2): by the R flag and message ID in each
 * direction. IKEv1: within one exchange type and message ID, whoever sent its first message is
 * the requester and the other side's messages reply to its latest one; Informational exchanges
 * have no replies.
 */
export function exchanges(ctx: SaContext): Exchange[] {
  const out: Exchange[] = [];
  const latest = new Map<string, Exchange>();
  const v1Requester = new Map<string, Role>();
  for (const m of ctx.messages) {
    const sender: Role = m.fromInitiator ? 'initiator' : 'responder';
    let isRequest: boolean;
    let key: string;
    if (ctx.version === 2) {
      isRequest = m.isResponse === false;
      key = `${isRequest === m.fromInitiator}|${m.messageId}`;
    } else {
      if (m.exchangeType === INFORMATIONAL_V1) continue;
      key = `${m.exchangeType}|${m.messageId}`;
      const phase1 = m.exchangeType === MAIN || m.exchangeType === AGGRESSIVE;
      const requester = phase1 ? 'initiator' : (v1Requester.get(key) ?? sender);
      v1Requester.set(key, requester);
      isRequest = sender === requester;
    }
    const current = latest.get(key);
    if (isRequest) {
      if (current && m.retransmission && current.response === undefined) {
        current.copies.push(m);
        continue;
      }
      const e: Exchange = { requester: sender, copies: [m], response: undefined, expectsReply: ctx.version === 2 || expectsV1Reply(ctx, m) };
      out.push(e);
      latest.set(key, e);
    } else if (current && current.response === undefined && !m.retransmission) {
      current.response = m;
    }
  }
  return out;
}

function expectsV1Reply(ctx: SaContext, m: IkeMsg): boolean {
  if (m.exchangeType === MAIN) return m.fromInitiator;
  if (m.exchangeType === AGGRESSIVE) return m.fromInitiator && m.hasSa;
  // Quick Mode 1 and Transaction requests: the first message of the exchange from its requester.
  return !ctx.messages.some((x) => x.frame < m.frame && x.exchangeType === m.exchangeType && x.messageId === m.messageId && x.fromInitiator === m.fromInitiator && !x.retransmission);
}

export function sameEndpoint(a: { address: string; port: number } | undefined, b: { address: string; port: number } | undefined): boolean {
  return a !== undefined && b !== undefined && a.address === b.address && a.port === b.port;
}

/** Non-retransmitted Main/Aggressive Mode messages of one side, in order. */
export function phase1Messages(ctx: SaContext, role: Role, exchange: number): IkeMsg[] {
  return ctx.messages.filter((m) => m.exchangeType === exchange && m.fromInitiator === (role === 'initiator') && !m.retransmission);
}
