/**
 * What the fan-out channels (`broadcast`, `watch`) share: every receiver sees every send, so a
 * send wakes all waiting receivers, and the channel ends when its last sender handle closes.
 *
 * - `FanoutShared` counts the sender and receiver handles and holds the receivers waiting for a
 *   send; `wakeAll` empties that list, waking each waiter once.
 * - `FanoutWait` is a receiver's pending wait: the list node itself (nothing allocated to
 *   queue), keeping its waker in a `WakerSlot`; `parkWait` queues it once, `dropWait` takes it
 *   out in O(1), consuming nothing.
 * - `FanoutSender` / `FanoutReceiver` are the handles: closing is idempotent, counted once; the
 *   last sender's close wakes every waiter so it sees the end.
 *
 * Invariants proved by `test/sync/broadcast_watch.test.ts` and `test/sync/broadcast_lag.test.ts`.
 * @module
 */
import { Pending, type Context } from '../future/future.js';
import type { WakerSlot } from '../future/waker_slot.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { SendError } from './errors.js';
import { WaiterList, type WaiterNode } from './waiter_list.js';

/** @internal The handle counts and waiting receivers of a fan-out channel. */
export class FanoutShared {
  senders = 1;
  receivers = 0;
  readonly waiters = new WaiterList<FanoutWait>();

  /** Wakes every waiting receiver (each leaves the list). */
  wakeAll(): void {
    for (let h = this.waiters.shift(); h !== null; h = this.waiters.shift()) h.slot.wake();
  }
}

/**
 * @internal A receiver's pending wait: a node of its channel's `waiters`, with its waker in a
 * `WakerSlot`. The wait futures declare these fields themselves instead of inheriting them: a
 * third constructor level (future → wait base → Future) is not inlined by V8, and each `recv()`
 * allocates one.
 */
export interface FanoutWait extends WaiterNode {
  readonly slot: WakerSlot;
}

/** @internal Stores `w`'s waker and puts it in `sh.waiters` (once); returns Pending. */
export function parkWait(w: FanoutWait, sh: FanoutShared, cx: Context): typeof Pending {
  w.slot.register(cx);
  const list = sh.waiters;
  if (!list.has(w)) list.push(w);
  return Pending;
}

/** @internal A dropped wait leaves `sh.waiters` in O(1); it took nothing, so nothing is lost. */
export function dropWait(w: FanoutWait, sh: FanoutShared): void {
  w.slot.clear();
  sh.waiters.remove(w);
}

/** @internal A sender handle of a fan-out channel; `kind` names the channel in errors. */
export abstract class FanoutSender<S extends FanoutShared> implements Disposable {
  protected closed = false;
  constructor(/** @internal */ readonly shared: S) {}

  /** Counts one more sender handle (for `clone`); throws `SendError` once this one is closed. */
  protected addSender(kind: string): S {
    if (this.closed) throw new SendError(undefined, `cannot clone a closed ${kind} sender`);
    this.shared.senders++;
    return this.shared;
  }

  /**
   * Number of live receivers: those subscribed and not closed. At 0, `send` throws `SendError`,
   * so a publisher can check it to stop producing.
   *
   * @example
   * ```ts
   * if (tx.receiverCount === 0) return;
   * ```
   */
  get receiverCount(): number {
    return this.shared.receivers;
  }

  /** Closes this handle (idempotent); the last one ends the channel for every receiver. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (--this.shared.senders === 0) this.shared.wakeAll();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** @internal A receiver handle of a fan-out channel, counted in `shared.receivers` until closed. */
export abstract class FanoutReceiver<S extends FanoutShared> implements Disposable {
  protected closed = false;

  constructor(/** @internal */ readonly shared: S) {
    shared.receivers++;
    trackResource(this);
  }

  /** Closes this receiver (idempotent): senders stop counting it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.shared.receivers--;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  abstract resourceInfo(): ResourceInfo;
}
