/**
 * `broadcast<T>(capacity)`: every receiver sees every value; slow receivers lag.
 *
 * Invariants (`test/sync/broadcast_watch.test.ts`, `test/sync/broadcast_lag.test.ts`): a receiver
 * reads values in send order; a receiver more than `capacity` behind gets one `LaggedError(n)`
 * and continues with the oldest value held; every such loss is counted on the channel (lagged
 * receivers, lag events, values missed) and reported to the console as a `broadcast-lagged`
 * lint, so that a publisher outrunning its subscribers is never silent.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { pollProceed } from '../runtime/coop.js';
import { reportSendWithoutReceivers, trackResource, type ResourceInfo } from '../runtime/resources.js';
import { LaggedError, RecvError, SendError, checkCount } from './errors.js';
import { FanoutReceiver, FanoutSender, FanoutShared, dropWait, parkWait, type FanoutWait } from './fanout.js';
import type { WaiterList, WaiterNode } from './waiter_list.js';

/** @internal */
class Shared<T> extends FanoutShared {
  readonly buf: (T | undefined)[];
  readonly mask: number;
  /** Sequence number of the next value to be sent. */
  tail = 0;
  /** Receivers that lagged at least once. */
  laggedReceivers = 0;
  /** `LaggedError`s raised. */
  lagEvents = 0;
  /** Values receivers missed, summed over receivers. */
  missed = 0;

  constructor(readonly cap: number) {
    super();
    this.buf = new Array<T | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
    trackResource(this);
  }

  resourceInfo(): ResourceInfo {
    const info: ResourceInfo = {
      kind: 'broadcast',
      label: `channel, capacity ${this.cap}`,
      waiters: this.waiters.length,
      details: {
        receivers: this.receivers,
        senders: this.senders,
        laggedReceivers: this.laggedReceivers,
        lagEvents: this.lagEvents,
        missed: this.missed,
      },
    };
    if (this.lagEvents > 0) {
      info.problems = [
        {
          kind: 'broadcast-lagged',
          severity: 'error',
          message: `broadcast channel (capacity ${this.cap}): ${this.laggedReceivers} receiver(s) lagged ${this.lagEvents} time(s) and missed ${this.missed} value(s), overwritten before they read them. If every value matters, give each subscriber its own mpsc channel (send waits for room), or let the publisher yield (yieldNow) at least once per ${this.cap} sends.`,
          value: this.missed,
          count: this.lagEvents,
        },
      ];
    }
    return info;
  }
}

class BRecv<T> extends Future<T | undefined> implements FanoutWait {
  wPrev: WaiterNode | null = null;
  wNext: WaiterNode | null = null;
  wList: WaiterList<WaiterNode> | null = null;
  readonly slot = new WakerSlot();
  constructor(readonly rx: BroadcastReceiver<T>) {
    super();
  }

  poll(cx: Context): Poll<T | undefined> {
    const rx = this.rx;
    const sh = rx.shared;
    if (rx.next < sh.tail) {
      if (!pollProceed(cx)) return Pending;
      if (sh.waiters.has(this)) sh.waiters.remove(this);
      this.slot.clear();
      return rx.take();
    }
    if (sh.senders === 0) return pollProceed(cx) ? undefined : Pending;
    return parkWait(this, sh, cx);
  }

  override drop(): void {
    dropWait(this, this.rx.shared);
  }
}

/**
 * A broadcast receiver: sees every value sent after it subscribed. A receiver that falls more
 * than `capacity` values behind gets a `Lagged(n)` error from `recv()` and then continues with
 * the oldest value still held.
 *
 * Cancel safety: a dropped pending `recv` takes nothing and leaves the waiter list in O(1).
 *
 * @example
 * ```ts
 * for (;;) {
 *   let v;
 *   try { v = yield* rx.recv(); } catch (e) { if (e instanceof Lagged) continue; throw e; }
 *   if (v === undefined) break; // every sender closed
 * }
 * ```
 */
export class BroadcastReceiver<T> extends FanoutReceiver<Shared<T>> {
  /** @internal Sequence number of the next value to read. */
  next: number;
  /** This receiver lagged at least once (counted once in the channel's `laggedReceivers`). */
  private lagged = false;

  constructor(shared: Shared<T>) {
    super(shared);
    this.next = shared.tail;
  }

