/**
 * `race(a, b, ...)`: the first future to finish wins and the others are dropped.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { NO_ERROR, dropAll, type FutureOutput, type IntoFuture } from './into_future.js';
import { convertFutures } from './join.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/**
 * Thrown when `race()` or `select()` is given no branch at all (it could never finish).
 *
 * @example
 * ```ts
 * race(...[]); // NoBranchesError
 * ```
 */
export class NoBranchesError extends TypeError {
  override name = 'NoBranchesError';
}

class Race<T> extends Future<T> {
  private finished = false;
  constructor(private readonly futs: (Future<unknown> | null)[]) {
    super();
  }

  poll(cx: Context): Poll<T> {
    if (this.finished) throw new PolledAfterCompletionError('race()');
    const futs = this.futs;
    for (let i = 0; i < futs.length; i++) {
      let v: unknown;
      try {
        v = (futs[i] as Future<unknown>).poll(cx);
      } catch (e) {
        this.finished = true;
        dropAll(this.futs, i); // the branch's error wins over an error thrown by a cleanup
        throw e;
      }
      if (v !== Pending) {
        this.finish(i);
        return v as T;
      }
    }
    return Pending;
  }

  /** Drops the losers; an error thrown by a loser's cleanup is thrown (like a throwing `finally`). */
  private finish(winner: number): void {
    this.finished = true;
    const err = dropAll(this.futs, winner);
    if (err !== NO_ERROR) throw err;
  }

  override drop(): void {
    if (this.finished) return;
    this.finish(-1);
  }
}

/**
 * A future that polls its arguments in argument order, every time it is polled, and finishes with
 * the first one that finishes: its value, or its error (thrown). The others are dropped before it
 * returns, so their `finally` blocks have run. When several are ready in the same poll, the
 * earliest argument wins (use `select` for a random start). Arguments are futures or generator
 * objects.
 *
 * @example
 * ```ts
 * const fastest = yield* race(fetchFrom('eu'), fetchFrom('us')); // the loser is cancelled
 * ```
 */
export function race<const F extends readonly IntoFuture<unknown>[]>(...futs: F): Future<FutureOutput<F[number]>> {
  if (futs.length === 0) throw new NoBranchesError('race() needs at least one future: with none it could never finish');
  return new Race<FutureOutput<F[number]>>(convertFutures(futs, 'race'));
}
