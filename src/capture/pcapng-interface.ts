import { rd16, rd32 } from './classic-header.js';
import { MICROSECONDS, tsResolution } from './pcapng-time.js';
import type { TsResolution } from './pcapng-time.js';

/** What an Interface Description Block says that frames need. */
export interface PcapngInterface {
  readonly linkType: number;
  /** 0: no limit. */
  readonly snaplen: number;
  readonly resolution: TsResolution;
  /** if_tsoffset: seconds added to every time stamp of the interface. */
  readonly offsetSec: number;
}

export const IDB_MIN_BYTES = 20;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

/**
 * Reads the IDB at `at` (its framing is already checked: `length` >= 12, multiple of 4).
 * Returns the interface, or a description of what makes it unusable. An option running past
 * the block is reported through `warn`; the options before it still apply.
 */
export function parseInterface(
  b: Uint8Array,
  at: number,
  length: number,
  le: boolean,
  warn: (message: string) => void,
): PcapngInterface | string {
  if (length < IDB_MIN_BYTES) return `interface description block of ${length} bytes is shorter than the minimum ${IDB_MIN_BYTES}`;
  let resolution = MICROSECONDS;
  let offsetSec = 0;
  const end = at + length - 4;
  for (let p = at + 16; p + 4 <= end; ) {
    const code = rd16(b, p, le);
    const size = rd16(b, p + 2, le);
    if (code === OPT_ENDOFOPT) break;
    const value = p + 4;
    if (value + size > end) {
      warn(`option ${code} runs past the end of the interface description block; later options ignored`);
      break;
    }
    if (code === OPT_IF_TSRESOL && size >= 1) resolution = tsResolution(b[value]!);
    else if (code === OPT_IF_TSOFFSET && size >= 8) {
      const hi = rd32(b, le ? value + 4 : value, le);
      const lo = rd32(b, le ? value : value + 4, le);
      offsetSec = Number(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)));
    }
    p = value + ((size + 3) & ~3);
  }
  return { linkType: rd16(b, at + 8, le), snaplen: rd32(b, at + 12, le), resolution, offsetSec };
}
