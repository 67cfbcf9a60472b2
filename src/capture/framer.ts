import type { CaptureFormat } from './frame.js';
import { FramingError } from './record-format.js';
import type { RecordFormat, RecordReader } from './record-format.js';

/** Records at least this long that straddle chunks are skipped by streaming when skippable. */
const STREAM_SKIP_MIN = 64 * 1024;

/** `Framer.search` result: every byte given was searched, reading waits for more. */
const SEARCHING = -1;
/** `Framer.search` result: the sink asked to stop. */
const STOPPED = -2;

/**
 * Cuts chunks into records without copying: a record inside one chunk is handed over as a
 * view of that chunk; only a record straddling chunks is copied, once, into a buffer of its
 * validated length (or passed over by streaming, for large skippable records).
 *
 * After a `FramingError` it resynchronises: it searches byte by byte for the next position
 * where `plausibleRecordAt` says yes and reads on from there (`search`). The bytes still to be
 * searched that a new chunk must complete are kept in `carry`, never more than about two
 * search windows; a record found in them is read from that buffer, which is then given up.
 */
export class Framer implements RecordReader {
  readonly format: CaptureFormat;
  private offset = 0;
  /** A record straddling chunks: its bytes so far, in a buffer of `headerBytes` or of its full length. */
  private pending: Uint8Array | undefined;
  private pendingFilled = 0;
  private pendingMeasured = false;
  /** A record being passed over: bytes still to skip, its header and its last 4 bytes. */
  private skipLeft = 0;
  private skipLength = 0;
  private skipHead: Uint8Array = new Uint8Array(0);
  private readonly skipTail = new Uint8Array(4);
  /** Bytes pushed so far: the file offset of the next chunk's first byte. */
  private received = 0;
  /** While searching for the next record: the framing error that started the search. */
  private damage: FramingError | undefined;
  /** Bytes still to be searched, `carry[carryStart, carryEnd)`, from file offset `carryOffset`. */
  private carry: Uint8Array = new Uint8Array(0);
  private carryStart = 0;
  private carryEnd = 0;
  private carryOffset = 0;

  constructor(private readonly fmt: RecordFormat) {
    this.format = fmt.format;
  }

  get consumed(): number {
    return this.offset;
  }

  push(chunk: Uint8Array): boolean {
    const base = this.received;
    this.received += chunk.length;
    return this.feed(chunk, 0, base, false);
  }

  finish(): void {
    for (;;) {
      if (this.damage !== undefined) {
        // End of input while searching: what is left is searched knowing nothing more will come.
        const rest = this.carry.subarray(this.carryStart, this.carryEnd);
        const base = this.carryOffset;
        this.dropCarry();
        if (!this.feed(rest, 0, base, true)) return;
        if (this.damage !== undefined) throw this.damage;
      }
      if (this.skipLeft > 0) throw this.fmt.truncated(this.offset, this.skipLength - this.skipLeft, this.skipLength);
      if (this.pending === undefined) return;
      const cut = this.fmt.truncated(this.offset, this.pendingFilled, this.pendingMeasured ? this.pending.length : undefined);
      if (!(cut instanceof FramingError) || this.fmt.plausibleRecordAt === undefined) throw cut;
      // A record running past the end of the input may be a damaged length: search its bytes.
      this.startSearch(cut, this.received);
    }
  }

  /**
   * Handles `data[at..]`, whose byte i is at file offset `base + i`: records, and after a
   * framing error the search for the next one. `atEnd`: no input follows `data`.
   */
  private feed(data: Uint8Array, at: number, base: number, atEnd: boolean): boolean {
    for (;;) {
      if (this.damage !== undefined) {
        at = this.search(data, at, base, atEnd);
        if (at === SEARCHING) return true;
        if (at === STOPPED) return false;
        continue;
      }
      try {
        return this.records(data, at);
      } catch (e) {
        if (!(e instanceof FramingError) || this.fmt.plausibleRecordAt === undefined) throw e;
        at = this.startSearch(e, base);
      }
    }
  }

