import type { FieldDef, FieldValue, TimeValue } from '../decode/field.js';
import { toHex } from '../decode/cursor.js';
import { escapeText, formatEther, formatIpv4, formatIpv6 } from '../decode/tree.js';

/**
 * One field value as tshark 4.0 prints it with `-T fields` (checked against tshark on the corpus):
 * integers in decimal, except BASE_HEX / BASE_HEX_DEC which print `0x` + zero-padded hex of the
 * field's width; booleans 1/0; bytes as bare lowercase hex (`<MISSING>` when empty); FT_NONE as `1`;
 * times as sec.nsec.
 */
export function formatFieldValue(def: FieldDef, value: FieldValue): string {
  switch (def.type) {
    case 'uint':
    case 'uint64':
    case 'int': {
      const n = value as number | bigint;
      const base = def.base ?? 'dec';
      if (base === 'hex' || base === 'hex_dec') return '0x' + n.toString(16).padStart(Math.ceil((def.bits ?? 32) / 4), '0');
      if (base === 'oct') return '0' + n.toString(8);
      return String(n);
    }
    case 'bool':
      return value ? '1' : '0';
    case 'bytes':
      // tshark prints an occurrence of a byte field with no bytes as <MISSING>.
      return (value as Uint8Array).length === 0 ? '<MISSING>' : toHex(value as Uint8Array);
    case 'ipv4':
      return formatIpv4(value as number | Uint8Array);
    case 'ipv6':
      return formatIpv6(value as Uint8Array);
    case 'ether':
      return formatEther(value as Uint8Array);
    case 'string':
      return escapeText(value as string);
    case 'none':
      return '1';
    case 'time_epoch':
    case 'time_rel': {
      const t = value as TimeValue;
      return `${t.sec}.${String(t.nsec).padStart(9, '0')}`;
    }
    case 'double':
      return String(value);
  }
}
