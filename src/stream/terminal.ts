/**
 * Terminal futures: `fold`, `collect`, `forEach`, `forEachConcurrent`.
 *
 * Each is a `Terminal`: it pulls its stream until `Done` and then drops it; if the stream (or a
 * callback) throws, the stream is dropped and the error is thrown at the `yield*`. Dropping the
 * future drops the stream (exactly once). Proved by `test/stream/combinators.test.ts` and
 * `test/stream/property.test.ts`.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Done, impl, type Awaitable, type Consumer, type EachResult, type ForEachResult, type Stream } from './stream.js';
import { checkFn } from './errors.js';
import { concurrentCalls, toFuture } from './buffered.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/**
 * @internal The base of the terminal futures: it is the consumer of its stream's batches, pulls
 * until `Done`, then drops the stream (exactly once, also when the stream or a callback throws)
 * and returns `result()`.
 */
abstract class Terminal<T, R> extends Future<R> implements Consumer<T> {
  constructor(
    protected s: Stream<T> | null,
    private readonly what: string,
  ) {
    super();
  }
  /** One value of a batch; false stops the batch. */
  abstract accept(v: T): boolean;
  /** The output, once the stream ended. */
  protected abstract result(): R;
  /** What the future holds besides the stream; default nothing. */
  protected release(): void {}

  poll(cx: Context): Poll<R> {
    const s = this.s;
    if (s === null) throw new PolledAfterCompletionError(this.what);
    let r: EachResult;
    try {
      do r = s.pollEach(cx, this);
      while (r === undefined);
    } catch (e) {
      this.drop();
      throw e;
    }
    if (r === Pending) return Pending;
    const out = this.result();
    this.drop();
    return out;
  }

  /** @internal Polled-after-completion check for subclasses that poll on their own. */
  protected stream(): Stream<T> {
    const s = this.s;
    if (s === null) throw new PolledAfterCompletionError(this.what);
    return s;
  }

  override drop(): void {
    const s = this.s;
    this.s = null;
    try {
      this.release();
    } finally {
      s?.drop();
    }
  }
}

class FoldFuture<T, A> extends Terminal<T, A> {
  constructor(
    s: Stream<T>,
    private acc: A,
    private readonly f: (acc: A, v: T) => A,
  ) {
    super(s, 'fold()');
  }
  accept(v: T): boolean {
    this.acc = this.f(this.acc, v);
    return true;
  }
  // `acc` is left in place after completion: storing another type in the field (undefined, say)
  // would make V8 box every number written to it afterwards, one allocation per value.
  protected result(): A {
    return this.acc;
  }
}

class CollectFuture<T> extends Terminal<T, T[]> {
  private out: T[] = [];
  constructor(s: Stream<T>) {
    super(s, 'collect()');
  }
  accept(v: T): boolean {
    this.out.push(v);
    return true;
  }
  protected result(): T[] {
    return this.out;
  }
  protected override release(): void {
    this.out = [];
  }
}

class ForEachFuture<T> extends Terminal<T, void> {
  /** What the callback returned for the current value, still being awaited. */
  private cur: Future<unknown> | null = null;
  constructor(
    s: Stream<T>,
    private readonly f: (v: T) => ForEachResult,
  ) {
    super(s, 'forEach()');
  }
  accept(v: T): boolean {
    const r = this.f(v);
    if (r === undefined) return true;
    // Await it before the next value: stop the batch here.
    this.cur = toFuture(r as Awaitable<unknown>, 'forEach(f)');
    return false;
  }
  protected result(): void {}
  /** Like the base, but awaits what the callback returned between batches. */
  override poll(cx: Context): Poll<void> {
    const s = this.stream();
    try {
      for (;;) {
        const cur = this.cur;
        if (cur !== null) {
          if (cur.poll(cx) === Pending) return Pending;
          this.cur = null;
        }
        const r = s.pollEach(cx, this);
        if (r === Pending) return Pending;
        if (r === Done) break;
      }
    } catch (e) {
      this.drop();
      throw e;
    }
    this.drop();
    return undefined;
  }
  protected override release(): void {
    const cur = this.cur;
    this.cur = null;
    cur?.drop();
  }
}

/** Pulls a stream to its end, discarding the values. */
class DrainFuture extends Terminal<unknown, void> {
  constructor(s: Stream<unknown>) {
    super(s, 'forEachConcurrent()');
  }
  accept(): boolean {
    return true;
  }
  protected result(): void {}
}

impl.fold = (s, init, f) => {
  checkFn('fold(init, f)', f);
  return new FoldFuture(s, init, f);
};
impl.collect = (s) => new CollectFuture(s);
impl.forEach = (s, f) => {
  checkFn('forEach(f)', f);
  return new ForEachFuture(s, f);
};
impl.forEachConcurrent = (s, n, f) => new DrainFuture(concurrentCalls(s, n, f));
