/**
 * What the structured-concurrency combinators accept: a `Future`, or a generator object (the
 * result of calling a generator function), which is driven as a future inside the awaiting task.
 * @module
 */
import { Future } from '../future/future.js';
import { fromGenerator } from '../future/gen_future.js';
import { isGenerator } from '../runtime/spawn_body.js';

/**
 * A future, or a generator object that `join`, `race`, `select`, `shield` and task-local scopes
 * wrap with `fromGenerator`.
 *
 * @example
 * ```ts
 * function* load(id: number) { yield* sleep(5); return id; }
 * const both: IntoFuture<number>[] = [load(1), ready(2)];
 * ```
 */
export type IntoFuture<T> = Future<T> | Generator<unknown, T, unknown>;

/** The value an `IntoFuture` resolves to. */
export type FutureOutput<F> = F extends Future<infer T>
  ? T
  : F extends Generator<unknown, infer R, unknown>
    ? R
    : never;

/**
 * Thrown when a combinator is given something that is neither a future nor a generator object.
 *
 * @example
 * ```ts
 * join(fetchUser);            // NotAFutureError: ... got function fetchUser (call the generator function ...)
 * join(fetchUser(1));         // fine
 * ```
 */
export class NotAFutureError extends TypeError {
  override name = 'NotAFutureError';
}

/** @internal Converts `x` to a future or throws `NotAFutureError` naming `where` and the value. */
export function intoFuture<T>(x: IntoFuture<T>, where: string): Future<T> {
  if (x instanceof Future) return x;
  if (isGenerator(x)) return fromGenerator(x);
  throw new NotAFutureError(
    `${where} expects a Future or a generator object, got ${describeValue(x)}${
      typeof x === 'function' ? ' (call the generator function, or wrap it: future(fn, ...args))' : ''
    }`,
  );
}

/** @internal */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'function') return `function ${(x as { name?: string }).name || '(anonymous)'}`;
  if (typeof x === 'object') {
    if (typeof (x as { then?: unknown }).then === 'function') return 'a Promise (wrap it: fromPromise(p))';
    return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  }
  return `${typeof x} ${String(x)}`;
}

/**
 * @internal The error to throw when several branches failed: the error itself when there is one,
 * an `AggregateError` of all of them (in the order they happened) when there are more.
 */
export function combineErrors(errors: readonly unknown[], what: string): unknown {
  if (errors.length === 1) return errors[0];
  return new AggregateError(errors, `${what}: ${errors.length} branches failed`);
}

/** @internal Returned by `dropAll` when every drop went fine. */
export const NO_ERROR: unique symbol = Symbol('kyoto.noError');

/**
 * @internal Drops every future of `futs` except index `keep` (and null slots), each exactly once,
 * even if one of them throws (a generator whose `finally` throws). Returns the first error thrown,
 * or `NO_ERROR`. Slots are set to null.
 */
export function dropAll(futs: (Future<unknown> | null)[], keep: number): unknown {
  let err: unknown = NO_ERROR;
  for (let i = 0; i < futs.length; i++) {
    if (i === keep) continue;
    const f = futs[i];
    if (f === null || f === undefined) continue;
    futs[i] = null;
    try {
      f.drop();
    } catch (e) {
      if (err === NO_ERROR) err = e;
    }
  }
  return err;
}
