import { nattGeneration } from '../analysis/natt-method.js';
import { EXCHANGE } from '../decode/isakmp/exchanges.js';
import { DIGEST_BYTES, IKE_HASH_SIZE } from '../decode/isakmp/hashes.js';
import type { SaContext } from './context.js';
import { eachSide, fail, notSeen, other, pass, type Judgement, type SideJudgements } from './judge.js';
import type { IkeMsg } from './model.js';
import { VerifyObserver } from './observe.js';
import type { Role } from './requirements.js';


const from = (role: Role) => (m: IkeMsg): boolean => m.fromInitiator === (role === 'initiator');
const phase1 = (m: IkeMsg): boolean => m.exchangeType === EXCHANGE.MAIN || m.exchangeType === EXCHANGE.AGGRESSIVE;

/** A side visibly uses NAT-T: it sends NAT-D or IKE on the NAT-T port. */
function usesNatt(ctx: SaContext, role: Role): IkeMsg | undefined {
  return ctx.messages.find((m) => from(role)(m) && (m.natd.length > 0 || m.onNattPort));
}

/** A3: NAT-T vendor IDs in MM1/AM1 and MM2/AM2, the responder echoing a version the initiator offered. */
export function checkA3(ctx: SaContext): SideJudgements {
  const opener = VerifyObserver.opener(ctx.sa);
  const reply = ctx.messages.find((m) => !m.fromInitiator && phase1(m) && m.hasSa && !m.retransmission);
  const initiator = ((): Judgement => {
    if (!opener) return notSeen('the first Phase-1 message is not in the capture');
    if (opener.nattVids.length) return pass(`NAT-T vendor IDs: ${opener.nattVids.map((v) => JSON.stringify(v).slice(1, -1)).join(', ')}`, [opener.frame]);
    const uses = usesNatt(ctx, 'initiator');
    if (uses) return fail('no NAT-T vendor ID in the first message, yet the initiator uses NAT-T (NAT-D or port 4500)', [opener.frame, uses.frame]);
    return notSeen('no NAT-T vendor ID: the initiator does not offer NAT-T', [opener.frame]);
  })();
  const responder = ((): Judgement => {
    if (!reply) return notSeen('the responder\'s first Phase-1 message is not in the capture');
    const offered = opener?.nattVids;
    const echoed = reply.nattVids;
    const uses = usesNatt(ctx, 'responder');
    if (echoed.length === 0) {
      if (uses) return fail(`no NAT-T vendor ID in the responder's first message, yet it uses NAT-T (NAT-D or port 4500)`, [reply.frame, uses.frame]);
      return notSeen(offered?.length ? 'no NAT-T vendor ID in reply: NAT-T not negotiated' : 'NAT-T was not offered', [reply.frame]);
    }
    const common = offered ? echoed.filter((v) => offered.includes(v)) : echoed;
    if (offered?.length && common.length === 0) {
      if (uses) return fail(`no NAT-T version in common (offered ${offered.join(', ')}; answered ${echoed.join(', ')}), yet the responder uses NAT-T`, [opener!.frame, reply.frame, uses.frame]);
      return pass(`sent NAT-T vendor IDs (${echoed.join(', ')}); none in common with the initiator's, so NAT-T was not used`, [reply.frame]);
    }
    if (!offered?.length) return pass(`sent NAT-T vendor IDs (${echoed.join(', ')})${opener ? '; the initiator offered none' : ''}`, [reply.frame]);
    const chosen = ctx.nattMethod ?? common[0]!;
    const how = echoed.length === 1 ? 'echoed one version' : `advertised ${echoed.length} versions (its capabilities, as Windows does)`;
    return pass(`${how}; chosen: ${chosen}`, [reply.frame]);
  })();
  return { initiator, responder };
}

/** A4: NAT-D payloads (at least two) in MM3, MM4, AM2 and AM3 once NAT-T was agreed. */
export function checkA4(ctx: SaContext): SideJudgements {
  if (!ctx.nattMethod) return eachSide(() => notSeen('NAT-T was not agreed (no common NAT-T vendor ID)'));
  const aggressive = ctx.messages.some((m) => m.exchangeType === EXCHANGE.AGGRESSIVE);
  const judge = (role: Role): Judgement => {
    const mine = ctx.messages.filter((m) => from(role)(m) && phase1(m) && !m.retransmission);
    let msg: IkeMsg | undefined;
    let name: string;
    if (aggressive) {
      name = role === 'initiator' ? 'Aggressive Mode 3' : 'Aggressive Mode 2';
      msg = role === 'initiator' ? mine.find((m) => !m.hasSa) : mine.find((m) => m.hasSa);
    } else {
      name = role === 'initiator' ? 'Main Mode 3' : 'Main Mode 4';
      msg = mine.find((m) => !m.hasSa && !m.encrypted);
    }
    if (!msg) return notSeen(`${name} is not in the capture`);
    if (msg.encrypted) return notSeen(`${name} is encrypted: needs decryption`, [msg.frame]);
    const n = msg.natd.length;
    if (n >= 2) return pass(`${n} NAT-D payloads in ${name}`, [msg.frame]);
    return fail(`${name} carries ${n} NAT-D payload${n === 1 ? ' (a destination hash needs at least one source hash)' : 's'}`, [msg.frame]);
  };
  return eachSide(judge);
}

