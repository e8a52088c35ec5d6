/**
 * The bases of stream stages (`map`, `filter`, `take`, `chunks`, `throttle`, `merge`, ...).
 *
 * - `Stage<T, U>` holds the upstream in `up` and drops it exactly once: `drop()` clears the
 *   field before dropping, so a second drop (or a drop after the stage released its upstream
 *   early, e.g. `take` after its last value) does nothing and the source's drop runs once.
 * - `BatchStage<T, U>` adds the batch path: `pollEach` hands the upstream's batch to `accept`,
 *   one call per value, with the downstream consumer kept in `down` for the batch (`endBatch`
 *   finishes the batch of a stage that can end before its upstream, like take). Only the
 *   per-value `accept` and `pollNext` differ between stages, so those stay in the subclasses and
 *   their call sites stay monomorphic; the shared methods run once per batch or per drop.
 * - `FnStage` (a user function `f`: map, filter, takeWhile) and `CountStage` (a count `left`:
 *   take, skip) are batch stages with the one argument their subclasses read per value.
 * - `TimerStage` holds one timer (throttle's gap, timeout's deadline, a chunk's timeout), made on
 *   demand and dropped when the stage is released.
 * - `PairStage<A, B, U>` holds two upstreams (chain, merge, zip): each is dropped once, when it
 *   ends or when the stage is dropped, the second even if the first one's drop throws.
 *
 * Proved by `test/stream/combinators.test.ts` and `test/stream/property.test.ts` (drops counted).
 * @module
 */
import type { Context, Future } from '../future/future.js';
import { Done, type Consumer, type EachResult, type StreamPoll } from './poll.js';
import { Stream } from './stream.js';

/** @internal A stream stage with one upstream. */
export abstract class Stage<T, U> extends Stream<U> {
  /** The upstream; null once dropped (or released early). */
  protected up: Stream<T> | null;

  constructor(up: Stream<T>) {
    super();
    this.up = up;
  }

  /** What the stage holds besides its upstream (a timer, a partial chunk); default nothing. */
  protected release(): void {}

  /** Releases what the stage holds, then the upstream, each exactly once (even if one throws). */
  override drop(): void {
    const up = this.up;
    this.up = null;
    try {
      this.release();
    } finally {
      if (up !== null) up.drop();
    }
  }
}

/** @internal A one-upstream stage with a batch path through `accept`. */
export abstract class BatchStage<T, U> extends Stage<T, U> implements Consumer<T> {
  /** The consumer of the batch in progress. */
  protected down: Consumer<U> | null = null;

  /** Batch path: the upstream's batch goes through `accept`, one value at a time. */
  override pollEach(cx: Context, down: Consumer<U>): EachResult {
    const up = this.up;
    if (up === null) return Done;
    this.down = down;
    return up.pollEach(cx, this);
  }

  /** One upstream value of a batch; returns false to stop the batch. */
  abstract accept(v: T): boolean;

  /**
   * Ends a batch of a stage that can finish before its upstream: once `ended` (read after the
   * batch) or the upstream is done, the upstream is released and the stage is Done.
   */
  protected endBatch(r: EachResult, ended: boolean): EachResult {
    if (!ended && r !== Done) return r;
    this.drop();
    return Done;
  }
}

/** @internal A batch stage around a user function `f` (map, filter, filterMap, takeWhile). */
export abstract class FnStage<T, U, F> extends BatchStage<T, U> {
  constructor(
    up: Stream<T>,
    protected readonly f: F,
  ) {
    super(up);
  }
}

/** @internal A batch stage that counts values down from `n` (take, skip). */
export abstract class CountStage<T> extends BatchStage<T, T> {
  /** Values still to take (or skip). */
  protected left: number;

  constructor(up: Stream<T>, n: number) {
    super(up);
    this.left = n;
  }
}

/** @internal A one-input stage with one timer of `ms` milliseconds, dropped on release. */
export abstract class TimerStage<T, U> extends Stage<T, U> {
  /** The running timer, if any. */
  protected timer: Future<void> | null = null;

  constructor(
    up: Stream<T>,
    protected readonly ms: number,
  ) {
    super(up);
  }

  /** Drops the running timer, if any. */
  protected clearTimer(): void {
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

/** @internal A stage with two upstreams, `a` and `b`; null once ended or dropped. */
export abstract class PairStage<A, B, U> extends Stream<U> {
  constructor(
    protected a: Stream<A> | null,
    protected b: Stream<B> | null,
  ) {
    super();
  }

  /** Polls `a` (Done once it ended), dropping it when it ends. */
  protected pollA(cx: Context): StreamPoll<A> {
    const a = this.a;
    if (a === null) return Done;
    const v = a.pollNext(cx);
    if (v === Done) {
      this.a = null;
      a.drop();
    }
    return v;
  }

  /** Polls `b` (Done once it ended), dropping it when it ends. */
  protected pollB(cx: Context): StreamPoll<B> {
    const b = this.b;
    if (b === null) return Done;
    const v = b.pollNext(cx);
    if (v === Done) {
      this.b = null;
      b.drop();
    }
    return v;
  }

  /** Drops both upstreams, the second even if the first one's drop throws. */
  override drop(): void {
    const a = this.a;
    const b = this.b;
    this.a = null;
    this.b = null;
    try {
      a?.drop();
    } finally {
      b?.drop();
    }
  }
}
