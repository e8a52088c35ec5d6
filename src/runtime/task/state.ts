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

/** Being polled right now. */
export const RUNNING = 1;
/** Woken: in the ready queue, or re-queued when the current poll ends. */
export const NOTIFIED = 2;
/** Finished (any outcome). Final. */
export const COMPLETE = 4;
/** abort() was requested. */
export const CANCELLED = 8;
/** The body is being unwound (return() called, finally blocks may still await). */
export const CANCELLING = 16;
/** Somebody polled or awaited the handle: a failure is theirs to see, not unhandled. */
export const JOIN_INTEREST = 32;

/** The word a task is born with: queued (the spawn puts it in the ready queue). */
export const INITIAL = NOTIFIED;

/** Something with a lifecycle word (a Task). */
export interface HasState {
  state: number;
}

/** Verdicts of {@link toRunning}. */
export const RUN_SKIP = 0;
export const RUN_POLL = 1;
export const RUN_CANCEL = 2;

/**
 * Precondition: the executor took the task from its ready queue. Sets RUNNING and clears
 * NOTIFIED. Verdict: RUN_SKIP (complete or already running: do nothing), RUN_CANCEL (an abort is
 * waiting and unwinding has not started) or RUN_POLL.
 */
export function toRunning(t: HasState): number {
  const st = t.state;
  if ((st & (COMPLETE | RUNNING)) !== 0) return RUN_SKIP;
  t.state = (st | RUNNING) & ~NOTIFIED;
  return (st & (CANCELLED | CANCELLING)) === CANCELLED ? RUN_CANCEL : RUN_POLL;
}

/** Verdicts of {@link toIdle}. */
export const IDLE_DONE = 0;
export const IDLE_WAIT = 1;
export const IDLE_RESCHEDULE = 2;

/**
 * Precondition: RUNNING (the poll just returned). Clears RUNNING. Verdict: IDLE_DONE (the poll
 * completed the task), IDLE_RESCHEDULE (woken during the poll: the caller queues it; NOTIFIED stays
 * set) or IDLE_WAIT (waits for a wake).
 */
export function toIdle(t: HasState): number {
  const st = t.state & ~RUNNING;
  t.state = st;
  if ((st & COMPLETE) !== 0) return IDLE_DONE;
  return (st & NOTIFIED) !== 0 ? IDLE_RESCHEDULE : IDLE_WAIT;
}

/** Verdicts of {@link toNotified}. */
export const WAKE_IGNORE = 0;
export const WAKE_SCHEDULE = 1;
export const WAKE_DEFER = 2;

/**
 * A wake. Precondition: none. Verdict: WAKE_IGNORE (complete or already notified: nothing to
 * do, nothing to count), WAKE_SCHEDULE (idle: NOTIFIED set, the caller queues it) or WAKE_DEFER
 * (running: NOTIFIED set, the end of the poll re-queues it).
 */
export function toNotified(t: HasState): number {
  const st = t.state;
  if ((st & (COMPLETE | NOTIFIED)) !== 0) return WAKE_IGNORE;
  t.state = st | NOTIFIED;
  return (st & RUNNING) === 0 ? WAKE_SCHEDULE : WAKE_DEFER;
}

/**
 * abort(). Precondition: none. Sets CANCELLED. Returns false when there is nothing to do
 * (complete, or already aborted); true when the caller must wake the task.
 */
export function toCancelled(t: HasState): boolean {
  const st = t.state;
  if ((st & (COMPLETE | CANCELLED)) !== 0) return false;
  t.state = st | CANCELLED;
  return true;
}

/** Precondition: CANCELLED, RUNNING, not yet CANCELLING. Marks the unwinding as started. */
export function toCancelling(t: HasState): void {
  t.state |= CANCELLING;
}

/**
 * Precondition: RUNNING, not COMPLETE. Sets COMPLETE and clears NOTIFIED. Returns true when the
 * task was unwinding (CANCELLING): its outcome is then cancelled whatever the body did.
 */
export function toComplete(t: HasState): boolean {
  const st = t.state;
  t.state = (st | COMPLETE) & ~NOTIFIED;
  return (st & CANCELLING) !== 0;
}

/** Marks that somebody observes the outcome. Always allowed; returns whether it was complete. */
export function toJoinInterest(t: HasState): boolean {
  const st = t.state;
  t.state = st | JOIN_INTEREST;
  return (st & COMPLETE) !== 0;
}

/** The observer went away (a JoinSet detached): a later failure is unhandled again. */
export function dropJoinInterest(t: HasState): void {
  t.state &= ~JOIN_INTEREST;
}

/** Queries (no transition). */
export function isComplete(st: number): boolean {
  return (st & COMPLETE) !== 0;
}
/** An abort is waiting for the task's next poll (unwinding not started, not complete). */
export function isAbortWaiting(st: number): boolean {
  return (st & (CANCELLED | CANCELLING | COMPLETE)) === CANCELLED;
}
/** Neither running nor queued: waiting for a wake. */
export function isIdle(st: number): boolean {
  return (st & (RUNNING | NOTIFIED | COMPLETE)) === 0;
}
