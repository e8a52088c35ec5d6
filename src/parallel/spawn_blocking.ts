/**
 * `spawnBlocking(task, ...args)`: runs a registered task on the blocking pool.
 * @module
 */
import { Runtime } from '../runtime/runtime.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { blockingPoolOf } from '../runtime/blocking/blocking_pool.js';
import { lookupTask } from '../runtime/scheduler/multi_thread/registry.js';
import { threadState } from '../runtime/scheduler/multi_thread/current.js';
import type { ParallelTask } from './parallel.js';
import './error_classes.js';

/**
 * Runs `task(...args)` on a thread of the blocking pool, for synchronous work that would stall a
 * worker's executor (sync file system calls, native addons, heavy parsing). The pool grows on
 * demand up to `maxBlockingThreads` threads; idle threads exit after 10 s
 * (`blockingKeepAliveMs`); the queue is unbounded. Arguments and the result are copied by
 * structured clone. A started blocking task cannot be aborted: `abort()` only removes a queued
 * one. Uses the runtime polling the caller, else the most recent multi-thread runtime, else the
 * default runtime.
 *
 * @example
 * ```ts
 * export const hashFile = parallel(import.meta.url, 'hashFile', (path: string) =>
 *   createHash('sha256').update(readFileSync(path)).digest('hex'));
 * function* main() { return yield* spawnBlocking(hashFile, '/etc/hosts'); }
 * ```
 */
export function spawnBlocking<A extends unknown[], R>(task: ParallelTask<A, R>, ...args: A): JoinHandle<R> {
  const entry = lookupTask(task.name);
  if (entry === undefined) throw new TypeError(`spawnBlocking: ${String(task.name)} is not a registered parallel task`);
  const pools = threadState.pools;
  const rt = Runtime.tryCurrent() ?? (pools.length > 0 ? (pools[pools.length - 1] as unknown as { rt: Runtime }).rt : Runtime.default());
  return blockingPoolOf(rt).spawn<R>(entry, args, null);
}
