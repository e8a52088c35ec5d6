/**
 * Terminal futures: `fold`, `collect`, `forEach`, `forEachConcurrent`.
 *
 * Each pulls its stream until `Done` and then drops it; if the stream (or a callback) throws,
 * the stream is dropped and the error is thrown at the `yield*`. Dropping the future drops the
 * stream.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Done, Stream, impl, type Awaitable, type Consumer, type EachResult, type ForEachResult } from './stream.js';
import { checkFn } from './errors.js';
import { concurrentCalls, toFuture } from './buffered.js';
import { PolledAfterCompletionError } from '../util/errors.js';

class FoldFuture<T, A> extends Future<A> {
  constructor(
    private s: Stream<T> | null,
    private acc: A,
    private readonly f: (acc: A, v: T) => A,
  ) {
    super();
  }
  /** @internal batch path */
  accept(v: T): boolean {
    this.acc = this.f(this.acc, v);
    return true;
  }
  poll(cx: Context): Poll<A> {
    const s = this.s;
    if (s === null) throw new PolledAfterCompletionError('fold()');
    let r: EachResult;
    try {
      do r = s.pollEach(cx, this);
      while (r === undefined);
    } catch (e) {
      this.drop();
      throw e;
    }
    if (r === Pending) return Pending;
    // `acc` is left in place: storing another type in the field (undefined, say) would make V8
    // box every number written to it afterwards, one allocation per value.
    this.drop();
    return this.acc;
  }
  override drop(): void {
    const s = this.s;
    this.s = null;
    s?.drop();
  }
}

class CollectFuture<T> extends Future<T[]> {
  private out: T[] = [];
  /** @internal batch path */
  accept(v: T): boolean {
    this.out.push(v);
    return true;
  }
  constructor(private s: Stream<T> | null) {
    super();
  }
  poll(cx: Context): Poll<T[]> {
    const s = this.s;
    if (s === null) throw new PolledAfterCompletionError('collect()');
    let r: EachResult;
    try {
      do r = s.pollEach(cx, this);
      while (r === undefined);
    } catch (e) {
      this.drop();
      throw e;
    }
    if (r === Pending) return Pending;
    const out = this.out;
    this.drop();
    return out;
  }
  override drop(): void {
    const s = this.s;
    this.s = null;
    this.out = [];
    s?.drop();
  }
}

class ForEachFuture<T> extends Future<void> {
  /** What the callback returned for the current value, still being awaited. */
  private cur: Future<unknown> | null = null;
  /** @internal batch path */
  accept(v: T): boolean {
    const r = this.f(v);
    if (r === undefined) return true;
    // Await it before the next value: stop the batch here.
    this.cur = toFuture(r as Awaitable<unknown>, 'forEach(f)');
    return false;
  }
  constructor(
    private s: Stream<T> | null,
    private readonly f: (v: T) => ForEachResult,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const s = this.s;
    if (s === null) throw new PolledAfterCompletionError('forEach()');
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
  override drop(): void {
    const s = this.s;
    const cur = this.cur;
    this.s = null;
    this.cur = null;
    try {
      cur?.drop();
    } finally {
      s?.drop();
    }
  }
}

/** Accepts and discards every value. */
const DISCARD: Consumer<unknown> = {
  accept(): boolean {
    return true;
  },
};

/** Pulls a stream to its end, discarding the values. */
class DrainFuture extends Future<void> {
  constructor(private s: Stream<unknown> | null) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const s = this.s;
    if (s === null) throw new PolledAfterCompletionError('forEachConcurrent()');
    let r: EachResult;
    try {
      do r = s.pollEach(cx, DISCARD);
      while (r === undefined);
    } catch (e) {
      this.drop();
      throw e;
    }
    if (r === Pending) return Pending;
    this.drop();
    return undefined;
  }
  override drop(): void {
    const s = this.s;
    this.s = null;
    s?.drop();
  }
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
