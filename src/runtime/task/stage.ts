/**
 * The task's stage: what its body is and, once finished, how it ended (Tokio's `Stage`).
 *
 * Stored in bits 8–10 of the task's `state` field beside the lifecycle bits of `state.ts` (one
 * field keeps a task at 88 bytes); only this module reads or writes those bits.
 *
 * Invariants (test/core/task_state.test.ts): the stage only moves forward, FN/FN_ONE → GEN or
 * FUTURE → OK, ERR or CANCELLED (an unstarted task may go straight to CANCELLED); a finished stage
 * never changes.
 * @module
 */

/** Where the stage sits in the word: bits 8–10 (literals, not module constants: see `Stage`). */
const enum Bits {
  SHIFT = 8,
  MASK = 7 << 8,
}

/** The stages (a `const enum`, inlined at each use like the lifecycle bits of `state.ts`). */
export const enum Stage {
  /** Not started; `awaiting` holds the argument array (or null). */
  FN = 0,
  /** Not started; `awaiting` holds the single argument itself (no array kept). */
  FN_ONE = 1,
  /** Running a generator. */
  GEN = 2,
  /** Running a plain future. */
  FUTURE = 3,
  /** Finished: `body` holds the output. */
  OK = 4,
  /** Finished: `body` holds what the body threw. */
  ERR = 5,
  /** Finished: cancelled; `body` holds a `CancelledOutcome` or undefined. */
  CANCELLED = 6,
}

/** The stage in `word`. */
export function stageOf(word: number): Stage {
  return (word & Bits.MASK) >> Bits.SHIFT;
}

/** `word` with its stage set to `s`. */
export function withStage(word: number, s: Stage): number {
  return (word & ~Bits.MASK) | (s << Bits.SHIFT);
}

/** True while running a body (generator or future). */
export function isStarted(s: Stage): boolean {
  return s === Stage.GEN || s === Stage.FUTURE;
}
