/**
 * Generic sources: `fromIterable` and `fromAsyncIterable`.
 * @module
 */
import { WakerSlot } from '../future/waker_slot.js';
import { Pending, type Context } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { promiseWaits } from '../future/promise.js';
import { Done, Stream, type Consumer, type EachResult, type StreamPoll } from './stream.js';
import { describe } from './errors.js';

/**
 * Values a synchronous source hands out per unit of the task's cooperative budget. Tokio's
 * `stream::iter` yields every 32 values; kyoto spends one budget unit per 32 instead, so a
 * task still yields after 128 units (4096 values) while a short pipeline pays almost nothing.
 */
export const VALUES_PER_BUDGET_UNIT = 32;

const EMPTY: readonly never[] = [];

/** An array, read by index (no iterator result objects). */
class ArrayStream<T> extends Stream<T> {
  private i = 0;
  /** Values up to this index need no check: they are in the array and already budgeted. */
  private stop = 0;
  constructor(private items: readonly T[]) {
    super();
  }
  pollNext(cx: Context): StreamPoll<T> {
    const i = this.i;
    if (i < this.stop) {
      this.i = i + 1;
      return this.items[i] as T;
    }
    return this.slowNext(cx);
  }
  override pollEach(cx: Context, down: Consumer<T>): EachResult {
    for (;;) {
      let i: number;
      while ((i = this.i) < this.stop) {
        this.i = i + 1;
        if (!down.accept(this.items[i] as T)) return undefined;
      }
      const items = this.items;
      if (i >= items.length) {
        this.drop();
        return Done;
      }
      if (!pollProceed(cx)) return Pending;
      this.stop = Math.min(items.length, i + VALUES_PER_BUDGET_UNIT);
    }
  }

  /** The end of the array, or the next budget unit. */
  private slowNext(cx: Context): StreamPoll<T> {
    const items = this.items;
    const i = this.i;
    if (i >= items.length) {
      this.drop();
      return Done;
    }
    // A synchronous source still spends the task's budget, so a long one cannot hog the thread.
    if (!pollProceed(cx)) return Pending;
    this.stop = Math.min(items.length, i + VALUES_PER_BUDGET_UNIT);
    this.i = i + 1;
    return items[i] as T;
  }
  override drop(): void {
    this.items = EMPTY;
    this.i = 0;
    this.stop = 0;
  }
}

const NOT_STARTED = 0;
const RUNNING = 1;
const FINISHED = 2;

class IterableStream<T> extends Stream<T> {
  private it: Iterator<T> | null = null;
  private state = NOT_STARTED;
  private credit = 0;
  constructor(private readonly src: Iterable<T>) {
    super();
  }
  pollNext(cx: Context): StreamPoll<T> {
    let it = this.it;
    if (it === null) {
      if (this.state !== NOT_STARTED) return Done;
      // Lazy: the iterator is created at the first poll, not before.
      it = this.src[Symbol.iterator]();
      this.it = it;
      this.state = RUNNING;
    }
    if (--this.credit < 0) {
      if (!pollProceed(cx)) {
        this.credit = 0;
        return Pending;
      }
      this.credit = VALUES_PER_BUDGET_UNIT - 1;
    }
    let r: IteratorResult<T>;
    try {
      r = it.next();
    } catch (e) {
      this.it = null;
      this.state = FINISHED;
      throw e;
    }
    if (r.done === true) {
      this.it = null;
      this.state = FINISHED;
      return Done;
    }
    return r.value;
  }
  override drop(): void {
    const it = this.it;
    this.it = null;
    this.state = FINISHED;
    // An abandoned generator runs its finally blocks.
    if (it !== null && typeof it.return === 'function') it.return();
  }
}

/**
 * A stream of the values of a synchronous iterable (an array, a Set, a generator), created
 * lazily: the iterator is made at the first poll. An array is read by index, with no iterator
 * result objects. Dropping the stream before the end calls the iterator's `return()`, so a
 * generator's `finally` runs.
 *
 * The stream spends the task's cooperative budget (one unit per 32 values), so even an endless
 * generator lets the other tasks run.
 *
 * @example
 * ```ts
 * const squares = yield* fromIterable([1, 2, 3]).map((x) => x * x).collect(); // [1, 4, 9]
 * ```
 */
