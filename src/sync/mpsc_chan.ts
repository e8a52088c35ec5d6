/**
 * Shared state and futures of the mpsc channels.
 *
 * A bounded channel's capacity counts buffered messages plus reserved slots. A `send` or
 * `reserve` that finds no room queues in an intrusive waiter list; when the receiver takes a
 * message the freed slot is reserved for the head of that queue (so a pending send that is
 * dropped hands its slot on, and a dropped send never sends).
 *
 * The receiving side has one consumer, but a second task that calls `recv()` while another is
 * waiting is not left hung: it is kept in `rxOthers` and every waiting receive is woken together
 * (whoever polls first takes the message, the others wait again), so each finishes once the
 * channel closes (`test/sync/mpsc_two_receivers.test.ts`).
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { pollProceed } from '../runtime/coop.js';
import { reportSendWithoutReceivers } from '../runtime/resources.js';
import { SendError, polledAfterCompletion } from './errors.js';
import { Ring } from '../util/ring.js';
import { WaiterList, type WaiterNode } from './waiter_list.js';
import { GRANTED, INIT, QUEUED, WaiterFuture, wakeAll } from './waiter_future.js';

/** @internal */
export class Chan<T> {
  readonly buf: Ring<T>;
  /** Slots reserved by permits or granted to queued senders, not yet filled. */
  reserved = 0;
  /** Live sender handles. */
  senders = 1;
  rxClosed = false;
  /** The waker of the pending receive. */
  readonly rx = new WakerSlot();
  /** The receive future that registered `rx` (so only it can unregister it on drop). */
  rxFut: object | null = null;
  /** Receives of other tasks waiting at the same time (a misuse of the single consumer). */
  rxOthers: Map<object, Waker> | null = null;
  readonly sendWaiters = new WaiterList<CapacityWait<T, unknown>>();
  /** `sender.closed()` futures waiting for the receiver to close. */
  readonly closedWaiters = new WaiterList<ClosedFut>();

  constructor(readonly cap: number) {
    this.buf = new Ring<T>(cap === Infinity ? 64 : cap);
  }

  /** True when a message could be pushed now without overtaking a queued sender. */
  hasRoom(): boolean {
    return this.sendWaiters.head === null && this.buf.length + this.reserved < this.cap;
  }

  /** Appends and wakes the receiver. */
  push(v: T): void {
    this.buf.push(v);
    this.wakeRx();
  }

  /** Reserves freed slots for queued senders, in order. */
  assign(): void {
    const q = this.sendWaiters;
    for (let h = q.head; h !== null && this.buf.length + this.reserved < this.cap; h = q.head) {
      void q.shift();
      this.reserved++;
      h.grant();
    }
  }

  /** Gives back one reserved slot that was not used. */
  unreserve(): void {
    this.reserved--;
    if (this.sendWaiters.head !== null) this.assign();
    else if (this.senders === 0) this.wakeRx();
  }

  /** No message can ever arrive again. */
  isDone(): boolean {
    return this.rxClosed || (this.senders === 0 && this.reserved === 0 && this.sendWaiters.head === null);
  }

  /** Wakes every waiting receive; each registers again if it finds nothing. */
  wakeRx(): void {
    const w = this.rx.waker;
    if (w !== null) {
      this.rx.waker = null;
      this.rxFut = null;
      w.wake();
    }
    const o = this.rxOthers;
    if (o !== null) {
      this.rxOthers = null;
      for (const x of o.values()) x.wake();
    }
  }

  /** Registers receive future `fut` polled with `cx` to be woken by the next message or close. */
  registerRx(fut: object, cx: Context): void {
    const cur = this.rxFut;
    if (cur === null || cur === fut || this.rx.waker === null || this.rx.waker.willWake(cx.waker)) {
      this.rx.register(cx);
      this.rxFut = fut;
      return;
    }
    (this.rxOthers ??= new Map()).set(fut, cx.waker.clone());
  }

