/**
 * Callbacks scheduled at virtual times (`sim.at`), in a `TimedHeap` on `(at, seq)`.
 *
 * Invariants: callbacks due at the same time run in the order they were scheduled; `at` is
 * rounded up to a whole ms. Proved by test/sim/faults.test.ts ("sim.at callbacks run at their
 * virtual times, in order").
 * @module
 */
import { TimedHeap } from './timed_heap.js';

interface AtEvent {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** @internal */
export class Timeline {
  private readonly events = new TimedHeap<AtEvent>();
  private seq = 0;

  add(ms: number, fn: () => void): void {
    this.events.push({ at: Math.ceil(ms), seq: this.seq++, fn });
  }

  /** Time of the next callback, Infinity if none. */
  nextAt(): number {
    return this.events.nextAt();
  }

  /** Removes and returns the next callback due by `t`, or null. */
  takeDue(t: number): { at: number; fn: () => void } | null {
    return this.events.nextAt() <= t ? this.events.pop()! : null;
  }
}
