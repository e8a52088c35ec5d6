/**
 * `WakerSlot`: the one place a future, a channel or a resource keeps the waker of the task that
 * waits on it (Tokio's `AtomicWaker`, single-threaded).
 *
 * Invariants (proved by `test/sync/waker_slot.test.ts`):
 * - `register(cx)` keeps the stored waker when it already wakes the same task (`willWake`), so
 *   polling a pending future again allocates nothing; otherwise it stores `cx.waker.clone()`.
 * - `take()` empties the slot and returns what it held; `wake()` is `take()` then `wake()`, so a
 *   waker is used at most once per registration and a second `wake()` is a no-op.
 * - The slot never wakes anything by itself: registering does not wake, clearing does not wake.
 *
 * The class is monomorphic (one field) so it can be embedded in hot objects; keep it a field of
 * the owner (`readonly slot = new WakerSlot()`) rather than re-creating it per poll.
 * @module
 */
import type { Context, Waker } from './future.js';

/**
 * Holds at most one waker: register it while pending, wake it when progress is possible.
 *
 * @example
 * ```ts
 * class Flag extends Future<void> {
 *   set = false;
 *   readonly slot = new WakerSlot();
 *   poll(cx: Context): Poll<void> {
 *     if (this.set) return undefined;
 *     this.slot.register(cx);   // no clone when the same task polls again
 *     return Pending;
 *   }
 *   raise(): void { this.set = true; this.slot.wake(); }
 * }
 * ```
 */
export class WakerSlot {
  /** The stored waker, or null. Read it; change it only through the methods. */
  waker: Waker | null = null;

  /** Stores `cx.waker` (cloned) unless the stored one already wakes the same task. */
  register(cx: Context): void {
    const w = cx.waker;
    const cur = this.waker;
    if (cur === null || !cur.willWake(w)) this.waker = w.clone();
  }

  /** `register` for a bare waker (when the caller holds a `Waker`, not a `Context`). */
  registerWaker(w: Waker): void {
    const cur = this.waker;
    if (cur === null || !cur.willWake(w)) this.waker = w.clone();
  }

  /** Empties the slot and returns the waker it held, or null. */
  take(): Waker | null {
    const w = this.waker;
    this.waker = null;
    return w;
  }

  /** Wakes the stored waker, if any, and empties the slot. */
  wake(): void {
    const w = this.waker;
    if (w !== null) {
      this.waker = null;
      w.wake();
    }
  }

  /** Wakes the stored waker, if any, and keeps it (for resources woken many times per wait). */
  wakeByRef(): void {
    const w = this.waker;
    if (w !== null) w.wakeByRef();
  }

  /** Forgets the stored waker without waking it (cancellation). */
  clear(): void {
    this.waker = null;
  }

  /** True while a waker is stored. */
  get isRegistered(): boolean {
    return this.waker !== null;
  }
}
