/**
 * The FIFO batch semaphore under `Semaphore`, `Mutex` and `RwLock` (as in Tokio).
 *
 * Waiters queue in an intrusive list. Permits go to the head of the queue only (a large request
 * at the head holds back smaller ones behind it), which makes every user FIFO-fair and gives
 * `RwLock` its write preference. A waiter that is granted its permits but dropped before it saw
 * them hands them back, so nothing is lost.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { AcquireError, polledAfterCompletion } from './errors.js';
import { WaiterList, type WaiterNode } from './waiter_list.js';

/** Largest permit count a semaphore can hold. */
export const MAX_PERMITS = 0x3fffffff;

const INIT = 0;
const QUEUED = 1;
const GRANTED = 2;
const DONE = 3;
const DROPPED = 4;

/** @internal */
export class BatchSemaphore {
  permits: number;
  closed = false;
  readonly waiters = new WaiterList<Acquire<unknown>>();

  constructor(permits: number) {
    this.permits = permits;
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

  /** Grants permits to the head of the queue while they suffice. */
  assign(): void {
    const q = this.waiters;
    for (let h = q.head; h !== null && this.permits >= h.needed; h = q.head) {
      this.permits -= h.needed;
      void q.shift();
      h.state = GRANTED;
      const w = h.waker;
      h.waker = null;
      w?.wake();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let h = this.waiters.shift(); h !== null; h = this.waiters.shift()) {
      const w = h.waker;
      h.waker = null;
      w?.wake();
    }
  }
}

/**
 * @internal A pending acquisition of `needed` permits. Subclasses turn the permits into their
 * result (a permit, a guard) in `acquired()`.
 */
export abstract class Acquire<R> extends Future<R> implements WaiterNode {
  wPrev: WaiterNode | null = null;
  wNext: WaiterNode | null = null;
  wList: WaiterList<WaiterNode> | null = null;
  waker: Waker | null = null;
  state = INIT;
  readonly sem: BatchSemaphore;
  readonly needed: number;

  constructor(sem: BatchSemaphore, needed: number) {
    super();
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
    if (st === GRANTED) {
      if (!pollProceed(cx)) return Pending;
      this.state = DONE;
      return this.acquired();
    }
    if (st === INIT) {
      if (sem.closed) {
        this.state = DONE;
        throw this.closedError();
      }
      if (sem.waiters.head === null && sem.permits >= this.needed) {
        if (!pollProceed(cx)) return Pending;
        sem.permits -= this.needed;
        this.state = DONE;
        return this.acquired();
      }
      this.state = QUEUED;
      this.waker = cx.waker.clone();
      sem.waiters.push(this);
      return Pending;
    }
    if (st === QUEUED) {
      if (sem.closed) {
        this.state = DONE;
        this.waker = null;
        throw this.closedError();
      }
      const w = cx.waker;
      const cur = this.waker;
      if (cur === null || !cur.willWake(w)) this.waker = w.clone();
      return Pending;
    }
    throw polledAfterCompletion(this.constructor.name);
  }

  /**
   * Cancellation: a queued waiter leaves the queue in O(1) (and, if it was at the head, lets the
   * next waiters through); a granted waiter that never saw its permits hands them on.
   */
  override drop(): void {
    const st = this.state;
    this.state = DROPPED;
    this.waker = null;
    const sem = this.sem;
    if (st === QUEUED) {
      const wasHead = sem.waiters.head === this;
      sem.waiters.remove(this);
      if (wasHead && sem.waiters.head !== null) sem.assign();
    } else if (st === GRANTED) {
      sem.release(this.needed);
    }
  }
}
