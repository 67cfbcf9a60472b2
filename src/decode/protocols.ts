import type { Decoder, Proto } from './layer.js';
import type { Describers } from './describe-types.js';
import type { FieldDef } from './field.js';
import { NET_DECODERS, NET_DESCRIBERS, NET_FIELDS, linkTypeProto } from './net-protocols.js';
import { decodeIsakmp, ISAKMP_DESCRIBERS, ISAKMP_FIELDS } from './isakmp/index.js';
import { FRAME_FIELDS } from './frame-fields.js';

/**
 * The dispatch tables: which decoder handles a protocol, how it is shown, which fields exist.
 * To add a protocol: write its decoder + describer in its own module, register them here.
 */
export const DECODERS: { readonly [P in Proto]?: Decoder } = { ...NET_DECODERS, isakmp: decodeIsakmp };

export const DESCRIBERS: Describers = { ...NET_DESCRIBERS, ...ISAKMP_DESCRIBERS };

export const ALL_FIELDS: ReadonlyMap<string, FieldDef> = new Map(
  [...FRAME_FIELDS, ...NET_FIELDS, ...ISAKMP_FIELDS].map((f) => [f.abbrev, f] as const),
);

export { linkTypeProto };