/**
 * A5 / C3: NAT-D hashes recomputed from the addresses seen. A mismatch is conformant when the NAT
 * verdict explains it (the sender's address translated between it and the capture point, or the
 * receiver's between the capture point and the receiver) or when it is the sender's
 * forced-encapsulation fake. A wrong length or a match the wrong way is a FAIL.
 */
export function checkNatdHashes(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const msgs = ctx.messages.filter((m) => from(role)(m) && m.natdCheck && !m.retransmission);
    if (msgs.length === 0) return notSeen(ctx.version === 1 && ctx.messages.some((m) => m.exchangeType === EXCHANGE.AGGRESSIVE) && role === 'initiator' ? 'the initiator\'s NAT-D travels in the encrypted Aggressive Mode 3' : 'this peer sent no NAT-D in clear');
    const receiver = other(role);
    const notes = new Set<string>();
    let unexplained: IkeMsg | undefined;
    let unverifiable: IkeMsg | undefined;
    for (const m of msgs) {
      const c = m.natdCheck!;
      if (c.lengthMismatch) {
        const want = ctx.version === 2 ? DIGEST_BYTES.sha1 : IKE_HASH_SIZE[ctx.sa.negotiatedHash ?? 0];
        return fail(`NAT-D of ${m.natd.map((n) => n.hash.length).join('/')} bytes; the ${ctx.version === 2 ? 'SHA-1' : 'negotiated hash'} gives ${want ?? '?'}`, [m.frame]);
      }
      if (m.natdWrongFormula) return fail(m.natdWrongFormula, [m.frame]);
      if (c.unverifiable) {
        unverifiable ??= m;
        continue;
      }
      if (c.dstOk === false) {
        if (ctx.natSide[receiver] === 'behind-nat' && ctx.capture[receiver] === 'inside') notes.add(`destination mismatch explained by the ${receiver}'s NAT (capture inside it)`);
        else unexplained ??= m;
      }
      if (c.srcPortZero) notes.add('source hashed with port 0 (libreswan forced encapsulation)');
      else if (c.srcOk === false) {
        if (ctx.natSide[role] === 'behind-nat' && ctx.capture[role] === 'outside') notes.add(`source mismatch explained by this peer's NAT (capture outside it)`);
        else if (ctx.forced) notes.add('the source hash matches no address seen: a faked hash forcing UDP encapsulation, or a NAT in front of this peer not otherwise visible (both conformant)');
        else unexplained ??= m;
      }
    }
    if (unexplained) return notSeen('the hashes match no address seen here and no single NAT explains them: NATs on both sides of the capture point and wrong hashes cannot be told apart', [unexplained.frame]);
    if (unverifiable && msgs.every((m) => m.natdCheck!.unverifiable)) return notSeen('hash algorithm not recomputable (Tiger or unknown)', [unverifiable.frame]);
    if (unverifiable) notes.add(`frame ${unverifiable.frame} not recomputable (hash algorithm unknown)`);
    const detail = notes.size ? `; ${[...notes].join('; ')}` : '';
    return pass(`${msgs.length} message(s) with NAT-D consistent with the addresses seen${detail}`, msgs.map((m) => m.frame));
  });
}

