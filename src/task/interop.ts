/**
 * Promise interop: `toPromise(fut)` runs a future and gives a Promise of its output.
 * @module
 */
import type { Future } from '../future/future.js';
import { Runtime } from '../runtime/runtime.js';

/**
 * Runs `fut` as a task (on the current runtime, or on the process's default runtime when called
 * from plain async code) and returns a Promise of its output. The promise rejects with the
 * future's own error.
 *
 * @example
 * ```ts
 * const v = await toPromise(ready(1)); // 1
 * ```
 */
export function toPromise<T>(fut: Future<T>): Promise<T> {
  return (Runtime.tryCurrent() ?? Runtime.default()).blockOn(fut);
}
