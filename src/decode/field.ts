/**
 * Field definitions, Wireshark "header field" style: one abbrev names a value everywhere
 * (tree suffix, JSON key, `-T fields -e`, later display filters). Formatting for `-T fields`
 * is derived from `type`/`base` in output/field-format.ts, so decoders never format for tshark.
 */
export type FieldType =
  | 'uint' // unsigned integer up to 53 bits (number)
  | 'uint64' // bigint
  | 'int'
  | 'bool' // boolean
  | 'bytes' // Uint8Array
  | 'ipv4' // number (host order u32) or 4-byte Uint8Array
  | 'ipv6' // 16-byte Uint8Array
  | 'ether' // 6-byte Uint8Array
  | 'string' // string, from packet bytes: escaped before display
  | 'none' // presence only (tshark FT_NONE / FT_PROTOCOL)
  | 'time_epoch' // { sec, nsec }
  | 'time_rel' // { sec, nsec } relative
  | 'double';

export type FieldBase = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct';

export interface FieldDef {
  readonly abbrev: string;
  /** Human name shown in the tree: "Source Port". */
  readonly name: string;
  readonly type: FieldType;
  /** Integer display base (default 'dec'). */
  readonly base?: FieldBase;
  /** Width in bits for integer fields (hex padding: 8 → 0x00). Default 32 for 'uint'. */
  readonly bits?: number;
  /** Names for values, shown in the tree ("Identity Protection (Main Mode) (2)"); `-T fields` prints the number. */
  readonly values?: Readonly<Record<number, string>>;
  readonly description?: string;
}

export interface TimeValue {
  readonly sec: number;
  readonly nsec: number;
}

export type FieldValue = number | bigint | boolean | string | Uint8Array | TimeValue | null;
