/**
 * `oneshot<T>()`: a channel for exactly one value.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { pollProceed } from '../runtime/coop.js';
import { reportSendWithoutReceivers, trackResource, type ResourceInfo } from '../runtime/resources.js';
import { RecvError, SendError } from './errors.js';

/**
 * The receiving half of a oneshot channel. It is itself a future: `yield* rx` waits for the value.
 * Receiving a second time throws `RecvError`, as does receiving when the sender was closed or
 * disposed without sending.
 *
 * Cancel safety: dropping a pending `yield* rx` (e.g. the losing branch of a `select`) loses
 * nothing; awaiting `rx` again later still gets the value.
 *
 * @example
 * ```ts
 * const [tx, rx] = oneshot<number>();
 * spawn(compute, tx);
 * const v = yield* rx;
 * ```
 */
export class OneshotReceiver<T> extends Future<T> {
  /** @internal */ value: T | undefined = undefined;
  /** @internal 0 empty, 1 holds a value, 2 value taken */ st = 0;
  /** @internal */ txGone = false;
  /** @internal */ rxClosed = false;
  /** @internal */ readonly slot = new WakerSlot();

  constructor() {
    super();
    trackResource(this);
  }

  poll(cx: Context): Poll<T> {
    const st = this.st;
    if (st === 1) {
      if (!pollProceed(cx)) return Pending;
      return this.take();
    }
    if (st === 2) throw new RecvError('oneshot value was already received');
    if (this.txGone) throw new RecvError('oneshot sender was closed without sending a value');
    if (this.rxClosed) throw new RecvError('oneshot receiver was closed before a value arrived');
    this.slot.register(cx);
    return Pending;
  }

  private take(): T {
    const v = this.value as T;
    this.value = undefined;
    this.st = 2;
    this.slot.clear();
    return v;
  }

  /**
   * Returns `this`, so `yield* rx.recv()` reads like the other channels.
   *
   * @example
   * ```ts
   * const v = yield* rx.recv();
   * ```
   */
  recv(): Future<T> {
    return this;
  }

  /**
   * The value if it has arrived, else `undefined`. Throws `RecvError` when it was already received
   * or can never arrive.
   *
   * @example
   * ```ts
   * const v = rx.tryRecv(); // undefined while the sender has not sent
   * ```
   */
  tryRecv(): T | undefined {
    if (this.st === 1) return this.take();
    if (this.st === 2) throw new RecvError('oneshot value was already received');
    if (this.txGone) throw new RecvError('oneshot sender was closed without sending a value');
    return undefined;
  }

  /**
   * Closes the receiving side: a later `send` throws `SendError` with the value. A value sent
   * before `close()` can still be received.
   *
   * @example
   * ```ts
   * rx.close(); tx.send(1); // throws SendError, e.value === 1
   * ```
   */
  close(): void {
    this.rxClosed = true;
  }

  /**
   * True once the value was taken, or can never arrive.
   *
   * @example
   * ```ts
   * if (!rx.isTerminated()) v = yield* rx;
   * ```
   */
  isTerminated(): boolean {
    return this.st === 2 || (this.st === 0 && (this.txGone || this.rxClosed));
  }

  /** Cancellation of a pending `yield* rx`: forgets the waker; the value (if any) stays. */
  override drop(): void {
    this.slot.clear();
  }

  /** `using rx = ...` closes the receiver at the end of the block. */
  override [Symbol.dispose](): void {
    this.slot.clear();
    this.close();
  }

  resourceInfo(): ResourceInfo {
    return {
      kind: 'oneshot',
      label: this.st === 1 ? 'value ready' : this.st === 2 ? 'received' : 'empty',
      waiters: this.slot.isRegistered ? 1 : 0,
      details: { senderClosed: this.txGone, receiverClosed: this.rxClosed },
    };
  }
}

/**
 * The sending half of a oneshot channel. `send` is synchronous and may be called once.
 *
 * @example
 * ```ts
 * function* compute(tx: OneshotSender<number>) { tx.send(42); }
 * ```
 */
export class OneshotSender<T> implements Disposable {
  private rx: OneshotReceiver<T> | null;

  constructor(rx: OneshotReceiver<T>) {
    this.rx = rx;
  }

  /**
   * Sends the value and wakes the receiver. Throws `SendError` (with `.value`) when the receiver
   * was closed, or when this sender already sent or was closed.
   *
   * @example
   * ```ts
   * tx.send('done');
   * ```
   */
  send(value: T): void {
    const rx = this.rx;
    if (rx === null) throw new SendError(value, 'oneshot sender already used or closed');
    if (rx.rxClosed) {
      reportSendWithoutReceivers(rx, 'oneshot');
      throw new SendError(value, 'oneshot receiver is closed');
    }
    this.rx = null;
    rx.value = value;
    rx.st = 1;
    rx.slot.wake();
  }

  /**
   * True when the receiver is closed (a `send` would fail) or this sender is used up.
   *
   * @example
   * ```ts
   * if (tx.isClosed()) return; // nobody will read it
   * ```
   */
  isClosed(): boolean {
    return this.rx === null || this.rx.rxClosed;
  }

  /**
   * Closes the sender without sending: the receiver's await throws `RecvError`. Idempotent.
   *
   * @example
   * ```ts
   * using tx2 = tx; // closed at block end if it did not send
   * ```
   */
  close(): void {
    const rx = this.rx;
    if (rx === null) return;
    this.rx = null;
    rx.txGone = true;
    rx.slot.wake();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Creates a oneshot channel: `[sender, receiver]`. The receiver is a future of the value.
 *
 * @example
 * ```ts
 * const [tx, rx] = oneshot<string>();
 * tx.send('hi');
 * const msg = yield* rx; // 'hi'
 * ```
 */
export function oneshot<T>(): [OneshotSender<T>, OneshotReceiver<T>] {
  const rx = new OneshotReceiver<T>();
  return [new OneshotSender<T>(rx), rx];
}
