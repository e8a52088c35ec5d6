/**
 * Small futures: `ready`, `pending`, `pollFn`, `lazy`.
 * @module
 */
import { Future, Pending, type Context, type Poll } from './future.js';
import { PolledAfterCompletionError } from '../util/errors.js';

class Ready<T> extends Future<T> {
  constructor(readonly value: T) {
    super();
  }
  poll(): T {
    return this.value;
  }
}

/**
 * A future that is ready at once with `value`.
 *
 * @example
 * ```ts
 * const five = yield* ready(5);
 * ```
 */
export function ready<T>(value: T): Future<T> {
  return new Ready(value);
}

class Never extends Future<never> {
  poll(): Poll<never> {
    return Pending;
  }
}

/**
 * A future that is never ready (and never wakes its task). Useful in `select` branches and tests.
 *
 * @example
 * ```ts
 * const r = yield* select({ tick: sleep(10), never: pending() }); // r.key === 'tick'
 * ```
 */
export function pending<T = never>(): Future<T> {
  return new Never() as Future<T>;
}

class PollFn<T> extends Future<T> {
  constructor(private readonly fn: (cx: Context) => Poll<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    return this.fn(cx);
  }
}

/**
 * A future whose `poll` is `fn` (Rust's `poll_fn`).
 *
 * @example
 * ```ts
 * let n = 0;
 * const v = yield* pollFn((cx) => (++n < 3 ? (cx.waker.wakeByRef(), Pending) : n));
 * ```
 */
export function pollFn<T>(fn: (cx: Context) => Poll<T>): Future<T> {
  return new PollFn(fn);
}

class Lazy<T> extends Future<T> {
  private inner: Future<T> | null = null;
  private started = false;
  constructor(private readonly fn: () => T | Future<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    if (!this.started) {
      this.started = true;
      const v = this.fn();
      if (!(v instanceof Future)) return v;
      this.inner = v;
    }
    const inner = this.inner;
    if (inner === null) throw new PolledAfterCompletionError('lazy()');
    const r = inner.poll(cx);
    if (r !== Pending) this.inner = null;
    return r;
  }
  override drop(): void {
    const inner = this.inner;
    this.inner = null;
    inner?.drop();
  }
}

/**
 * A future that calls `fn` when first polled (not before) and is ready with its result; if `fn`
 * returns a future, that future is awaited.
 *
 * @example
 * ```ts
 * const f = lazy(() => expensive()); // nothing runs yet
 * const v = yield* f;                // runs now
 * ```
 */
export function lazy<T>(fn: () => T | Future<T>): Future<T> {
  return new Lazy(fn);
}
