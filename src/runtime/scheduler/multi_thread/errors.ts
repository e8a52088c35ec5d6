/**
 * The errors the multi-thread scheduler and the blocking pool report themselves.
 * @module
 */

/**
 * Thrown by `spawn` when an argument cannot be copied to another thread (a function, a
 * symbol...); the message names the task. Also the cause of a task whose result cannot be copied.
 *
 * @example
 * ```ts
 * try { echo.spawn(() => 1); } catch (e) { if (e instanceof ParallelArgumentError) console.log(e.message); }
 * ```
 */
export class ParallelArgumentError extends TypeError {
  override name = 'ParallelArgumentError';
}

/**
 * The cause carried by a `JoinError` when the thread running the task died (uncaught error
 * outside a task, `process.exit`, out of memory); the message says which thread and why.
 *
 * @example
 * ```ts
 * try { yield* h; } catch (e) { if (e instanceof JoinError && e.cause instanceof WorkerDiedError) retry(); }
 * ```
 */
export class WorkerDiedError extends Error {
  override name = 'WorkerDiedError';
}
