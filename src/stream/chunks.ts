/**
 * `chunks(n)` and `chunksTimeout(n, ms)`.
 * @module
 */
import { Pending, type Context, type Future } from '../future/future.js';
import { Done, impl, type Stream, type StreamPoll } from './stream.js';
import { Stage } from './stage.js';
import { checkCount, checkMs } from './errors.js';
import { delay } from './clock.js';

class ChunksStream<T> extends Stage<T, T[]> {
  private buf: T[] = [];
  constructor(
    up: Stream<T>,
    private readonly n: number,
  ) {
    super(up);
  }
  pollNext(cx: Context): StreamPoll<T[]> {
    const up = this.up;
    if (up === null) return this.flush();
    const n = this.n;
    for (;;) {
      const v = up.pollNext(cx);
      if (v === Pending) return Pending;
      if (v === Done) {
        this.up = null;
        up.drop();
        return this.flush();
      }
      const buf = this.buf;
      buf.push(v);
      if (buf.length >= n) {
        this.buf = [];
        return buf;
      }
    }
  }
  /** The partial last chunk, then Done. */
  private flush(): StreamPoll<T[]> {
    const buf = this.buf;
    if (buf.length === 0) return Done;
    this.buf = [];
    return buf;
  }
  protected override release(): void {
    this.buf = [];
  }
}

class ChunksTimeoutStream<T> extends Stage<T, T[]> {
  private buf: T[] = [];
  /** Started when the first value of a chunk arrives. */
  private timer: Future<void> | null = null;
  constructor(
    up: Stream<T>,
    private readonly n: number,
    private readonly ms: number,
  ) {
    super(up);
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
      if (buf.length === 0) this.timer = delay(this.ms);
      buf.push(v);
      if (buf.length >= n) return this.flush();
    }
    const timer = this.timer;
    if (timer !== null && timer.poll(cx) !== Pending) return this.flush();
    return Pending;
  }
  private flush(): StreamPoll<T[]> {
    const t = this.timer;
    this.timer = null;
    t?.drop();
    const buf = this.buf;
    if (buf.length === 0) return Done;
    this.buf = [];
    return buf;
  }
  protected override release(): void {
    const t = this.timer;
    this.timer = null;
    this.buf = [];
    t?.drop();
  }
}

impl.chunks = (s, n) => new ChunksStream(s, checkCount('chunks(n)', n, 1));
impl.chunksTimeout = (s, n, ms) =>
  new ChunksTimeoutStream(s, checkCount('chunksTimeout(n, ms)', n, 1), checkMs('chunksTimeout(n, ms)', ms));