export function fromIterable<T>(src: Iterable<T>): Stream<T> {
  if (Array.isArray(src)) return new ArrayStream<T>(src as readonly T[]);
  if (src === null || typeof (src as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function') {
    throw new TypeError(`fromIterable: expected an iterable, got ${describe(src)}`);
  }
  return new IterableStream(src);
}

/**
 * A stream over an async iterable. At most one `next()` call is outstanding at a time and none is
 * made before the stream is polled: the source is pulled lazily, with backpressure.
 */
class AsyncIterableStream<T> extends Stream<T> {
  private it: AsyncIterator<T> | null = null;
  private state = NOT_STARTED;
  /** A `next()` is in flight. */
  private inFlight = false;
  /** The settled result, kept until polled. */
  private hasResult = false;
  private failed = false;
  private result: IteratorResult<T> | undefined = undefined;
  private error: unknown = undefined;
  private readonly slot = new WakerSlot();
  // Bound once per stream, not per item.
  private readonly onValue = (r: IteratorResult<T>): void => this.settle(false, r, undefined);
  private readonly onError = (e: unknown): void => this.settle(true, undefined, e);

  constructor(private readonly src: AsyncIterable<T>) {
    super();
  }

  private settle(failed: boolean, r: IteratorResult<T> | undefined, e: unknown): void {
    this.inFlight = false;
    promiseWaits.pending--;
    if (this.state === FINISHED) return; // dropped meanwhile: the value belongs to nobody
    this.hasResult = true;
    this.failed = failed;
    this.result = r;
    this.error = e;
    this.slot.wake();
  }

  pollNext(cx: Context): StreamPoll<T> {
    if (this.state === FINISHED) return Done;
    if (this.hasResult) {
      // Like every kyoto resource, spend the task's budget before handing out a result.
      if (!pollProceed(cx)) return Pending;
      this.hasResult = false;
      if (this.failed) {
        const e = this.error;
        this.error = undefined;
        this.finish(false);
        throw e;
      }
      const r = this.result as IteratorResult<T>;
      this.result = undefined;
      if (r === null || typeof r !== 'object') {
        this.finish(false);
        throw new TypeError(`fromAsyncIterable: next() resolved with ${describe(r)}, not an iterator result`);
      }
      if (r.done === true) {
        this.finish(false);
        return Done;
      }
      return r.value;
    }
    if (!this.inFlight) {
      let it = this.it;
      if (it === null) {
        it = this.src[Symbol.asyncIterator]();
        this.it = it;
        this.state = RUNNING;
      }
      let p: Promise<IteratorResult<T>>;
      try {
        p = Promise.resolve(it.next());
      } catch (e) {
        this.finish(false);
        throw e;
      }
      // Counted so that a blockOn waiting on the source is not taken for a deadlock.
      promiseWaits.pending++;
      this.inFlight = true;
      p.then(this.onValue, this.onError);
    }
    this.slot.register(cx);
    return Pending;
  }

  private finish(callReturn: boolean): void {
    const it = this.it;
    this.it = null;
    this.state = FINISHED;
    this.slot.clear();
    this.result = undefined;
    this.hasResult = false;
    if (callReturn && it !== null && typeof it.return === 'function') {
      // Fire and forget: an async generator's finally runs; its errors have nobody to go to.
      try {
        Promise.resolve(it.return()).catch(ignore);
      } catch {
        // ignored, as above
      }
    }
  }

  override drop(): void {
    if (this.state === FINISHED) return;
    this.finish(this.state === RUNNING);
  }
}

function ignore(): void {}

/**
 * A stream over any `for await` source (an async generator, a Node stream, a web
 * `ReadableStream`). It is pulled lazily with backpressure: `next()` is called only when the
 * consumer polls and the previous value was taken, so a producer never runs ahead. Dropping the
 * stream calls the iterator's `return()` (an async generator's `finally` runs).
 *
 * @example
 * ```ts
 * async function* pages() { for (let p = 1; ; p++) yield await fetchPage(p); }
 * const first3 = yield* fromAsyncIterable(pages()).take(3).collect(); // fetches 3 pages only
 * ```
 */
export function fromAsyncIterable<T>(src: AsyncIterable<T>): Stream<T> {
  if (src === null || typeof (src as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`fromAsyncIterable: expected an async iterable, got ${describe(src)}`);
  }
  return new AsyncIterableStream(src);
}
