/**
 * `yieldNow()`: give the other ready tasks a turn.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';

class YieldNow extends Future<void> {
  private yielded = false;
  poll(cx: Context): Poll<void> {
    if (this.yielded) return undefined;
    this.yielded = true;
    cx.waker.wakeByRef();
    return Pending;
  }
}

/**
 * Returns Pending once and wakes the task, which goes to the back of the ready queue: every task
 * that was ready runs before this one continues.
 *
 * @example
 * ```ts
 * for (let i = 0; i < rows.length; i++) {
 *   process(rows[i]);
 *   if (i % 1000 === 0) yield* yieldNow();
 * }
 * ```
 */
export function yieldNow(): Future<void> {
  return new YieldNow();
}
