/**
 * `byRef(fut)`: lend a future to a combinator without giving it away (Rust's `&mut fut`).
 * @module
 */
import { Future, type Context, type Poll } from '../future/future.js';

class ByRef<T> extends Future<T> {
  constructor(readonly inner: Future<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    return this.inner.poll(cx);
  }
  // drop(): deliberately nothing; the owner of `inner` decides when to drop it.
}

/**
 * Wraps `fut` so that a combinator that drops its losers (`select`, `race`, `tryJoin`) does not
 * drop it: the same future can be polled again in the next `select` of a loop. The caller stays
 * responsible for dropping it (`fut.drop()` or `using`) if it is abandoned.
 *
 * @example
 * ```ts
 * using deadline = sleep(5000);
 * for (;;) {
 *   const r = yield* select({ msg: rx.recv(), deadline: byRef(deadline) });
 *   if (r.key === 'deadline') break;
 *   handle(r.value);
 * }
 * ```
 */
export function byRef<T>(fut: Future<T>): Future<T> {
  return new ByRef(fut);
}