/** A6: one NAT-T version throughout: NAT-D / NAT-OA payload numbers and encapsulation modes. */
export function checkA6(ctx: SaContext): SideJudgements {
  if (!ctx.nattMethod) return eachSide(() => notSeen('no NAT-T version was agreed'));
  const gen = nattGeneration(ctx.nattMethod);
  const want = gen === 'rfc' ? { natd: 20, natOa: 21, modes: [3, 4], wrongModes: [61443, 61444] } : gen === 'draft-130' ? { natd: 130, natOa: 131, modes: [61443, 61444], wrongModes: [3, 4] } : undefined;
  return eachSide((role) => {
    const mine = ctx.messages.filter((m) => from(role)(m));
    const natdTypes = [...new Set(mine.flatMap((m) => m.natdTypes))];
    const oaTypes = [...new Set(mine.flatMap((m) => m.natOa.map((o) => o.payloadType)))];
    const modes = [...new Set(mine.flatMap((m) => m.encapModes))];
    const frameOf = (pred: (m: IkeMsg) => boolean): number[] => mine.filter(pred).map((m) => m.frame);
    if (natdTypes.length > 1) return fail(`NAT-D payload types ${natdTypes.join(' and ')} in one SA: two NAT-T versions`, frameOf((m) => m.natdTypes.length > 0));
    if (want) {
      const badNatd = natdTypes.find((t) => t !== want.natd);
      if (badNatd !== undefined) return fail(`NAT-D payload type ${badNatd} with ${JSON.stringify(ctx.nattMethod).slice(1, -1)} (expects ${want.natd})`, frameOf((m) => m.natdTypes.includes(badNatd)));
      const badOa = oaTypes.find((t) => t !== want.natOa);
      if (badOa !== undefined) return fail(`NAT-OA payload type ${badOa} with ${JSON.stringify(ctx.nattMethod).slice(1, -1)} (expects ${want.natOa})`, frameOf((m) => m.natOa.some((o) => o.payloadType === badOa)));
      const badMode = modes.find((x) => want.wrongModes.includes(x));
      if (badMode !== undefined) return fail(`encapsulation mode ${badMode} with ${JSON.stringify(ctx.nattMethod).slice(1, -1)} (expects ${want.modes.join('/')})`, frameOf((m) => m.encapModes.includes(badMode)));
    }
    const seen = [natdTypes.length ? `NAT-D type ${natdTypes.join('/')}` : '', oaTypes.length ? `NAT-OA type ${oaTypes.join('/')}` : '', modes.length ? `encapsulation mode ${modes.join('/')}` : ''].filter(Boolean);
    if (seen.length === 0) return notSeen('no NAT-D, NAT-OA or encapsulation mode of this peer in clear');
    const qmHidden = modes.length === 0 && ctx.messages.some((m) => m.exchangeType === EXCHANGE.QUICK && m.encrypted) ? ' (Quick Mode encrypted: modes not visible)' : '';
    return pass(`${seen.join(', ')}: consistent with ${JSON.stringify(ctx.nattMethod).slice(1, -1)}${qmHidden}`, frameOf((m) => m.natdTypes.length > 0 || m.encapModes.length > 0 || m.natOa.length > 0));
  });
}

/** C2: NAT_DETECTION_SOURCE_IP and _DESTINATION_IP in the IKE_SA_INIT request and in its successful response. */
export function checkC2(ctx: SaContext): SideJudgements {
  const kinds = (m: IkeMsg): { src: boolean; dst: boolean } => ({ src: m.natd.some((n) => n.kind === 'v2-source'), dst: m.natd.some((n) => n.kind === 'v2-destination') });
  const request = ctx.messages.find((m) => m.exchangeType === EXCHANGE.IKE_SA_INIT && m.fromInitiator && m.isResponse === false);
  const response = ctx.messages.find((m) => m.exchangeType === EXCHANGE.IKE_SA_INIT && !m.fromInitiator && m.isResponse === true && m.hasSa);
  const initiator = ((): Judgement => {
    if (!request) return notSeen('the IKE_SA_INIT request is not in the capture');
    const k = kinds(request);
    if (k.src && k.dst) return pass('both NAT_DETECTION notifies in the IKE_SA_INIT request', [request.frame]);
    if (k.src || k.dst) return fail(`only NAT_DETECTION_${k.src ? 'SOURCE' : 'DESTINATION'}_IP in the request`, [request.frame]);
    if (ctx.floatFrame !== undefined) return fail('no NAT_DETECTION notifies in the request, yet the initiator moved to the NAT-T port', [request.frame, ctx.floatFrame]);
    return notSeen(ctx.startedOnNatt ? 'no NAT_DETECTION notifies; the SA started on the NAT-T port' : 'no NAT_DETECTION notifies: NAT-T not offered', [request.frame]);
  })();
  const responder = ((): Judgement => {
    if (!response) return notSeen('no successful IKE_SA_INIT response in the capture');
    const k = kinds(response);
    if (k.src && k.dst) return pass('both NAT_DETECTION notifies in the IKE_SA_INIT response', [response.frame]);
    if (k.src || k.dst) return fail(`only NAT_DETECTION_${k.src ? 'SOURCE' : 'DESTINATION'}_IP in the response`, [response.frame]);
    const asked = request ? kinds(request) : undefined;
    if (asked?.src && asked.dst) return fail('the request carried NAT_DETECTION notifies, the successful response none', [request!.frame, response.frame]);
    return notSeen('no NAT_DETECTION notifies (not requested)', [response.frame]);
  })();
  return { initiator, responder };
}

/** C4: several NAT_DETECTION_SOURCE_IP payloads are allowed. */
export function checkC4(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const m = ctx.messages.find((x) => from(role)(x) && x.natd.filter((n) => n.kind === 'v2-source').length > 1);
    return m ? pass(`${m.natd.filter((n) => n.kind === 'v2-source').length} NAT_DETECTION_SOURCE_IP payloads (allowed)`, [m.frame]) : notSeen('one source hash at most: the option was not used');
  });
}

