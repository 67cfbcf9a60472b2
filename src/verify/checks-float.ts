import { endpointKey } from '../analysis/facts.js';
import { pairKey, type SaContext } from './context.js';
import { exchanges, phase1Messages } from './exchanges.js';
import { eachSide, fail, framesText, notSeen, pass, type Judgement, type SideJudgements } from './judge.js';
import type { IkeMsg } from './model.js';
import type { Role } from './requirements.js';
import { EXCHANGE } from '../decode/isakmp/exchanges.js';

function natReason(ctx: SaContext): string {
  if (ctx.forced && ctx.natSide.initiator !== 'behind-nat' && ctx.natSide.responder !== 'behind-nat') return 'NAT-D showed a mismatch (a NAT, or a hash faked to force encapsulation: either requires the change)';
  const sides = (['initiator', 'responder'] as const).filter((r) => ctx.natSide[r] === 'behind-nat');
  return sides.length ? `the ${sides.join(' and the ')} ${sides.length > 1 ? 'are' : 'is'} behind a NAT` : 'a NAT was detected';
}

/** The message that must carry the port change: MM5 / AM3 (IKEv1), the first IKE_AUTH request (IKEv2). */
function floatMessage(ctx: SaContext): { msg: IkeMsg; name: string } | undefined {
  if (ctx.version === 2) {
    const m = ctx.messages.find((x) => x.exchangeType === EXCHANGE.IKE_AUTH && x.fromInitiator && x.isResponse === false);
    return m ? { msg: m, name: 'the first IKE_AUTH request' } : undefined;
  }
  // The analysis's steps: Main Mode 5 and Aggressive Mode 3 as it numbered them.
  const mm = phase1Messages(ctx, 'initiator', EXCHANGE.MAIN).find((m) => m.step === 5);
  if (mm) return { msg: mm, name: 'Main Mode message 5' };
  const am3 = phase1Messages(ctx, 'initiator', EXCHANGE.AGGRESSIVE).find((m) => m.step === 3);
  return am3 ? { msg: am3, name: 'Aggressive Mode message 3' } : undefined;
}

/** A7 (IKEv1) and the float part of C5 (IKEv2): the initiator changes ports at the right message. */
function initiatorFloats(ctx: SaContext): Judgement {
  if (ctx.startedOnNatt) return notSeen('the SA started on the NAT-T port (no change needed)');
  // The change is owed only once NAT-T was negotiated: a NAT-T version agreed (IKEv1), NAT-D from both sides (IKEv2).
  const negotiated = ctx.version === 1 ? ctx.nattMethod !== null : [true, false].every((fromInitiator) => ctx.messages.some((m) => m.fromInitiator === fromInitiator && m.natd.length > 0));
  const f0 = floatMessage(ctx);
  if (!negotiated && !f0?.msg.onNattPort) return notSeen(ctx.version === 1 ? 'NAT-T was not agreed: no port change owed' : 'NAT detection did not complete (NAT_DETECTION notifies missing on one side): no port change owed');
  const f = f0;
  if (!f) return notSeen(ctx.version === 2 ? 'no IKE_AUTH request in the capture' : 'Main Mode 5 / Aggressive Mode 3 not in the capture');
  if (f.msg.onNattPort) {
    const earlier = ctx.floatFrame !== undefined && ctx.floatFrame < f.msg.frame ? ` (already at frame ${ctx.floatFrame})` : '';
    return pass(`${f.name} on the NAT-T port${earlier}`, [f.msg.frame]);
  }
  if (ctx.nat === 'yes') return fail(`${natReason(ctx)}, yet ${f.name} stayed on UDP ${f.msg.dst.port}`, [f.msg.frame]);
  if (ctx.nat === 'no') return notSeen(`no NAT between the peers: staying on port ${f.msg.dst.port} is right`, [f.msg.frame]);
  return notSeen('whether a NAT sits between the peers is not known from this capture', [f.msg.frame]);
}

/** A8 / C5: after the SA's first message on the NAT-T port, this side sends no new IKE on 500. */
function staysOnNatt(ctx: SaContext, role: Role): Judgement {
  if (ctx.floatFrame === undefined) return notSeen(ctx.startedOnNatt ? 'the SA started on the NAT-T port' : 'the SA never moved to the NAT-T port');
  const later = ctx.messages.filter((m) => m.frame > ctx.floatFrame! && (role === 'initiator') === m.fromInitiator && !m.retransmission);
  const back = later.filter((m) => !m.onNattPort);
  if (back.length) return fail(`IKE on UDP ${back[0]!.src.port}→${back[0]!.dst.port} after the SA moved to the NAT-T port at frame ${ctx.floatFrame}`, back.map((m) => m.frame));
  if (later.length === 0) return notSeen(`this peer sent no IKE after the port change at frame ${ctx.floatFrame}`);
  return pass(`${later.length} IKE message(s) after the change, all on the NAT-T port`, [later[0]!.frame]);
}

export function checkA7(ctx: SaContext): SideJudgements {
  return { initiator: initiatorFloats(ctx) };
}

export function checkA8(ctx: SaContext): SideJudgements {
  return eachSide((role) => staysOnNatt(ctx, role));
}

/** C5: the initiator floats at IKE_AUTH, nobody returns to 500, and replies to floated requests come from 4500. */
export function checkC5(ctx: SaContext): SideJudgements {
  const list = exchanges(ctx);
  return eachSide((role) => {
    const stays = staysOnNatt(ctx, role);
    if (stays.outcome === 'fail') return stays;
    if (role === 'initiator') {
      const floats = initiatorFloats(ctx);
      if (floats.outcome === 'fail') return floats;
      if (floats.outcome === 'pass') return stays.outcome === 'pass' ? pass(`${floats.note}; ${stays.note}`, [...floats.frames, ...stays.frames]) : floats;
      return stays.outcome === 'pass' ? stays : floats;
    }
    if (ctx.floatFrame === undefined) return stays;
    const replies = list.filter((e) => e.requester === 'initiator' && e.response && e.copies.some((c) => c.onNattPort)).map((e) => e.response!);
    const off = replies.find((r) => !r.onNattPort);
    if (off) return fail(`reply to a request on the NAT-T port sent on UDP ${off.src.port}→${off.dst.port}`, [off.frame]);
    return stays;
  });
}

/** A10: a Phase 1 the old responder starts toward the initiator while the floated SA lives starts on 4500. */
export function checkA10(ctx: SaContext): SideJudgements {
  if (ctx.floatFrame === undefined) return { responder: notSeen('the SA never moved to the NAT-T port') };
  const i = ctx.sa.initiator;
  const r = ctx.sa.responder;
  if (!i || !r) return { responder: notSeen('peers unknown') };
  const rekeys = (ctx.byPair().get(pairKey(r.address, i.address)) ?? []).filter((o) => o !== ctx && o.version === 1 && o.sa.firstTime >= ctx.sa.firstTime && o.sa.firstTime <= ctx.sa.lastTime);
  if (rekeys.length === 0) return { responder: notSeen('the responder started no new Phase 1 toward the initiator while this SA was in use') };
  const first = rekeys[0]!.messages[0];
  if (!first) return { responder: notSeen('the rekey\'s first message was not kept') };
  if (!first.onNattPort) return { responder: fail(`Phase-1 rekey from the responder started on UDP ${first.src.port}→${first.dst.port} (${endpointKey(first.dst)})`, [first.frame]) };
  return { responder: pass(`Phase-1 rekey started on the NAT-T port at ${framesText([first.frame])}`, [first.frame]) };
}
