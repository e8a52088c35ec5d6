/**
 * Time-based combinators: `throttle(ms)` and `timeout(ms)`, both `TimerStage`s (`stage.ts`).
 *
 * `throttle` lets at most one value through per `ms` (the upstream is not polled during the
 * gap); `timeout` throws `StreamTimeoutError` when no value came within `ms` of asking. Proved
 * by `test/stream/time.test.ts`.
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import { Done, impl, type StreamPoll } from './stream.js';
import { TimerStage } from './stage.js';
import { StreamTimeoutError, checkMs } from './errors.js';
import { delay } from './clock.js';

/** `timer` runs between a value and the moment the upstream may be polled again. */
class ThrottleStream<T> extends TimerStage<T, T> {
  pollNext(cx: Context): StreamPoll<T> {
    const up = this.up;
    if (up === null) return Done;
    const gap = this.timer;
    if (gap !== null) {
      if (gap.poll(cx) === Pending) return Pending;
      this.timer = null;
    }
    const v = up.pollNext(cx);
    if (v === Pending) return v;
    if (v === Done) {
      this.drop();
      return v;
    }
    if (this.ms > 0) this.timer = delay(this.ms);
    return v;
  }
}

/** `timer` is the deadline of the value being waited for; started by the first poll that finds none. */
class TimeoutStream<T> extends TimerStage<T, T> {
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
}

impl.throttle = (s, ms) => new ThrottleStream(s, checkMs('throttle(ms)', ms));
impl.timeout = (s, ms) => new TimeoutStream(s, checkMs('timeout(ms)', ms));
