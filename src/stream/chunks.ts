/**
 * `chunks(n)` and `chunksTimeout(n, ms)`: one stage, whose chunk timer is off for `chunks`.
 *
 * A chunk is emitted when it holds `n` values, when `ms` passed since its first value (the timer
 * starts with that value), or, partial, when the upstream ends; an empty chunk is never emitted.
 * Proved by `test/stream/combinators.test.ts` and `test/stream/time.test.ts`.
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import { Done, impl, type Stream, type StreamPoll } from './stream.js';
import { TimerStage } from './stage.js';
import { checkCount, checkMs } from './errors.js';
import { delay } from './clock.js';

class ChunksStream<T> extends TimerStage<T, T[]> {
  private buf: T[] = [];
  /**
   * @param n values per chunk
   * @param ms the longest a chunk waits for more values after its first; Infinity: no timer
   */
  constructor(up: Stream<T>, private readonly n: number, ms: number) {
    super(up, ms);
  }
  pollNext(cx: Context): StreamPoll<T[]> {
    const up = this.up;
    if (up === null) return this.flush();
    const n = this.n;
    for (;;) {
      const v = up.pollNext(cx);
      if (v === Pending) break;
      if (v === Done) {
        this.up = null;
        up.drop();
        return this.flush();
      }
      const buf = this.buf;
      if (buf.length === 0 && this.ms !== Infinity) this.timer = delay(this.ms);
      buf.push(v);
      if (buf.length >= n) return this.flush();
    }
    const timer = this.timer;
    if (timer !== null && timer.poll(cx) !== Pending) return this.flush();
    return Pending;
  }
  /** The chunk so far (its timer dropped); Done when it is empty. */
  private flush(): StreamPoll<T[]> {
    this.clearTimer();
    const buf = this.buf;
    if (buf.length === 0) return Done;
    this.buf = [];
    return buf;
  }
  protected override release(): void {
    this.buf = [];
    super.release();
  }
}

impl.chunks = (s, n) => new ChunksStream(s, checkCount('chunks(n)', n, 1), Infinity);
impl.chunksTimeout = (s, n, ms) =>
  new ChunksStream(s, checkCount('chunksTimeout(n, ms)', n, 1), checkMs('chunksTimeout(n, ms)', ms));
