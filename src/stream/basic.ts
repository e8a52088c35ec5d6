/**
 * The per-item combinators: `map`, `filter`, `filterMap`, `take`, `takeWhile`, `skip`, `chain`.
 *
 * Each one returns the upstream's value as it is, so a pipeline of them allocates nothing per
 * item. The one-input stages are `BatchStage`s (`stage.ts`): the base holds the upstream, drops
 * it exactly once and forwards batches to their `accept`; `chain` is a `PairStage`.
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import { Done, Stream, impl, isSignal, type Consumer, type EachResult, type StreamPoll } from './stream.js';
import { checkCount, checkFn } from './errors.js';
import { CountStage, FnStage, PairStage } from './stage.js';

class MapStream<T, U> extends FnStage<T, U, (v: T) => U> {
  pollNext(cx: Context): StreamPoll<U> {
    const up = this.up;
    if (up === null) return Done;
    const v = up.pollNext(cx);
    if (isSignal(v)) return v;
    return this.f(v);
  }
  /** @internal batch path: one upstream value */
  accept(v: T): boolean {
    return (this.down as Consumer<U>).accept(this.f(v));
  }
}

class FilterStream<T> extends FnStage<T, T, (v: T) => boolean> {
  pollNext(cx: Context): StreamPoll<T> {
    const up = this.up;
    if (up === null) return Done;
    const f = this.f;
    for (;;) {
      const v = up.pollNext(cx);
      if (isSignal(v) || f(v)) return v;
    }
  }
  /** @internal batch path: one upstream value */
  accept(v: T): boolean {
    return !this.f(v) || (this.down as Consumer<T>).accept(v);
  }
}

class FilterMapStream<T, U> extends FnStage<T, U, (v: T) => U | undefined> {
  pollNext(cx: Context): StreamPoll<U> {
    const up = this.up;
    if (up === null) return Done;
    const f = this.f;
    for (;;) {
      const v = up.pollNext(cx);
      if (isSignal(v)) return v;
      const u = f(v);
      if (u !== undefined) return u;
    }
  }
  /** @internal batch path: one upstream value */
  accept(v: T): boolean {
    const u = this.f(v);
    return u === undefined || (this.down as Consumer<U>).accept(u);
  }
}

class TakeStream<T> extends CountStage<T> {
  pollNext(cx: Context): StreamPoll<T> {
    const up = this.up;
    if (up === null) return Done;
    if (this.left <= 0) {
      this.drop();
      return Done;
    }
    const v = up.pollNext(cx);
    if (isSignal(v)) {
      if (v === Done) this.drop();
      return v;
    }
    // The last value: release the upstream now rather than when the consumer drops us.
    if (--this.left === 0) this.drop();
    return v;
  }
  override pollEach(cx: Context, down: Consumer<T>): EachResult {
    if (this.left <= 0) return this.endBatch(Done, true);
    return this.endBatch(super.pollEach(cx, down), this.left <= 0);
  }
  /** @internal batch path: one upstream value */
  accept(v: T): boolean {
    const last = --this.left <= 0;
    return (this.down as Consumer<T>).accept(v) && !last;
  }
}

class TakeWhileStream<T> extends FnStage<T, T, (v: T) => boolean> {
  private stopped = false;
  pollNext(cx: Context): StreamPoll<T> {
    const up = this.up;
    if (up === null) return Done;
    const v = up.pollNext(cx);
    if (v === Pending) return v;
    if (isSignal(v) || !this.f(v)) {
      this.drop();
      return Done;
    }
    return v;
  }
  override pollEach(cx: Context, down: Consumer<T>): EachResult {
    return this.endBatch(super.pollEach(cx, down), this.stopped);
  }
  /** @internal batch path: one upstream value */
  accept(v: T): boolean {
    if (this.f(v)) return (this.down as Consumer<T>).accept(v);
    this.stopped = true;
    return false;
  }
}

class SkipStream<T> extends CountStage<T> {
  pollNext(cx: Context): StreamPoll<T> {
    const up = this.up;
    if (up === null) return Done;
    while (this.left > 0) {
      const v = up.pollNext(cx);
      if (isSignal(v)) return v;
      this.left--;
    }
    return up.pollNext(cx);
  }
  /** @internal batch path: one upstream value */
  accept(v: T): boolean {
    if (this.left > 0) {
      this.left--;
      return true;
    }
    return (this.down as Consumer<T>).accept(v);
  }
}

class ChainStream<T, U> extends PairStage<T, U, T | U> {
  pollNext(cx: Context): StreamPoll<T | U> {
    if (this.a !== null) {
      const v = this.pollA(cx);
      if (v !== Done) return v;
    }
    return this.pollB(cx);
  }
}

/** @internal Throws a TypeError unless `s` is a Stream. */
export function checkStream(what: string, s: unknown): void {
  if (!(s instanceof Stream)) throw new TypeError(`${what}: expected a Stream, got ${s === null ? 'null' : typeof s}`);
}

impl.map = (s, f) => {
  checkFn('map(f)', f);
  return new MapStream(s, f);
};
impl.filter = (s, f) => {
  checkFn('filter(f)', f);
  return new FilterStream(s, f);
};
impl.filterMap = (s, f) => {
  checkFn('filterMap(f)', f);
  return new FilterMapStream(s, f);
};
impl.take = (s, n) => new TakeStream(s, checkCount('take(n)', n));
impl.takeWhile = (s, f) => {
  checkFn('takeWhile(f)', f);
  return new TakeWhileStream(s, f);
};
impl.skip = (s, n) => new SkipStream(s, checkCount('skip(n)', n));
impl.chain = <T, U>(a: Stream<T>, b: Stream<U>): Stream<T | U> => {
  checkStream('chain(other)', b);
  return new ChainStream<T, U>(a, b);
};
