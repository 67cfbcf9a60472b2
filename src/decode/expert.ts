import type { ExpertDef } from './expert-types.js';
import { NET_EXPERT } from './net-expert.js';
import { ISAKMP_EXPERT } from './isakmp/expert.js';

export type { ExpertDef, ExpertGroup, Severity } from './expert-types.js';
export { SEVERITY_RANK } from './expert-types.js';

/** Ids raised by the pipeline itself rather than by one protocol. */
const CORE_EXPERT = {
  'decoder.bug': { group: 'malformed', severity: 'error', summary: 'Decoder failure (a bug in espy): the rest of this frame is not decoded' },
  'frame.truncated': { group: 'malformed', severity: 'note', summary: 'Frame captured shorter than it was on the wire (snap length)' },
  'frame.link_type_unknown': { group: 'undecoded', severity: 'note', summary: 'Unsupported link-layer type' },
  'frame.depth_exceeded': { group: 'malformed', severity: 'error', summary: 'Too many nested layers; decoding stopped' },
} as const satisfies Record<string, ExpertDef>;

/**
 * The one expert-info catalogue: severity and group live here only; code refers to ids.
 * Protocol areas contribute their own tables (net-expert.ts, isakmp/expert.ts).
 */
export const EXPERT = { ...CORE_EXPERT, ...NET_EXPERT, ...ISAKMP_EXPERT } as const satisfies Record<string, ExpertDef>;
export type ExpertId = keyof typeof EXPERT;

export function isExpertId(id: string): id is ExpertId {
  return Object.hasOwn(EXPERT, id);
}
