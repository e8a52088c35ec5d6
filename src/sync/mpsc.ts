/**
 * `mpsc`: multi-producer, single-consumer channels, bounded (`mpsc.channel`) and unbounded
 * (`mpsc.unbounded`). Both return `[sender, receiver]`.
 * @module
 */
import type { Future } from '../future/future.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { drive } from './bridge.js';
import { SendError, checkCount } from './errors.js';
import { Chan, ClosedFut, Permit, RecvFut, RecvManyFut, ReserveFut, SendFut } from './mpsc_chan.js';

/** Largest bounded capacity. */
const MAX_CAPACITY = 0x3fffffff;

abstract class SenderBase<T> implements Disposable {
  handleClosed = false;
  constructor(
    /** @internal */ readonly chan: Chan<T>,
  ) {}

  /**
   * Closes this handle (idempotent). When every sender handle is closed the receiver gets
   * `undefined` after the buffered messages.
   */
  close(): void {
    if (this.handleClosed) return;
    this.handleClosed = true;
    const chan = this.chan;
    if (--chan.senders === 0 && chan.isDone()) chan.wakeRx();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** True when sending is impossible: the receiver is closed, or this handle is. */
  isClosed(): boolean {
    return this.handleClosed || this.chan.rxClosed;
  }

  /**
   * A future that completes once the receiver is closed (so a producer can stop early, e.g. in a
   * `select` beside its work). Cancel safe.
   *
   * @example
   * ```ts
   * const r = yield* select({ done: tx.closed(), item: future(produceOne) });
   * ```
   */
  closed(): Future<void> {
    return new ClosedFut(this.chan as Chan<unknown>);
  }

  /**
   * True when both handles feed the same channel.
   *
   * @example
   * ```ts
   * tx.sameChannel(tx.clone()); // true
   * ```
   */
  sameChannel(other: SenderBase<T>): boolean {
    return this.chan === other.chan;
  }

  protected check(value: T): void {
    if (this.handleClosed) throw new SendError(value, 'send failed: this sender was closed');
    if (this.chan.rxClosed) {
      this.chan.reportClosed();
      throw new SendError(value, 'send failed: the receiver was closed');
    }
  }
}

/**
 * The sending half of a bounded mpsc channel. Clone it for more producers; close or dispose each
 * clone when done.
 *
 * @example
 * ```ts
 * function* producer(tx: Sender<number>) {
 *   using _tx = tx;                 // closes this handle when the producer ends
 *   for (let i = 0; i < 10; i++) yield* tx.send(i);
 * }
 * ```
 */
export class Sender<T> extends SenderBase<T> {
  /**
   * A future that waits for room, then sends `value`. Throws `SendError` (with `.value`) if the
   * receiver is closed, and at once if this handle was closed. Cancel safety: if the future is dropped before it completed, the value
   * was not sent (and any slot reserved for it is passed to the next waiting sender).
   *
   * @example
   * ```ts
   * yield* tx.send(msg);
   * ```
   */
  send(value: T): Future<void> {
    if (this.handleClosed) throw new SendError(value, 'send failed: this sender was closed');
    return new SendFut(this.chan, value);
  }

  /**
   * Sends now if there is room: true when sent, false when the channel is full (the value stays
   * with the caller). Throws `SendError` with the value when closed.
   *
   * @example
   * ```ts
   * if (!tx.trySend(v)) backlog.push(v);
   * ```
   */
  trySend(value: T): boolean {
    this.check(value);
    const chan = this.chan;
    if (!chan.hasRoom()) return false;
    chan.push(value);
    return true;
  }

  /**
   * Waits for a slot and returns a {@link Permit} holding it. Same cancel safety as `send`: a
   * dropped pending reserve holds nothing.
   *
   * @example
   * ```ts
   * const permit = yield* tx.reserve();
   * permit.send(yield* build());
   * ```
   */
  reserve(): Future<Permit<T>> {
    if (this.handleClosed) throw new SendError(undefined, 'reserve failed: this sender was closed');
    return new ReserveFut(this.chan);
  }

  /**
   * A permit now if there is room, else `null`. Throws `SendError` when closed.
   *
   * @example
   * ```ts
   * const p = tx.tryReserve();
   * if (p !== null) p.send(msg);
   * ```
   */
  tryReserve(): Permit<T> | null {
    this.check(undefined as T);
    const chan = this.chan;
    if (!chan.hasRoom()) return null;
    chan.reserved++;
    return new Permit(chan);
  }

  /**
   * A new handle to the same channel (the channel stays open until every handle is closed).
   *
   * @example
   * ```ts
   * spawn(producer, tx.clone());
   * ```
   */
  clone(): Sender<T> {
    if (this.handleClosed) throw new SendError(undefined, 'cannot clone a closed sender');
    this.chan.senders++;
    return new Sender(this.chan);
  }

  /**
   * Free slots right now.
   *
   * @example
   * ```ts
   * if (tx.capacity === 0) log('channel full');
   * ```
   */
  get capacity(): number {
    const c = this.chan;
    return Math.max(0, c.cap - c.buf.length - c.reserved);
  }

  /**
   * The capacity the channel was created with.
   *
   * @example
   * ```ts
   * mpsc.channel(8)[0].maxCapacity; // 8
   * ```
   */
  get maxCapacity(): number {
    return this.chan.cap;
  }
}

/**
 * The sending half of an unbounded mpsc channel: `send` never waits, so it is synchronous.
 *
 * @example
 * ```ts
 * const [tx, rx] = mpsc.unbounded<string>();
 * tx.send('log line');
 * ```
 */
export class UnboundedSender<T> extends SenderBase<T> {
  /**
   * Sends at once. Throws `SendError` (with `.value`) when the channel is closed.
   *
   * @example
   * ```ts
   * tx.send(line);
   * ```
   */
  send(value: T): void {
    this.check(value);
    this.chan.push(value);
  }

