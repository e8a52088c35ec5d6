/**
 * `buffered(n)` and `bufferUnordered(n)`: run up to `n` futures of a stream at once.
 *
 * Each in-flight future sits in a slot that is its own waker, so a wake re-polls only that
 * future (as in `FuturesUnordered`), never all `n`. Slots and queues are reused: after warm-up,
 * a value costs no allocation here beyond what the futures themselves allocate.
 * @module
 */
import { WakerSlot } from '../future/waker_slot.js';
import { Future, Pending, type Context, type Waker } from '../future/future.js';
import { fromPromise } from '../future/promise.js';
import { fromGenerator } from '../future/gen_future.js';
import { ready } from '../future/helpers.js';
import { WakerBase } from '../future/waker.js';
import { Done, Stream, impl, type Awaitable, type ForEachResult, type StreamPoll } from './stream.js';
import { checkCount, checkFn, describe } from './errors.js';
import { Ring } from '../util/ring.js';

/** @internal Turns a future, promise or generator into a future. */
export function toFuture<U>(x: Awaitable<U>, what: string): Future<U> {
  if (x instanceof Future) return x;
  if (x !== null && typeof x === 'object') {
    if (typeof (x as PromiseLike<U>).then === 'function') return fromPromise(x as PromiseLike<U>);
    const g = x as Generator<unknown, U, unknown>;
    if (typeof g.next === 'function' && typeof g.throw === 'function' && typeof g[Symbol.iterator] === 'function') {
      return fromGenerator(g);
    }
  }
  throw new TypeError(`${what}: expected a Future, a promise or a generator, got ${describe(x)}`);
}

/** One in-flight future; it is the waker (and context) its future is polled with. */
class Slot extends WakerBase implements Context {
  fut: Future<unknown> | null = null;
  /** Ordered mode: the output, once `done`. */
  value: unknown = undefined;
  done = false;
  queued = false;
  constructor(private readonly owner: BufferStream<unknown>) {
    super();
  }
  get waker(): Waker {
    return this;
  }
  wake(): void {
    this.owner.wakeSlot(this);
  }
}

class BufferStream<U> extends Stream<U> {
  private inFlight = 0;
  private readonly free: Slot[] = [];
  /** Every slot made so far (at most `n`). */
  private readonly slots: Slot[] = [];
  /** Slots whose future was woken (or is new) and must be polled. */
  private readonly ready = new Ring<Slot>();
  /** Ordered mode: the in-flight slots in stream order. */
  private readonly order: Ring<Slot> | null;
  private readonly parent = new WakerSlot();
  private dropped = false;

  constructor(
    private up: Stream<Awaitable<U>> | null,
    private readonly n: number,
    private readonly what: string,
    ordered: boolean,
  ) {
    super();
    this.order = ordered ? new Ring<Slot>() : null;
  }

  /** @internal Called by a slot's waker. */
  wakeSlot(slot: Slot): void {
    if (slot.queued || slot.fut === null) return;
    slot.queued = true;
    this.ready.push(slot);
    this.parent.wakeByRef();
  }

  pollNext(cx: Context): StreamPoll<U> {
    if (this.dropped) return Done;
    this.parent.register(cx);
    try {
      return this.step(cx);
    } catch (e) {
      this.drop();
      throw e;
    }
  }

  private step(cx: Context): StreamPoll<U> {
    const order = this.order;
    // 1. Fill free slots from the upstream.
    let up = this.up;
    while (up !== null && this.inFlight < this.n) {
      const v = up.pollNext(cx);
      if (v === Pending) break;
      if (v === Done) {
        this.up = null;
        up.drop();
        up = null;
        break;
      }
      const slot = this.free.pop() ?? this.newSlot();
      slot.fut = toFuture(v, this.what);
      slot.done = false;
      this.inFlight++;
      if (order !== null) order.push(slot);
      slot.queued = true;
      this.ready.push(slot);
    }
    // 2. Poll the woken futures (only those queued now: a future that wakes itself is polled
    // again at the next call, after the task yielded).
    const ready = this.ready;
    let todo = ready.length;
    while (todo-- > 0) {
      const slot = ready.shift() as Slot;
      slot.queued = false;
      const f = slot.fut;
      if (f === null) continue;
      const r = f.poll(slot);
      if (r === Pending) continue;
      slot.fut = null;
      if (order === null) {
        this.release(slot);
        if (ready.length > 0) cx.waker.wakeByRef();
        return r as U;
      }
      slot.value = r;
      slot.done = true;
    }
    // 3. Ordered: the head's output, if it is done.
    if (order !== null) {
      const head = order.peek();
      if (head !== undefined && head.done) {
        order.shift();
        const v = head.value as U;
        head.value = undefined;
        head.done = false;
        this.release(head);
        if (ready.length > 0) cx.waker.wakeByRef();
        return v;
      }
    }
    if (this.inFlight === 0 && this.up === null) {
      this.dropped = true;
      this.parent.clear();
      return Done;
    }
    if (ready.length > 0) cx.waker.wakeByRef();
    return Pending;
  }

  private newSlot(): Slot {
    const slot = new Slot(this as BufferStream<unknown>);
    this.slots.push(slot);
    return slot;
  }

  private release(slot: Slot): void {
    this.inFlight--;
    this.free.push(slot);
  }

  override drop(): void {
    if (this.dropped && this.up === null && this.inFlight === 0) return;
    this.dropped = true;
    this.parent.clear();
    const up = this.up;
    this.up = null;
    this.ready.clear();
    this.order?.clear();
    this.inFlight = 0;
    let first: unknown = null;
    let failed = false;
    for (const s of this.slots) {
      const f = s.fut;
      s.fut = null;
      s.value = undefined;
      s.done = false;
      s.queued = false;
      if (f === null) continue;
      try {
        f.drop();
      } catch (e) {
        if (!failed) (failed = true), (first = e);
      }
    }
    try {
      up?.drop();
    } catch (e) {
      if (!failed) (failed = true), (first = e);
    }
    if (failed) throw first;
  }
}

impl.buffered = <U>(s: Stream<Awaitable<U>>, n: number, ordered: boolean): Stream<U> => {
  const what = ordered ? 'buffered(n)' : 'bufferUnordered(n)';
  return new BufferStream<U>(s, checkCount(what, n, 1), what, ordered);
};

const READY_VOID: Future<void> = ready(undefined);

class ForEachItem<T> {
  constructor(private readonly f: (v: T) => ForEachResult) {}
  readonly call = (v: T): Future<unknown> => {
    const r = this.f(v);
    if (r === undefined) return READY_VOID;
    return toFuture(r as Awaitable<unknown>, 'forEachConcurrent(n, f)');
  };
}

/** @internal The stream of `f(v)` futures that `forEachConcurrent` drains. */
export function concurrentCalls<T>(s: Stream<T>, n: number, f: (v: T) => ForEachResult): Stream<unknown> {
  checkCount('forEachConcurrent(n, f)', n, 1);
  checkFn('forEachConcurrent(n, f)', f);
  const calls = s.map(new ForEachItem(f).call);
  return new BufferStream<unknown>(calls, n, 'forEachConcurrent(n, f)', false);
}
