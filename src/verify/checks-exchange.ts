import { endpointKey } from '../analysis/facts.js';
import type { SaContext } from './context.js';
import { exchanges, sameEndpoint, type Exchange } from './exchanges.js';
import { eachSide, fail, notSeen, other, pass, type Judgement, type SideJudgements } from './judge.js';
import type { Role } from './requirements.js';

const unusualPort = (ctx: SaContext, port: number): boolean => !ctx.settings.ikePorts.includes(port) && !ctx.settings.nattPorts.includes(port);

/**
 * A1 / C1 (any source port): requests from a port other than the IKE and NAT-T ports must be
 * processed. FAIL only with proof: such a request retransmitted and never answered while the
 * same peer answered other requests of the SA.
 */
function anyPortAccepted(ctx: SaContext, replier: Role, list: readonly Exchange[]): Judgement | undefined {
  const unusual = list.filter((e) => e.requester === other(replier) && e.copies.some((c) => unusualPort(ctx, c.src.port)));
  if (unusual.length === 0) return undefined;
  const answered = unusual.find((e) => e.response);
  const answeredOther = list.some((e) => e.requester === other(replier) && e.response);
  const ignored = unusual.find((e) => !e.response && e.expectsReply && e.copies.length >= 2);
  // ICMP unreachable for the SA's packets once the request went out: nothing was listening any more (a stopped daemon), not a refusal.
  const unreachable = ignored && ctx.report?.status.icmpErrors.find((x) => x.kind === 'unreachable' && x.lastFrame >= ignored.copies[0]!.frame);
  if (ignored && unreachable)
    return notSeen(`request from ${endpointKey(ignored.copies[0]!.src)} sent ${ignored.copies.length} times, never answered, and ICMP unreachable came back (frames ${unreachable.firstFrame}–${unreachable.lastFrame}): the peer's daemon was not listening, which says nothing about how it treats this port`, ignored.copies.map((c) => c.frame));
  if (ignored && answeredOther)
    return fail(`request from ${endpointKey(ignored.copies[0]!.src)} sent ${ignored.copies.length} times, never answered, while other requests were`, ignored.copies.map((c) => c.frame));
  if (answered) return pass(`request from port ${answered.copies[0]!.src.port} answered`, [answered.copies[0]!.frame, answered.response!.frame]);
  return undefined;
}

/** Every reply goes to its request's source (and, for C1, leaves from the request's destination). */
function repliesReturn(replier: Role, list: readonly Exchange[], checkSource: boolean): Judgement | undefined {
  const mine = list.filter((e) => e.requester === other(replier) && e.response);
  if (mine.length === 0) return undefined;
  for (const e of mine) {
    const r = e.response!;
    const toSource = e.copies.some((c) => sameEndpoint(c.src, r.dst));
    const fromDestination = !checkSource || e.copies.some((c) => sameEndpoint(c.dst, r.src));
    if (!toSource || !fromDestination) {
      const req = e.copies.at(-1)!;
      return fail(`request ${endpointKey(req.src)} → ${endpointKey(req.dst)}, reply ${endpointKey(r.src)} → ${endpointKey(r.dst)}`, [req.frame, r.frame]);
    }
  }
  return pass(`${mine.length} repl${mine.length === 1 ? 'y' : 'ies'} returned to the request's source${checkSource ? ' from its destination' : ''}`, [mine[0]!.copies[0]!.frame, mine[0]!.response!.frame]);
}

function combine(...parts: (Judgement | undefined)[]): Judgement | undefined {
  const present = parts.filter((p): p is Judgement => p !== undefined);
  return present.find((p) => p.outcome === 'fail') ?? present.find((p) => p.outcome === 'pass') ?? present[0];
}

export function checkA1(ctx: SaContext): SideJudgements {
  const list = exchanges(ctx);
  return eachSide((role) => anyPortAccepted(ctx, role, list) ?? notSeen('no request from a port other than 500/4500 reached this peer'));
}

/**
 * A2: replies return to the request's source; messages the original responder starts (Quick
 * Mode, Informational) go to the IP:port the initiator last used and leave from the one it last
 * sent to (RFC 3947 §3).
 */
