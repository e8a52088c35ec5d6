/**
 * kyoto: a Tokio-style async runtime for TypeScript on Node.js.
 *
 * @example
 * ```ts
 * import { run, spawn, sleep } from 'kyoto';
 * function* worker(id: number) { yield* sleep(10); return id * 2; }
 * const out = await run(function* main() {
 *   const a = spawn(worker, 1), b = spawn(worker, 2);
 *   return (yield* a) + (yield* b);
 * });
 * ```
 * @module
 */
export { Pending, Future, NoRuntimeError, isFuture } from './future/future.js';
export type { Poll, Waker, Context, Gen, Output } from './future/future.js';
export { ready, pending, pollFn, lazy } from './future/helpers.js';
export { fromPromise } from './future/promise.js';
export type { PromiseFn } from './future/promise.js';
export { future, fromGenerator } from './future/gen_future.js';
export { trackResource, listResources } from './runtime/resources.js';
export type { ResourceInfo, TrackedResource } from './runtime/resources.js';
export { registerRuntimeExtension } from './runtime/runtime.js';
export type { RuntimeExtension } from './runtime/runtime.js';
export { noopWaker, wakerFn, contextFromWaker, WakerBase } from './future/waker.js';
export { WakerSlot } from './future/waker_slot.js';
export { PolledAfterCompletionError } from './util/errors.js';
export { toPromise } from './task/interop.js';
export { yieldNow } from './task/yield_now.js';
export { JoinError, DeadlockError } from './runtime/task/join_error.js';
export type { JoinHandle } from './runtime/task/join_handle.js';
export { Runtime, RuntimeShutdownError, RuntimeOptionsError } from './runtime/runtime.js';
export { spawn, spawnNamed } from './runtime/spawn.js';
export { run, runWith } from './runtime/run.js';
export type { RunOptions } from './runtime/run.js';
export type { RuntimeOptions, BodyArgs, BodyOutput, BlockOnOptions, ShutdownOptions } from './runtime/runtime.js';
export type { RuntimeMetrics, WorkerMetrics } from './runtime/metrics.js';
export type { TaskSnapshot } from './runtime/snapshot.js';
export type { TaskInfo, Driver } from './runtime/driver.js';
export { Histogram } from './runtime/histogram.js';
export { pollProceed, hasBudgetRemaining, unconstrained, BUDGET } from './runtime/coop.js';
export { SpawnError } from './runtime/spawn_body.js';
export * from './task/index.js';
export * from './io/index.js';
export * from './signal/index.js';
export * from './time/index.js';
export * from './sync/index.js';
export * from './net/index.js';
export * from './stream/index.js';
export * from './parallel/index.js';
export * from './console/index.js';
