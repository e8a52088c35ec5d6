/**
 * `merge` and `zip`: two upstreams.
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import { Done, Stream, impl, type StreamPoll } from './stream.js';
import { checkStream, dropBoth } from './basic.js';

class MergeStream<T, U> extends Stream<T | U> {
  /** Which side is polled first; alternates on every poll for fairness. */
  private flip = false;
  constructor(
    private a: Stream<T> | null,
    private b: Stream<U> | null,
  ) {
    super();
  }
  pollNext(cx: Context): StreamPoll<T | U> {
    const first = (this.flip = !this.flip);
    const v = first ? this.pollA(cx) : this.pollB(cx);
    if (v !== Pending && v !== Done) return v;
    const w = first ? this.pollB(cx) : this.pollA(cx);
    if (w !== Pending && w !== Done) return w;
    if (this.a === null && this.b === null) return Done;
    return Pending;
  }
  private pollA(cx: Context): StreamPoll<T> {
    const a = this.a;
    if (a === null) return Done;
    const v = a.pollNext(cx);
    if (v === Done) {
      this.a = null;
      a.drop();
    }
    return v;
  }
  private pollB(cx: Context): StreamPoll<U> {
    const b = this.b;
    if (b === null) return Done;
    const v = b.pollNext(cx);
    if (v === Done) {
      this.b = null;
      b.drop();
    }
    return v;
  }
  override drop(): void {
    const a = this.a;
    const b = this.b;
    this.a = null;
    this.b = null;
    dropBoth(a, b);
  }
}

class ZipStream<T, U> extends Stream<[T, U]> {
  /** A value of `a` waiting for its partner. */
  private held: T | typeof Pending = Pending;
  constructor(
    private a: Stream<T> | null,
    private b: Stream<U> | null,
  ) {
    super();
  }
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
    const a = this.a;
    const b = this.b;
    this.a = null;
    this.b = null;
    this.held = Pending;
    dropBoth(a, b);
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
