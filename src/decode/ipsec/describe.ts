import type { Describer, Describers } from '../describe-types.js';
import type { FieldDef } from '../field.js';
import { text, type TreeNode } from '../tree.js';
import type { AhLayer, EspLayer } from './esp.js';
import { IP_PROTO_NAMES } from '../ip/ip-proto.js';
import { add } from '../link/tree-util.js';

/** ESP and AH fields, named and typed as tshark 4.0 defines them. */
export const ESP = {
  spi: { abbrev: 'esp.spi', name: 'ESP SPI', type: 'uint', base: 'hex_dec', bits: 32 },
  sequence: { abbrev: 'esp.sequence', name: 'ESP Sequence', type: 'uint', bits: 32 },
} as const satisfies Record<string, FieldDef>;

export const AH = {
  nextHeader: { abbrev: 'ah.next_header', name: 'Next header', type: 'uint', bits: 8, values: IP_PROTO_NAMES },
  length: { abbrev: 'ah.length', name: 'Length', type: 'uint', bits: 8 },
  spi: { abbrev: 'ah.spi', name: 'AH SPI', type: 'uint', base: 'hex', bits: 32 },
  sequence: { abbrev: 'ah.sequence', name: 'AH Sequence', type: 'uint', bits: 32 },
  icvLength: { abbrev: 'ah.icv_length', name: 'AH ICV length', type: 'uint', bits: 16 },
} as const satisfies Record<string, FieldDef>;

export const IPSEC_FIELDS: readonly FieldDef[] = [...Object.values(ESP), ...Object.values(AH)];

const hex8 = (v: number): string => '0x' + v.toString(16).padStart(8, '0');

const esp: Describer<EspLayer> = {
  column: 'ESP',
  info: (l) => (l.spi === undefined ? 'ESP header cut short' : `ESP (SPI=${hex8(l.spi)})`),
  tree(l) {
    const c: TreeNode[] = [];
    add(c, ESP.spi, l.spi, l.offset, 4);
    add(c, ESP.sequence, l.sequence, l.offset + 4, 4);
    if (l.dataLength > 0) c.push(text(`Encrypted data (${l.dataLength} bytes, not decrypted)`, undefined, l.offset + 8, l.dataLength));
    return text('Encapsulating Security Payload', c, l.offset, l.length);
  },
};

const ah: Describer<AhLayer> = {
  column: 'AH',
  info: (l) => (l.spi === undefined ? 'AH header cut short' : `AH (SPI=${hex8(l.spi)})`),
  tree(l) {
    const c: TreeNode[] = [];
    const o = l.offset;
    add(c, AH.nextHeader, l.nextHeader, o, 1);
    const total = l.payloadLength === undefined ? undefined : (l.payloadLength + 2) * 4;
    add(c, AH.length, l.payloadLength, o + 1, 1, { label: `Length: ${total} (${l.payloadLength})` });
    add(c, AH.spi, l.spi, o + 4, 4);
    add(c, AH.sequence, l.sequence, o + 8, 4);
    add(c, AH.icvLength, l.icvLength, o + 12, l.icvLength, { label: `AH ICV: ${l.icvLength} bytes` });
    return text('Authentication Header', c, o, l.length);
  },
};

export const IPSEC_DESCRIBERS: Describers = { esp, ah };
