import type { ReadContext } from './context.js';

/** The classic libpcap file header: magic, version, thiszone, sigfigs, snaplen, linktype. */
export const CLASSIC_HEADER_BYTES = 24;

/** Unsigned 32-bit read at `at` in the file's byte order (the caller guarantees 4 bytes). */
export function rd32(b: Uint8Array, at: number, littleEndian: boolean): number {
  return littleEndian
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export function rd16(b: Uint8Array, at: number, littleEndian: boolean): number {
  return littleEndian ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
}

export interface ClassicMagic {
  readonly littleEndian: boolean;
  /** Nanosecond time stamps (magic 0xa1b23c4d) instead of microseconds. */
  readonly nanos: boolean;
  /** Alexey Kuznetsov's "modified" pcap (magic 0xa1b2cd34): 24-byte record headers. */
  readonly modified: boolean;
}

/** Magic numbers as they read big-endian from the first 4 bytes. */
const MAGICS: ReadonlyArray<readonly [number, ClassicMagic]> = [
  [0xa1b2c3d4, { littleEndian: false, nanos: false, modified: false }],
  [0xd4c3b2a1, { littleEndian: true, nanos: false, modified: false }],
  [0xa1b23c4d, { littleEndian: false, nanos: true, modified: false }],
  [0x4d3cb2a1, { littleEndian: true, nanos: true, modified: false }],
  [0xa1b2cd34, { littleEndian: false, nanos: false, modified: true }],
  [0x34cdb2a1, { littleEndian: true, nanos: false, modified: true }],
];

export function classicMagic(b: Uint8Array): ClassicMagic | undefined {
  if (b.length < 4) return undefined;
  const m = rd32(b, 0, false);
  return MAGICS.find(([v]) => v === m)?.[1];
}

/** Whether `b` (fewer than 4 bytes) could be the start of a classic pcap magic. */
export function couldBeClassicMagic(b: Uint8Array): boolean {
  return MAGICS.some(([v]) => b.every((x, i) => x === (v >>> (24 - 8 * i)) % 256));
}

export interface ClassicHeader extends ClassicMagic {
  readonly major: number;
  readonly minor: number;
  readonly snaplen: number;
  /**
   * LINKTYPE_* value: the low 16 bits of the header's LinkType field. Per the pcap
   * specification (draft-ietf-opsawg-pcap) bits 16-25 are reserved, bit 26 says whether bits
   * 28-31 hold an FCS length (in 16-bit words); tcpdump's fuzzed test files set those upper
   * bits, and libpcap's LT_LINKTYPE() and Wireshark both use only the low 16 bits.
   */
  readonly linkType: number;
  /**
   * Files before version 2.3 store the original length before the captured length; 2.3 files
   * exist in both orders (libpcap swaps when the "captured" length exceeds the original).
   */
  readonly lengths: 'ordered' | 'swapped' | 'maybe-swapped';
  readonly recordHeaderBytes: 16 | 24;
  /** Largest captured length a record may claim (snaplen when sane, else `maxRecordBytes`). */
  readonly recordLimit: number;
}

/** Reads the 24-byte header (present in `b`); throws `unsupported` for versions libpcap does not write. */
export function parseClassicHeader(b: Uint8Array, magic: ClassicMagic, ctx: ReadContext): ClassicHeader {
  const le = magic.littleEndian;
  const major = rd16(b, 4, le);
  const minor = rd16(b, 6, le);
  // libpcap reads 2.x files up to 2.4; 2.0-2.2 (and some 2.3) have the two lengths swapped.
  if (major !== 2 || minor > 4) {
    throw ctx.error('unsupported', `unsupported pcap file format version ${major}.${minor} (only 2.0 to 2.4 are defined)`, 4);
  }
  const snaplen = rd32(b, 16, le);
  const linkType = rd32(b, 20, le) & 0xffff;
  const max = ctx.maxRecordBytes;
  return {
    ...magic,
    major,
    minor,
    snaplen,
    linkType,
    lengths: minor < 3 ? 'swapped' : minor === 3 ? 'maybe-swapped' : 'ordered',
    recordHeaderBytes: magic.modified ? 24 : 16,
    recordLimit: snaplen > 0 && snaplen < max ? snaplen : max,
  };
}

/** The `bad-length` error for a record claiming more than `header.recordLimit` captured bytes. */
export function recordTooLong(ctx: ReadContext, header: ClassicHeader, capturedLength: number, offset: number) {
  const limit =
    header.recordLimit === ctx.maxRecordBytes
      ? `the maximum of ${ctx.maxRecordBytes} bytes`
      : `the file's snapshot length of ${header.snaplen} bytes`;
  return ctx.error(
    'bad-length',
    `the capture file appears to be damaged or corrupt (frame ${ctx.frames + 1} at offset ${offset} claims ${capturedLength} captured bytes, more than ${limit})`,
    offset,
  );
}
