/**
 * `watch<T>(initial)`: a single value that receivers observe, with change notification.
 *
 * Invariants (`test/sync/broadcast_watch.test.ts`): a receiver's `changed()` completes once per
 * version it has not seen, however many sends happened since (only the latest value is kept);
 * once every sender closed and nothing new is left, `changed()` throws `RecvError`. The handle
 * counts and the waiting receivers are the fan-out channel state of `fanout.ts`.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { pollProceed } from '../runtime/coop.js';
import { reportSendWithoutReceivers, type ResourceInfo } from '../runtime/resources.js';
import { RecvError, SendError } from './errors.js';
import { FanoutReceiver, FanoutSender, FanoutShared, dropWait, parkWait, type FanoutWait } from './fanout.js';
import type { WaiterList, WaiterNode } from './waiter_list.js';

/** @internal */
class Shared<T> extends FanoutShared {
  version = 0;
  constructor(public value: T) {
    super();
  }
}

/** A pending `changed()`; dropped, the change stays unseen, so the next `changed()` sees it. */
class Changed<T> extends Future<void> implements FanoutWait {
  wPrev: WaiterNode | null = null;
  wNext: WaiterNode | null = null;
  wList: WaiterList<WaiterNode> | null = null;
  readonly slot = new WakerSlot();
  constructor(readonly rx: WatchReceiver<T>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    const rx = this.rx;
    const sh = rx.shared;
    if (sh.version !== rx.seen) {
      if (!pollProceed(cx)) return Pending;
      sh.waiters.remove(this);
      this.slot.clear();
      rx.seen = sh.version;
      return undefined;
    }
    if (sh.senders === 0) {
      sh.waiters.remove(this);
      throw new RecvError('watch sender was closed; the value will not change again');
    }
    return parkWait(this, sh, cx);
  }

  override drop(): void {
    dropWait(this, this.rx.shared);
  }
}

/**
 * Observes a watch channel's value.
 *
 * @example
 * ```ts
 * function* follow(rx: WatchReceiver<Config>) {
 *   for (;;) { yield* rx.changed(); apply(rx.borrowAndUpdate()); }
 * }
 * ```
 */
export class WatchReceiver<T> extends FanoutReceiver<Shared<T>> {
  /** @internal Version this receiver last marked as seen. */
  seen: number;

  constructor(shared: Shared<T>) {
    super(shared);
    this.seen = shared.version;
  }

  /**
   * The current value (does not mark it seen).
   *
   * @example
   * ```ts
   * const cfg = rx.borrow();
   * ```
   */
  borrow(): T {
    return this.shared.value;
  }

  /**
   * The current value, marking it seen.
   *
   * @example
   * ```ts
   * yield* rx.changed();
   * apply(rx.borrowAndUpdate());
   * ```
   */
  borrowAndUpdate(): T {
    this.seen = this.shared.version;
    return this.shared.value;
  }

  /**
   * True when a value was sent since this receiver last marked one seen.
   *
   * @example
   * ```ts
   * if (rx.hasChanged()) reload(rx.borrowAndUpdate());
   * ```
   */
  hasChanged(): boolean {
    return this.shared.version !== this.seen;
  }

  /**
   * A future that completes when a value not yet seen is available (and marks it seen). Throws
   * `RecvError` once every sender is closed and nothing new is left. Cancel safety: dropping it
   * consumes nothing.
   *
   * @example
   * ```ts
   * yield* rx.changed();
   * ```
   */
  changed(): Future<void> {
    return new Changed(this);
  }

  /**
   * Another receiver with the same seen-state.
   *
   * @example
   * ```ts
   * spawn(follow, rx.clone());
   * ```
   */
  clone(): WatchReceiver<T> {
    const r = new WatchReceiver(this.shared);
    r.seen = this.seen;
    return r;
  }

  resourceInfo(): ResourceInfo {
    const sh = this.shared;
    return { kind: 'watch', label: `version ${sh.version}`, waiters: sh.waiters.length, details: { receivers: sh.receivers, senders: sh.senders } };
  }
}

/**
 * Publishes values to watch receivers; each send replaces the value and wakes `changed()`. When
 * the last sender handle closes, pending and later `changed()` throw `RecvError`.
 *
 * @example
 * ```ts
 * const [tx, rx] = watch({ level: 'info' });
 * tx.send({ level: 'debug' });
 * ```
 */
export class WatchSender<T> extends FanoutSender<Shared<T>> {

  /**
   * Replaces the value and notifies receivers. Throws `SendError` (with `.value`) when there is
   * no receiver or this sender is closed; use `sendReplace` to store regardless.
   *
   * @example
   * ```ts
   * tx.send({ level: 'debug' });
   * ```
   */
  send(value: T): void {
    if (this.closed) throw new SendError(value, 'watch send failed: this sender was closed');
    if (this.shared.receivers === 0) {
      reportSendWithoutReceivers(this.shared, 'watch');
      throw new SendError(value, 'watch send failed: there are no receivers');
    }
    this.sendReplace(value);
  }

  /**
   * Replaces the value even without receivers; returns the previous value.
   *
   * @example
   * ```ts
   * const previous = tx.sendReplace(next);
   * ```
   */
  sendReplace(value: T): T {
    if (this.closed) throw new SendError(value, 'watch send failed: this sender was closed');
    const sh = this.shared;
    const old = sh.value;
    sh.value = value;
    sh.version++;
    if (sh.waiters.head !== null) sh.wakeAll();
    return old;
  }

  /**
   * The current value.
   *
   * @example
   * ```ts
   * const cfg = rx.borrow();
   * ```
   */
  borrow(): T {
    return this.shared.value;
  }

  /**
   * A new receiver (the current value counts as seen).
   *
   * @example
   * ```ts
   * const rx = tx.subscribe();
   * ```
   */
  subscribe(): WatchReceiver<T> {
    return new WatchReceiver(this.shared);
  }

  /**
   * Another sender handle.
   *
   * @example
   * ```ts
   * spawn(publisher, tx.clone());
   * ```
   */
  clone(): WatchSender<T> {
    return new WatchSender(this.addSender('watch'));
  }
}

/**
 * Creates a watch channel holding `initial`. Returns `[sender, receiver]`.
 *
 * @example
 * ```ts
 * const [tx, rx] = watch(0);
 * tx.send(1);
 * yield* rx.changed(); rx.borrow(); // 1
 * ```
 */
export function watch<T>(initial: T): [WatchSender<T>, WatchReceiver<T>] {
  const sh = new Shared<T>(initial);
  return [new WatchSender(sh), new WatchReceiver(sh)];
}
