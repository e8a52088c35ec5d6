/**
 * Ready-made wakers, for writing and testing futures by hand.
 * @module
 */
import type { Context, Waker } from './future.js';

/**
 * A base for wakers that are plain objects: implement `wake()`; `wakeByRef()` calls it, `clone()`
 * returns the same object (the garbage collector keeps it alive) and `willWake` is identity.
 *
 * @example
 * ```ts
 * class CountingWaker extends WakerBase {
 *   wakes = 0;
 *   wake(): void { this.wakes++; }
 * }
 * ```
 */
export abstract class WakerBase implements Waker {
  abstract wake(): void;
  wakeByRef(): void {
    this.wake();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

class FnWaker extends WakerBase {
  constructor(private readonly fn: () => void) {
    super();
  }
  wake(): void {
    this.fn();
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
