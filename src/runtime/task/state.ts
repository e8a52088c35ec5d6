/**
 * The task's lifecycle word and its named transitions (Tokio's `runtime/task/state.rs`).
 *
 * The word holds only lifecycle bits: RUNNING, NOTIFIED, COMPLETE, CANCELLED (abort requested),
 * CANCELLING (unwinding started) and JOIN_INTEREST. Bits 8–10 of the same small integer hold the
 * task's stage (see `stage.ts`), which this module never reads: the two share one field only so
 * that a pending task stays an 88-byte object (BENCHMARKS.md, pending task bytes).
 *
 * Every change is a function below that states its precondition and returns a verdict the caller
 * acts on; no module outside `runtime/task/` touches the bits.
 *
 * Invariants (test/core/task_state.test.ts): COMPLETE is final (no transition leaves it and no
 * other bit changes after it except JOIN_INTEREST); a task is queued at most once (NOTIFIED is set
 * by the one wake that queues it and cleared when it starts running); a wake during a poll never
 * queues the task twice (the poll's end re-queues it once); CANCELLING implies CANCELLED.
 * @module
 */

/**
 * The lifecycle bits. This and the verdicts below are `const enum`s: tsc writes the numbers where
 * they are used, so each transition compiles to a few bytecodes and V8 can inline the
 * transitions, and the future polls after them, into `Task.run` within its inlining budget
 * (module constants cost a load and a hole check per use; BENCHMARKS.md, "Regression hunt,
 * 2026-12-02").
 */
export const enum Lifecycle {
  /** Being polled right now. */
  RUNNING = 1,
  /** Woken: in the ready queue, or re-queued when the current poll ends. */
  NOTIFIED = 2,
  /** Finished (any outcome). Final. */
  COMPLETE = 4,
  /** abort() was requested. */
  CANCELLED = 8,
  /** The body is being unwound (return() called, finally blocks may still await). */
  CANCELLING = 16,
  /** Somebody polled or awaited the handle: a failure is theirs to see, not unhandled. */
  JOIN_INTEREST = 32,
  /** The word a task is born with: queued (the spawn puts it in the ready queue). */
  INITIAL = NOTIFIED,
}

/** Something with a lifecycle word (a Task). */
export interface HasState {
  state: number;
}

/** Verdicts of {@link toRunning}. */
export const enum RunVerdict {
  SKIP = 0,
  POLL = 1,
  CANCEL = 2,
}

/**
 * Precondition: the executor took the task from its ready queue. Sets RUNNING and clears
 * NOTIFIED. Verdict: SKIP (complete or already running: do nothing), CANCEL (an abort is
 * waiting and unwinding has not started) or POLL.
 */
export function toRunning(t: HasState): RunVerdict {
  const st = t.state;
  if ((st & (Lifecycle.COMPLETE | Lifecycle.RUNNING)) !== 0) return RunVerdict.SKIP;
  t.state = (st | Lifecycle.RUNNING) & ~Lifecycle.NOTIFIED;
  return (st & (Lifecycle.CANCELLED | Lifecycle.CANCELLING)) === Lifecycle.CANCELLED ? RunVerdict.CANCEL : RunVerdict.POLL;
}

/** Verdicts of {@link toIdle}. */
export const enum IdleVerdict {
  DONE = 0,
  WAIT = 1,
  RESCHEDULE = 2,
}

/**
 * Precondition: RUNNING (the poll just returned). Clears RUNNING. Verdict: DONE (the poll
 * completed the task), RESCHEDULE (woken during the poll: the caller queues it; NOTIFIED stays
 * set) or WAIT (waits for a wake).
 */
export function toIdle(t: HasState): IdleVerdict {
  const st = t.state & ~Lifecycle.RUNNING;
  t.state = st;
  if ((st & Lifecycle.COMPLETE) !== 0) return IdleVerdict.DONE;
  return (st & Lifecycle.NOTIFIED) !== 0 ? IdleVerdict.RESCHEDULE : IdleVerdict.WAIT;
}

/** Verdicts of {@link toNotified}. */
export const enum WakeVerdict {
  IGNORE = 0,
  SCHEDULE = 1,
  DEFER = 2,
}

/**
 * A wake. Precondition: none. Verdict: IGNORE (complete or already notified: nothing to
 * do, nothing to count), SCHEDULE (idle: NOTIFIED set, the caller queues it) or DEFER
 * (running: NOTIFIED set, the end of the poll re-queues it).
 */
export function toNotified(t: HasState): WakeVerdict {
  const st = t.state;
  if ((st & (Lifecycle.COMPLETE | Lifecycle.NOTIFIED)) !== 0) return WakeVerdict.IGNORE;
  t.state = st | Lifecycle.NOTIFIED;
  return (st & Lifecycle.RUNNING) === 0 ? WakeVerdict.SCHEDULE : WakeVerdict.DEFER;
}

/**
 * abort(). Precondition: none. Sets CANCELLED. Returns false when there is nothing to do
 * (complete, or already aborted); true when the caller must wake the task.
 */
export function toCancelled(t: HasState): boolean {
  const st = t.state;
  if ((st & (Lifecycle.COMPLETE | Lifecycle.CANCELLED)) !== 0) return false;
  t.state = st | Lifecycle.CANCELLED;
  return true;
}

/** Precondition: CANCELLED, RUNNING, not yet CANCELLING. Marks the unwinding as started. */
export function toCancelling(t: HasState): void {
  t.state |= Lifecycle.CANCELLING;
}

/**
 * Precondition: RUNNING, not COMPLETE. Sets COMPLETE and clears NOTIFIED. Returns true when the
 * task was unwinding (CANCELLING): its outcome is then cancelled whatever the body did.
 */
export function toComplete(t: HasState): boolean {
  const st = t.state;
  t.state = (st | Lifecycle.COMPLETE) & ~Lifecycle.NOTIFIED;
  return (st & Lifecycle.CANCELLING) !== 0;
}

/** Marks that somebody observes the outcome. Always allowed; returns whether it was complete. */
export function toJoinInterest(t: HasState): boolean {
  const st = t.state;
  t.state = st | Lifecycle.JOIN_INTEREST;
  return (st & Lifecycle.COMPLETE) !== 0;
}

/** The observer went away (a JoinSet detached): a later failure is unhandled again. */
export function dropJoinInterest(t: HasState): void {
  t.state &= ~Lifecycle.JOIN_INTEREST;
}

/** Queries (no transition). */
export function isComplete(st: number): boolean {
  return (st & Lifecycle.COMPLETE) !== 0;
}
/** An abort is waiting for the task's next poll (unwinding not started, not complete). */
export function isAbortWaiting(st: number): boolean {
  return (st & (Lifecycle.CANCELLED | Lifecycle.CANCELLING | Lifecycle.COMPLETE)) === Lifecycle.CANCELLED;
}
/** Neither running nor queued: waiting for a wake. */
export function isIdle(st: number): boolean {
  return (st & (Lifecycle.RUNNING | Lifecycle.NOTIFIED | Lifecycle.COMPLETE)) === 0;
}