export function checkA2(ctx: SaContext): SideJudgements {
  const list = exchanges(ctx);
  return eachSide((role) => {
    const replies = repliesReturn(role, list, false);
    let started: Judgement | undefined;
    if (role === 'responder') {
      let lastFromInitiator: { src: { address: string; port: number }; dst: { address: string; port: number } } | undefined;
      let checked = 0;
      for (const m of ctx.messages) {
        if (m.fromInitiator) {
          lastFromInitiator = m;
          continue;
        }
        const isReply = list.some((e) => e.response === m);
        if (isReply || !lastFromInitiator || m.retransmission) continue;
        checked++;
        if (!sameEndpoint(m.dst, lastFromInitiator.src) || !sameEndpoint(m.src, lastFromInitiator.dst)) {
          started = fail(`responder-started message ${endpointKey(m.src)} → ${endpointKey(m.dst)}; the initiator last used ${endpointKey(lastFromInitiator.src)} → ${endpointKey(lastFromInitiator.dst)}`, [m.frame]);
          break;
        }
      }
      if (!started && checked) started = pass(`${checked} message(s) started by the responder used the SA's last addresses`);
    }
    return combine(replies, started) ?? notSeen('no reply or responder-started message of this peer in the capture');
  });
}

export function checkC1(ctx: SaContext): SideJudgements {
  const list = exchanges(ctx);
  return eachSide((role) => combine(repliesReturn(role, list, true), anyPortAccepted(ctx, role, list)) ?? notSeen('this peer answered no request in the capture'));
}

/** A9: the reply to the first floated request leaves from the NAT-T port to the request's source. */
export function checkA9(ctx: SaContext): SideJudgements {
  if (ctx.floatFrame === undefined) return { responder: notSeen(ctx.startedOnNatt ? 'the SA started on the NAT-T port: no port change to answer' : 'no port change in this SA') };
  const e = exchanges(ctx).find((x) => x.requester === 'initiator' && x.expectsReply && x.copies.some((c) => c.frame >= ctx.floatFrame!));
  if (!e) return { responder: notSeen('no request after the port change') };
  if (!e.response) return { responder: notSeen(`no reply to the floated request (frame ${e.copies[0]!.frame}) in the capture`, [e.copies[0]!.frame]) };
  const r = e.response;
  const req = e.copies.at(-1)!;
  if (!r.onNattPort || !ctx.settings.nattPorts.includes(r.src.port) || !e.copies.some((c) => sameEndpoint(c.src, r.dst)))
    return { responder: fail(`floated request ${endpointKey(req.src)} → ${endpointKey(req.dst)} answered ${endpointKey(r.src)} → ${endpointKey(r.dst)}`, [req.frame, r.frame]) };
  return { responder: pass(`answered UDP(${r.src.port}, ${r.dst.port})`, [req.frame, r.frame]) };
}

function startedOnNattAnswered(ctx: SaContext): Judgement {
  if (!ctx.startedOnNatt) return notSeen('the SA did not start on the NAT-T port');
  const first = exchanges(ctx)[0];
  if (!first || first.requester !== 'initiator') return notSeen('the opening request is not in the capture');
  if (first.response) return pass('the exchange started on the NAT-T port was answered', [first.copies[0]!.frame, first.response.frame]);
  if (first.copies.length >= 2) return fail(`opening request on the NAT-T port sent ${first.copies.length} times and never answered`, first.copies.map((c) => c.frame));
  return notSeen('the opening request on the NAT-T port has no reply in the capture', [first.copies[0]!.frame]);
}

export function checkA11(ctx: SaContext): SideJudgements {
  return { responder: startedOnNattAnswered(ctx) };
}

export function checkC11(ctx: SaContext): SideJudgements {
  if (!ctx.startedOnNatt) return eachSide(() => notSeen('IKE_SA_INIT was not started on the NAT-T port'));
  const answered = startedOnNattAnswered(ctx);
  return {
    initiator: pass('started IKE_SA_INIT on the NAT-T port (allowed)', [ctx.messages[0]!.frame]),
    responder: answered.outcome === 'pass' ? answered : notSeen(answered.note, answered.frames),
  };
}
