/**
 * `select({ a: futA, b: futB })`: waits for the first branch, tells which one it was, and drops
 * the others (tokio's `select!`).
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { intoFuture, type FutureOutput, type IntoFuture } from './into_future.js';
import { FirstOf, NoBranchesError } from './race.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/** Options of `select`. */
export interface SelectOptions {
  /**
   * Poll the branches in the order they were written, every time (tokio's `biased;`). Default
   * false: each poll starts at a random branch, so no branch can starve the others.
   */
  biased?: boolean;
}

/** The result of `select`: which branch finished, and its value, as a discriminated union. */
export type SelectResult<M> = { [K in keyof M]: { readonly key: K; readonly value: FutureOutput<M[K]> } }[keyof M];

let seed = ((Math.random() * 0x7fffffff) | 0) || 0x9e3779b9;
/** xorshift32: cheap, good enough to pick a start branch. */
function nextRandom(n: number): number {
  let x = seed;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  seed = x;
  return (x >>> 0) % n;
}

class Select<R> extends FirstOf<R> {
  constructor(
    private readonly keys: string[],
    futs: (Future<unknown> | null)[],
    private readonly biased: boolean,
  ) {
    super(futs);
  }

  poll(cx: Context): Poll<R> {
    if (this.finished) throw new PolledAfterCompletionError('select()');
    const n = this.futs.length;
    const start = this.biased || n === 1 ? 0 : nextRandom(n);
    for (let k = 0; k < n; k++) {
      let i = start + k;
      if (i >= n) i -= n;
      const v = this.pollBranch(i, cx);
      if (v !== Pending) return { key: this.keys[i], value: v } as R;
    }
    return Pending;
  }
}

/**
 * Waits for the first of several named branches and gives `{ key, value }`, typed as a union over
 * the branches so that checking `key` narrows `value`. The other branches are dropped before it
 * returns (their `finally` blocks have run; a dropped `recv()` or `lock()` leaves its queue). If
 * the first branch to finish threw, `select` throws that error (the others are dropped too).
 *
 * Each poll starts at a random branch unless `{ biased: true }`, in which case branches are polled
 * in the order written. Branches are futures or generator objects. To keep a future across loop
 * iterations instead of having it dropped, pass `byRef(fut)`.
 *
 * @example
 * ```ts
 * const r = yield* select({ msg: rx.recv(), tick: sleep(1000) });
 * if (r.key === 'msg') handle(r.value); // r.value is typed as the recv output
 * else console.log('idle');
 * ```
 */
export function select<const M extends Record<string, IntoFuture<unknown>>>(
  branches: M,
  opts?: SelectOptions,
): Future<SelectResult<M>> {
  if (branches === null || typeof branches !== 'object') {
    throw new TypeError(`select() expects an object of named branches, got ${branches === null ? 'null' : typeof branches}`);
  }
  const keys = Object.keys(branches);
  if (keys.length === 0) throw new NoBranchesError('select({}) needs at least one branch: with none it could never finish');
  const futs = new Array<Future<unknown>>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    futs[i] = intoFuture(branches[k] as IntoFuture<unknown>, `select() branch '${k}'`);
  }
  return new Select<SelectResult<M>>(keys, futs, opts?.biased === true);
}
