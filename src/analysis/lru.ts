/**
 * Helpers for the per-packet trackers (ESP SAs, UDP flows): an intrusive least-recently-used
 * list and a numeric hash of IPv4 endpoints, so that a packet is matched to its state without
 * building strings. The list order is exactly that of a Map whose entry is deleted and set
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
