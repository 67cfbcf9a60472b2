import { rd16, rd32 } from './classic-header.js';
import { cutShort, headerCutShort, hex32 } from './context.js';
import type { ReadContext } from './context.js';
import type { CaptureError } from './frame.js';
import { FramingError } from './record-format.js';
import type { Plausibility, RecordFormat } from './record-format.js';
import { parseInterface } from './pcapng-interface.js';
import type { PcapngInterface } from './pcapng-interface.js';
import { toSecNsec } from './pcapng-time.js';
import type { TimeOut } from './pcapng-time.js';
import {
  BLOCK_HEADER_BYTES,
  EPB,
  EPB_MIN_BYTES,
  IDB,
  MAX_SKIPPED_BLOCK,
  PB,
  PB_MIN_BYTES,
  SHB,
  SPB,
  SPB_MIN_BYTES,
  SHB_MIN_BYTES,
  blockName,
  isSilent,
  plausibleBlockAt,
} from './pcapng-blocks.js';

/** Room for the fixed fields and options around a packet of `maxRecordBytes`. */
const OPTIONS_ALLOWANCE = 65_536;
/** Interfaces kept per section (a pcapng PB can only name 65536 anyway). */
const MAX_INTERFACES = 65_536;

/**
 * pcapng: sections (each SHB sets the byte order and resets the interfaces), interfaces,
 * and EPB / SPB / obsolete PB packets. Every block's framing is checked (length >= 12, a
 * multiple of 4, under the limit, trailing copy equal). A broken frame in the first section
 * header stops reading with `bad-length`; after it, it is a `FramingError`: the Framer searches
 * for the next plausible block (`plausibleRecordAt`) and reading resumes there, with a
 * 'resynchronised' notice (README "Hostile input"). A well-framed block whose content is
 * unusable (unknown interface, captured length past the block) is skipped with a notice and
 * reading goes on.
 */
export class PcapngFormat implements RecordFormat {
  readonly format = 'pcapng' as const;
  readonly headerBytes = BLOCK_HEADER_BYTES;
  private le = true;
  private sawSection = false;
  private section = 0;
  private interfaces: Array<PcapngInterface | undefined> = [];
  private readonly maxHeldBlock: number;
  private readonly time: TimeOut = { sec: 0, nsec: 0 };
  /**
   * Set with each FramingError: the damaged block was a section header, so the search starts a
   * new section, in this byte order (null: its byte-order magic was damaged too).
   */
  private damagedSectionLe: boolean | null | undefined;
  readonly searchWindow: number;

  constructor(private readonly ctx: ReadContext) {
    this.maxHeldBlock = ctx.maxRecordBytes + OPTIONS_ALLOWANCE;
    this.searchWindow = this.maxHeldBlock;
  }

  measure(b: Uint8Array, at: number, offset: number): number {
    const type = rd32(b, at, this.le);
    const le = type === SHB ? this.byteOrder(b, at, offset) : this.le;
    const length = rd32(b, at + 4, le);
    const min = type === SHB ? SHB_MIN_BYTES : BLOCK_HEADER_BYTES;
    const max = type === EPB || !isSilent(type) ? this.maxHeldBlock : MAX_SKIPPED_BLOCK;
    let wrong: string | undefined;
    if (length < min) wrong = `is less than the minimum of ${min}`;
    else if (length % 4 !== 0) wrong = 'is not a multiple of 4';
    else if (length > max) wrong = `is larger than the maximum of ${max}`;
    if (wrong !== undefined) {
      throw this.corrupt(offset, `${blockName(type)} at offset ${offset}: total length ${length} ${wrong}`, offset + 1, type === SHB ? le : undefined);
    }
    return length;
  }

  /** Only known non-packet blocks too long to hold are streamed past: anything shorter is checked whole first. */
  skippable(b: Uint8Array, at: number, length: number): boolean {
    return length > this.maxHeldBlock && isSilent(rd32(b, at, this.le));
  }

  consume(b: Uint8Array, at: number, length: number, offset: number): boolean {
    const type = rd32(b, at, this.le);
    if (type === SHB) {
      const le = this.byteOrder(b, at, offset);
      this.checkTrailer(type, rd32(b, at + 4, le), rd32(b, at + length - 4, le), offset, le);
      this.le = le;
      this.startSection(b, at, offset);
      return true;
    }
    this.checkTrailer(type, rd32(b, at + 4, this.le), rd32(b, at + length - 4, this.le), offset);
    if (type === EPB) return this.packet(b, at, length, offset, rd32(b, at + 8, this.le), EPB_MIN_BYTES, 'enhanced');
    switch (type) {
      case IDB:
        this.addInterface(b, at, length, offset);
        return true;
      case SPB:
        return this.simplePacket(b, at, length, offset);
      case PB:
        return this.packet(b, at, length, offset, rd16(b, at + 8, this.le), PB_MIN_BYTES, 'packet');
      default:
        this.otherBlock(type, offset);
        return true;
    }
  }