  /** Records from `data[at]` on, continuing a straddling or skipped record first. */
  private records(data: Uint8Array, at: number): boolean {
    if (this.skipLeft > 0) {
      at = this.continueSkip(data, at);
      if (this.skipLeft > 0) return true;
    } else if (this.pending !== undefined) {
      at = this.continuePending(data, at);
      if (at < 0) return false;
      if (this.pending !== undefined || this.skipLeft > 0) return true;
    }
    return this.scan(data, at);
  }

  /**
   * Enters the search after `damage`. The record it concerns starts at `this.offset`; when it
   * straddled chunks its bytes are in `pending`, and those from `scanFrom` on are carried.
   * Returns the position in the current data (file offset `base`) where the search goes on.
   */
  private startSearch(damage: FramingError, base: number): number {
    this.damage = damage;
    this.skipLeft = 0;
    this.carryStart = this.carryEnd = 0;
    this.carryOffset = damage.scanFrom;
    let from = damage.scanFrom;
    const pending = this.pending;
    if (pending !== undefined) {
      const heldEnd = this.offset + this.pendingFilled;
      if (from < heldEnd) this.append(pending.subarray(from - this.offset, this.pendingFilled));
      from = Math.max(from, heldEnd);
      this.pending = undefined;
    }
    this.fmt.resyncStarted?.(damage);
    return from - base;
  }

  /**
   * Searches for the next plausible record: first the carried positions (completed with the
   * start of `data`), then `data[at..]` in place. Returns where reading goes on in `data`,
   * `SEARCHING` when all of `data` was searched (any undecided tail is carried), or `STOPPED`.
   */
  private search(data: Uint8Array, at: number, base: number, atEnd: boolean): number {
    const fmt = this.fmt;
    const plausible = fmt.plausibleRecordAt!.bind(fmt);
    if (this.carryEnd > this.carryStart) {
      const limit = this.carryEnd;
      const added = Math.min(data.length - at, fmt.searchWindow ?? 0);
      this.append(data.subarray(at, at + added));
      const carry = this.carry;
      for (let p = this.carryStart; p < limit; p++) {
        const verdict = plausible(carry, p, this.carryEnd - p);
        // 'more' with bytes of `data` not added: more than a search window, which cannot be.
        if (verdict === 'no' || (verdict === 'more' && (atEnd || at + added < data.length))) continue;
        this.carryOffset += p - this.carryStart;
        this.carryStart = p;
        if (verdict === 'more') return SEARCHING; // all of `data` was added: wait for more
        // A record in the carried bytes: read from that buffer (given up: frames may view it).
        const found = carry.subarray(p, this.carryEnd);
        const resumedAt = this.carryOffset;
        this.dropCarry();
        this.resume(resumedAt);
        if (!this.feed(found, 0, resumedAt, atEnd && at + added === data.length)) return STOPPED;
        return at + added;
      }
      this.carryStart = this.carryEnd = 0;
    }
    for (let p = at; p < data.length; p++) {
      const verdict = plausible(data, p, data.length - p);
      if (verdict === 'yes') {
        this.resume(base + p);
        return p;
      }
      if (verdict === 'more' && !atEnd) {
        this.carryOffset = base + p;
        this.append(data.subarray(p));
        return SEARCHING;
      }
    }
    return SEARCHING;
  }

  private resume(resumedAt: number): void {
    const damage = this.damage!;
    this.damage = undefined;
    this.offset = resumedAt;
    this.fmt.resynchronised?.(damage, resumedAt);
  }

  /**
   * Appends to the carried bytes, compacting or growing the buffer: amortised linear, and never
   * larger than two search windows (between chunks at most one is carried, and one more is added).
   */
  private append(bytes: Uint8Array): void {
    if (this.carryEnd + bytes.length > this.carry.length) {
      const live = this.carryEnd - this.carryStart;
      const needed = live + bytes.length;
      const cap = Math.max(2 * (this.fmt.searchWindow ?? 0), needed);
      if (needed <= this.carry.length >> 1 || (needed <= this.carry.length && this.carry.length >= cap)) {
        this.carry.copyWithin(0, this.carryStart, this.carryEnd);
      } else {
        const grown = new Uint8Array(Math.min(Math.max(2 * this.carry.length, needed, 4096), cap));
        grown.set(this.carry.subarray(this.carryStart, this.carryEnd));
        this.carry = grown;
      }
      this.carryStart = 0;
      this.carryEnd = live;
    }
    this.carry.set(bytes, this.carryEnd);
    this.carryEnd += bytes.length;
  }

