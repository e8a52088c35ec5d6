/**
 * A growable FIFO ring buffer (power-of-two capacity, no allocation per push or shift), the
 * message store of the channels.
 * @module
 */

/** @internal */
export class Ring<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private tail = 0;
  private mask: number;
  /** Entries held. */
  length = 0;

  constructor(initial = 16) {
    const cap = 1 << Math.ceil(Math.log2(Math.max(4, Math.min(initial, 1 << 16))));
    this.buf = new Array<T | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  push(item: T): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.tail] = item;
    this.tail = (this.tail + 1) & this.mask;
    this.length++;
  }

  /** Removes the oldest entry. Only call when `length > 0`. */
  shift(): T {
    const h = this.head;
    const item = this.buf[h] as T;
    this.buf[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.length--;
    return item;
  }

  /** Removes every entry, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.length > 0) out.push(this.shift());
    return out;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length;
    const buf = new Array<T | undefined>(cap * 2).fill(undefined);
    for (let i = 0; i < cap; i++) buf[i] = old[(this.head + i) & this.mask];
    this.buf = buf;
    this.head = 0;
    this.tail = cap;
    this.mask = cap * 2 - 1;
  }
}