  skipped(head: Uint8Array, tail: Uint8Array, length: number, offset: number): void {
    const type = rd32(head, 0, this.le);
    this.checkTrailer(type, length, rd32(tail, 0, this.le), offset);
    this.otherBlock(type, offset);
  }

  /**
   * After the first section header, a block running past the end of the input is resynchronised
   * from like a broken frame (its length may be the damage); the error stands when nothing follows.
   */
  truncated(offset: number, present: number, needed: number | undefined): CaptureError {
    if (!this.sawSection) return headerCutShort(this.ctx, 'section header block', needed ?? SHB_MIN_BYTES, present);
    const error = cutShort(this.ctx, 'block', offset, present, needed);
    if (needed === undefined) return error;
    this.damagedSectionLe = undefined;
    return new FramingError(error, `block at offset ${offset}: total length ${needed} runs past the end of the input (${present} bytes present)`, offset + 1);
  }

  /** See `plausibleBlockAt` (pcapng-blocks.ts): O(1), the search calls it at every byte. */
  plausibleRecordAt(b: Uint8Array, at: number, available: number): Plausibility {
    return plausibleBlockAt(b, at, available, this.le, this.interfaces.length, this.maxHeldBlock);
  }

  resyncStarted(): void {
    const le = this.damagedSectionLe;
    this.damagedSectionLe = undefined;
    if (le === undefined) return;
    // A damaged section header still starts a section: the interfaces before it are not its own.
    this.section++;
    this.interfaces = [];
    if (le !== null) this.le = le;
  }

  resynchronised(damage: FramingError, resumedAt: number): void {
    const offset = damage.offset ?? 0;
    this.ctx.resynchronised(`${damage.detail}; reading resumed at offset ${resumedAt}, ${resumedAt - offset} bytes skipped`, offset, resumedAt);
  }

  /** The byte order an SHB's byte-order magic gives. */
  private byteOrder(b: Uint8Array, at: number, offset: number): boolean {
    const bom = rd32(b, at + 8, false);
    if (bom === 0x1a2b3c4d) return false;
    if (bom === 0x4d3c2b1a) return true;
    if (!this.sawSection) throw this.ctx.error('not-a-capture', `not a capture file (pcapng byte-order magic ${hex32(bom)} unknown)`, 8);
    throw this.corrupt(offset, `section header block at offset ${offset} has an unknown byte-order magic ${hex32(bom)}`, offset + 1, null);
  }

  /** `sectionLe`: the block is a section header, in that byte order. */
  private checkTrailer(type: number, leading: number, trailing: number, offset: number, sectionLe?: boolean): void {
    if (leading !== trailing) {
      // A block too long to hold may have been passed over unread: the search starts after it, whatever the chunking.
      const scanFrom = leading > this.maxHeldBlock ? offset + leading : offset + 1;
      throw this.corrupt(
        offset,
        `${blockName(type)} at offset ${offset}: total length ${leading} does not match its trailing copy ${trailing}`,
        scanFrom,
        sectionLe,
      );
    }
  }

