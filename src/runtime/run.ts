/**
 * `run(main)`: the program entry point. Creates a runtime, runs `main` as its root task, shuts
 * the runtime down (cancelling whatever `main` left running) and resolves with `main`'s output.
 *
 * Invariants: the runtime is shut down whether `main` returns or throws; `main`'s own error is
 * what the promise rejects with. Proved by test/core/executor.test.ts.
 * @module
 */
import type { Future } from '../future/future.js';
import { Runtime, type RuntimeOptions } from './runtime.js';
import type { AnyFn, BodyArgs, BodyOutput } from './spawn_body.js';

/**
 * Creates a runtime, runs `main` on it, shuts it down (cancelling whatever `main` left running)
 * and resolves with `main`'s output.
 *
 * @example
 * ```ts
 * await run(function* main() { yield* sleep(100); console.log('done'); });
 * ```
 */
export async function run<B extends AnyFn | Future<unknown>>(main: B, opts?: RuntimeOptions): Promise<BodyOutput<B>> {
  const rt = new Runtime(opts);
  try {
    return await rt.blockOn(main, ...([] as unknown as BodyArgs<B>));
  } finally {
    await rt.shutdown();
  }
}
