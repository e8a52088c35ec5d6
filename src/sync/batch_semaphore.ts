/**
 * The FIFO batch semaphore under `Semaphore`, `Mutex` and `RwLock` (as in Tokio).
 *
 * Waiters queue in an intrusive list. Permits go to the head of the queue only (a large request
 * at the head holds back smaller ones behind it), which makes every user FIFO-fair and gives
 * `RwLock` its write preference. As in Tokio, the head gathers permits as they are released
 * (`have`), so the state is honest: permits counted in `permits` are free for anybody, and a
 * waiter that is dropped hands back what it gathered (or was granted), so nothing is lost.
 *
 * Invariants (`test/sync/semaphore_hol.test.ts`, `test/sync/semaphore.test.ts`):
 * - `permits + assigned + held-by-guards === total` at all times.
 * - only the head waiter has `have > 0`; `permits > 0` implies the queue is empty.
 * - a waiter asking for more than `total` is listed in `impossibleWaits` while it waits, so
 *   deadlock reports and the console name it.
 * @module
 */
import { Pending, type Context, type Poll } from '../future/future.js';
import { AcquireError, polledAfterCompletion } from './errors.js';
import { WaiterList, type WaiterNode } from './waiter_list.js';
import { GRANTED, INIT, QUEUED, WaiterFuture } from './waiter_future.js';
import { impossibleWaits } from '../runtime/resources.js';

/** Largest permit count a semaphore can hold. */
export const MAX_PERMITS = 0x3fffffff;


/** @internal */
export class BatchSemaphore {
  /** Free permits: nobody holds or is gathering them. */
  permits: number;
  /** Permits the head waiter has gathered but cannot use yet. */
  assigned = 0;
  /** Every permit of the semaphore: free, gathered or held (grows with adds, shrinks with forgets). */
  total: number;
  closed = false;
  readonly waiters = new WaiterList<Acquire<unknown>>();

  constructor(permits: number) {
    this.permits = permits;
    this.total = permits;
  }

  /** Adds `n` new permits to the semaphore. */
  add(n: number): void {
    this.total += n;
    this.release(n);
  }

  /** `n` held permits leave the semaphore for good. */
  forget(n: number): void {
    this.total -= n;
  }

  /** Takes `n` permits at once if nobody is queued and enough are free. */
  tryTake(n: number): boolean {
    if (this.waiters.head === null && this.permits >= n) {
      this.permits -= n;
      return true;
    }
    return false;
  }

  /** Returns `n` permits and hands them to queued waiters in order. */
  release(n: number): void {
    this.permits += n;
    if (this.waiters.head !== null) this.assign();
  }

  /**
   * Hands free permits to the head of the queue: grants every waiter they satisfy in order, and
   * lets the first unsatisfied one gather what is left (so nobody behind it can take them).
   */
  assign(): void {
    const q = this.waiters;
    for (let h = q.head; h !== null; h = q.head) {
      const want = h.needed - h.have;
      if (this.permits < want) {
        h.have += this.permits;
        this.assigned += this.permits;
        this.permits = 0;
        return;
      }
      this.permits -= want;
      this.assigned -= h.have;
      h.have = h.needed;
      void q.shift();
      impossibleWaits.delete(h);
      h.grant();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let h = this.waiters.shift(); h !== null; h = this.waiters.shift()) {
      this.permits += h.have;
      this.assigned -= h.have;
      h.have = 0;
      impossibleWaits.delete(h);
      h.wake();
    }
  }
}

/**
 * @internal A pending acquisition of `needed` permits. Subclasses turn the permits into their
 * result (a permit, a guard) in `acquired()`.
 */
export abstract class Acquire<R> extends WaiterFuture<R> {
  /** Permits gathered while at the head of the queue. */
  declare have: number;
  declare readonly sem: BatchSemaphore;
  declare readonly needed: number;

  constructor(sem: BatchSemaphore, needed: number) {
    super();
    this.have = 0;
    this.sem = sem;
    this.needed = needed;
  }

  /** Builds the result once the permits are held. */
  protected abstract acquired(): R;
  /** The error thrown when the semaphore is closed. */
  protected closedError(): Error {
    return new AcquireError(`cannot acquire ${this.needed} permit(s): the semaphore is closed`);
  }

  poll(cx: Context): Poll<R> {
    const st = this.state;
    const sem = this.sem;
    if (st === GRANTED) return this.complete(cx) ? this.acquired() : Pending;
    if (st === INIT) {
      if (sem.closed) {
        this.finish();
        throw this.closedError();
      }
      if (sem.waiters.head === null && sem.permits >= this.needed) {
        if (!this.complete(cx)) return Pending;
        sem.permits -= this.needed;
        return this.acquired();
      }
      this.enqueue(sem.waiters as WaiterList<WaiterNode>, cx);
      if (this.needed > sem.total) impossibleWaits.add(this);
      if (sem.waiters.head === this) sem.assign();
      return Pending;
    }
    if (st === QUEUED) {
      if (sem.closed) {
        this.finish();
        throw this.closedError();
      }
      this.register(cx);
      return Pending;
    }
    throw polledAfterCompletion(this.constructor.name);
  }

  /**
   * Cancellation: a queued waiter leaves the queue in O(1) (and, if it was at the head, lets the
   * next waiters through); a granted waiter that never saw its permits hands them on.
   */
  override drop(): void {
    const st = this.finish();
    const sem = this.sem;
    if (st === QUEUED) {
      impossibleWaits.delete(this);
      sem.waiters.remove(this);
      const have = this.have;
      this.have = 0;
      sem.assigned -= have;
      sem.release(have);
    } else if (st === GRANTED) {
      sem.release(this.needed);
    }
  }

  /** One line for deadlock reports and the console when this wait can never be satisfied. */
  describeWait(): string | null {
    const sem = this.sem;
    if (this.state !== QUEUED || this.needed <= sem.total) return null;
    return `${this.constructor.name} waits for ${this.needed} permit(s) but the semaphore holds only ${sem.total} in total: it can never be granted (and, the queue being fair, it blocks every acquire behind it) unless addPermits adds ${this.needed - sem.total} or more`;
  }
}
