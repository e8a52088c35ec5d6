/**
 * Test helpers: a source that records how it is pulled and dropped.
 */
import { Done, Pending, Stream, run, type Context, type Future, type StreamPoll } from '../../src/index.js';

export interface ProbeOptions {
  /** Return Pending (and wake at once) before every value: exercises wakers. */
  interleavePending?: boolean;
  /** Throw this error instead of yielding the value at index `failAt`. */
  failAt?: number;
  error?: unknown;
  /** Never end: after the items, stay Pending forever (without waking). */
  endless?: boolean;
}

/** A source over `items` that counts values pulled and drops. */
export class Probe<T> extends Stream<T> {
  pulled = 0;
  drops = 0;
  polls = 0;
  private i = 0;
  private skipPending = false;
  constructor(
    private readonly items: readonly T[],
    private readonly opts: ProbeOptions = {},
  ) {
    super();
  }
  pollNext(cx: Context): StreamPoll<T> {
    this.polls++;
    if (this.drops > 0) throw new Error('Probe polled after drop');
    if (this.opts.interleavePending === true && !this.skipPending) {
      this.skipPending = true;
      cx.waker.wakeByRef();
      return Pending;
    }
    this.skipPending = false;
    const i = this.i;
    if (this.opts.failAt === i) throw this.opts.error ?? new Error(`probe failed at ${i}`);
    if (i >= this.items.length) return this.opts.endless === true ? Pending : Done;
    this.i++;
    this.pulled++;
    return this.items[i] as T;
  }
  override drop(): void {
    this.drops++;
  }
}

/** Runs a future to completion in a fresh runtime. */
export function runFuture<T>(f: Future<T>): Promise<T> {
  return run(f);
}

/** Collects the stream in a fresh runtime. */
export function collect<T>(s: Stream<T>): Promise<T[]> {
  return run(s.collect());
}

/** A source fed by hand: `push` values, `end()` it. */
export class Manual<T> extends Stream<T> {
  private readonly queue: T[] = [];
  private ended = false;
  private waker: import('../../src/index.js').Waker | null = null;
  polls = 0;
  drops = 0;
  push(...vs: T[]): void {
    this.queue.push(...vs);
    this.wakeUp();
  }
  end(): void {
    this.ended = true;
    this.wakeUp();
  }
  private wakeUp(): void {
    const w = this.waker;
    this.waker = null;
    w?.wake();
  }
  pollNext(cx: Context): StreamPoll<T> {
    this.polls++;
    if (this.queue.length > 0) return this.queue.shift() as T;
    if (this.ended) return Done;
    this.waker = cx.waker.clone();
    return Pending;
  }
  override drop(): void {
    this.drops++;
    this.waker = null;
  }
}
