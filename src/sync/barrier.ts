/**
 * `Barrier(n)`: `n` tasks wait until all of them arrived.
 * @module
 */
import { Pending, type Context, type Future, type Poll } from '../future/future.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { checkCount, polledAfterCompletion } from './errors.js';
import { WaiterList } from './waiter_list.js';
import { GRANTED, INIT, QUEUED, WaiterFuture, grantAll } from './waiter_future.js';

/**
 * What `Barrier.wait()` gives: exactly one task per round is the leader.
 *
 * @example
 * ```ts
 * if ((yield* b.wait()).isLeader()) console.log('all arrived');
 * ```
 */
export class BarrierWaitResult {
  constructor(private readonly leader: boolean) {}
  /**
   * True for the task whose arrival completed the round.
   *
   * @example
   * ```ts
   * if ((yield* barrier.wait()).isLeader()) log('round complete');
   * ```
   */
  isLeader(): boolean {
    return this.leader;
  }
}
const LEADER = new BarrierWaitResult(true);
const FOLLOWER = new BarrierWaitResult(false);

/** A `Barrier.wait()`: QUEUED while waiting for the round, GRANTED when it completed. */
class BarrierWait extends WaiterFuture<BarrierWaitResult> {
  constructor(readonly b: Barrier) {
    super();
  }

  poll(cx: Context): Poll<BarrierWaitResult> {
    const st = this.state;
    if (st === GRANTED) return this.complete(cx) ? FOLLOWER : Pending;
    if (st === INIT) {
      const b = this.b;
      if (b.arrived + 1 >= b.n) {
        if (!this.complete(cx)) return Pending;
        b.arrived = 0;
        b.generation++;
        grantAll(b.waiters);
        return LEADER;
      }
      b.arrived++;
      this.enqueue(b.waiters, cx);
      return Pending;
    }
    if (st === QUEUED) {
      this.register(cx);
      return Pending;
    }
    throw polledAfterCompletion('Barrier.wait()');
  }

  /** A waiter dropped before the round completed withdraws its arrival (O(1)). */
  override drop(): void {
    if (this.finish() === QUEUED) {
      this.b.waiters.remove(this);
      this.b.arrived--;
    }
  }
}

/**
 * A barrier for `n` tasks: each `wait()` completes once `n` of them are waiting; the task whose
 * arrival completed the round is the leader. The barrier is reusable (the next `n` waits form
 * the next round).
 *
 * Cancel safety: a pending `wait()` that is dropped withdraws its arrival, so the round still
 * needs `n` live waiters.
 *
 * @example
 * ```ts
 * const b = new Barrier(3);
 * function* worker(b: Barrier) { const r = yield* b.wait(); if (r.isLeader()) log('round done'); }
 * ```
 */
export class Barrier {
  /** @internal */ arrived = 0;
  /** @internal */ generation = 0;
  /** @internal */ readonly waiters = new WaiterList<BarrierWait>();
  /** Parties per round. */
  readonly n: number;

  constructor(n: number) {
    this.n = checkCount('Barrier parties', n, 1, Number.MAX_SAFE_INTEGER);
    trackResource(this);
  }

  /**
   * A future that completes once `n` tasks are waiting.
   *
   * @example
   * ```ts
   * const r = yield* barrier.wait();
   * ```
   */
  wait(): Future<BarrierWaitResult> {
    return new BarrierWait(this);
  }

  resourceInfo(): ResourceInfo {
    return { kind: 'barrier', label: `${this.arrived}/${this.n}`, waiters: this.waiters.length, details: { round: this.generation } };
  }
}
