/**
 * A Chase-Lev work-stealing deque of int32 items living in a SharedArrayBuffer.
 *
 * The owner thread pushes and pops at the bottom; any other thread steals from the top with a
 * compare-and-swap. Capacity is fixed (256 in the scheduler); `push` returns false when the
 * deque is full so that the owner can move half of it to the global injection queue.
 *
 * Indices are free-running int32 counters compared by difference, so they may wrap.
 * @module
 */

/** Sentinel returned by `pop`/`steal` when no item was taken. */
export const EMPTY = -1;

/** Number of int32 words a deque of `capacity` items occupies. */
export function dequeWords(capacity: number): number {
  return 2 + capacity;
}

/**
 * @internal A view on one deque inside a shared Int32Array.
 *
 * Layout at `base`: [top, bottom, buffer[capacity]].
 */
export class SharedDeque {
  private readonly top: number;
  private readonly bottom: number;
  private readonly buf: number;
  private readonly mask: number;

  constructor(
    readonly mem: Int32Array,
    base: number,
    readonly capacity: number,
  ) {
    if ((capacity & (capacity - 1)) !== 0 || capacity < 2) throw new RangeError(`deque capacity must be a power of two >= 2, got ${capacity}`);
    this.top = base;
    this.bottom = base + 1;
    this.buf = base + 2;
    this.mask = capacity - 1;
  }

  /** Items currently held (approximate when other threads are stealing). */
  len(): number {
    const n = (Atomics.load(this.mem, this.bottom) - Atomics.load(this.mem, this.top)) | 0;
    return n < 0 ? 0 : n;
  }

  /** Owner only: pushes `item` (>= 0) at the bottom; false when full. */
  push(item: number): boolean {
    const mem = this.mem;
    const b = mem[this.bottom]!;
    const t = Atomics.load(mem, this.top);
    if (((b - t) | 0) >= this.capacity) return false;
    Atomics.store(mem, this.buf + (b & this.mask), item);
    Atomics.store(mem, this.bottom, (b + 1) | 0);
    return true;
  }

  /** Owner only: pops the most recently pushed item, or EMPTY. */
  pop(): number {
    const mem = this.mem;
    const b = (mem[this.bottom]! - 1) | 0;
    Atomics.store(mem, this.bottom, b);
    const t = Atomics.load(mem, this.top);
    const size = (b - t) | 0;
    if (size < 0) {
      Atomics.store(mem, this.bottom, t);
      return EMPTY;
    }
    const item = Atomics.load(mem, this.buf + (b & this.mask));
    if (size > 0) return item;
    // Last item: race the thieves for it.
    const won = Atomics.compareExchange(mem, this.top, t, (t + 1) | 0) === t;
    Atomics.store(mem, this.bottom, (t + 1) | 0);
    return won ? item : EMPTY;
  }

  /** Any thread: takes the oldest item, or EMPTY (also when it lost a race; retry if len() > 0). */
  steal(): number {
    const mem = this.mem;
    const t = Atomics.load(mem, this.top);
    const b = Atomics.load(mem, this.bottom);
    if (((b - t) | 0) <= 0) return EMPTY;
    const item = Atomics.load(mem, this.buf + (t & this.mask));
    if (Atomics.compareExchange(mem, this.top, t, (t + 1) | 0) !== t) return EMPTY;
    return item;
  }
}
