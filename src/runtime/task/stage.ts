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

const SHIFT = 8;
const MASK = 7 << SHIFT;

/** Not started; `awaiting` holds the argument array (or null). */
export const FN = 0;
/** Not started; `awaiting` holds the single argument itself (no array kept). */
export const FN_ONE = 1;
/** Running a generator. */
export const GEN = 2;
/** Running a plain future. */
export const FUTURE = 3;
/** Finished: `body` holds the output. */
export const OK = 4;
/** Finished: `body` holds what the body threw. */
export const ERR = 5;
/** Finished: cancelled; `body` holds a `CancelledOutcome` or undefined. */
export const CANCELLED = 6;

/** The stage in `word`. */
export function stageOf(word: number): number {
  return (word & MASK) >> SHIFT;
}

/** `word` with its stage set to `s`. */
export function withStage(word: number, s: number): number {
  return (word & ~MASK) | (s << SHIFT);
}

/** True while running a body (generator or future). */
export function isStarted(s: number): boolean {
  return s === GEN || s === FUTURE;
}
