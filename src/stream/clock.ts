/**
 * The timer the time-based combinators (`chunksTimeout`, `throttle`, `timeout`) use.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';

/** A one-shot timer future used by the stream combinators. */
class Delay extends Future<void> {
  private handle: ReturnType<typeof setTimeout> | null = null;
  private fired = false;
  private waker: Waker | null = null;
  private readonly onFire = (): void => {
    this.handle = null;
    this.fired = true;
    const w = this.waker;
    this.waker = null;
    w?.wake();
  };
  constructor(private readonly ms: number) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (this.fired) return undefined;
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    if (this.handle === null && this.ms !== Infinity) this.handle = setTimeout(this.onFire, this.ms);
    return Pending;
  }
  override drop(): void {
    const h = this.handle;
    this.handle = null;
    this.waker = null;
    if (h !== null) clearTimeout(h);
  }
}

/** @internal A future ready `ms` after its first poll (never, for Infinity). */
export function delay(ms: number): Future<void> {
  return new Delay(ms);
}
