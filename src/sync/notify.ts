/**
 * `Notify`: wake one task or all of them, without data.
 * @module
 */
import { Pending, type Context, type Future, type Poll } from '../future/future.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { polledAfterCompletion } from './errors.js';
import { WaiterList } from './waiter_list.js';
import { GRANTED, INIT, QUEUED, WaiterFuture, grantAll } from './waiter_future.js';

/** A `notified()`: GRANTED by `notifyOne` (then `one` is true) or by `notifyWaiters`. */
class Notified extends WaiterFuture<void> {
  /** Granted by `notifyOne`: a drop before it was seen passes the notification on. */
  one = false;
  readonly gen: number;

  constructor(readonly n: Notify) {
    super();
    this.gen = n.generation;
  }

  poll(cx: Context): Poll<void> {
    const st = this.state;
    const n = this.n;
    if (st === GRANTED) return this.complete(cx) ? undefined : Pending;
    if (st === INIT) {
      // A notifyWaiters() since this future was created counts, even before the first poll.
      if (n.generation !== this.gen || n.permit) {
        if (!this.complete(cx)) return Pending;
        if (n.generation === this.gen) n.permit = false;
        return undefined;
      }
      this.enqueue(n.waiters, cx);
      return Pending;
    }
    if (st === QUEUED) {
      this.register(cx);
      return Pending;
    }
    throw polledAfterCompletion('Notify.notified()');
  }

  /** Leaves the queue in O(1); a `notifyOne` it received but never saw goes to the next waiter. */
  override drop(): void {
    const st = this.finish();
    if (st === QUEUED) this.n.waiters.remove(this);
    else if (st === GRANTED && this.one) this.n.notifyOne();
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
    h.one = true;
    h.grant();
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
    grantAll(this.waiters);
  }

  resourceInfo(): ResourceInfo {
    return { kind: 'notify', label: this.permit ? 'permit stored' : '', waiters: this.waiters.length, details: { permit: this.permit } };
  }
}
