/**
 * `merge` and `zip`: two upstreams, held by a `PairStage` (`stage.ts`).
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import { Done, impl, type Stream, type StreamPoll } from './stream.js';
import { checkStream } from './basic.js';
import { PairStage } from './stage.js';

class MergeStream<T, U> extends PairStage<T, U, T | U> {
  /** Which side is polled first; alternates on every poll for fairness. */
  private flip = false;
  pollNext(cx: Context): StreamPoll<T | U> {
    const first = (this.flip = !this.flip);
    const v = first ? this.pollA(cx) : this.pollB(cx);
    if (v !== Pending && v !== Done) return v;
    const w = first ? this.pollB(cx) : this.pollA(cx);
    if (w !== Pending && w !== Done) return w;
    if (this.a === null && this.b === null) return Done;
    return Pending;
  }
}

class ZipStream<T, U> extends PairStage<T, U, [T, U]> {
  /** A value of `a` waiting for its partner. */
  private held: T | typeof Pending = Pending;
  pollNext(cx: Context): StreamPoll<[T, U]> {
    const a = this.a;
    const b = this.b;
    if (a === null || b === null) return Done;
    let x = this.held;
    if (x === Pending) {
      const v = a.pollNext(cx);
      if (v === Done) {
        this.drop();
        return Done;
      }
      if (v === Pending) return Pending;
      x = v;
    }
    let y: StreamPoll<U>;
    try {
      y = b.pollNext(cx);
    } catch (e) {
      this.held = Pending;
      throw e;
    }
    if (y === Done) {
      this.drop();
      return Done;
    }
    if (y === Pending) {
      this.held = x;
      return Pending;
    }
    this.held = Pending;
    return [x, y];
  }
  override drop(): void {
    this.held = Pending;
    super.drop();
  }
}

impl.merge = <T, U>(a: Stream<T>, b: Stream<U>): Stream<T | U> => {
  checkStream('merge(other)', b);
  return new MergeStream<T, U>(a, b);
};
impl.zip = <T, U>(a: Stream<T>, b: Stream<U>): Stream<[T, U]> => {
  checkStream('zip(other)', b);
  return new ZipStream<T, U>(a, b);
};
