import type { SaContext } from './context.js';
import { checkA1, checkA11, checkA2, checkA9, checkC1, checkC11 } from './checks-exchange.js';
import { checkA10, checkA7, checkA8, checkC5 } from './checks-float.js';
import { checkA12, checkA15, checkA16, checkA19, checkA3, checkA4, checkA6, checkC12, checkC2, checkC4, checkNatdHashes } from './checks-natd.js';
import { checkA13, checkA14, checkB1, checkB11, checkB2, checkB3, checkB5, checkB8, checkC6, checkC7, checkKeepaliveDue, checkMarker } from './checks-encap.js';
import { checkA18, checkC9 } from './checks-mapping.js';
import { eachSide, notSeen, type Check, type SideJudgements } from './judge.js';
import { REQUIREMENTS, type Requirement } from './requirements.js';

/** The check for each requirement id; requirements without one are judged by their visibility alone. */
export const CHECKS: Readonly<Record<string, Check>> = {
  A1: checkA1, A2: checkA2, A3: checkA3, A4: checkA4, A5: checkNatdHashes, A6: checkA6, A7: checkA7, A8: checkA8, A9: checkA9,
  A10: checkA10, A11: checkA11, A12: checkA12, A13: checkA13, A14: checkA14, A15: checkA15, A16: checkA16, A18: checkA18, A19: checkA19,
  B1: checkB1, B2: checkB2, B3: checkB3, B4: checkMarker, B5: checkB5, B8: checkB8, B9: checkKeepaliveDue, B11: checkB11,
  C1: checkC1, C2: checkC2, C3: checkNatdHashes, C4: checkC4, C5: checkC5, C6: checkC6, C7: checkC7, C8: checkKeepaliveDue, C9: checkC9,
  C10: checkMarker, C11: checkC11, C12: checkC12,
};

const WHY_UNJUDGED: Readonly<Record<string, string>> = {
  K1: 'needs decryption (IKEv1 Phase-1 keys)',
  K2: 'needs decryption (IKEv2 SK keys)',
  D: 'needs decryption (ESP keys)',
  '—': 'not observable on the wire: behaviour inside the peer',
};

/** Judges one requirement for both sides of one SA. */
export function judge(req: Requirement, ctx: SaContext): SideJudgements {
  const check = CHECKS[req.id];
  if (!check) return eachSide(() => notSeen(WHY_UNJUDGED[req.visibility] ?? 'not judged'));
  return check(ctx);
}

/** Every requirement id has a check, or a visibility that explains why it cannot have one. */
export function uncheckedRequirements(): Requirement[] {
  return REQUIREMENTS.filter((r) => !CHECKS[r.id] && WHY_UNJUDGED[r.visibility] === undefined);
}
