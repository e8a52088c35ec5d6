/**
 * Terminal futures: `fold`, `collect`, `forEach`, `forEachConcurrent`.
 *
 * Each pulls its stream until `Done` and then drops it; if the stream (or a callback) throws,
 * the stream is dropped and the error is thrown at the `yield*`. Dropping the future drops the
 * stream.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Stream, impl, isSignal, type Awaitable, type ForEachResult } from './stream.js';
import { checkFn } from './errors.js';
import { concurrentCalls, toFuture } from './buffered.js';

class FoldFuture<T, A> extends Future<A> {
  constructor(
    private s: Stream<T> | null,
    private acc: A,
    private readonly f: (acc: A, v: T) => A,
  ) {
    super();
  }
  poll(cx: Context): Poll<A> {
    const s = this.s;
    if (s === null) throw new Error('fold() future polled after it completed');
    const f = this.f;
    let acc = this.acc;
    try {
      for (;;) {
        const v = s.pollNext(cx);
        if (isSignal(v)) {
          if (v === Pending) {
            this.acc = acc;
            return Pending;
          }
          break;
        }
        acc = f(acc, v);
      }
    } catch (e) {
      this.drop();
      throw e;
    }
    this.acc = undefined as A;
    this.drop();
    return acc;
  }
  override drop(): void {
    const s = this.s;
    this.s = null;
    s?.drop();
  }
}

class CollectFuture<T> extends Future<T[]> {
  private out: T[] = [];
  constructor(private s: Stream<T> | null) {
    super();
  }
  poll(cx: Context): Poll<T[]> {
    const s = this.s;
    if (s === null) throw new Error('collect() future polled after it completed');
    const out = this.out;
    try {
      for (;;) {
        const v = s.pollNext(cx);
        if (isSignal(v)) {
          if (v === Pending) return Pending;
          break;
        }
        out.push(v);
      }
    } catch (e) {
      this.drop();
      throw e;
    }
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
  constructor(
    private s: Stream<T> | null,
    private readonly f: (v: T) => ForEachResult,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const s = this.s;
    if (s === null) throw new Error('forEach() future polled after it completed');
    const f = this.f;
    try {
      for (;;) {
        const cur = this.cur;
        if (cur !== null) {
          if (cur.poll(cx) === Pending) return Pending;
          this.cur = null;
        }
        const v = s.pollNext(cx);
        if (isSignal(v)) {
          if (v === Pending) return Pending;
          break;
        }
        const r = f(v);
        if (r !== undefined) this.cur = toFuture(r as Awaitable<unknown>, 'forEach(f)');
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

/** Pulls a stream to its end, discarding the values. */
class DrainFuture extends Future<void> {
  constructor(private s: Stream<unknown> | null) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const s = this.s;
    if (s === null) throw new Error('forEachConcurrent() future polled after it completed');
    try {
      for (;;) {
        const v = s.pollNext(cx);
        if (isSignal(v)) {
          if (v === Pending) return Pending;
          break;
        }
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