  /**
   * Same as `send`, returning true (the unbounded channel is never full).
   *
   * @example
   * ```ts
   * tx.trySend(line); // true
   * ```
   */
  trySend(value: T): boolean {
    this.send(value);
    return true;
  }

  /**
   * A new handle to the same channel.
   *
   * @example
   * ```ts
   * spawn(logger, tx.clone());
   * ```
   */
  clone(): UnboundedSender<T> {
    if (this.handleClosed) throw new SendError(undefined, 'cannot clone a closed sender');
    this.chan.senders++;
    return new UnboundedSender(this.chan);
  }
}

/**
 * The receiving half of an mpsc channel. `recv()` gives the next message, or `undefined` once
 * the channel is closed (every sender closed, or `close()` called) and drained. It is an
 * `AsyncIterable`, so `for await (const m of rx)` works from plain async code.
 *
 * Messages are received in the order their sends completed; one producer's messages keep their
 * order. `T` should not include `undefined` (it marks the end).
 *
 * @example
 * ```ts
 * for (let m = yield* rx.recv(); m !== undefined; m = yield* rx.recv()) handle(m);
 * ```
 */
export class Receiver<T> implements Disposable, AsyncIterable<T> {
  constructor(/** @internal */ readonly chan: Chan<T>) {
    trackResource(this);
  }

  /**
   * A future of the next message (`undefined` when closed and drained). Cancel safety: a dropped
   * pending `recv` has taken nothing; no message is lost.
   *
   * @example
   * ```ts
   * const job = yield* rx.recv();
   * if (job === undefined) return; // closed and drained
   * ```
   */
  recv(): Future<T | undefined> {
    return new RecvFut(this.chan);
  }

  /**
   * Waits for at least one message, then appends up to `limit` buffered messages to `out` and
   * gives how many; 0 once the channel is closed and drained. Cancel safe like `recv`.
   *
   * @example
   * ```ts
   * const batch: Job[] = [];
   * while ((yield* rx.recvMany(batch, 64)) > 0) { yield* flush(batch); batch.length = 0; }
   * ```
   */
  recvMany(out: T[], limit: number): Future<number> {
    return new RecvManyFut(this.chan, out, checkCount('recvMany limit', limit, 1, Number.MAX_SAFE_INTEGER));
  }

  /**
   * The next message if one is buffered, else `undefined` (use `isClosed()` to tell an empty
   * open channel from a finished one).
   *
   * @example
   * ```ts
   * const m = rx.tryRecv();
   * if (m === undefined && rx.isClosed()) return;
   * ```
   */
  tryRecv(): T | undefined {
    const chan = this.chan;
    if (chan.buf.length === 0) return undefined;
    const v = chan.buf.shift();
    if (chan.sendWaiters.head !== null) chan.assign();
    return v;
  }

  /**
   * Closes the receiving side: further sends throw `SendError` with their value, queued sends are
   * failed the same way; messages already buffered can still be received.
   */
  close(): void {
    this.chan.closeRx();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** True when no message can arrive any more (buffered ones may remain: see `length`). */
  isClosed(): boolean {
    return this.chan.isDone();
  }

  /**
   * Buffered messages.
   *
   * @example
   * ```ts
   * log(`${rx.length} message(s) buffered`);
   * ```
   */
  get length(): number {
    return this.chan.buf.length;
  }

  /**
   * Async iteration from plain async code (no runtime needed); ends when the channel is done.
   *
   * @example
   * ```ts
   * for await (const msg of rx) console.log(msg);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const rx = this;
    return {
      next(): Promise<IteratorResult<T>> {
        const chan = rx.chan;
        if (chan.buf.length > 0) return Promise.resolve({ value: rx.tryRecv() as T, done: false });
        return drive(rx.recv()).then((v) => (v === undefined ? { value: undefined, done: true } : { value: v, done: false }));
      },
      return(): Promise<IteratorResult<T>> {
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  resourceInfo(): ResourceInfo {
    const c = this.chan;
    return {
      kind: 'mpsc',
      label: c.cap === Infinity ? 'unbounded' : `capacity ${c.cap}`,
      waiters: c.sendWaiters.length + c.closedWaiters.length + c.rxWaiting(),
      details: {
        queued: c.buf.length,
        reserved: c.reserved,
        blockedSenders: c.sendWaiters.length,
        senders: c.senders,
        closed: c.isDone(),
      },
    };
  }
}

/**
 * Creates a bounded channel holding at most `capacity` messages (buffered plus reserved).
 * Returns `[sender, receiver]`.
 *
 * @example
 * ```ts
 * const [tx, rx] = mpsc.channel<Job>(100);
 * spawn(producer, tx);
 * for (let j = yield* rx.recv(); j !== undefined; j = yield* rx.recv()) run(j);
 * ```
 */
export function channel<T>(capacity: number): [Sender<T>, Receiver<T>] {
  const chan = new Chan<T>(checkCount('mpsc.channel capacity', capacity, 1, MAX_CAPACITY));
  return [new Sender(chan), new Receiver(chan)];
}

/**
 * Creates an unbounded channel: `send` never waits. Returns `[sender, receiver]`.
 *
 * @example
 * ```ts
 * const [tx, rx] = mpsc.unbounded<Event>();
 * ```
 */
export function unbounded<T>(): [UnboundedSender<T>, Receiver<T>] {
  const chan = new Chan<T>(Infinity);
  return [new UnboundedSender(chan), new Receiver(chan)];
}

export { Permit };
