/**
 * `JoinHandle`: what every spawn returns (a local `Task`, or a `RemoteHandle` for a task on the
 * worker pool).
 * @module
 */
import type { Future } from '../../future/future.js';

/**
 * A handle to a spawned task. Awaiting it (`yield* handle` in a task, `await handle` in async
 * code) gives the task's output or throws a `JoinError`. Dropping the handle detaches the task;
 * `abort()` cancels it.
 *
 * @example
 * ```ts
 * const h = spawn(fetchUser, 42);
 * if (!h.isFinished()) h.abort();
 * ```
 */
export interface JoinHandle<T> extends Future<T> {
  /** Task id, unique among the handles of this thread. */
  readonly id: number;
  /** Task name: the generator function's name or the one given to `spawnNamed`. */
  readonly name: string;
  /** Cancels the task: its awaited future is dropped and its `finally` blocks run. */
  abort(): void;
  /** True once the task completed, failed or was cancelled. */
  isFinished(): boolean;
}
