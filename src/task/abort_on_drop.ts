/**
 * `abortOnDrop(handle)`: a future of a task's output that aborts the task when it is dropped.
 *
 * Dropping a `JoinHandle` only detaches its task (as in Tokio); wrapping it makes the handle own
 * the work, so `timeout(ms, abortOnDrop(h))`, a lost `select` branch or `join` over such handles
 * stop the tasks they gave up on.
 *
 * Invariants (test/edge/abort_on_drop.test.ts):
 * - Polling it is polling the handle: the task's output, or its `JoinError`.
 * - `drop()` before the task finished calls `abort()` once; after it finished, or after the
 *   output was taken, it does nothing.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/** What `abortOnDrop` needs of a handle: `JoinHandle` and parallel handles both fit. */
export interface AbortableHandle<T> extends Future<T> {
  abort(): void;
  isFinished(): boolean;
}

class AbortOnDrop<T> extends Future<T> {
  constructor(private handle: AbortableHandle<T> | null) {
    super();
  }

  poll(cx: Context): Poll<T> {
    const h = this.handle;
    if (h === null) throw new PolledAfterCompletionError('abortOnDrop()');
    let v: Poll<T>;
    try {
      v = h.poll(cx);
    } catch (e) {
      this.handle = null;
      throw e;
    }
    if (v !== Pending) this.handle = null;
    return v;
  }

  override drop(): void {
    const h = this.handle;
    if (h === null) return;
    this.handle = null;
    if (!h.isFinished()) h.abort();
  }
}

/**
 * A future of `handle`'s output that aborts the task if the future is dropped first (a `timeout`
 * fires, a `select` branch loses, the awaiting task is aborted). The task's `finally` blocks run
 * as with `handle.abort()`.
 *
 * @example
 * ```ts
 * const h = spawn(crawl, url);
 * const pages = yield* timeout(1_000, abortOnDrop(h)); // on Elapsed, crawl is aborted too
 * ```
 */
export function abortOnDrop<T>(handle: AbortableHandle<T>): Future<T> {
  if (!(handle instanceof Future) || typeof (handle as { abort?: unknown }).abort !== 'function') {
    throw new TypeError('abortOnDrop expects a JoinHandle (the value spawn() returns)');
  }
  return new AbortOnDrop(handle);
}
