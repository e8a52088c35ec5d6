/**
 * `ExternalWaker`: a waker slot for a wait on a Node stream event that the runtime's deadlock
 * check cannot see.
 *
 * Deadlock detection ignores Node's pipe and TTY handles (stdio would otherwise keep every
 * program "busy"), so a task waiting on stdin or a child's pipe would be reported as deadlocked.
 * While a waker is registered here the wait is counted among the runtime's external waits (the
 * counter `fromPromise` uses), and uncounted when woken or cleared. Invariant
 * (test/process/stdio.test.ts): the count is raised at most once per registration and always
 * lowered again.
 * @module
 */
import type { Context } from '../future/future.js';
import { promiseWaits } from '../future/promise.js';
import { WakerSlot } from '../future/waker_slot.js';

/**
 * A `WakerSlot` whose registration counts as an external wake source.
 *
 * @example
 * ```ts
 * stream.on('readable', () => this.waker.wake());
 * // in poll: this.waker.register(cx); return Pending;
 * ```
 */
export class ExternalWaker {
  private readonly slot = new WakerSlot();
  private counted = false;

  /** Stores the waker and counts the wait. */
  register(cx: Context): void {
    this.slot.register(cx);
    if (!this.counted) {
      this.counted = true;
      promiseWaits.pending++;
    }
  }

  /** Wakes the stored waker (if any) and uncounts the wait. */
  wake(): void {
    this.uncount();
    this.slot.wake();
  }

  /** Forgets the waker without waking it. */
  clear(): void {
    this.uncount();
    this.slot.clear();
  }

  private uncount(): void {
    if (this.counted) {
      this.counted = false;
      promiseWaits.pending--;
    }
  }
}