/** C12: NAT_DETECTION notifies have protocol ID 0, SPI size 0 and 20 bytes of data. */
export function checkC12(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const mine = ctx.messages.filter((m) => from(role)(m) && m.natdNotifyShapes.length);
    const bad = mine.find((m) => m.natdNotifyShapes.some((s) => s.protocolId !== 0 || s.spiSize !== 0 || s.length !== 20));
    if (bad) {
      const s = bad.natdNotifyShapes.find((x) => x.protocolId !== 0 || x.spiSize !== 0 || x.length !== 20)!;
      return fail(`NAT_DETECTION notify with protocol ID ${s.protocolId}, SPI size ${s.spiSize}, ${s.length} bytes of data`, [bad.frame]);
    }
    return mine.length ? pass(`${mine.reduce((n, m) => n + m.natdNotifyShapes.length, 0)} NAT_DETECTION notifies well formed`, mine.map((m) => m.frame)) : notSeen('this peer sent no NAT_DETECTION notify');
  });
}

/** A12: with NAT-T, the Phase-1 ID payload port is 0 (cleartext in Aggressive Mode 1/2 only). */
export function checkA12(ctx: SaContext): SideJudgements {
  if (!ctx.nattMethod) return eachSide(() => notSeen('NAT-T was not agreed'));
  return eachSide((role) => {
    const withId = ctx.messages.filter((m) => from(role)(m) && phase1(m) && m.idPorts.length);
    const bad = withId.find((m) => m.idPorts.some((p) => p !== 0));
    if (bad) return fail(`ID payload port ${bad.idPorts.find((p) => p !== 0)} in Phase 1 with NAT-T`, [bad.frame]);
    if (withId.length) return pass('Phase-1 ID payload port 0', withId.map((m) => m.frame));
    return notSeen('the Phase-1 ID payload is encrypted (Main Mode 5/6): needs decryption');
  });
}

const UDP_TRANSPORT = [4, 61444];
const TUNNEL_ONLY = new Set([1, 3, 61443]);

/** A15: Quick Mode with UDP-Encapsulated-Transport carries both NAT-OA; tunnel mode should not carry any. */
export function checkA15(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const qm = ctx.messages.filter((m) => from(role)(m) && m.exchangeType === EXCHANGE.QUICK && !m.retransmission);
    const clear = qm.filter((m) => !m.encrypted && m.hasSa);
    if (clear.length === 0) return notSeen(qm.length ? 'Quick Mode is encrypted: needs decryption' : 'no Quick Mode from this peer in the capture');
    for (const m of clear) {
      if (m.encapModes.some((x) => UDP_TRANSPORT.includes(x)) && m.natOa.length < 2)
        return fail(`UDP-Encapsulated-Transport ${role === 'initiator' ? 'proposed' : 'selected'} with ${m.natOa.length} NAT-OA payload(s) (both original addresses required)`, [m.frame]);
      if (m.natOa.length && m.encapModes.length && m.encapModes.every((x) => TUNNEL_ONLY.has(x))) return fail('NAT-OA sent with tunnel mode only', [m.frame], 'SHOULD NOT');
    }
    return pass('Quick Mode NAT-OA consistent with the encapsulation mode', clear.map((m) => m.frame));
  });
}

/** A16: NAT-OA ID type 1 or 5, reserved bytes zero. */
export function checkA16(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const mine = ctx.messages.filter((m) => from(role)(m) && m.natOa.length);
    const bad = mine.find((m) => m.natOa.some((o) => (o.idType !== 1 && o.idType !== 5) || !o.reservedZero));
    if (bad) {
      const o = bad.natOa.find((x) => (x.idType !== 1 && x.idType !== 5) || !x.reservedZero)!;
      return fail(o.reservedZero ? `NAT-OA ID type ${o.idType} (only 1 or 5)` : 'NAT-OA reserved bytes not zero', [bad.frame]);
    }
    if (mine.length) return pass('NAT-OA ID type and reserved bytes valid', mine.map((m) => m.frame));
    return notSeen(ctx.messages.some((m) => m.exchangeType === EXCHANGE.QUICK && m.encrypted) ? 'Quick Mode is encrypted: needs decryption' : 'no NAT-OA from this peer in clear');
  });
}

/** A19 (informational): what the NAT-D hashes gave away. */
export function checkA19(ctx: SaContext): SideJudgements {
  return eachSide((role) => {
    const r = ctx.recovered[role];
    return notSeen(r ? `informational: private address ${r} recovered from this peer's NAT-D hash` : 'informational: no private address recovered from the NAT-D hashes');
  });
}
