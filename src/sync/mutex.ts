/**
 * `Mutex<T>`: an async, FIFO-fair mutual-exclusion lock around a value.
 * @module
 */
import type { Future } from '../future/future.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { Acquire, BatchSemaphore } from './batch_semaphore.js';
import { GuardReleasedError } from './errors.js';

/**
 * Exclusive access to a {@link Mutex}'s value. Read and replace it through `.value`; the lock is
 * released by `using` (Symbol.dispose) or `release()`. Using the guard after release throws
 * `GuardReleasedError`.
 *
 * @example
 * ```ts
 * using g = yield* counter.lock();
 * g.value += 1;
 * ```
 */
export class MutexGuard<T> implements Disposable {
  private m: Mutex<T> | null;

  constructor(m: Mutex<T>) {
    this.m = m;
  }

  /**
   * The protected value.
   *
   * @example
   * ```ts
   * using g = yield* m.lock();
   * g.value = g.value + 1;
   * ```
   */
  get value(): T {
    const m = this.m;
    if (m === null) throw new GuardReleasedError('MutexGuard used after the lock was released');
    return m.data;
  }

  set value(v: T) {
    const m = this.m;
    if (m === null) throw new GuardReleasedError('MutexGuard used after the lock was released');
    m.data = v;
  }

  /**
   * Unlocks (idempotent). The next queued `lock()` gets the mutex.
   *
   * @example
   * ```ts
   * const g = yield* m.lock();
   * try { g.value++; } finally { g.release(); }
   * ```
   */
  release(): void {
    const m = this.m;
    if (m === null) return;
    this.m = null;
    m.core.release(1);
  }

  /**
   * True until released.
   *
   * @example
   * ```ts
   * g.release(); g.isHeld(); // false
   * ```
   */
  isHeld(): boolean {
    return this.m !== null;
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

class MutexLock<T> extends Acquire<MutexGuard<T>> {
  constructor(private readonly m: Mutex<T>) {
    super(m.core, 1);
  }
  protected acquired(): MutexGuard<T> {
    return new MutexGuard(this.m);
  }
}

/**
 * An async mutex. `lock()` waiters are served strictly in the order they started waiting.
 *
 * Cancel safety: dropping a pending `lock()` leaves the queue in O(1); if the lock had already
 * been handed to it, it is passed on to the next waiter (never lost).
 *
 * @example
 * ```ts
 * const m = new Mutex({ hits: 0 });
 * function* hit(m: Mutex<{ hits: number }>) {
 *   using g = yield* m.lock();
 *   g.value.hits++;
 * }
 * ```
 */
export class Mutex<T> {
  /** @internal */
  data: T;
  /** @internal */
  readonly core = new BatchSemaphore(1);

  constructor(value: T) {
    this.data = value;
    trackResource(this);
  }

  /**
   * A future of the guard; waits (FIFO) while another holder has it.
   *
   * @example
   * ```ts
   * using g = yield* m.lock();
   * ```
   */
  lock(): Future<MutexGuard<T>> {
    return new MutexLock(this);
  }

  /**
   * The guard if the mutex is free (and nobody is queued), else `null`.
   *
   * @example
   * ```ts
   * const g = m.tryLock();
   * if (g) { using _ = g; g.value++; }
   * ```
   */
  tryLock(): MutexGuard<T> | null {
    return this.core.tryTake(1) ? new MutexGuard(this) : null;
  }

  /**
   * True while some guard holds the lock (or it is being handed to a waiter).
   *
   * @example
   * ```ts
   * if (m.isLocked()) log('busy');
   * ```
   */
  isLocked(): boolean {
    return this.core.permits === 0;
  }

  resourceInfo(): ResourceInfo {
    return {
      kind: 'mutex',
      label: this.isLocked() ? 'locked' : 'unlocked',
      waiters: this.core.waiters.length,
      details: { locked: this.isLocked() },
    };
  }
}
