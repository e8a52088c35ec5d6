/**
 * Promise interop: `toPromise(fut)` runs a future and gives a Promise of its output.
 * @module
 */
import { thenHooks, type Future } from '../future/future.js';
import { ambientRuntime } from '../runtime/runtime.js';

/**
 * Runs `fut` as a task and returns a Promise of its output; the promise rejects with the future's
 * own error. The task runs on the current runtime; from plain async code, on the runtime running
 * a `blockOn` if exactly one is, else on the process's default runtime. `await fut` does the same.
 *
 * @example
 * ```ts
 * const v = await toPromise(ready(1)); // 1
 * ```
 */
export function toPromise<T>(fut: Future<T>): Promise<T> {
  return ambientRuntime().blockOn(fut);
}

// `await fut` from async code runs the future as a root task, as `toPromise` does.
thenHooks.run = (fut) => ambientRuntime().blockOn(fut);
