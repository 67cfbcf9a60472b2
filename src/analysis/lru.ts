/**
 * Helpers for the per-packet trackers (ESP SAs, UDP flows): an intrusive least-recently-used
 * list, the one table both keep their state in (`LruTable`: lookup, insertion, eviction), and a
 * numeric hash of IPv4 endpoints, so that a packet is matched to its state without building
 * strings. The list order is exactly that of a Map whose entry is deleted and set
 * again on every use (what the trackers did before), so reports and eviction do not change.
 */
export interface LruNode<T> {
  prev: T | null;
  next: T | null;
}

export class LruList<T extends LruNode<T>> {
  head: T | null = null;
  tail: T | null = null;
  size = 0;

  append(node: T): void {
    node.prev = this.tail;
    node.next = null;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size++;
  }

  remove(node: T): void {
    if (node.prev === null) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = node.next = null;
    this.size--;
  }

  /** Moves `node` to the most recently used end. */
  touch(node: T): void {
    if (node === this.tail) return;
    // Unlink (node is not the tail, so node.next is set).
    const next = node.next!;
    if (node.prev === null) this.head = next;
    else node.prev.next = next;
    next.prev = node.prev;
    // Append.
    node.prev = this.tail;
    node.next = null;
    this.tail!.next = node;
    this.tail = node;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let n = this.head; n !== null; n = n.next) out.push(n);
    return out;
  }
}

/** A tracked entry: LRU links, and how it is found (IPv4: `hash` bucket, chained; else `stringKey`). */
export interface LruEntry<T> extends LruNode<T> {
  /** Next entry in the same hash bucket (IPv4). */
  chain: T | null;
  readonly hash: number;
  readonly v4: boolean;
  readonly stringKey: string;
}

/**
 * The bookkeeping the per-packet trackers (ESP SAs, UDP flows) share: IPv4 entries by a numeric
 * hash with collisions chained (the caller walks a bucket with its own equality test), other
 * entries by their text key, all in one least-recently-used list.
 */
export class LruTable<T extends LruEntry<T>> {
  private readonly byHash = new Map<number, T>();
  private readonly byString = new Map<string, T>();
  private readonly lru = new LruList<T>();

  get size(): number {
    return this.lru.size;
  }

  /** Entries, least recently used first. */
  values(): T[] {
    return this.lru.toArray();
  }

  /** The first entry of a hash bucket; walk on through `chain`. */
  bucket(hash: number): T | null {
    return this.byHash.get(hash) ?? null;
  }

  byKey(key: string): T | undefined {
    return this.byString.get(key);
  }

  /** Marks an entry most recently used. */
  touch(entry: T): void {
    this.lru.touch(entry);
  }

  /** Adds a new entry as the most recently used, under its hash (IPv4) or its text key. */
  add(entry: T): void {
    if (entry.v4) {
      entry.chain = this.byHash.get(entry.hash) ?? null;
      this.byHash.set(entry.hash, entry);
    } else this.byString.set(entry.stringKey, entry);
    this.lru.append(entry);
  }

  /** Removes and returns the least recently used entry. */
  evictOldest(): T | undefined {
    const oldest = this.lru.head;
    if (oldest === null) return undefined;
    this.lru.remove(oldest);
    if (oldest.v4) {
      let at = this.byHash.get(oldest.hash)!;
      if (at === oldest) {
        if (oldest.chain === null) this.byHash.delete(oldest.hash);
        else this.byHash.set(oldest.hash, oldest.chain);
      } else {
        while (at.chain !== oldest) at = at.chain!;
        at.chain = oldest.chain;
      }
    } else this.byString.delete(oldest.stringKey);
    return oldest;
  }

  /** Drops every entry. */
  clear(): void {
    this.byHash.clear();
    this.byString.clear();
    this.lru.head = this.lru.tail = null;
    this.lru.size = 0;
  }
}

/** A random per-process seed: a capture cannot be crafted to make every packet collide. */
const SEED = (Math.random() * 0x40000000) | 0;

/** A small-integer (Smi) hash of up to five 32-bit values; equal inputs give equal keys. */
export function mixKey(a: number, b: number, c: number, d: number, e: number): number {
  let h = SEED ^ e;
  h = Math.imul(h ^ a, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ d, 0x27d4eb2f);
  h ^= h >>> 15;
  return h & 0x3fffffff;
}

/** Four address bytes as a host-order u32. */
export function ipv4Of(b: Uint8Array): number {
  return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
}
