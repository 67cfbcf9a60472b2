/**
 * What a display filter can name. Packet fields come from the decoders' FieldDefs
 * (`ALL_FIELDS`); `finding.*`, `ike_sa.*` and `esp_sa.*` describe the analysis report.
 */
export type FilterType =
  | 'uint' // number
  | 'int' // number
  | 'uint64' // bigint
  | 'bool' // number 0/1
  | 'bytes' // Uint8Array
  | 'ether' // Uint8Array (6)
  | 'ipv4' // number (u32)
  | 'ipv6' // Uint8Array (16)
  | 'ipaddr' // either family, as 16 bytes (IPv4 mapped to ::ffff:a.b.c.d); report addresses
  | 'string' // string, one char per byte for packet strings
  | 'time' // bigint nanoseconds
  | 'double' // number
  | 'enum' // number: the rank of the value's name in `order`
  | 'none' // presence only (tshark FT_NONE)
  | 'protocol'; // presence of a protocol layer

export type FilterDomain = 'packet' | 'finding' | 'ike_sa' | 'esp_sa';

export interface FilterField {
  readonly name: string;
  readonly type: FilterType;
  readonly domain: FilterDomain;
  /** Integer width: literals above 2^bits - 1 are an error, as in Wireshark. */
  readonly bits?: number;
  /** Integer value names: `isakmp.exchangetype == "Quick Mode"`. */
  readonly values?: Readonly<Record<number, string>>;
  /** Enum names in ascending order (`finding.severity`: chat < note < warning < error). */
  readonly order?: readonly string[];
}

export type FilterValue = number | bigint | string | Uint8Array;

/** Per referenced field (by slot, in `CompiledFilter.fields` order), the values of one record. */
export type FilterSlots = readonly (readonly FilterValue[])[];

export interface FieldCatalog {
  lookup(name: string): FilterField | undefined;
}
