/**
 * The stream model: the abstract `Stream<T>` with its combinator methods (the poll protocol,
 * `Done` and `StreamPoll<T>`, is in `poll.ts` and re-exported here).
 *
 * A stream is polled like a future, but yields many values: `pollNext(cx)` returns the next
 * value, `Done` when the stream has ended, or `Pending` after registering `cx.waker`. Values are
 * returned as they are (no `{ value, done }` wrapper), so a `map`/`filter`/`take` pipeline
 * allocates nothing per item.
 *
 * The combinator classes live in their own modules and install themselves in `impl` (below) when
 * `src/stream/index.ts` loads them; the methods here only forward to them, which keeps this
 * module free of import cycles.
 * @module
 */
import { Future, type Context, type Poll } from '../future/future.js';
import { Done, isSignal, type Awaitable, type Consumer, type EachResult, type ForEachResult, type Resolved, type StreamPoll } from './poll.js';

export { Done, isSignal } from './poll.js';
export type { StreamPoll, Consumer, EachResult, Awaitable, Resolved, ForEachResult } from './poll.js';

/** @internal The constructors behind the combinator methods, installed by their modules. */
export interface StreamImpl {
  map<T, U>(s: Stream<T>, f: (v: T) => U): Stream<U>;
  filter<T>(s: Stream<T>, f: (v: T) => boolean): Stream<T>;
  filterMap<T, U>(s: Stream<T>, f: (v: T) => U | undefined): Stream<U>;
  take<T>(s: Stream<T>, n: number): Stream<T>;
  takeWhile<T>(s: Stream<T>, f: (v: T) => boolean): Stream<T>;
  skip<T>(s: Stream<T>, n: number): Stream<T>;
  chain<T, U>(a: Stream<T>, b: Stream<U>): Stream<T | U>;
  chunks<T>(s: Stream<T>, n: number): Stream<T[]>;
  chunksTimeout<T>(s: Stream<T>, n: number, ms: number): Stream<T[]>;
  merge<T, U>(a: Stream<T>, b: Stream<U>): Stream<T | U>;
  zip<T, U>(a: Stream<T>, b: Stream<U>): Stream<[T, U]>;
  throttle<T>(s: Stream<T>, ms: number): Stream<T>;
  timeout<T>(s: Stream<T>, ms: number): Stream<T>;
  buffered<U>(s: Stream<Awaitable<U>>, n: number, ordered: boolean): Stream<U>;
  fold<T, A>(s: Stream<T>, init: A, f: (acc: A, v: T) => A): Future<A>;
  collect<T>(s: Stream<T>): Future<T[]>;
  forEach<T>(s: Stream<T>, f: (v: T) => ForEachResult): Future<void>;
  forEachConcurrent<T>(s: Stream<T>, n: number, f: (v: T) => ForEachResult): Future<void>;
  asyncIterator<T>(s: Stream<T>): AsyncIterator<T>;
}

/** @internal */
export const impl = {} as StreamImpl;

/**
 * An asynchronous sequence of values, polled like a future. Streams are lazy (nothing is pulled
 * before a consumer polls) and cancel-safe: `drop()` releases the whole pipeline, down to the
 * source, exactly once.
 *
 * Subclass it to write a stream: implement `pollNext`, and `drop` if the stream holds anything
 * (a timer, a waiter, a socket) that must be released when it is abandoned.
 *
 * Consume it inside a task with `next()`, with a terminal future (`collect`, `fold`, `forEach`),
 * or from plain async code with `for await`.
 *
 * @example
 * ```ts
 * function* main() {
 *   const evens = fromIterable([1, 2, 3, 4, 5, 6]).filter((x) => x % 2 === 0).map((x) => x * 10);
 *   let v: number | undefined;
 *   while ((v = yield* evens.next()) !== undefined) console.log(v); // 20, 40, 60
 * }
 * ```
 */
export abstract class Stream<T> implements AsyncIterable<T>, Disposable {
  private nextFuture: NextFuture<T> | null = null;
  private pullFuture: PullFuture<T> | null = null;

  /**
   * Advances the stream: the next value, `Done` once it has ended, or `Pending` after arranging
   * for `cx.waker` to be woken when polling again can make progress.
   */
  abstract pollNext(cx: Context): StreamPoll<T>;

  /**
   * The batch form of `pollNext`: hands every value that is ready now to `down.accept`, until
   * it returns false (then the result is `undefined` and the stream may have more), the stream
   * is `Pending` (after registering `cx.waker`) or `Done`. Terminal futures and `toReadable`
   * pull through it. The default loops over `pollNext`; array sources and the per-value
   * combinators override it, so the source's loop pushes each value through the whole pipeline
   * (every `accept` call site is monomorphic, so V8 inlines the chain).
   *
   * @example
   * ```ts
   * class Sum implements Consumer<number> { total = 0; accept(v: number) { this.total += v; return true; } }
   * const r = s.pollEach(cx, new Sum()); // Pending or Done
   * ```
   */
  pollEach(cx: Context, down: Consumer<T>): EachResult {
    for (;;) {
      const v = this.pollNext(cx);
      if (isSignal(v)) return v;
      if (!down.accept(v)) return undefined;
    }
  }

