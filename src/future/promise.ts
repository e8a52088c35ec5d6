/**
 * `fromPromise`: a future woken when a promise settles.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from './future.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

/** @internal Counts promises kyoto is waiting on (shown in metrics and deadlock reports). */
export const promiseWaits = { pending: 0 };

class FromPromise<T> extends Future<T> {
  private state = PENDING;
  private result: unknown = undefined;
  private waker: Waker | null = null;

  constructor(p: PromiseLike<T>) {
    super();
    promiseWaits.pending++;
    // Handlers are attached at once so a rejection is never reported as unhandled.
    p.then(
      (v) => this.settle(FULFILLED, v),
      (e: unknown) => this.settle(REJECTED, e),
    );
  }

  private settle(state: number, v: unknown): void {
    if (this.state !== PENDING) return;
    promiseWaits.pending--;
    this.state = state;
    this.result = v;
    const w = this.waker;
    this.waker = null;
    w?.wake();
  }

  poll(cx: Context): Poll<T> {
    const st = this.state;
    if (st === FULFILLED) return this.result as T;
    if (st === REJECTED) throw this.result;
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    return Pending;
  }

  override drop(): void {
    this.waker = null;
  }
}

/**
 * A future that is ready when `p` fulfils, and throws at the `yield*` when it rejects.
 *
 * @example
 * ```ts
 * const res = yield* fromPromise(fetch(url));
 * ```
 */
export function fromPromise<T>(p: PromiseLike<T>): Future<T> {
  return new FromPromise(p);
}
