/**
 * Time-based combinators: `throttle(ms)` and `timeout(ms)`.
 * @module
 */
import { Pending, type Context, type Future } from '../future/future.js';
import { Done, Stream, impl, type StreamPoll } from './stream.js';
import { StreamTimeoutError, checkMs } from './errors.js';
import { delay } from './clock.js';

class ThrottleStream<T> extends Stream<T> {
  /** Running between a value and the moment the upstream may be polled again. */
  private gap: Future<void> | null = null;
  constructor(
    private up: Stream<T> | null,
    private readonly ms: number,
  ) {
    super();
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
  override drop(): void {
    const up = this.up;
    const gap = this.gap;
    this.up = null;
    this.gap = null;
    try {
      gap?.drop();
    } finally {
      up?.drop();
    }
  }
}

class TimeoutStream<T> extends Stream<T> {
  /** The deadline of the value being waited for; started by the first poll that finds none. */
  private timer: Future<void> | null = null;
  constructor(
    private up: Stream<T> | null,
    private readonly ms: number,
  ) {
    super();
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
  override drop(): void {
    const up = this.up;
    this.up = null;
    try {
      this.clearTimer();
    } finally {
      up?.drop();
    }
  }
}

impl.throttle = (s, ms) => new ThrottleStream(s, checkMs('throttle(ms)', ms));
impl.timeout = (s, ms) => new TimeoutStream(s, checkMs('timeout(ms)', ms));