  /**
   * Cancellation: releases the stream and everything upstream of it (timers, waiters, sockets).
   * Must be idempotent. Default: nothing.
   */
  drop(): void {}

  /** `using s = ...` drops the stream at the end of the block. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /**
   * A future of the next value, or `undefined` once the stream has ended. Dropping the future
   * loses nothing (it is cancel-safe), and the same object is reused for every call, so the
   * usual loop allocates nothing per item.
   *
   * @example
   * ```ts
   * let line: string | undefined;
   * while ((line = yield* lines.next()) !== undefined) handle(line);
   * ```
   */
  next(): Future<T | undefined> {
    return (this.nextFuture ??= new NextFuture(this));
  }

  /**
   * Like `next()`, but ends with the `Done` sentinel instead of `undefined`: the loop to use when
   * `undefined` is itself a value of the stream.
   *
   * @example
   * ```ts
   * for (let v; (v = yield* s.pull()) !== Done; ) use(v); // v: T
   * ```
   */
  pull(): Future<T | typeof Done> {
    return (this.pullFuture ??= new PullFuture(this));
  }

  /**
   * Each value transformed by `f`.
   *
   * @example
   * ```ts
   * const lengths = words.map((w) => w.length);
   * ```
   */
  map<U>(f: (v: T) => U): Stream<U> {
    return impl.map(this, f);
  }

  /**
   * The values for which `f` returns true.
   *
   * @example
   * ```ts
   * const odd = nums.filter((n) => n % 2 === 1);
   * ```
   */
  filter(f: (v: T) => boolean): Stream<T> {
    return impl.filter(this, f);
  }

  /**
   * `f` applied to each value; the values for which `f` returns `undefined` are skipped.
   *
   * @example
   * ```ts
   * const ints = strings.filterMap((s) => (/^\d+$/.test(s) ? Number(s) : undefined));
   * ```
   */
  filterMap<U>(f: (v: T) => U | undefined): Stream<U> {
    return impl.filterMap(this, f);
  }

  /**
   * The first `n` values. Once the `n`th value is out, the upstream is dropped at once (an
   * interval or a socket is released without waiting for the consumer to drop the pipeline).
   *
   * @example
   * ```ts
   * const firstThree = yield* ticks.take(3).collect();
   * ```
   */
  take(n: number): Stream<T> {
    return impl.take(this, n);
  }

  /**
   * Values while `f` returns true; the stream ends (and drops its upstream) at the first false.
   *
   * @example
   * ```ts
   * const header = lines.takeWhile((l) => l !== '');
   * ```
   */
  takeWhile(f: (v: T) => boolean): Stream<T> {
    return impl.takeWhile(this, f);
  }

  /**
   * All but the first `n` values.
   *
   * @example
   * ```ts
   * const body = rows.skip(1);
   * ```
   */
  skip(n: number): Stream<T> {
    return impl.skip(this, n);
  }

  /**
   * This stream's values, then `other`'s (polled only once this one is done).
   *
   * @example
   * ```ts
   * const all = fromIterable([1, 2]).chain(fromIterable([3])); // 1, 2, 3
   * ```
   */
  chain<U>(other: Stream<U>): Stream<T | U> {
    return impl.chain(this, other);
  }

  /**
   * Arrays of `n` values (the last one may be shorter). A chunk is emitted only when full or at
   * the end of the stream.
   *
   * @example
   * ```ts
   * const batches = rows.chunks(100);
   * ```
   */
  chunks(n: number): Stream<T[]> {
    return impl.chunks(this, n);
  }

  /**
   * Arrays of up to `n` values: a chunk is emitted when it is full, or `ms` after its first value
   * arrived, whichever comes first (Tokio's `chunks_timeout`).
   *
   * @example
   * ```ts
   * const batches = events.chunksTimeout(500, 100); // at most 500 events, at most 100 ms late
   * ```
   */
  chunksTimeout(n: number, ms: number): Stream<T[]> {
    return impl.chunksTimeout(this, n, ms);
  }

  /**
   * Values of both streams as they arrive; ends when both have ended. Fair: the stream polled
   * first alternates, so a busy stream cannot starve the other.
   *
   * @example
   * ```ts
   * const events = clicks.map(toEvent).merge(keys.map(toEvent));
   * ```
   */
  merge<U>(other: Stream<U>): Stream<T | U> {
    return impl.merge(this, other);
  }

