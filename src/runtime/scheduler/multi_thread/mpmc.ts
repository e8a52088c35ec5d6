/**
 * A bounded multi-producer multi-consumer queue of int32 items in a SharedArrayBuffer
 * (Vyukov's sequence-numbered ring). The scheduler uses it for the global injection queue and
 * for each thread's completion inbox; both are sized so that they can never fill up (a task
 * slot is in at most one of them at a time).
 * @module
 */

/** Number of int32 words a queue of `capacity` cells occupies. */
export function mpmcWords(capacity: number): number {
  return 2 + 2 * capacity;
}

/** @internal Layout at `base`: [head, tail, (seq, value) * capacity]. */
export class SharedMpmc {
  private readonly head: number;
  private readonly tail: number;
  private readonly cells: number;
  private readonly mask: number;

  constructor(
    readonly mem: Int32Array,
    base: number,
    readonly capacity: number,
  ) {
    if ((capacity & (capacity - 1)) !== 0) throw new RangeError(`queue capacity must be a power of two, got ${capacity}`);
    this.head = base;
    this.tail = base + 1;
    this.cells = base + 2;
    this.mask = capacity - 1;
  }

  /** Sets every cell's sequence number; call once before any thread uses the queue. */
  init(): void {
    for (let i = 0; i < this.capacity; i++) this.mem[this.cells + 2 * i] = i;
    this.mem[this.head] = 0;
    this.mem[this.tail] = 0;
  }

  /** Approximate length. */
  len(): number {
    const n = (Atomics.load(this.mem, this.tail) - Atomics.load(this.mem, this.head)) | 0;
    return n < 0 ? 0 : n;
  }

  /** Appends `item`; false only when the queue is full. */
  push(item: number): boolean {
    const mem = this.mem;
    const mask = this.mask;
    let pos = Atomics.load(mem, this.tail);
    for (;;) {
      const cell = this.cells + 2 * (pos & mask);
      const seq = Atomics.load(mem, cell);
      const dif = (seq - pos) | 0;
      if (dif === 0) {
        const got = Atomics.compareExchange(mem, this.tail, pos, (pos + 1) | 0);
        if (got === pos) {
          Atomics.store(mem, cell + 1, item);
          Atomics.store(mem, cell, (pos + 1) | 0);
          return true;
        }
        pos = got;
      } else if (dif < 0) {
        return false;
      } else {
        pos = Atomics.load(mem, this.tail);
      }
    }
  }

  /** Removes the oldest item, or returns -1 when empty. */
  pop(): number {
    const mem = this.mem;
    const mask = this.mask;
    let pos = Atomics.load(mem, this.head);
    for (;;) {
      const cell = this.cells + 2 * (pos & mask);
      const seq = Atomics.load(mem, cell);
      const dif = (seq - ((pos + 1) | 0)) | 0;
      if (dif === 0) {
        const got = Atomics.compareExchange(mem, this.head, pos, (pos + 1) | 0);
        if (got === pos) {
          const item = Atomics.load(mem, cell + 1);
          Atomics.store(mem, cell, (pos + mask + 1) | 0);
          return item;
        }
        pos = got;
      } else if (dif < 0) {
        return -1;
      } else {
        pos = Atomics.load(mem, this.head);
      }
    }
  }
}
