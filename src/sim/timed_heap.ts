/**
 * A binary min-heap of events ordered by `(at, seq)`: virtual time first, then the order in
 * which they were scheduled. The simulator's one queue primitive: packets in flight, virtual
 * timers and `sim.at` callbacks all wait in one of these.
 *
 * Invariants: `pop` returns entries in non-decreasing `at`, and in `seq` order for equal `at`
 * (so events due at the same virtual time keep their scheduling order, which is what makes the
 * delivery order a function of the seed). Proved by test/sim/network.test.ts and
 * test/sim/virtual_timers.test.ts.
 * @module
 */

/** Something due at a virtual time. */
export interface Timed {
  /** Virtual time it is due, ms. */
  at: number;
  /** Scheduling order (unique, increasing): the tie-break for equal `at`. */
  seq: number;
}

/** @internal */
export class TimedHeap<T extends Timed> {
  private readonly heap: T[] = [];

  get length(): number {
    return this.heap.length;
  }

  /** The earliest entry, or undefined when empty. */
  peek(): T | undefined {
    return this.heap[0];
  }

  /** Time of the earliest entry, Infinity when empty. */
  nextAt(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!.at;
  }

  /** Entries in heap order (not sorted): for scans. */
  entries(): readonly T[] {
    return this.heap;
  }

  push(e: T): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l]!, h[m]!)) m = l;
      if (r < h.length && less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}

function less(a: Timed, b: Timed): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
