/**
 * Which thread context a parallel spawn uses: the worker's own on a worker thread; on the main
 * thread, the pool of the runtime polling the caller, else the most recently created pool.
 * @module
 */
import { NoRuntimeError } from '../../../future/future.js';
import { Runtime } from '../../runtime.js';
import type { ThreadContext } from './thread_context.js';

/** @internal */
export const POOL_KEY = Symbol.for('kyoto.multiThreadPool');

interface PoolLike {
  readonly ctx: ThreadContext;
  isClosed(): boolean;
}

/** @internal */
export const threadState = {
  /** Set on a worker thread. */
  worker: null as ThreadContext | null,
  /** Live pools of this thread, most recent last. */
  pools: [] as PoolLike[],
};

/**
 * Thrown when a parallel task is spawned with no multi-thread runtime to run it.
 *
 * @example
 * ```ts
 * const rt = new Runtime({ flavor: 'multi_thread' }); // create one first
 * ```
 */
export class NoParallelRuntimeError extends NoRuntimeError {
  override name = 'NoParallelRuntimeError';
}

/** @internal */
export function currentContext(taskName: string): ThreadContext {
  if (threadState.worker !== null) return threadState.worker;
  const rt = Runtime.tryCurrent();
  if (rt !== null) {
    const p = rt.executor.drivers.get(POOL_KEY) as unknown as PoolLike | undefined;
    if (p !== undefined && !p.isClosed()) return p.ctx;
  }
  const pools = threadState.pools;
  for (let i = pools.length - 1; i >= 0; i--) if (!pools[i]!.isClosed()) return pools[i]!.ctx;
  throw new NoParallelRuntimeError(
    `cannot spawn parallel task ${taskName}: no multi-thread runtime is running; create one with new Runtime({ flavor: 'multi_thread', workers: n })`,
  );
}
