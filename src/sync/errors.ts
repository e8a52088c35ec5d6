/**
 * Typed errors of the sync primitives and channels. Every error that concerns a value the caller
 * tried to hand over carries that value back (`.value`), so nothing is silently lost.
 * @module
 */
import { checkInt } from '../util/args.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/**
 * Thrown when sending on a channel whose receiving side is gone (closed or dropped), or through a
 * sender handle that was closed. The unsent value is handed back in `.value`.
 *
 * @example
 * ```ts
 * try { yield* tx.send(msg); } catch (e) { if (e instanceof SendError) retryLater(e.value); }
 * ```
 */
export class SendError<T = unknown> extends Error {
  override name = 'SendError';
  /** The value that was not sent. */
  readonly value: T;
  constructor(value: T, message = 'send failed: the channel is closed') {
    super(message);
    this.value = value;
  }
}

/**
 * Thrown by a receive that can never succeed: a oneshot received twice, a oneshot whose sender
 * was dropped without sending, a watch whose sender is gone.
 *
 * @example
 * ```ts
 * try { yield* rx; } catch (e) { if (e instanceof RecvError) console.log(e.message); }
 * ```
 */
export class RecvError extends Error {
  override name = 'RecvError';
}

/**
 * A broadcast receiver fell behind by more than the channel's capacity: `n` values were
 * overwritten before it read them. The receiver continues with the oldest value still held.
 * (`Lagged` is the same class under its earlier name.)
 *
 * @example
 * ```ts
 * try { v = yield* rx.recv(); } catch (e) { if (e instanceof LaggedError) skipped += e.n; else throw e; }
 * ```
 */
export class LaggedError extends Error {
  override name = 'LaggedError';
  /** How many values this receiver missed. */
  readonly n: number;
  constructor(n: number) {
    super(`Lagged(${n}): the receiver fell behind and missed ${n} value(s)`);
    this.n = n;
  }
}

/** The earlier name of {@link LaggedError}: the same class, so `instanceof Lagged` keeps working. */
export const Lagged = LaggedError;
/** The earlier name of {@link LaggedError}. */
export type Lagged = LaggedError;

/**
 * Thrown by `Semaphore.acquire` / `tryAcquire` once the semaphore is closed.
 *
 * @example
 * ```ts
 * sem.close();
 * try { yield* sem.acquire(); } catch (e) { e instanceof AcquireError; } // true
 * ```
 */
export class AcquireError extends Error {
  override name = 'AcquireError';
}

/**
 * Thrown when a guard or permit is used after it was released (e.g. reading `guard.value` after
 * the `using` block ended).
 *
 * @example
 * ```ts
 * const g = yield* m.lock(); g.release(); g.value; // throws GuardReleasedError
 * ```
 */
export class GuardReleasedError extends Error {
  override name = 'GuardReleasedError';
}

/** @internal Validates a count argument (permits, capacity, parties). */
export function checkCount(what: string, n: unknown, min: number, max: number): number {
  return checkInt(what, n, min, max);
}

/** @internal Thrown when a completed future is polled again. */
export function polledAfterCompletion(what: string): Error {
  return new PolledAfterCompletionError(what);
}
