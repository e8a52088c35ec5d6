/**
 * A bounded FIFO ring buffer (accept queues, datagram queues): O(1) push and shift.
 * @module
 */

/** @internal */
export class Ring<T> {
  private buf: (T | undefined)[];
  private head = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array<T | undefined>(Math.min(capacity, 16));
  }

  isFull(): boolean {
    return this.length >= this.capacity;
  }

  /** Adds `v`; false (and nothing added) when full. */
  push(v: T): boolean {
    if (this.length >= this.capacity) return false;
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) % this.buf.length] = v;
    this.length++;
    return true;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.length--;
    return v;
  }

  peek(): T | undefined {
    return this.length === 0 ? undefined : this.buf[this.head];
  }

  private grow(): void {
    const n = Math.min(this.capacity, this.buf.length * 2);
    const next = new Array<T | undefined>(n);
    for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
