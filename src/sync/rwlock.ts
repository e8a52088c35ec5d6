/**
 * `RwLock<T>`: an async reader-writer lock, write-preferring and FIFO-fair.
 * @module
 */
import type { Future } from '../future/future.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { Acquire, BatchSemaphore } from './batch_semaphore.js';
import { GuardReleasedError } from './errors.js';

/** Upper bound on concurrent readers (a writer takes all of them). */
const MAX_READS = 0x1fffffff;

/**
 * Shared read access to an {@link RwLock}'s value; released by `using` or `release()`.
 *
 * @example
 * ```ts
 * using r = yield* cfg.read();
 * console.log(r.value.port);
 * ```
 */
export class RwLockReadGuard<T> implements Disposable {
  private l: RwLock<T> | null;
  constructor(l: RwLock<T>) {
    this.l = l;
  }
  /** The protected value (read-only access by contract). */
  get value(): T {
    const l = this.l;
    if (l === null) throw new GuardReleasedError('RwLockReadGuard used after the lock was released');
    return l.data;
  }
  /**
   * Releases this read lock (idempotent).
   *
   * @example
   * ```ts
   * r.release();
   * ```
   */
  release(): void {
    const l = this.l;
    if (l === null) return;
    this.l = null;
    l.core.release(1);
  }
  isHeld(): boolean {
    return this.l !== null;
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * Exclusive write access to an {@link RwLock}'s value; released by `using` or `release()`.
 *
 * @example
 * ```ts
 * using w = yield* cfg.write();
 * w.value = { ...w.value, port: 8080 };
 * ```
 */
export class RwLockWriteGuard<T> implements Disposable {
  private l: RwLock<T> | null;
  constructor(l: RwLock<T>) {
    this.l = l;
  }
  get value(): T {
    const l = this.l;
    if (l === null) throw new GuardReleasedError('RwLockWriteGuard used after the lock was released');
    return l.data;
  }
  set value(v: T) {
    const l = this.l;
    if (l === null) throw new GuardReleasedError('RwLockWriteGuard used after the lock was released');
    l.data = v;
  }
  /**
   * Releases the write lock (idempotent).
   *
   * @example
   * ```ts
   * w.release();
   * ```
   */
  release(): void {
    const l = this.l;
    if (l === null) return;
    this.l = null;
    l.core.release(MAX_READS);
  }
  isHeld(): boolean {
    return this.l !== null;
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

class ReadLock<T> extends Acquire<RwLockReadGuard<T>> {
  constructor(private readonly l: RwLock<T>) {
    super(l.core, 1);
  }
  protected acquired(): RwLockReadGuard<T> {
    return new RwLockReadGuard(this.l);
  }
}

class WriteLock<T> extends Acquire<RwLockWriteGuard<T>> {
  constructor(private readonly l: RwLock<T>) {
    super(l.core, MAX_READS);
  }
  protected acquired(): RwLockWriteGuard<T> {
    return new RwLockWriteGuard(this.l);
  }
}

/**
 * A reader-writer lock. Any number of readers, or one writer. Requests are served in FIFO
 * order, so a waiting writer holds back readers that arrive after it: writers never starve.
 *
 * Cancel safety: dropping a pending `read()`/`write()` leaves the queue in O(1); access already
 * handed to it is passed on.
 *
 * @example
 * ```ts
 * const cfg = new RwLock({ port: 80 });
 * using r = yield* cfg.read();
 * ```
 */
export class RwLock<T> {
  /** @internal */
  data: T;
  /** @internal */
  readonly core = new BatchSemaphore(MAX_READS);

  constructor(value: T) {
    this.data = value;
    trackResource(this);
  }

  /**
   * A future of shared read access.
   *
   * @example
   * ```ts
   * using r = yield* cfg.read();
   * ```
   */
  read(): Future<RwLockReadGuard<T>> {
    return new ReadLock(this);
  }

  /**
   * A future of exclusive write access.
   *
   * @example
   * ```ts
   * using w = yield* cfg.write();
   * w.value = next;
   * ```
   */
  write(): Future<RwLockWriteGuard<T>> {
    return new WriteLock(this);
  }

  /**
   * Read access now if no writer holds or waits for the lock; else `null`.
   *
   * @example
   * ```ts
   * const r = cfg.tryRead();
   * if (r !== null) { use(r.value); r.release(); }
   * ```
   */
  tryRead(): RwLockReadGuard<T> | null {
    return this.core.tryTake(1) ? new RwLockReadGuard(this) : null;
  }

  /**
   * Write access now if nobody holds or waits for the lock; else `null`.
   *
   * @example
   * ```ts
   * const w = cfg.tryWrite();
   * if (w !== null) { w.value = next; w.release(); }
   * ```
   */
  tryWrite(): RwLockWriteGuard<T> | null {
    return this.core.tryTake(MAX_READS) ? new RwLockWriteGuard(this) : null;
  }

  /**
   * Number of read guards currently held (0 while writing).
   *
   * @example
   * ```ts
   * log(`${cfg.readers} reader(s)`);
   * ```
   */
  get readers(): number {
    // A waiting writer gathers the permits readers release: those are not readers.
    const held = MAX_READS - this.core.permits - this.core.assigned;
    return held === MAX_READS ? 0 : held;
  }

  resourceInfo(): ResourceInfo {
    const p = this.core.permits;
    const r = this.readers;
    const state = p === MAX_READS ? 'unlocked' : r === 0 ? 'write-locked' : `${r} reader(s)`;
    return { kind: 'rwlock', label: state, waiters: this.core.waiters.length, details: { readers: this.readers } };
  }
}
