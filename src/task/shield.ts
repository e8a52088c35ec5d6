/**
 * `shield(fut)`: a section that cancellation waits for instead of interrupting.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Runtime } from '../runtime/runtime.js';
import { context } from '../runtime/context.js';
import type { Task } from '../runtime/task/task.js';
import { acquireHold, onHeldError, releaseHold, type CancelHold } from './cancel_hold.js';
import { intoFuture, type IntoFuture } from './into_future.js';
import { enterFrames, exitFrames, localStack, type LocalFrame } from './task_local.js';
import { PolledAfterCompletionError } from '../util/errors.js';

const IDLE = 0;
const ACTIVE = 1;
const DONE = 2;

/**
 * @internal How many shielded sections are being polled right now (nested polls). A shield or a
 * scope first polled inside one registers no hold of its own: the enclosing section drives it to
 * completion and must not be cancelled from within.
 */
export const shieldDepth = { n: 0 };

/** @internal */
export class Shield<T> extends Future<T> implements CancelHold {
  private inner: Future<T> | null;
  private task: Task<unknown> | null = null;
  private state = IDLE;
  /** Finished while its task's abort was held: the outcome, kept for a poll that may still come. */
  private held: { ok: boolean; v: unknown; task: Task<unknown> } | null = null;
  /** The task-local scopes around the section when it started (re-installed when driven alone). */
  private locals: LocalFrame | null = null;
  /** Driven by a background task: re-install `locals` around each poll. */
  private detached = false;

  constructor(inner: Future<T>) {
    super();
    this.inner = inner;
  }

  poll(cx: Context): Poll<T> {
    const inner = this.inner;
    if (inner === null) return this.takeHeld();
    if (this.state === IDLE) {
      this.state = ACTIVE;
      this.locals = localStack.top;
      const t = context.task as Task<unknown> | null;
      if (t !== null && shieldDepth.n === 0) {
        this.task = t;
        acquireHold(t, this);
      }
    }
    let v: Poll<T>;
    shieldDepth.n++;
    const saved = this.detached ? enterFrames(this.locals) : null;
    try {
      v = inner.poll(cx);
    } catch (e) {
      this.finish();
      throw e;
    } finally {
      exitFrames(saved);
      shieldDepth.n--;
    }
    if (v === Pending) return Pending;
    this.finish();
    return v;
  }

  /** The outcome reached under a held abort, for an enclosing section that polls it after. */
  private takeHeld(): T {
    const h = this.held;
    if (h === null) throw new PolledAfterCompletionError('shield()');
    this.held = null;
    if (h.ok) return h.v as T;
    throw h.v;
  }

  private finish(): void {
    this.state = DONE;
    this.inner = null;
    const t = this.task;
    this.task = null;
    if (t !== null) releaseHold(t, this);
  }

  /** Called instead of the task body while the task is aborted: drive the section to its end. */
  pollHeld(task: Task<unknown>): boolean {
    const inner = this.inner;
    if (inner === null) return true;
    let v: Poll<T>;
    shieldDepth.n++;
    const saved = enterFrames(this.locals);
    try {
      v = inner.poll(task);
    } catch (e) {
      this.completeHeld(false, e, task);
      return true;
    } finally {
      exitFrames(saved);
      shieldDepth.n--;
    }
    if (v === Pending) return false;
    this.completeHeld(true, v, task);
    return true;
  }

  private completeHeld(ok: boolean, v: unknown, task: Task<unknown>): void {
    this.state = DONE;
    this.inner = null;
    this.task = null; // the gate removes the hold
    this.held = { ok, v, task };
  }

  /**
   * Dropped before the section finished by something other than its task's abort (a `select`
   * or `race` loser, a timeout): the section is not interrupted but moves to a background task
   * that completes it. Never started: dropped as is. Finished under a held abort with an error
   * nobody received: the error is reported.
   */
  override drop(): void {
    const inner = this.inner;
    if (inner === null) {
      const h = this.held;
      this.held = null;
      if (h !== null && !h.ok) onHeldError(h.v, h.task);
      return;
    }
    this.inner = null;
    if (this.state === IDLE) {
      this.state = DONE;
      inner.drop();
      return;
    }
    this.finish();
    const rt = Runtime.tryCurrent() ?? Runtime.default();
    const rest = new Shield(inner);
    rest.state = ACTIVE;
    rest.locals = this.locals;
    rest.detached = true;
    const bg = rt.spawnTask('shield', rest, []);
    rest.task = bg;
    acquireHold(bg, rest);
  }
}

/**
 * Runs `fut` as a section that cancellation waits for instead of interrupting: if the task is
 * aborted (`handle.abort()`, runtime shutdown, a failing `scope` sibling) while the section runs,
 * the section still runs to completion, and only then does the cancellation proceed: the task does
 * not resume after the `yield*`, its `finally` blocks run and its handle reports it cancelled. While
 * the abort waits, nothing but the task's shielded sections is polled.
 *
 * If the shield itself is dropped before it finished by a combinator (a `select` or `race` loser,
 * a timeout), the section is moved to a background task named `shield` that completes it (and that
 * runtime shutdown waits for); the combinator does not wait for it. A shield that never started is
 * simply dropped. If a shielded section throws after its task was aborted, the error is reported
 * on stderr (nobody is left to catch it). Keep shielded sections short and bounded: an abort, and
 * `rt.shutdown()`, wait for them.
 *
 * @example
 * ```ts
 * function* transfer(db: Db, from: string, to: string, amount: number) {
 *   // Both writes happen, or neither: an abort arriving in between waits for the second.
 *   yield* shield(future(debitThenCredit, db, from, to, amount));
 * }
 * ```
 */
export function shield<T>(fut: IntoFuture<T>): Future<T> {
  return new Shield(intoFuture(fut, 'shield()'));
}
