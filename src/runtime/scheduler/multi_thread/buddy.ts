/**
 * A binary buddy allocator over a shared byte range (the parallel payload heap).
 *
 * Blocks are 64 B << order. A block starts with an 8-byte header: its order, or-ed with
 * `FREE_BIT` while it is free; a free block also holds the next and previous free block of its
 * order (doubly linked, so a buddy can be unlinked from the middle of its list). The heads of
 * the lists live elsewhere (in the scheduler's control words), so several threads can share one
 * allocator under a lock the caller holds.
 *
 * Invariants (test/parallel/heap.property.test.ts):
 * - blocks never overlap, and every byte of the heap is in exactly one block;
 * - freeing merges a block with its buddy whenever the buddy is free and of the same order, so
 *   once everything is freed the heap is again the blocks it started with (one block when its
 *   size is 64 B times a power of two);
 * - an allocation fails only when no free block of the needed order or above exists.
 *
 * Why buddy and not TLSF: splitting and merging are O(log heap) with no search, the metadata is
 * one header word per block, and the worst case waste (a payload just over a power of two) is
 * bounded at 2x; payloads are short-lived, so the heap empties and coalesces fully between bursts.
 * The word at a buddy's offset is always a block header: a heap whose size is not a power of two
 * is carved into aligned power-of-two blocks whose buddies lie past its end.
 * @module
 */

/** Bytes of a block's header (the payload follows it). */
export const HEADER = 8;
/** The smallest block (order 0). */
export const MIN_BLOCK = 64;
const FREE_BIT = 0x100;
const NIL = -1;

/** @internal */
export class BuddyHeap {
  /** Largest order a block of this heap can have. */
  readonly maxOrder: number;

  /**
   * @param heads `heads[headBase + order]` is the first free block of that order (byte offset) or -1.
   * @param words the heap as 32-bit words (its byte length is a multiple of 64 bytes, used up to `bytes`).
   */
  constructor(
    private readonly heads: Int32Array,
    private readonly headBase: number,
    private readonly words: Int32Array,
    readonly bytes: number,
  ) {
    let k = 0;
    while (MIN_BLOCK * 2 ** (k + 1) <= bytes) k++;
    this.maxOrder = k;
  }

  /** Size in bytes of a block of `order`. */
  static size(order: number): number {
    return MIN_BLOCK * 2 ** order;
  }

  /** Order of the smallest block that holds `payload` bytes, or -1 when no block can. */
  orderFor(payload: number): number {
    const need = payload + HEADER;
    let k = 0;
    while (BuddyHeap.size(k) < need) k++;
    return k <= this.maxOrder ? k : -1;
  }

  /** Carves the whole heap into free blocks (call once, before any thread uses it). */
  init(): void {
    for (let k = 0; k <= this.maxOrder; k++) this.heads[this.headBase + k] = NIL;
    let off = 0;
    const end = this.bytes - (this.bytes % MIN_BLOCK);
    while (off < end) {
      let k = this.maxOrder;
      while (k > 0 && (off % BuddyHeap.size(k) !== 0 || off + BuddyHeap.size(k) > end)) k--;
      this.push(off, k);
      off += BuddyHeap.size(k);
    }
  }

  /** Allocates a block of `order`; returns its byte offset, or -1 when none is free. */
  alloc(order: number): number {
    let k = order;
    while (k <= this.maxOrder && this.heads[this.headBase + k] === NIL) k++;
    if (k > this.maxOrder) return NIL;
    const block = this.heads[this.headBase + k]!;
    this.unlink(block, k);
    while (k > order) {
      k--;
      this.push(block + BuddyHeap.size(k), k); // the upper half stays free
    }
    this.words[block >> 2] = order;
    return block;
  }

  /** Frees a block returned by `alloc`, merging it with its free buddies. */
  free(block: number): void {
    const w = this.words;
    let k = w[block >> 2]!;
    if ((k & FREE_BIT) !== 0 || k > this.maxOrder) throw new Error(`kyoto: parallel heap block ${block} freed twice or corrupt (header ${k})`);
    while (k < this.maxOrder) {
      const size = BuddyHeap.size(k);
      const buddy = block ^ size;
      if (buddy + size > this.bytes || w[buddy >> 2] !== (k | FREE_BIT)) break;
      this.unlink(buddy, k);
      block = Math.min(block, buddy);
      k++;
    }
    this.push(block, k);
  }

  /** Bytes in free blocks, and the largest free block (for error messages and tests). */
  freeStats(): { free: number; largest: number; blocks: number } {
    let free = 0;
    let largest = 0;
    let blocks = 0;
    for (let k = 0; k <= this.maxOrder; k++) {
      for (let b = this.heads[this.headBase + k]!; b !== NIL; b = this.words[(b >> 2) + 1]!) {
        free += BuddyHeap.size(k);
        largest = Math.max(largest, BuddyHeap.size(k));
        blocks++;
      }
    }
    return { free, largest, blocks };
  }

  private push(block: number, k: number): void {
    const w = this.words;
    const i = this.headBase + k;
    const head = this.heads[i]!;
    w[block >> 2] = k | FREE_BIT;
    w[(block >> 2) + 1] = head;
    w[(block >> 2) + 2] = NIL;
    if (head !== NIL) w[(head >> 2) + 2] = block;
    this.heads[i] = block;
  }

  private unlink(block: number, k: number): void {
    const w = this.words;
    const next = w[(block >> 2) + 1]!;
    const prev = w[(block >> 2) + 2]!;
    if (prev === NIL) this.heads[this.headBase + k] = next;
    else w[(prev >> 2) + 1] = next;
    if (next !== NIL) w[(next >> 2) + 2] = prev;
  }
}
