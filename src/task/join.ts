/**
 * `join(a, b, ...)` waits for every future; `tryJoin(a, b, ...)` stops at the first error and
 * drops the rest.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { NO_ERROR, combineErrors, dropAll, intoFuture, type FutureOutput, type IntoFuture } from './into_future.js';

/** The typed tuple of outputs of a tuple of futures. */
export type JoinOutput<F extends readonly unknown[]> = { -readonly [K in keyof F]: FutureOutput<F[K]> };

const NOT_DONE: unique symbol = Symbol('kyoto.join.notDone');

class Join<T extends unknown[]> extends Future<T> {
  private readonly futs: (Future<unknown> | null)[];
  private readonly out: unknown[];
  private left: number;
  private errors: unknown[] | null = null;
  private finished = false;

  constructor(
    futs: Future<unknown>[],
    private readonly failFast: boolean,
  ) {
    super();
    this.futs = futs;
    this.left = futs.length;
    this.out = new Array<unknown>(futs.length).fill(NOT_DONE);
  }

  poll(cx: Context): Poll<T> {
    if (this.finished) throw new Error(`${this.failFast ? 'tryJoin' : 'join'}() future polled after it completed`);
    const futs = this.futs;
    for (let i = 0; i < futs.length && this.left > 0; i++) {
      const f = futs[i];
      if (f === null || f === undefined) continue;
      let v: unknown;
      try {
        v = f.poll(cx);
      } catch (e) {
        futs[i] = null;
        this.left--;
        if (this.failFast) {
          this.finished = true;
          this.left = 0;
          dropAll(this.futs, -1); // the first error wins over an error thrown by a cleanup
          throw e;
        }
        (this.errors ??= []).push(e);
        continue;
      }
      if (v === Pending) continue;
      futs[i] = null;
      this.out[i] = v;
      this.left--;
    }
    if (this.left > 0) return Pending;
    this.finished = true;
    if (this.errors !== null) throw combineErrors(this.errors, 'join');
    return this.out as T;
  }

  override drop(): void {
    if (this.finished) return;
    this.finished = true;
    this.left = 0;
    const err = dropAll(this.futs, -1);
    if (err !== NO_ERROR) throw err;
  }
}

/**
 * A future that polls every argument concurrently (inside the awaiting task, no spawn) and is ready
 * with the tuple of their outputs, in argument order, once all of them finished. If any threw, it
 * throws once all finished: the error itself, or an `AggregateError` (errors in the order they
 * happened) when several threw. Arguments are futures or generator objects.
 *
 * @example
 * ```ts
 * function* fetchUser(id: number) { yield* sleep(10); return { id }; }
 * const [user, n] = yield* join(fetchUser(1), ready(5)); // typed [{ id: number }, number]
 * ```
 */
export function join<const F extends readonly IntoFuture<unknown>[]>(...futs: F): Future<JoinOutput<F>> {
  return new Join<JoinOutput<F>>(convert(futs, 'join'), false);
}

/**
 * Like `join`, but the first error wins: the other futures are dropped at once (their `finally`
 * blocks run) and the error is thrown.
 *
 * @example
 * ```ts
 * try {
 *   const [a, b] = yield* tryJoin(fetchUser(1), fetchUser(2));
 * } catch (e) {
 *   // the first failure; the other fetch was cancelled
 * }
 * ```
 */
export function tryJoin<const F extends readonly IntoFuture<unknown>[]>(...futs: F): Future<JoinOutput<F>> {
  return new Join<JoinOutput<F>>(convert(futs, 'tryJoin'), true);
}

function convert(futs: readonly IntoFuture<unknown>[], where: string): Future<unknown>[] {
  const out = new Array<Future<unknown>>(futs.length);
  for (let i = 0; i < futs.length; i++) out[i] = intoFuture(futs[i] as IntoFuture<unknown>, `${where}() argument ${i}`);
  return out;
}

/** @internal shared with race/select */
export { convert as convertFutures };
