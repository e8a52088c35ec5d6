/**
 * Cooperative scheduling budget.
 *
 * Every task poll starts with a budget of {@link BUDGET} units. Runtime resources (channels,
 * timers, sockets, join handles) spend one unit each time they return a ready result; when the
 * budget is spent they return `Pending` after waking the task, so a task that always finds its
 * channel non-empty still lets the others run. The forced yield is counted in the runtime
 * metrics (`budgetForcedYieldCount`).
 * @module
 */
import type { Context } from '../future/future.js';

/**
 * Units per task poll, as in Tokio.
 *
 * @example
 * ```ts
 * for (let i = 0; i < BUDGET; i++) yield* rx.recv(); // at most one poll's worth without yielding
 * ```
 */
export const BUDGET = 128;

/** @internal */
export const coop = {
  /** Units left in the current poll. Reset by the executor before each poll. */
  budget: BUDGET,
  /** Forced yields since the counter was read (the runtime folds it into its metrics). */
  forcedYields: 0,
  /** When false (outside a task) the budget is unconstrained. */
  active: false,
};

/**
 * Spends one unit of the current task's budget. Returns true when the caller may return its
 * ready result; false when the budget is spent, in which case the task has been woken and the
 * caller must return `Pending` (it will be polled again after other tasks ran).
 *
 * @example
 * ```ts
 * poll(cx: Context): Poll<T> {
 *   if (this.queue.length > 0) {
 *     if (!pollProceed(cx)) return Pending;
 *     return this.queue.shift()!;
 *   }
 *   ...
 * }
 * ```
 */
export function pollProceed(cx: Context): boolean {
  if (!coop.active) return true;
  if (coop.budget > 0) {
    coop.budget--;
    return true;
  }
  coop.forcedYields++;
  cx.waker.wakeByRef();
  return false;
}

/**
 * True while the current poll still has budget (without spending any).
 *
 * @example
 * ```ts
 * if (!hasBudgetRemaining()) { cx.waker.wakeByRef(); return Pending; }
 * ```
 */
export function hasBudgetRemaining(): boolean {
  return !coop.active || coop.budget > 0;
}

/**
 * Runs `fn` with an unconstrained budget (for futures that must not be interrupted by the
 * budget, such as cleanup code).
 *
 * @example
 * ```ts
 * const v = unconstrained(() => inner.poll(cx));
 * ```
 */
export function unconstrained<R>(fn: () => R): R {
  const was = coop.active;
  coop.active = false;
  try {
    return fn();
  } finally {
    coop.active = was;
  }
}
