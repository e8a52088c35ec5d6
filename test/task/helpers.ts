/** Test helpers for the task area. */
import { Future, Pending, fromPromise, type Context, type Poll, type Waker } from '../../src/index.js';

/** Sleeps with a Node timer (independent of kyoto's time module). */
export function sleepMs(ms: number): Future<void> {
  return fromPromise(new Promise<void>((r) => setTimeout(r, ms)));
}

/** A future completed by hand: `gate.open(v)` makes it ready. Counts drops and pending polls. */
export class Gate<T = void> extends Future<T> {
  waker: Waker | null = null;
  value: { v: T } | null = null;
  error: { e: unknown } | null = null;
  drops = 0;
  polls = 0;
  constructor(readonly label = 'gate') {
    super();
  }
  open(v: T): void {
    this.value = { v };
    this.waker?.wake();
  }
  fail(e: unknown): void {
    this.error = { e };
    this.waker?.wake();
  }
  poll(cx: Context): Poll<T> {
    this.polls++;
    if (this.error !== null) throw this.error.e;
    if (this.value !== null) return this.value.v;
    this.waker = cx.waker.clone();
    return Pending;
  }
  override drop(): void {
    this.drops++;
    this.waker = null;
  }
}

/** Ready after `n` polls (wakes itself), value v. */
export class AfterPolls<T> extends Future<T> {
  count = 0;
  dropped = false;
  constructor(
    readonly n: number,
    readonly v: T,
  ) {
    super();
  }
  poll(cx: Context): Poll<T> {
    if (this.count >= this.n) return this.v;
    this.count++;
    cx.waker.wakeByRef();
    return Pending;
  }
  override drop(): void {
    this.dropped = true;
  }
}