  private dropCarry(): void {
    this.carry = new Uint8Array(0);
    this.carryStart = this.carryEnd = 0;
  }

  /** The tight loop: every record wholly inside `chunk` from `at` on. */
  private scan(chunk: Uint8Array, at: number): boolean {
    const fmt = this.fmt;
    const end = chunk.length;
    let length = -1;
    for (;;) {
      const avail = end - at;
      if (avail < fmt.headerBytes) {
        length = -1;
        break;
      }
      length = fmt.measure(chunk, at, this.offset);
      if (length > avail) break;
      const go = fmt.consume(chunk, at, length, this.offset);
      at += length;
      this.offset += length;
      if (!go) return false;
    }
    if (at === end) return true;
    if (length >= STREAM_SKIP_MIN && fmt.skippable(chunk, at, length)) {
      this.startSkip(new Uint8Array(chunk.subarray(at, at + fmt.headerBytes)), length);
      this.continueSkip(chunk, at + fmt.headerBytes);
      return true;
    }
    const rest = end - at;
    this.pendingMeasured = length >= 0;
    this.pending = new Uint8Array(this.pendingMeasured ? length : fmt.headerBytes);
    this.pending.set(chunk.subarray(at, end));
    this.pendingFilled = rest;
    return true;
  }

  /**
   * Adds the start of `chunk` to the straddling record. Returns where the rest of the chunk
   * starts, or -1 when the sink asked to stop.
   */
  private continuePending(chunk: Uint8Array, from: number): number {
    const fmt = this.fmt;
    let pending = this.pending!;
    let at = from;
    if (!this.pendingMeasured) {
      const take = Math.min(pending.length - this.pendingFilled, chunk.length - at);
      pending.set(chunk.subarray(at, at + take), this.pendingFilled);
      this.pendingFilled += take;
      at += take;
      if (this.pendingFilled < pending.length) return at;
      const length = fmt.measure(pending, 0, this.offset);
      this.pendingMeasured = true;
      if (length >= STREAM_SKIP_MIN && fmt.skippable(pending, 0, length)) {
        this.pending = undefined;
        this.startSkip(pending, length);
        return this.continueSkip(chunk, at);
      }
      const full = new Uint8Array(length);
      full.set(pending);
      this.pending = pending = full;
    }
    const take = Math.min(pending.length - this.pendingFilled, chunk.length - at);
    pending.set(chunk.subarray(at, at + take), this.pendingFilled);
    this.pendingFilled += take;
    at += take;
    if (this.pendingFilled < pending.length) return at;
    // Still pending while consumed: a framing error resynchronises from these bytes.
    const go = fmt.consume(pending, 0, pending.length, this.offset);
    this.pending = undefined;
    this.offset += pending.length;
    return go ? at : -1;
  }

  private startSkip(head: Uint8Array, length: number): void {
    this.skipHead = head;
    this.skipLength = length;
    this.skipLeft = length - head.length;
  }

  /** Passes over skipped bytes from `at`, keeping the record's last 4; returns where the rest starts. */
  private continueSkip(chunk: Uint8Array, at: number): number {
    const take = Math.min(this.skipLeft, chunk.length - at);
    // Record positions [pos, pos + take) are in this chunk; the tail is [length - 4, length).
    const pos = this.skipLength - this.skipLeft;
    const tailStart = this.skipLength - 4;
    for (let p = Math.max(pos, tailStart); p < pos + take; p++) this.skipTail[p - tailStart] = chunk[at + p - pos]!;
    this.skipLeft -= take;
    if (this.skipLeft === 0) {
      this.fmt.skipped(this.skipHead, this.skipTail, this.skipLength, this.offset);
      this.offset += this.skipLength;
    }
    return at + take;
  }
}
