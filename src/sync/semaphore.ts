/**
 * `Semaphore`: a FIFO-fair counting semaphore with batch acquisition.
 * @module
 */
import type { Future } from '../future/future.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { Acquire, BatchSemaphore, MAX_PERMITS } from './batch_semaphore.js';
import { AcquireError, checkCount } from './errors.js';

/**
 * Permits held from a {@link Semaphore}. Release them with `using`, `release()`, or keep them
 * out of circulation for good with `forget()`.
 *
 * @example
 * ```ts
 * using permit = yield* sem.acquire();
 * // ...permit released at the end of the block
 * ```
 */
export class SemaphorePermit implements Disposable {
  private sem: BatchSemaphore | null;
  /** How many permits this object holds. */
  permits: number;

  constructor(sem: BatchSemaphore, permits: number) {
    this.sem = sem;
    this.permits = permits;
  }

  /**
   * Gives the permits back to the semaphore (idempotent).
   *
   * @example
   * ```ts
   * const p = yield* sem.acquire();
   * try { yield* work(); } finally { p.release(); }
   * ```
   */
  release(): void {
    const sem = this.sem;
    if (sem === null) return;
    this.sem = null;
    const n = this.permits;
    this.permits = 0;
    sem.release(n);
  }

  /**
   * Drops the permits without returning them: the semaphore has that many fewer for good.
   *
   * @example
   * ```ts
   * (yield* sem.acquire()).forget(); // shrink the pool by one
   * ```
   */
  forget(): void {
    const sem = this.sem;
    if (sem === null) return;
    this.sem = null;
    sem.forget(this.permits);
    this.permits = 0;
  }

  /** True until released or forgotten. */
  isHeld(): boolean {
    return this.sem !== null;
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

class SemaphoreAcquire extends Acquire<SemaphorePermit> {
  protected acquired(): SemaphorePermit {
    return new SemaphorePermit(this.sem, this.needed);
  }
}

/**
 * A counting semaphore. `acquire(n)` waits in FIFO order: a request for many permits at the
 * head of the queue is served before later smaller ones (no starvation).
 *
 * Cancel safety: dropping a pending `acquire` leaves the queue in O(1); if permits had already
 * been assigned to it they are handed to the next waiter. No permit is lost.
 *
 * @example
 * ```ts
 * const sem = new Semaphore(3);           // at most 3 downloads at once
 * function* download(sem: Semaphore, url: string) {
 *   using _p = yield* sem.acquire();
 *   return yield* fetchIt(url);
 * }
 * ```
 */
export class Semaphore {
  /** Largest number of permits a semaphore can hold. */
  static readonly MAX_PERMITS = MAX_PERMITS;
  /** @internal */
  readonly core: BatchSemaphore;

  constructor(permits: number) {
    this.core = new BatchSemaphore(checkCount('Semaphore permits', permits, 0, MAX_PERMITS));
    trackResource(this);
  }

  /**
   * A future of `n` permits (default 1). Throws `AcquireError` if the semaphore is (or gets)
   * closed while waiting.
   *
   * @example
   * ```ts
   * using p = yield* sem.acquire(2);
   * ```
   */
  acquire(n = 1): Future<SemaphorePermit> {
    return new SemaphoreAcquire(this.core, checkCount('Semaphore.acquire permits', n, 0, MAX_PERMITS));
  }

  /**
   * Takes `n` permits now if they are free and nobody is queued; else `null`. Throws
   * `AcquireError` when closed.
   *
   * @example
   * ```ts
   * const p = sem.tryAcquire();
   * if (p) { try { work(); } finally { p.release(); } }
   * ```
   */
  tryAcquire(n = 1): SemaphorePermit | null {
    checkCount('Semaphore.tryAcquire permits', n, 0, MAX_PERMITS);
    const core = this.core;
    if (core.closed) throw new AcquireError(`cannot acquire ${n} permit(s): the semaphore is closed`);
    return core.tryTake(n) ? new SemaphorePermit(core, n) : null;
  }

  /**
   * Adds `n` permits (waking waiters they satisfy). Throws `RangeError` past `MAX_PERMITS`.
   *
   * @example
   * ```ts
   * sem.addPermits(2);
   * ```
   */
  addPermits(n: number): void {
    checkCount('Semaphore.addPermits count', n, 0, MAX_PERMITS - this.core.total);
    this.core.add(n);
  }

  /**
   * Closes the semaphore: every queued and future `acquire` throws `AcquireError`. Permits
   * already held stay valid and may still be released.
   *
   * @example
   * ```ts
   * sem.close();
   * ```
   */
  close(): void {
    this.core.close();
  }

  isClosed(): boolean {
    return this.core.closed;
  }

  /**
   * Permits free right now: what `tryAcquire` could take. Permits a waiter at the head of the
   * queue has gathered (a pending `acquire(3)` on two permits holds both) are not free.
   *
   * @example
   * ```ts
   * log(`${sem.availablePermits} free`);
   * ```
   */
  get availablePermits(): number {
    return this.core.permits;
  }

  /**
   * Every permit of the semaphore: free, held by permits, or gathered by a waiter (initial count,
   * plus `addPermits`, minus `forget`).
   *
   * @example
   * ```ts
   * new Semaphore(3).totalPermits; // 3
   * ```
   */
  get totalPermits(): number {
    return this.core.total;
  }

  resourceInfo(): ResourceInfo {
    const c = this.core;
    const info: ResourceInfo = {
      kind: 'semaphore',
      label: `${c.permits} permit(s) free`,
      waiters: c.waiters.length,
      details: { permits: c.permits, total: c.total, gathered: c.assigned, closed: c.closed },
    };
    const h = c.waiters.head;
    const why = h === null ? null : h.describeWait();
    if (h !== null && why !== null) {
      info.problems = [{ kind: 'semaphore-oversized-acquire', severity: 'error', message: why, value: h.needed, count: 1 }];
    }
    return info;
  }
}
