/**
 * The bases of one-input stream stages (`map`, `filter`, `take`, `chunks`, `throttle`, ...).
 *
 * - `Stage<T, U>` holds the upstream in `up` and drops it exactly once: `drop()` clears the
 *   field before dropping, so a second drop (or a drop after the stage released its upstream
 *   early, e.g. `take` after its last value) does nothing and the source's drop runs once.
 * - `BatchStage<T, U>` adds the batch path: `pollEach` hands the upstream's batch to `accept`,
 *   one call per value, with the downstream consumer kept in `down` for the batch. Only the
 *   per-value `accept` and `pollNext` differ between stages, so those stay in the subclasses and
 *   their call sites stay monomorphic; the shared methods run once per batch or per drop.
 *
 * Proved by `test/stream/combinators.test.ts` and `test/stream/property.test.ts` (drops counted).
 * @module
 */
import type { Context } from '../future/future.js';
import { Done, type Consumer, type EachResult } from './poll.js';
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
}
