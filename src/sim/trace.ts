/**
 * The trace of a simulation run: a running 64-bit hash (two 32-bit lanes) over every poll, wake,
 * message and timer firing, plus, when recording, the events themselves (to find where two runs
 * of the same seed diverge).
 *
 * Invariants: the hash depends only on the sequence of `event` calls (kinds and integer
 * arguments), never on wall time or object identity; recording does not change the hash.
 * Why two lanes: 32 bits collide after ~65k distinct runs, 64 bits do not in practice.
 * Proved by test/sim/determinism.test.ts.
 * @module
 */

/** Event kinds mixed into the trace hash. */
export const enum Ev {
  Poll = 1,
  Wake = 2,
  Spawn = 3,
  Timer = 4,
  Advance = 5,
  Send = 6,
  Deliver = 7,
  Drop = 8,
  Fault = 9,
}

const NAMES = ['', 'poll', 'wake', 'spawn', 'timer', 'advance', 'send', 'deliver', 'drop', 'fault'];

/** @internal A trace: hash lanes and an optional event log. */
export class Trace {
  private h1 = 0x811c9dc5;
  private h2 = 0x1b873593;
  /** Recorded events as text (null: not recording). */
  readonly log: string[] | null;

  constructor(record: boolean) {
    this.log = record ? [] : null;
  }

  /** Mixes one event (kind and up to three integers) into the hash. */
  event(kind: Ev, a: number, b = 0, c = 0): void {
    this.mix(kind);
    this.mix(a);
    this.mix(b);
    this.mix(c);
    if (this.log !== null) this.log.push(`${NAMES[kind] ?? kind} ${a} ${b} ${c}`);
  }

  /** The hash as 16 hex digits. */
  hash(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }

  private mix(x: number): void {
    const v = x | 0;
    this.h1 = Math.imul(this.h1 ^ v, 0x01000193);
    this.h2 = Math.imul((this.h2 ^ v ^ (this.h1 >>> 15)) + 0x6b43a9b5, 0x85ebca6b);
  }
}
