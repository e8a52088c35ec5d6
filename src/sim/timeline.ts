/**
 * Callbacks scheduled at virtual times (`sim.at`), kept sorted by `(at, seq)`.
 *
 * Invariants: callbacks due at the same time run in the order they were scheduled; `at` is
 * rounded up to a whole ms. Proved by test/sim/faults.test.ts ("sim.at callbacks run at their
 * virtual times, in order").
 * @module
 */

interface AtEvent {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** @internal */
export class Timeline {
  private readonly events: AtEvent[] = [];
  private seq = 0;

  add(ms: number, fn: () => void): void {
    const e: AtEvent = { at: Math.ceil(ms), seq: this.seq++, fn };
    const a = this.events;
    let i = a.length;
    while (i > 0 && (a[i - 1]!.at > e.at || (a[i - 1]!.at === e.at && a[i - 1]!.seq > e.seq))) i--;
    a.splice(i, 0, e);
  }

  /** Time of the next callback, Infinity if none. */
  nextAt(): number {
    return this.events[0]?.at ?? Infinity;
  }

  /** Removes and returns the next callback due by `t`, or null. */
  takeDue(t: number): { at: number; fn: () => void } | null {
    const e = this.events[0];
    if (e === undefined || e.at > t) return null;
    this.events.shift();
    return e;
  }
}