  /**
   * Pairs `[a, b]` of this stream's and `other`'s values; ends when either ends.
   *
   * @example
   * ```ts
   * const numbered = fromIterable(naturals()).zip(lines); // [1, line1], [2, line2], ...
   * ```
   */
  zip<U>(other: Stream<U>): Stream<[T, U]> {
    return impl.zip(this, other);
  }

  /**
   * At most one value per `ms`: after a value is emitted, the upstream is not polled again until
   * `ms` have passed. Nothing is dropped; the upstream is slowed down (backpressure).
   *
   * @example
   * ```ts
   * const paced = requests.throttle(10); // at most 100 per second
   * ```
   */
  throttle(ms: number): Stream<T> {
    return impl.throttle(this, ms);
  }

  /**
   * Each value must arrive within `ms` of the consumer starting to wait for it; otherwise
   * `pollNext` throws a `StreamTimeoutError`. The stream stays usable: polling again waits for
   * the same value with a fresh deadline (terminal futures end with the error).
   *
   * @example
   * ```ts
   * const msgs = fromReceiver(rx).timeout(30_000); // a peer silent for 30 s is an error
   * ```
   */
  timeout(ms: number): Stream<T> {
    return impl.timeout(this, ms);
  }

  /**
   * For a stream of futures (or promises, or generators): runs up to `n` of them at once and
   * yields their outputs in the order they finish.
   *
   * @example
   * ```ts
   * const pages = yield* urls.map((u) => fromPromise(fetch(u))).bufferUnordered(8).collect();
   * ```
   */
  bufferUnordered<A extends Awaitable<unknown>>(this: Stream<A>, n: number): Stream<Resolved<A>> {
    return impl.buffered(this as Stream<Awaitable<Resolved<A>>>, n, false);
  }

  /**
   * For a stream of futures: runs up to `n` of them at once and yields their outputs in the
   * order of the stream (a finished future waits for the ones before it).
   *
   * @example
   * ```ts
   * const sizes = yield* files.map((f) => future(statFile, f)).buffered(4).collect();
   * ```
   */
  buffered<A extends Awaitable<unknown>>(this: Stream<A>, n: number): Stream<Resolved<A>> {
    return impl.buffered(this as Stream<Awaitable<Resolved<A>>>, n, true);
  }

  /**
   * A future that folds every value into an accumulator and is ready with it at the end.
   *
   * @example
   * ```ts
   * const total = yield* prices.fold(0, (sum, p) => sum + p);
   * ```
   */
  fold<A>(init: A, f: (acc: A, v: T) => A): Future<A> {
    return impl.fold(this, init, f);
  }

  /**
   * A future of an array of every value.
   *
   * @example
   * ```ts
   * const rows = yield* fromAsyncIterable(cursor).take(100).collect();
   * ```
   */
  collect(): Future<T[]> {
    return impl.collect(this);
  }

  /**
   * A future that calls `f` for each value, in order. If `f` returns a future, a promise or a
   * generator, it is awaited before the next value is pulled.
   *
   * @example
   * ```ts
   * function* greet(conn: TcpStream) { yield* conn.writeAll(greeting); }
   * yield* incoming(listener).forEach(greet); // one connection at a time, in order
   * ```
   */
  forEach(f: (v: T) => ForEachResult): Future<void> {
    return impl.forEach(this, f);
  }

  /**
   * A future that runs `f` for each value with up to `n` of them in flight at once. The first
   * error cancels the others and the stream, and is thrown.
   *
   * @example
   * ```ts
   * yield* jobs.forEachConcurrent(4, runJob); // function* runJob(job: Job) { ... }
   * ```
   */
  forEachConcurrent(n: number, f: (v: T) => ForEachResult): Future<void> {
    return impl.forEachConcurrent(this, n, f);
  }

  /**
   * `for await (const v of stream)` in plain async code. Each step runs on the current runtime
   * (or the process's default one); leaving the loop early drops the stream.
   *
   * @example
   * ```ts
   * for await (const line of lines) console.log(line);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return impl.asyncIterator(this);
  }
}

/** `stream.next()`: stateless, so one per stream serves every call. */
class NextFuture<T> extends Future<T | undefined> {
  constructor(private readonly stream: Stream<T>) {
    super();
  }
  poll(cx: Context): Poll<T | undefined> {
    const v = this.stream.pollNext(cx);
    return v === Done ? undefined : v;
  }
}

/** `stream.pull()`: like `next()` with the `Done` sentinel kept. */
class PullFuture<T> extends Future<T | typeof Done> {
  constructor(private readonly stream: Stream<T>) {
    super();
  }
  poll(cx: Context): Poll<T | typeof Done> {
    return this.stream.pollNext(cx);
  }
}
