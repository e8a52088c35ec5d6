/**
 * The current-thread executor's ready queue: a growable ring buffer (no allocation per push)
 * with, beside each entry, the time it was scheduled (for the scheduled-to-polled latency).
 *
 * Invariants (test/core/scheduler.property.test.ts, test/core/ready_queue.test.ts): `shift`
 * returns entries in push order, after any `unshift`ed ones (the latest first); `takeAt(i)`
 * removes the i-th oldest and keeps the others in order (a seeded next-task choice uses it); the
 * capacity is a power of two and only grows; no entry is lost when it grows.
 * @module
 */

/** @internal */
export class ReadyQueue<T> {
  private buf: (T | undefined)[];
  private at: Float64Array;
  private head = 0;
  private tail = 0;
  private mask: number;
  /** Time the last shifted entry was pushed. */
  lastAt = 0;

  constructor(capacity = 1024) {
    const cap = 1 << Math.ceil(Math.log2(Math.max(16, capacity)));
    this.buf = new Array<T | undefined>(cap).fill(undefined);
    this.at = new Float64Array(cap);
    this.mask = cap - 1;
  }

  get length(): number {
    return (this.tail - this.head) & this.mask;
  }

  push(item: T, at: number): void {
    const t = this.tail;
    this.buf[t] = item;
    this.at[t] = at;
    this.tail = (t + 1) & this.mask;
    if (this.tail === this.head) this.grow();
  }

  /** Puts `item` before every entry: the next `shift` returns it (an eager first poll's task). */
  unshift(item: T, at: number): void {
    const h = (this.head - 1) & this.mask;
    this.buf[h] = item;
    this.at[h] = at;
    this.head = h;
    if (h === this.tail) this.grow();
  }

  /** Removes the oldest entry; undefined when empty. Sets `lastAt`. */
  shift(): T | undefined {
    const h = this.head;
    if (h === this.tail) return undefined;
    const item = this.buf[h];
    this.buf[h] = undefined;
    this.lastAt = this.at[h]!;
    this.head = (h + 1) & this.mask;
    return item;
  }

  /** The i-th oldest entry (0: the head), without removing it. */
  peek(i: number): T | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.buf[(this.head + i) & this.mask];
  }

  /**
   * Removes the i-th oldest entry (O(i): the older ones move up by one); undefined when out of
   * range. Sets `lastAt`.
   */
  takeAt(i: number): T | undefined {
    if (i === 0) return this.shift();
    if (i < 0 || i >= this.length) return undefined;
    const mask = this.mask;
    const j = (this.head + i) & mask;
    const item = this.buf[j];
    this.lastAt = this.at[j]!;
    for (let k = i; k > 0; k--) {
      const to = (this.head + k) & mask;
      const from = (this.head + k - 1) & mask;
      this.buf[to] = this.buf[from];
      this.at[to] = this.at[from]!;
    }
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & mask;
    return item;
  }

  private grow(): void {
    // Called when full (tail caught up with head): unroll into a buffer twice the size.
    const old = this.buf;
    const oldAt = this.at;
    const cap = old.length;
    const buf = new Array<T | undefined>(cap * 2).fill(undefined);
    const at = new Float64Array(cap * 2);
    for (let i = 0; i < cap; i++) {
      const j = (this.head + i) & this.mask;
      buf[i] = old[j];
      at[i] = oldAt[j]!;
    }
    this.buf = buf;
    this.at = at;
    this.head = 0;
    this.tail = cap;
    this.mask = cap * 2 - 1;
  }
}