  /** @internal Reads the next value; throws `Lagged` when it was overwritten. */
  take(): T {
    const sh = this.shared;
    const oldest = sh.tail - sh.cap;
    if (this.next < oldest) {
      const n = oldest - this.next;
      this.next = oldest;
      if (!this.lagged) {
        this.lagged = true;
        sh.laggedReceivers++;
      }
      sh.lagEvents++;
      sh.missed += n;
      throw new LaggedError(n);
    }
    const v = sh.buf[this.next & sh.mask] as T;
    this.next++;
    return v;
  }

  /**
   * A future of the next value; `undefined` once every sender is closed and this receiver has
   * read everything; throws `Lagged(n)` if it fell behind (then continues).
   *
   * @example
   * ```ts
   * const ev = yield* rx.recv(); // undefined once every sender closed
   * ```
   */
  recv(): Future<T | undefined> {
    if (this.closed) throw new RecvError('broadcast recv() called on a receiver that was closed');
    return new BRecv(this);
  }

  /**
   * The next value if one is available, else `undefined`; throws `Lagged(n)` like `recv`.
   *
   * @example
   * ```ts
   * for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) handle(v);
   * ```
   */
  tryRecv(): T | undefined {
    return this.next < this.shared.tail ? this.take() : undefined;
  }

  /**
   * A new receiver starting at the current tail (sees only values sent from now on).
   *
   * @example
   * ```ts
   * const rx2 = rx.resubscribe();
   * ```
   */
  resubscribe(): BroadcastReceiver<T> {
    return new BroadcastReceiver(this.shared);
  }

  /**
   * Values sent but not yet read by this receiver (may exceed capacity when lagging).
   *
   * @example
   * ```ts
   * if (rx.length > 100) warn('consumer is falling behind');
   * ```
   */
  get length(): number {
    return this.shared.tail - this.next;
  }

  resourceInfo(): ResourceInfo {
    const sh = this.shared;
    return {
      kind: 'broadcast',
      label: `capacity ${sh.cap}`,
      waiters: sh.waiters.length,
      details: { unread: this.length, receivers: sh.receivers, senders: sh.senders },
    };
  }
}

/**
 * The sending half of a broadcast channel. `send` never waits: when the ring is full the oldest
 * value is overwritten (and receivers that had not read it lag).
 *
 * @example
 * ```ts
 * const n = tx.send({ kind: 'tick' }); // how many receivers will see it
 * ```
 */
export class BroadcastSender<T> extends FanoutSender<Shared<T>> {

  /**
   * Sends to every current receiver and returns how many there are. Throws `SendError` (with
   * `.value`) when there is no receiver or this sender was closed.
   *
   * @example
   * ```ts
   * const receivers = tx.send({ kind: 'tick' });
   * ```
   */
  send(value: T): number {
    const sh = this.shared;
    if (this.closed) throw new SendError(value, 'broadcast send failed: this sender was closed');
    if (sh.receivers === 0) {
      reportSendWithoutReceivers(sh, 'broadcast', `capacity ${sh.cap}`);
      throw new SendError(value, 'broadcast send failed: there are no receivers');
    }
    sh.buf[sh.tail & sh.mask] = value;
    sh.tail++;
    if (sh.waiters.head !== null) sh.wakeAll();
    return sh.receivers;
  }

  /**
   * A new receiver that sees values sent from now on.
   *
   * @example
   * ```ts
   * const rx = tx.subscribe();
   * ```
   */
  subscribe(): BroadcastReceiver<T> {
    return new BroadcastReceiver(this.shared);
  }

  /**
   * Another sender handle; the channel ends when every sender handle is closed.
   *
   * @example
   * ```ts
   * spawn(publisher, tx.clone());
   * ```
   */
  clone(): BroadcastSender<T> {
    return new BroadcastSender(this.addSender('broadcast'));
  }
}

/**
 * Creates a broadcast channel keeping the last `capacity` values (rounded up to a power of two).
 * Returns `[sender, receiver]`; more receivers come from `sender.subscribe()`.
 *
 * @example
 * ```ts
 * const [tx, rx1] = broadcast<string>(16);
 * const rx2 = tx.subscribe();
 * tx.send('hello'); // both receive it
 * ```
 */
export function broadcast<T>(capacity: number): [BroadcastSender<T>, BroadcastReceiver<T>] {
  const c = checkCount('broadcast capacity', capacity, 1, 1 << 30);
  const sh = new Shared<T>(1 << Math.ceil(Math.log2(c)));
  return [new BroadcastSender(sh), new BroadcastReceiver(sh)];
}
