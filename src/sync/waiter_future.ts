/**
 * `WaiterFuture`: the one waiting-future state machine of the sync primitives. A barrier wait, a
 * `notified()`, a semaphore acquire (so every lock) and an mpsc send waiting for capacity are all
 * futures that queue in a {@link WaiterList}, are granted by their owner, and complete.
 *
 * States and their named transitions (each states its precondition; nothing else writes `state`):
 * - `INIT` → `QUEUED` by `enqueue(list, cx)`: first poll found no room; waker stored, node queued.
 * - `QUEUED` → `GRANTED` by `grant()`: the owner removed the node from its list and hands it what
 *   it waited for; the task is woken. `wake()` wakes without granting (a close: the next poll
 *   sees the closed owner).
 * - `INIT | GRANTED` → `DONE` by `complete(cx)` (it spends the coop budget, so it may refuse).
 * - any → `DONE` by `finish()`, which returns the state it left so `drop` can hand a grant on.
 *
 * Invariants (`test/sync/cancel_property.test.ts`, `test/sync/notify_barrier.test.ts`): a node is
 * in a list exactly while `QUEUED`; a granted node is woken exactly once; a `DONE` future polled
 * again throws `PolledAfterCompletionError`.
 * @module
 */
import { Future, type Context, type Waker } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import type { WaiterList, WaiterNode } from './waiter_list.js';

/** Not polled yet (or polled and completed at once). */
export const INIT = 0;
/** Waiting in its owner's list. */
export const QUEUED = 1;
/** Granted by the owner, not yet seen by its task. */
export const GRANTED = 2;
/** Completed, failed or dropped. */
export const DONE = 3;

/**
 * @internal Base of a future waiting in a {@link WaiterList}. Subclasses implement `poll` with
 * the transitions below.
 */
export abstract class WaiterFuture<R> extends Future<R> implements WaiterNode {
  // The fields are `declare`d and set in the constructor, not class fields: V8 (Node 20) does
  // not inline the constructor of a class whose fields an intermediate class declares, and this
  // future is allocated per lock/send (BENCHMARKS.md, "Regression hunt, 2026-12-02").
  declare wPrev: WaiterNode | null;
  declare wNext: WaiterNode | null;
  declare wList: WaiterList<WaiterNode> | null;
  /**
   * The waker of the waiting task. A field of the future rather than a `WakerSlot` object: the
   * future is allocated per lock/send, and a second object per call measurably slowed the
   * uncontended paths. `register` is `WakerSlot.register` inlined.
   */
  declare waker: Waker | null;
  /** INIT, QUEUED, GRANTED or DONE: changed only by the transitions. */
  declare state: number;

  constructor() {
    super();
    this.wPrev = null;
    this.wNext = null;
    this.wList = null;
    this.waker = null;
    this.state = INIT;
  }

  /** INIT → QUEUED: stores the waker and joins `list`. Precondition: `state === INIT`. */
  protected enqueue(list: WaiterList<WaiterNode>, cx: Context): void {
    this.state = QUEUED;
    this.waker = cx.waker.clone();
    list.push(this);
  }

  /** QUEUED → QUEUED: keeps the stored waker when the same task polls again, else clones. */
  protected register(cx: Context): void {
    const w = cx.waker;
    const cur = this.waker;
    if (cur === null || !cur.willWake(w)) this.waker = w.clone();
  }

  /** QUEUED → GRANTED: the owner has removed the node from its list. Wakes the task. */
  grant(): void {
    this.state = GRANTED;
    this.wake();
  }

  /** Wakes the task without granting (its owner closed); the node must be out of its list. */
  wake(): void {
    const w = this.waker;
    if (w !== null) {
      this.waker = null;
      w.wake();
    }
  }

  /**
   * INIT | GRANTED → DONE when the coop budget allows (returns true); else stays and returns
   * false (the task was asked to yield and will poll again).
   */
  protected complete(cx: Context): boolean {
    if (!pollProceed(cx)) return false;
    this.state = DONE;
    return true;
  }

  /** any → DONE, forgetting the waker; returns the state it was in. */
  protected finish(): number {
    const st = this.state;
    this.state = DONE;
    this.waker = null;
    return st;
  }
}

/** Grants every waiter of `list`, in order, emptying it. */
export function grantAll(list: WaiterList<WaiterFuture<unknown>>): void {
  for (let h = list.shift(); h !== null; h = list.shift()) h.grant();
}

/** Wakes (without granting) every waiter of `list`, in order, emptying it. */
export function wakeAll(list: WaiterList<WaiterFuture<unknown>>): void {
  for (let h = list.shift(); h !== null; h = list.shift()) h.wake();
}
