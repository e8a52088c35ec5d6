/**
 * `fromPromise`: a future woken when a promise settles; given a function of an `AbortSignal`, the
 * promise work is started at the first poll and aborted when the future is dropped.
 *
 * Invariants (test/edge/from_promise.test.ts):
 * - `fromPromise(p)` attaches its handlers at once, so a rejection is never reported unhandled.
 * - `fromPromise(fn)` calls `fn` exactly once, at the first poll, never before; a future dropped
 *   before its first poll never calls it.
 * - Dropping a started, unsettled `fromPromise(fn)` aborts the signal it gave `fn` (once); the
 *   promise's later rejection (an `AbortError`) is swallowed.
 * - A `Future` passed where a promise is expected is returned as it is (futures are thenable).
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from './future.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
/** `fromPromise(fn)` before its first poll: `fn` not called yet. */
const UNSTARTED = 3;

/** @internal Counts promises kyoto is waiting on (shown in metrics and deadlock reports). */
export const promiseWaits = { pending: 0 };

/** A promise-returning function handed the signal of the future that runs it. */
export type PromiseFn<T> = (signal: AbortSignal) => PromiseLike<T>;

class FromPromise<T> extends Future<T> {
  private state: number;
  private result: unknown = undefined;
  private waker: Waker | null = null;
  /** Set for the function form while its promise is unsettled: aborted on drop. */
  private ctrl: AbortController | null = null;

  constructor(
    p: PromiseLike<T> | null,
    private fn: PromiseFn<T> | null,
  ) {
    super();
    if (p !== null) {
      this.state = PENDING;
      this.watch(p);
    } else this.state = UNSTARTED;
  }

  private watch(p: PromiseLike<T>): void {
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
    this.ctrl = null;
    const w = this.waker;
    this.waker = null;
    w?.wake();
  }

  private start(): void {
    const fn = this.fn!;
    this.fn = null;
    const ctrl = new AbortController();
    let p: PromiseLike<T>;
    try {
      p = fn(ctrl.signal);
    } catch (e) {
      this.state = REJECTED;
      this.result = e;
      return;
    }
    if (p === null || typeof p !== 'object' || typeof (p as { then?: unknown }).then !== 'function') {
      this.state = REJECTED;
      this.result = new TypeError(
        `fromPromise(${fn.name || 'fn'}): the function must return a promise, got ${p === null ? 'null' : typeof p}`,
      );
      return;
    }
    this.ctrl = ctrl;
    this.state = PENDING;
    this.watch(p);
  }

  poll(cx: Context): Poll<T> {
    if (this.state === UNSTARTED) this.start();
    const st = this.state;
    if (st === FULFILLED) return this.result as T;
    if (st === REJECTED) throw this.result;
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    return Pending;
  }

  override drop(): void {
    this.waker = null;
    this.fn = null;
    const ctrl = this.ctrl;
    if (ctrl !== null) {
      this.ctrl = null;
      ctrl.abort();
    }
  }
}

/**
 * A future of a promise's value. Given a promise, it is ready when the promise fulfils and throws
 * at the `yield*` when it rejects. Given a function, kyoto calls it at the first poll with an
 * `AbortSignal` and awaits the promise it returns; dropping the future (a `timeout` that fires, a
 * lost `select` branch, `abort()` of the task) aborts that signal, so the promise work itself
 * stops (`fetch` closes its request).
 *
 * @example
 * ```ts
 * const res = yield* timeout(100, fromPromise((signal) => fetch(url, { signal })));
 * const text = yield* fromPromise(res.text());
 * ```
 */
export function fromPromise<T>(p: PromiseLike<T> | PromiseFn<T>): Future<T> {
  if (p instanceof Future) return p as Future<T>;
  if (typeof p === 'function') return new FromPromise<T>(null, p);
  if (p === null || typeof p !== 'object' || typeof (p as { then?: unknown }).then !== 'function') {
    throw new TypeError(
      `fromPromise expects a promise or a function (signal) => promise, got ${p === null ? 'null' : typeof p}`,
    );
  }
  return new FromPromise<T>(p, null);
}
