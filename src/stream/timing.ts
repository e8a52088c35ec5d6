/**
 * Time-based combinators: `throttle(ms)` and `timeout(ms)`.
 * @module
 */
import { Pending, type Context, type Future } from '../future/future.js';
import { Done, impl, type Stream, type StreamPoll } from './stream.js';
import { Stage } from './stage.js';
import { StreamTimeoutError, checkMs } from './errors.js';
import { delay } from './clock.js';

class ThrottleStream<T> extends Stage<T, T> {
  /** Running between a value and the moment the upstream may be polled again. */
  private gap: Future<void> | null = null;
  constructor(
    up: Stream<T>,
    private readonly ms: number,
  ) {
    super(up);
  }
  pollNext(cx: Context): StreamPoll<T> {
    const up = this.up;
    if (up === null) return Done;
    const gap = this.gap;
    if (gap !== null) {
      if (gap.poll(cx) === Pending) return Pending;
      this.gap = null;
    }
    const v = up.pollNext(cx);
    if (v === Pending) return v;
    if (v === Done) {
      this.drop();
      return v;
    }
    if (this.ms > 0) this.gap = delay(this.ms);
    return v;
  }
  protected override release(): void {
    const gap = this.gap;
    this.gap = null;
    gap?.drop();
  }
}

class TimeoutStream<T> extends Stage<T, T> {
  /** The deadline of the value being waited for; started by the first poll that finds none. */
  private timer: Future<void> | null = null;
  constructor(
    up: Stream<T>,
    private readonly ms: number,
  ) {
    super(up);
  }
  pollNext(cx: Context): StreamPoll<T> {
    const up = this.up;
    if (up === null) return Done;
    const v = up.pollNext(cx);
    if (v !== Pending) {
      this.clearTimer();
      if (v === Done) this.drop();
      return v;
    }
    let t = this.timer;
    if (t === null) t = this.timer = delay(this.ms);
    if (t.poll(cx) === Pending) return Pending;
    this.timer = null;
    throw new StreamTimeoutError(this.ms);
  }
  private clearTimer(): void {
    const t = this.timer;
    if (t !== null) {
      this.timer = null;
      t.drop();
    }
  }
  protected override release(): void {
    this.clearTimer();
  }
}

impl.throttle = (s, ms) => new ThrottleStream(s, checkMs('throttle(ms)', ms));
impl.timeout = (s, ms) => new TimeoutStream(s, checkMs('timeout(ms)', ms));
