/**
 * `shield(fut)`: a section that cancellation waits for instead of interrupting.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Runtime } from '../runtime/runtime.js';
import { CANCELLED, currentTask, type Task } from '../runtime/task.js';
import { acquireHold, onHeldError, releaseHold, type CancelHold } from './cancel_hold.js';
import { intoFuture, type IntoFuture } from './into_future.js';

const IDLE = 0;
const ACTIVE = 1;
const DONE = 2;

/** @internal */
export class Shield<T> extends Future<T> implements CancelHold {
  private inner: Future<T> | null;
  private task: Task<unknown> | null = null;
  private state = IDLE;
  /** Finished after its task was aborted: the value is discarded and the abort proceeds. */
  private discarded = false;

  constructor(inner: Future<T>) {
    super();
    this.inner = inner;
  }

  poll(cx: Context): Poll<T> {
    const inner = this.inner;
    if (inner === null) {
      if (this.discarded) return Pending;
      throw new Error('shield() future polled after it completed');
    }
    if (this.state === IDLE) {
      this.state = ACTIVE;
      const t = currentTask;
      if (t !== null) {
        this.task = t;
        acquireHold(t, this);
      }
    }
    let v: Poll<T>;
    try {
      v = inner.poll(cx);
    } catch (e) {
      this.finish();
      throw e;
    }
    if (v === Pending) return Pending;
    const t = this.task;
    this.finish();
    if (t !== null && (t.state & CANCELLED) !== 0) {
      // Aborted while the section ran (from inside its own poll): do not resume the caller.
      this.discarded = true;
      return Pending;
    }
    return v;
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
    try {
      v = inner.poll(task);
    } catch (e) {
      this.state = DONE;
      this.inner = null;
      this.task = null;
      this.discarded = true;
      onHeldError(e, task);
      return true;
    }
    if (v === Pending) return false;
    this.state = DONE;
    this.inner = null;
    this.task = null;
    this.discarded = true;
    return true;
  }

  /**
   * Dropped before the section finished by something other than its task's abort (a `select`
   * or `race` loser, a timeout): the section is not interrupted but moves to a background task
   * that completes it. Never started: dropped as is.
   */
  override drop(): void {
    const inner = this.inner;
    if (inner === null) return;
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