  /** `fut` stops waiting (it completed or was dropped). */
  unregisterRx(fut: object): void {
    if (this.rxFut === fut) {
      this.rxFut = null;
      this.rx.clear();
    } else if (this.rxOthers !== null) this.rxOthers.delete(fut);
  }

  /** Receives waiting now. */
  rxWaiting(): number {
    return (this.rx.waker === null ? 0 : 1) + (this.rxOthers === null ? 0 : this.rxOthers.size);
  }

  /** Reports (to the console) a send attempted after the receiver closed. */
  reportClosed(): void {
    reportSendWithoutReceivers(this, 'mpsc', this.cap === Infinity ? 'unbounded' : `capacity ${this.cap}`);
  }

  /** The receiver closed: fail every queued sender. */
  closeRx(): void {
    if (this.rxClosed) return;
    this.rxClosed = true;
    wakeAll(this.sendWaiters);
    for (let h = this.closedWaiters.shift(); h !== null; h = this.closedWaiters.shift()) h.slot.wake();
    this.wakeRx();
  }
}

/** @internal A send or reserve waiting for a slot. */
export abstract class CapacityWait<T, R> extends WaiterFuture<R> {
  declare readonly chan: Chan<T>;
  constructor(chan: Chan<T>) {
    super();
    this.chan = chan;
  }

  /** Uses a slot that is free (fast path) or reserved for us (`reserved` true). */
  protected abstract use(reserved: boolean): R;
  /** The error for a closed channel (hands the value back). */
  protected abstract closedError(why: string): Error;

  poll(cx: Context): Poll<R> {
    const st = this.state;
    const chan = this.chan;
    if (st === GRANTED) {
      if (chan.rxClosed) {
        this.finish();
        chan.reserved--;
        throw this.closedError('the receiver was closed');
      }
      return this.complete(cx) ? this.use(true) : Pending;
    }
    if (st === INIT) {
      if (chan.rxClosed) {
        this.finish();
        throw this.closedError('the receiver was closed');
      }
      if (chan.hasRoom()) return this.complete(cx) ? this.use(false) : Pending;
      this.enqueue(chan.sendWaiters as WaiterList<WaiterNode>, cx);
      return Pending;
    }
    if (st === QUEUED) {
      if (chan.rxClosed) {
        this.finish();
        throw this.closedError('the receiver was closed');
      }
      this.register(cx);
      return Pending;
    }
    throw polledAfterCompletion(this.constructor.name);
  }

  /** Leaves the queue in O(1); a slot already reserved for it goes to the next waiter. */
  override drop(): void {
    const st = this.finish();
    const chan = this.chan;
    if (st === QUEUED) {
      chan.sendWaiters.remove(this as CapacityWait<T, unknown>);
      if (chan.senders === 0 && chan.isDone()) chan.wakeRx();
    } else if (st === GRANTED) {
      chan.unreserve();
    }
  }
}

/** @internal `sender.send(v)` on a bounded channel. */
export class SendFut<T> extends CapacityWait<T, void> {
  constructor(
    chan: Chan<T>,
    /** The message; still here if the send was dropped or failed. */
    readonly value: T,
  ) {
    super(chan);
  }
  protected use(reserved: boolean): void {
    const chan = this.chan;
    if (reserved) chan.reserved--;
    chan.push(this.value);
  }
  protected closedError(why: string): Error {
    if (this.chan.rxClosed) this.chan.reportClosed();
    return new SendError(this.value, `send failed: ${why}`);
  }
}

/**
 * A reserved slot in a bounded channel: `send(v)` fills it without waiting. Disposing (or
 * `release()`) an unused permit frees the slot for other senders.
 *
 * @example
 * ```ts
 * using permit = yield* tx.reserve();
 * permit.send(buildMessage()); // cannot fail for lack of room
 * ```
 */
export class Permit<T> implements Disposable {
  private chan: Chan<T> | null;
  constructor(chan: Chan<T>) {
    this.chan = chan;
  }

