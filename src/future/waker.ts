/**
 * Ready-made wakers, for writing and testing futures by hand.
 * @module
 */
import type { Context, Waker } from './future.js';

class FnWaker implements Waker {
  constructor(private readonly fn: () => void) {}
  wake(): void {
    this.fn();
  }
  wakeByRef(): void {
    this.fn();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

/**
 * A waker that calls `fn` when woken (Rust's `waker_fn`).
 *
 * @example
 * ```ts
 * let woken = 0;
 * const cx = contextFromWaker(wakerFn(() => woken++));
 * fut.poll(cx);
 * ```
 */
export function wakerFn(fn: () => void): Waker {
  return new FnWaker(fn);
}

/**
 * A waker that does nothing.
 *
 * @example
 * ```ts
 * const r = fut.poll(contextFromWaker(noopWaker()));
 * ```
 */
export function noopWaker(): Waker {
  return NOOP;
}
const NOOP: Waker = new FnWaker(() => {});

/**
 * A `Context` around `waker`, to poll a future by hand.
 *
 * @example
 * ```ts
 * const cx = contextFromWaker(noopWaker());
 * ```
 */
export function contextFromWaker(waker: Waker): Context {
  return { waker };
}
