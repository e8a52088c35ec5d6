/**
 * The stream poll protocol: the `Done` sentinel, `StreamPoll<T>`, the batch interface
 * (`Consumer`, `EachResult`) and the types of what stream stages await.
 *
 * Invariants: `Done` and `Pending` are the only symbols a `pollNext` returns besides a value;
 * `isSignal(v)` is true exactly for them (`test/stream/combinators.test.ts`).
 * @module
 */
import { Pending, type Future, type Gen } from '../future/future.js';

/**
 * The sentinel `pollNext` returns when a stream has ended. Like `Pending`, it is a unique symbol,
 * so a value never needs a wrapper.
 *
 * @example
 * ```ts
 * class Countdown extends Stream<number> {
 *   constructor(private n: number) { super(); }
 *   pollNext(_cx: Context): StreamPoll<number> { return this.n > 0 ? this.n-- : Done; }
 * }
 * ```
 */
export const Done: unique symbol = Symbol.for('kyoto.Done');

/**
 * The result of polling a stream: a value, `Done`, or `Pending`.
 *
 * @example
 * ```ts
 * const r: StreamPoll<number> = s.pollNext(cx);
 * ```
 */
export type StreamPoll<T> = T | typeof Done | typeof Pending;

/**
 * True when a poll result is `Pending` or `Done` rather than a value. The `typeof` test first
 * keeps the comparisons monomorphic (number-or-symbol `===` is a slow generic compare in V8),
 * which is measurably faster in long pipelines.
 *
 * @example
 * ```ts
 * const v = up.pollNext(cx);
 * if (isSignal(v)) return v; // Pending or Done: pass it on
 * return f(v);               // v: T
 * ```
 */
export function isSignal(v: unknown): v is typeof Pending | typeof Done {
  return typeof v === 'symbol' && (v === Pending || v === Done);
}

/**
 * Where `pollEach` hands values: `accept` returns false to stop the batch.
 *
 * @example
 * ```ts
 * class Sum implements Consumer<number> { total = 0; accept(v: number) { this.total += v; return true; } }
 * ```
 */
export interface Consumer<T> {
  accept(v: T): boolean;
}

/**
 * What `pollEach` returns: `Pending`, `Done`, or `undefined` when the consumer asked to stop.
 *
 * @example
 * ```ts
 * const r: EachResult = s.pollEach(cx, consumer);
 * if (r === Done) finish();
 * ```
 */
export type EachResult = typeof Pending | typeof Done | undefined;

/**
 * Something `buffered`, `bufferUnordered` and `forEachConcurrent` can await.
 *
 * @example
 * ```ts
 * const jobs: Stream<Awaitable<Row>> = ids.map((id) => (cached(id) ? ready(cache[id]) : fetchRow(id)));
 * ```
 */
export type Awaitable<T> = Future<T> | PromiseLike<T> | Generator<unknown, T, unknown>;

/**
 * The output of an `Awaitable`: a future's value, a promise's, or a generator's return value.
 *
 * @example
 * ```ts
 * type N = Resolved<Future<number> | Promise<string>>; // number | string
 * ```
 */
export type Resolved<A> =
  A extends Future<infer U> ? U : A extends PromiseLike<infer P> ? Awaited<P> : A extends Generator<unknown, infer R, unknown> ? R : never;

/**
 * What a `forEach` callback may return: nothing, or something to await before the next item.
 *
 * @example
 * ```ts
 * const log = (line: string): ForEachResult => void console.log(line);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type ForEachResult = void | Future<unknown> | PromiseLike<unknown> | Gen<unknown> | Generator<unknown, unknown, unknown>;
