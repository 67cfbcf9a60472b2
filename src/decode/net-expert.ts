import type { ExpertDef } from './expert-types.js';

/** Expert ids of the link, IP, transport, ESP/AH and tunnel decoders. */
export const NET_EXPERT = {
} as const satisfies Record<string, ExpertDef>;
