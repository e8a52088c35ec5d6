/**
 * `Ring<T>`: the one FIFO ring buffer of kyoto (channel buffers, accept and datagram queues, the
 * in-flight queues of buffered streams).
 *
 * Invariants (`test/sync/ring.test.ts`): FIFO order; `length <= capacity`; `push` on a full ring
 * returns false and changes nothing; storage is a power of two (masking, not `%`) that doubles
 * when full and never shrinks, so steady-state pushes and shifts allocate nothing; a shifted slot
 * is cleared at once, so the ring keeps no reference to what it handed out.
 * @module
 */

/** @internal A growable FIFO ring buffer, optionally bounded. */
export class Ring<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private mask: number;
  /** Entries held. */
  length = 0;

  /**
   * @param initial storage to start with (rounded up to a power of two, at least 4)
   * @param capacity most entries held at once (`push` refuses beyond it); Infinity: unbounded
   */
  constructor(initial = 16, readonly capacity = Infinity) {
    const want = Math.max(4, Math.min(initial, capacity, 1 << 16));
    const cap = 1 << Math.ceil(Math.log2(want));
    this.buf = new Array<T | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  /** True when `push` would refuse. */
  isFull(): boolean {
    return this.length >= this.capacity;
  }

  /** Appends `v`; returns false (adding nothing) when the ring holds `capacity` entries. */
  push(v: T): boolean {
    if (this.length >= this.capacity) return false;
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & this.mask] = v;
    this.length++;
    return true;
  }

  /** Removes and returns the oldest entry, or undefined when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const h = this.head;
    const v = this.buf[h];
    this.buf[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.length--;
    return v;
  }

  /** The oldest entry without removing it, or undefined when empty. */
  peek(): T | undefined {
    return this.length === 0 ? undefined : this.buf[this.head];
  }

  /** Removes every entry, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.length > 0) out.push(this.shift() as T);
    return out;
  }

  /** Forgets every entry. */
  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const old = this.buf;
    const n = old.length;
    const buf = new Array<T | undefined>(n * 2).fill(undefined);
    for (let i = 0; i < n; i++) buf[i] = old[(this.head + i) & this.mask];
    this.buf = buf;
    this.head = 0;
    this.mask = n * 2 - 1;
  }
}
