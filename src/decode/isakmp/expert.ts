import type { ExpertDef } from '../expert-types.js';

/** Expert ids of the ISAKMP (IKEv1/IKEv2) decoder. */
export const ISAKMP_EXPERT = {
} as const satisfies Record<string, ExpertDef>;
