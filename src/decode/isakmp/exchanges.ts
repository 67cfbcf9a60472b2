import type { NameTable } from './names.js';

/**
 * The one table of ISAKMP/IKE exchange types (RFC 2408 §3.1, RFC 2409, RFC 7296 §3.1, IANA
 * "IKEv2 Exchange Types"). Per exchange: its wire number, the name espy's tables and timelines
 * use, the name tshark shows in the tree and Info column (none where tshark 4.0 prints
 * "Unknown"), and, for the IKEv1 exchanges of fixed length, how many messages they have.
 * Everything else here is derived from it.
 */
interface ExchangeRow {
  readonly type: number;
  readonly version: 1 | 2;
  readonly name: string;
  readonly tshark?: string;
  readonly messages?: number;
}

const EXCHANGES = {
  NONE: { type: 0, version: 1, name: 'None', tshark: 'NONE' },
  BASE: { type: 1, version: 1, name: 'Base', tshark: 'Base' },
  MAIN: { type: 2, version: 1, name: 'Main Mode', tshark: 'Identity Protection (Main Mode)', messages: 6 },
  AUTHENTICATION_ONLY: { type: 3, version: 1, name: 'Authentication Only', tshark: 'Authentication Only' },
  AGGRESSIVE: { type: 4, version: 1, name: 'Aggressive Mode', tshark: 'Aggressive', messages: 3 },
  INFORMATIONAL_V1: { type: 5, version: 1, name: 'Informational', tshark: 'Informational' },
  TRANSACTION: { type: 6, version: 1, name: 'Transaction (Config Mode)', tshark: 'Transaction (Config Mode)' },
  QUICK: { type: 32, version: 1, name: 'Quick Mode', tshark: 'Quick Mode', messages: 3 },
  NEW_GROUP: { type: 33, version: 1, name: 'New Group Mode', tshark: 'New Group Mode' },
  IKE_SA_INIT: { type: 34, version: 2, name: 'IKE_SA_INIT', tshark: 'IKE_SA_INIT' },
  IKE_AUTH: { type: 35, version: 2, name: 'IKE_AUTH', tshark: 'IKE_AUTH' },
  CREATE_CHILD_SA: { type: 36, version: 2, name: 'CREATE_CHILD_SA', tshark: 'CREATE_CHILD_SA' },
  INFORMATIONAL: { type: 37, version: 2, name: 'INFORMATIONAL', tshark: 'INFORMATIONAL' },
  IKE_SESSION_RESUME: { type: 38, version: 2, name: 'IKE_SESSION_RESUME', tshark: 'IKE_SESSION_RESUME' },
  IKE_INTERMEDIATE: { type: 43, version: 2, name: 'IKE_INTERMEDIATE' },
  IKE_FOLLOWUP_KE: { type: 44, version: 2, name: 'IKE_FOLLOWUP_KE' },
} as const satisfies Record<string, ExchangeRow>;

const ROWS: readonly ExchangeRow[] = Object.values(EXCHANGES);

/** Exchange type numbers by name: `EXCHANGE.MAIN` is 2, `EXCHANGE.IKE_SA_INIT` 34. */
export const EXCHANGE = Object.fromEntries(Object.entries(EXCHANGES).map(([key, row]) => [key, row.type])) as {
  readonly [K in keyof typeof EXCHANGES]: (typeof EXCHANGES)[K]['type'];
};

function column<T>(version: 1 | 2, pick: (row: ExchangeRow) => T | undefined): Readonly<Record<number, T>> {
  const out: Record<number, T> = {};
  for (const row of ROWS) {
    const v = row.version === version ? pick(row) : undefined;
    if (v !== undefined) out[row.type] = v;
  }
  return out;
}

/** espy's names, for tables, timelines and findings. */
export const IKEV1_EXCHANGES: NameTable = column(1, (r) => r.name);
export const IKEV2_EXCHANGES: NameTable = column(2, (r) => r.name);

/** tshark's names (tree labels, Info column, `-Y` value names), like the other tables in `names.ts`. */
export const EXCHANGE_V1: NameTable = column(1, (r) => r.tshark);
export const EXCHANGE_V2: NameTable = column(2, (r) => r.tshark);

/** Messages per IKEv1 exchange of fixed length (Main Mode 6, Aggressive Mode 3, Quick Mode 3). */
export const IKEV1_EXCHANGE_MESSAGES: Readonly<Record<number, number>> = column(1, (r) => r.messages);

export function exchangeName(ikeVersion: 1 | 2, type: number): string {
  return (ikeVersion === 1 ? IKEV1_EXCHANGES[type] : IKEV2_EXCHANGES[type]) ?? `exchange ${type}`;
}
