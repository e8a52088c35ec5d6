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

/**
 * @internal The base of `race` and `select`: polls a branch, and when one finishes (or throws)
 * drops every other branch exactly once. An error thrown by a losing branch's cleanup is thrown
 * (like a throwing `finally`), unless the winner itself threw: its error wins.
 */
export abstract class FirstOf<R> extends Future<R> {
  protected finished = false;
  constructor(protected readonly futs: (Future<unknown> | null)[]) {
    super();
  }

  /** Polls branch `i`: its value (the losers dropped) or `Pending`. */
  protected pollBranch(i: number, cx: Context): unknown {
    let v: unknown;
    try {
      v = (this.futs[i] as Future<unknown>).poll(cx);
    } catch (e) {
      this.finished = true;
      dropAll(this.futs, i); // the branch's error wins over an error thrown by a cleanup
      throw e;
    }
    if (v !== Pending) this.finish(i);
    return v;
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

class Race<T> extends FirstOf<T> {
  poll(cx: Context): Poll<T> {
    if (this.finished) throw new PolledAfterCompletionError('race()');
    const n = this.futs.length;
    for (let i = 0; i < n; i++) {
      const v = this.pollBranch(i, cx);
      if (v !== Pending) return v as T;
    }
    return Pending;
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
