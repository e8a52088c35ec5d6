/**
 * `spawn` and `spawnNamed`: spawning on the runtime polling the caller.
 *
 * Invariants: no array is allocated for zero or one argument (the single argument is copied
 * into the task at once, so the shared one-element array can be reused, and it is emptied
 * again: it keeps no argument alive); outside a task they throw `NoRuntimeError`. Proved by
 * test/core/task.test.ts, test/core/spawn_args.test.ts and bench/core.ts (spawn rows).
 * @module
 */
import type { Future } from '../future/future.js';
import { Runtime } from './runtime.js';
import type { AnyFn, BodyArgs, BodyOutput, SpawnBody } from './spawn_body.js';
import type { JoinHandle } from './task/join_handle.js';
import type { Task } from './task/task.js';

const NO_ARGS: readonly unknown[] = [];
// A reused one-element array: spawnTask copies the single argument into the task at once.
const ONE: unknown[] = [undefined];
function oneArg(a: unknown): readonly unknown[] {
  ONE[0] = a;
  return ONE;
}

/**
 * Spawns a task on the current runtime (the one polling the caller). Throws `NoRuntimeError`
 * outside a task.
 *
 * @example
 * ```ts
 * function* server(listener: TcpListener) {
 *   for (;;) {
 *     const [stream] = yield* listener.accept();
 *     spawn(handleClient, stream); // hoisted generator + args: the cheap form
 *   }
 * }
 * ```
 */
export const spawn = spawnCurrent as <B extends AnyFn | Future<unknown>>(
  body: B,
  ...args: BodyArgs<B>
) => JoinHandle<BodyOutput<B>>;

function spawnCurrent(body: SpawnBody): Task<unknown> {
  // `arguments` instead of a rest parameter: no array is allocated for 0 or 1 argument.
  const n = arguments.length;
  // eslint-disable-next-line prefer-rest-params
  if (n !== 2) return Runtime.current().spawnTask(null, body, n === 1 ? NO_ARGS : (Array.prototype.slice.call(arguments, 1) as unknown[]));
  try {
    return Runtime.current().spawnTask(null, body, oneArg(arguments[1]));
  } finally {
    ONE[0] = undefined;
  }
}

/**
 * `spawn` with a name.
 *
 * @example
 * ```ts
 * spawnNamed(`client ${addr}`, handleClient, stream);
 * ```
 */
export function spawnNamed<B extends AnyFn | Future<unknown>>(
  name: string,
  body: B,
  ...args: BodyArgs<B>
): JoinHandle<BodyOutput<B>> {
  return Runtime.current().spawnTask(name, body as SpawnBody, args) as JoinHandle<BodyOutput<B>>;
}

/**
 * @internal `spawnNamed` with one argument whose first poll runs at once, inside the caller's
 * poll, when the scheduler allows it (`Executor.spawnEager`): for a task the caller awaits next
 * and that often completes at its first poll (an HTTP request's handler). On `rt` when given
 * (from outside any task: `toNodeHandler`).
 */
export function spawnNamedEager(name: string, body: SpawnBody, arg: unknown, rt: Runtime = Runtime.current()): Task<unknown> {
  try {
    return rt.spawnTaskEager(name, body, oneArg(arg));
  } finally {
    ONE[0] = undefined;
  }
}
