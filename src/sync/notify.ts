/**
 * `Notify`: wake one task or all of them, without data.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { polledAfterCompletion } from './errors.js';
import { WaiterList, type WaiterNode } from './waiter_list.js';

const INIT = 0;
const WAITING = 1;
const NOTIFIED_ONE = 2;
const NOTIFIED_ALL = 3;
const DONE = 4;

class Notified extends Future<void> implements WaiterNode {
  wPrev: WaiterNode | null = null;
  wNext: WaiterNode | null = null;
  wList: WaiterList<WaiterNode> | null = null;
  waker: Waker | null = null;
  state = INIT;
  readonly gen: number;

  constructor(readonly n: Notify) {
    super();
    this.gen = n.generation;
  }

  poll(cx: Context): Poll<void> {
    const st = this.state;
    const n = this.n;
    if (st === NOTIFIED_ONE || st === NOTIFIED_ALL) {
      if (!pollProceed(cx)) return Pending;
      this.state = DONE;
      return undefined;
    }
    if (st === INIT) {
      // A notifyWaiters() since this future was created counts, even before the first poll.
      if (n.generation !== this.gen || n.permit) {
        if (!pollProceed(cx)) return Pending;
        if (n.generation === this.gen) n.permit = false;
        this.state = DONE;
        return undefined;
      }
      this.state = WAITING;
      this.waker = cx.waker.clone();
      n.waiters.push(this);
      return Pending;
    }
    if (st === WAITING) {
      const w = cx.waker;
      const cur = this.waker;
      if (cur === null || !cur.willWake(w)) this.waker = w.clone();
      return Pending;
    }
    throw polledAfterCompletion('Notify.notified()');
  }

  /** Leaves the queue in O(1); a `notifyOne` it received but never saw goes to the next waiter. */
  override drop(): void {
    const st = this.state;
    this.state = DONE;
    this.waker = null;
    if (st === WAITING) this.n.waiters.remove(this);
    else if (st === NOTIFIED_ONE) this.n.notifyOne();
  }
}

/**
 * Notifies tasks without sending data. `notifyOne()` wakes the longest waiting `notified()`, or,
 * when nobody waits, stores a single permit that the next `notified()` consumes at once.
 * `notifyWaiters()` wakes every current waiter (including `notified()` futures created but not
 * yet polled) and stores no permit.
 *
 * Cancel safety: dropping a pending `notified()` leaves the queue in O(1); if it had been chosen
 * by `notifyOne()` the notification passes to the next waiter (or becomes the stored permit).
 *
 * @example
 * ```ts
 * const ready = new Notify();
 * function* consumer(n: Notify) { yield* n.notified(); console.log('go'); }
 * spawn(consumer, ready);
 * ready.notifyOne();
 * ```
 */
export class Notify {
  /** @internal */ permit = false;
  /** @internal */ generation = 0;
  /** @internal */ readonly waiters = new WaiterList<Notified>();

  constructor() {
    trackResource(this);
  }

  /**
   * A future that completes when this Notify is notified.
   *
   * @example
   * ```ts
   * yield* ready.notified();
   * ```
   */
  notified(): Future<void> {
    return new Notified(this);
  }

  /**
   * Wakes the first waiter (FIFO), or stores one permit if none waits.
   *
   * @example
   * ```ts
   * ready.notifyOne();
   * ```
   */
  notifyOne(): void {
    const h = this.waiters.shift();
    if (h === null) {
      this.permit = true;
      return;
    }
    h.state = NOTIFIED_ONE;
    const w = h.waker;
    h.waker = null;
    w?.wake();
  }

  /**
   * Wakes every waiting `notified()` future; stores no permit.
   *
   * @example
   * ```ts
   * shutdown.notifyWaiters();
   * ```
   */
  notifyWaiters(): void {
    this.generation++;
    for (let h = this.waiters.shift(); h !== null; h = this.waiters.shift()) {
      h.state = NOTIFIED_ALL;
      const w = h.waker;
      h.waker = null;
      w?.wake();
    }
  }

  resourceInfo(): ResourceInfo {
    return { kind: 'notify', label: this.permit ? 'permit stored' : '', waiters: this.waiters.length, details: { permit: this.permit } };
  }
}
