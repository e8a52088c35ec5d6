/**
 * kyoto parallel: tasks that run on a pool of worker threads with work stealing, and
 * `spawnBlocking` (see docs/parallel.md).
 * @module
 */
export { parallel, parallelTask } from './parallel.js';
export type { ParallelTask, SpawnOptions } from './parallel.js';
export { DuplicateTaskError, UnknownTaskError } from '../runtime/scheduler/multi_thread/registry.js';
export { ParallelArgumentError, WorkerDiedError } from '../runtime/scheduler/multi_thread/errors.js';
export { EntryModuleTaskError } from '../runtime/scheduler/multi_thread/entry_guard.js';
export { NoParallelRuntimeError } from '../runtime/scheduler/multi_thread/current.js';
export { ParallelHeapExhaustedError } from '../runtime/scheduler/multi_thread/heap.js';
export type { ParallelWorkerMetrics } from '../runtime/scheduler/multi_thread/pool.js';
export { spawnBlocking } from './spawn_blocking.js';
export { DEFAULT_MAX_BLOCKING_THREADS } from '../runtime/blocking/blocking_pool.js';
