import { rd16, rd32 } from './classic-header.js';
import { hex32 } from './context.js';
import type { Plausibility } from './record-format.js';

/** pcapng block types, lengths and what a block must look like for a resynchronisation to land on it. */

export const SHB = 0x0a0d0d0a;
export const IDB = 0x00000001;
export const PB = 0x00000002; // obsolete Packet Block
export const SPB = 0x00000003;
const NRB = 0x00000004;
const ISB = 0x00000005;
export const EPB = 0x00000006;
const DSB = 0x0000000a;
const CB = 0x00000bad; // custom block (copiable)
const DCB = 0x40000bad; // custom block (do not copy)

/** Blocks that carry no packets, passed over without a notice; the only ones longer than `maxHeldBlock` may be. */
export const isSilent = (type: number): boolean => type === NRB || type === ISB || type === DSB || type === CB || type === DCB;

export const BLOCK_HEADER_BYTES = 12; // type, total length, and the SHB's byte-order magic
export const SHB_MIN_BYTES = 28;
export const EPB_MIN_BYTES = 32;
export const PB_MIN_BYTES = 32;
export const SPB_MIN_BYTES = 16;
/**
 * Known non-packet blocks (`isSilent`) longer than `maxHeldBlock` are passed over by streaming,
 * never held; they may be this long, like Wireshark's limit; anything longer is a corrupt length.
 */
export const MAX_SKIPPED_BLOCK = 128 * 1024 * 1024;
/** The smallest total length of each block type a resynchronisation may land on. */
const PLAUSIBLE_MIN: ReadonlyMap<number, number> = new Map([
  [SHB, SHB_MIN_BYTES],
  [IDB, 20],
  [PB, PB_MIN_BYTES],
  [SPB, SPB_MIN_BYTES],
  [NRB, 16],
  [ISB, 24],
  [EPB, EPB_MIN_BYTES],
  [DSB, 20],
  [CB, 16],
  [DCB, 16],
]);

/**
 * A plausible block at `at`: a known type (an SHB with a valid byte-order magic and version),
 * a total length valid for it (at least its minimum, a multiple of 4, at most `maxHeldBlock`)
 * repeated at its end, and for EPB / PB an interface the section defines and a captured
 * length that fits. O(1): the search calls it at every byte.
 */
export function plausibleBlockAt(b: Uint8Array, at: number, available: number, sectionLe: boolean, interfaces: number, maxHeldBlock: number): Plausibility {
  if (available < BLOCK_HEADER_BYTES) return 'more';
  let le = sectionLe;
  const type = rd32(b, at, le);
  const min = PLAUSIBLE_MIN.get(type);
  if (min === undefined) return 'no';
  if (type === SHB) {
    const bom = rd32(b, at + 8, false);
    if (bom !== 0x1a2b3c4d && bom !== 0x4d3c2b1a) return 'no';
    le = bom === 0x4d3c2b1a;
  }
  const length = rd32(b, at + 4, le);
  if (length < min || length % 4 !== 0 || length > maxHeldBlock) return 'no';
  if (available < length) return 'more';
  if (rd32(b, at + length - 4, le) !== length) return 'no';
  switch (type) {
    case SHB:
      return rd16(b, at + 12, le) === 1 && (rd16(b, at + 14, le) === 0 || rd16(b, at + 14, le) === 2) ? 'yes' : 'no';
    case EPB:
      return rd32(b, at + 8, le) < interfaces && rd32(b, at + 20, le) <= length - EPB_MIN_BYTES ? 'yes' : 'no';
    case PB:
      return rd16(b, at + 8, le) < interfaces && rd32(b, at + 20, le) <= length - PB_MIN_BYTES ? 'yes' : 'no';
    default:
      return 'yes';
  }
}

/** How messages name a block type. */
export function blockName(type: number): string {
  switch (type) {
    case SHB:
      return 'section header block';
    case IDB:
      return 'interface description block';
    case EPB:
      return 'enhanced packet block';
    case SPB:
      return 'simple packet block';
    case PB:
      return 'packet block';
    default:
      return `block of type ${hex32(type)}`;
  }
}