  /**
   * Sends `value` into the reserved slot. Throws `SendError` (with the value) if the receiver
   * closed meanwhile or the permit was already used.
   *
   * @example
   * ```ts
   * permit.send(msg);
   * ```
   */
  send(value: T): void {
    const chan = this.chan;
    if (chan === null) throw new SendError(value, 'send failed: this permit was already used or released');
    this.chan = null;
    if (chan.rxClosed) {
      chan.reserved--;
      chan.reportClosed();
      throw new SendError(value, 'send failed: the receiver was closed');
    }
    chan.reserved--;
    chan.push(value);
  }

  /**
   * Frees the slot without sending (idempotent).
   *
   * @example
   * ```ts
   * permit.release(); // slot back to other senders
   * ```
   */
  release(): void {
    const chan = this.chan;
    if (chan === null) return;
    this.chan = null;
    chan.unreserve();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/** @internal `sender.reserve()`. */
export class ReserveFut<T> extends CapacityWait<T, Permit<T>> {
  protected use(reserved: boolean): Permit<T> {
    if (!reserved) this.chan.reserved++;
    return new Permit(this.chan);
  }
  protected closedError(why: string): Error {
    return new SendError(undefined, `reserve failed: ${why}`);
  }
}

/** @internal `receiver.recvMany(buf, limit)`: waits for at least one message, then takes up to `limit`. */
export class RecvManyFut<T> extends Future<number> {
  constructor(
    readonly chan: Chan<T>,
    readonly out: T[],
    readonly limit: number,
  ) {
    super();
  }

  poll(cx: Context): Poll<number> {
    const chan = this.chan;
    const buf = chan.buf;
    if (buf.length > 0) {
      if (!pollProceed(cx)) return Pending;
      const n = Math.min(this.limit, buf.length);
      const out = this.out;
      for (let i = 0; i < n; i++) out.push(buf.shift() as T);
      if (chan.sendWaiters.head !== null) chan.assign();
      if (chan.rxFut === this) chan.unregisterRx(this);
      return n;
    }
    if (chan.isDone()) return pollProceed(cx) ? 0 : Pending;
    chan.registerRx(this, cx);
    return Pending;
  }

  /** Unregisters its wake-up; takes nothing. */
  override drop(): void {
    this.chan.unregisterRx(this);
  }
}

/** @internal `sender.closed()`: completes once the receiver is closed. */
export class ClosedFut extends Future<void> implements WaiterNode {
  wPrev: WaiterNode | null = null;
  wNext: WaiterNode | null = null;
  wList: WaiterList<WaiterNode> | null = null;
  readonly slot = new WakerSlot();
  constructor(readonly chan: Chan<unknown>) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const chan = this.chan;
    if (chan.rxClosed) {
      if (!pollProceed(cx)) return Pending;
      chan.closedWaiters.remove(this);
      return undefined;
    }
    this.slot.register(cx);
    if (!chan.closedWaiters.has(this)) chan.closedWaiters.push(this);
    return Pending;
  }
  /** Leaves the waiter list in O(1). */
  override drop(): void {
    this.slot.clear();
    this.chan.closedWaiters.remove(this);
  }
}

/** @internal `receiver.recv()`. Takes nothing until it returns, so dropping it loses nothing. */
export class RecvFut<T> extends Future<T | undefined> {
  constructor(readonly chan: Chan<T>) {
    super();
  }

  poll(cx: Context): Poll<T | undefined> {
    const chan = this.chan;
    if (chan.buf.length > 0) {
      if (!pollProceed(cx)) return Pending;
      const v = chan.buf.shift();
      if (chan.sendWaiters.head !== null) chan.assign();
      if (chan.rxFut === this) chan.unregisterRx(this);
      return v;
    }
    if (chan.isDone()) return pollProceed(cx) ? undefined : Pending;
    chan.registerRx(this, cx);
    return Pending;
  }

  /** Unregisters its wake-up; takes nothing. */
  override drop(): void {
    this.chan.unregisterRx(this);
  }
}