  private startSection(b: Uint8Array, at: number, offset: number): void {
    const major = rd16(b, at + 12, this.le);
    const minor = rd16(b, at + 14, this.le);
    // As Wireshark: 1.0, and 1.2 (written by some tools, identical to 1.0).
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      throw this.ctx.error('unsupported', `unsupported pcapng version ${major}.${minor} (section at offset ${offset})`, offset);
    }
    this.sawSection = true;
    this.section++;
    this.interfaces = [];
  }

  private addInterface(b: Uint8Array, at: number, length: number, offset: number): void {
    const id = this.interfaces.length;
    if (id >= MAX_INTERFACES) {
      // Memory must not grow with the file: a flood of IDBs is not kept (its packets are skipped).
      const message = `more than ${MAX_INTERFACES} interfaces in one section; the rest are ignored (offset ${offset})`;
      this.ctx.notice('skipped', `idb-limit:${this.section}`, message, offset);
      return;
    }
    const iface = parseInterface(b, at, length, this.le, (message) =>
      this.ctx.notice('skipped', `idb-option:${offset}`, `interface ${id} (block at offset ${offset}): ${message}`, offset),
    );
    if (typeof iface === 'string') {
      // Keep the id taken, so later interfaces keep their numbers; its packets are skipped.
      this.interfaces.push(undefined);
      this.ctx.notice('skipped', `idb:${offset}`, `${iface} (offset ${offset}); packets on interface ${id} will be skipped`, offset);
    } else {
      this.interfaces.push(iface);
    }
  }

  /** EPB and obsolete PB: interface id, 64-bit time stamp, captured and original length, data. */
  private packet(b: Uint8Array, at: number, length: number, offset: number, id: number, min: number, name: string): boolean {
    const le = this.le;
    if (length < min) return this.skip(`short:${name}`, offset, `${name} packet block of ${length} bytes is shorter than the minimum ${min}`);
    const iface = this.interfaces[id];
    if (iface === undefined) return this.skipForInterface(offset, id, name);
    const captured = rd32(b, at + 20, le);
    if (captured > length - min) {
      return this.skip(`past:${name}`, offset, `${name} packet block captured length ${captured} runs past the block (${length} bytes)`);
    }
    if (captured > this.ctx.maxRecordBytes) {
      return this.skip(`max:${name}`, offset, `${name} packet block captured length ${captured} exceeds the maximum of ${this.ctx.maxRecordBytes}`);
    }
    const time = this.time;
    toSecNsec(iface.resolution, rd32(b, at + 12, le), rd32(b, at + 16, le), iface.offsetSec, time);
    return this.ctx.deliver(b, at + 28, captured, rd32(b, at + 24, le), time.sec, time.nsec, iface.linkType, id);
  }

  /** SPB: interface 0, no time stamp; captured length = min(original length, snaplen). */
  private simplePacket(b: Uint8Array, at: number, length: number, offset: number): boolean {
    if (length < SPB_MIN_BYTES) return this.skip('short:simple', offset, `simple packet block of ${length} bytes is shorter than the minimum`);
    const iface = this.interfaces[0];
    if (iface === undefined) return this.skipForInterface(offset, 0, 'simple');
    const original = rd32(b, at + 8, this.le);
    const captured = iface.snaplen !== 0 && original > iface.snaplen ? iface.snaplen : original;
    if (captured > length - SPB_MIN_BYTES) {
      return this.skip('past:simple', offset, `simple packet block of ${length} bytes is too short for its ${captured} captured bytes`);
    }
    if (captured > this.ctx.maxRecordBytes) {
      return this.skip('max:simple', offset, `simple packet block captured length ${captured} exceeds the maximum of ${this.ctx.maxRecordBytes}`);
    }
    return this.ctx.deliver(b, at + 12, captured, original, 0, 0, iface.linkType, 0);
  }

  private skipForInterface(offset: number, id: number, name: string): boolean {
    const defined = this.interfaces.length;
    const why = id < defined ? 'whose description block was unusable' : `but the section defines ${defined} interface(s)`;
    const key = `iface:${this.section}:${id}`;
    this.ctx.notice('skipped', key, `${name} packet block at offset ${offset} refers to interface ${id}, ${why}; skipped`, offset);
    return true;
  }

  /** Skips a well-framed but unusable block; one notice per kind of problem. */
  private skip(key: string, offset: number, message: string): boolean {
    this.ctx.notice('skipped', key, `${message} (offset ${offset}); skipped (later such blocks are skipped silently)`, offset);
    return true;
  }

  private otherBlock(type: number, offset: number): void {
    if (isSilent(type)) return;
    this.ctx.notice(
      'unknown-block',
      `type:${type}`,
      `unknown pcapng block type ${hex32(type)} at offset ${offset} skipped (later blocks of this type are skipped silently)`,
      offset,
    );
  }

  /**
   * A broken block frame: before the first section header is read, an error that stops reading;
   * after it, a FramingError to resynchronise from (`sectionLe`: the block is a section header,
   * in that byte order, null when unknown).
   */
  private corrupt(offset: number, detail: string, scanFrom: number, sectionLe?: boolean | null): CaptureError {
    const error = this.ctx.error('bad-length', `the capture file appears to be damaged or corrupt (${detail})`, offset);
    if (!this.sawSection) return error;
    this.damagedSectionLe = sectionLe;
    return new FramingError(error, detail, scanFrom);
  }
}
