import type { Level, Role } from './requirements.js';
import type { SaContext } from './context.js';

export type Outcome = 'pass' | 'fail' | 'not-seen';

/** One requirement judged for one side of one IKE SA. */
export interface Judgement {
  readonly outcome: Outcome;
  /** Evidence: for FAIL the frames that violate; for PASS the frames that show conformance. */
  readonly frames: readonly number[];
  readonly note: string;
  /** The level violated (FAIL only), when the requirement has two (SHOULD / MUST NOT). */
  readonly level?: Level;
}

export type SideJudgements = Partial<Record<Role, Judgement>>;

/** A check judges one IKE SA; a side it leaves out is NOT-SEEN with a generic reason. */
export type Check = (ctx: SaContext) => SideJudgements;

const MAX_EVIDENCE = 8;

/** No evidence: one shared array (a capture with thousands of SAs holds tens of thousands of judgements). */
const NO_FRAMES: readonly number[] = Object.freeze([]);

function frames(list: readonly number[]): readonly number[] {
  if (list.length === 0) return NO_FRAMES;
  return [...new Set(list)].sort((a, b) => a - b).slice(0, MAX_EVIDENCE);
}

export function pass(note: string, evidence: readonly number[] = []): Judgement {
  return { outcome: 'pass', frames: frames(evidence), note };
}

export function fail(note: string, evidence: readonly number[], level?: Level): Judgement {
  return { outcome: 'fail', frames: frames(evidence), note, ...(level ? { level } : {}) };
}

export function notSeen(note: string, evidence: readonly number[] = []): Judgement {
  return { outcome: 'not-seen', frames: frames(evidence), note };
}

export const ROLES: readonly Role[] = ['initiator', 'responder'];

/** The same judgement function for both sides. */
export function eachSide(judge: (role: Role) => Judgement | undefined): SideJudgements {
  const out: SideJudgements = {};
  for (const role of ROLES) {
    const j = judge(role);
    if (j) out[role] = j;
  }
  return out;
}

export function other(role: Role): Role {
  return role === 'initiator' ? 'responder' : 'initiator';
}

export function framesText(list: readonly number[]): string {
  if (list.length === 0) return '';
  return list.length === 1 ? `frame ${list[0]}` : `frames ${list.join(', ')}`;
}
