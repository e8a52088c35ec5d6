/**
 * The per-thread runtime context: every piece of mutable state the runtime keeps outside its
 * objects, in one place (Tokio's `runtime/context.rs`). Each thread (the main thread, each worker)
 * has its own module instance and so its own context.
 *
 * Held here:
 * - `task`: the task being polled (null between polls). Set and restored by the scheduler around
 *   each poll; read by `Runtime.current`-style lookups, `shield`, `scope` and the console.
 * - `executor`: the scheduler draining right now (null outside a drain); `Runtime.tryCurrent()`
 *   is `executor.runtime`.
 * - `wakerRead`: the polled task read `cx.waker` during this poll (the lost-waker lint).
 * - `cancelHold`: the cancellation gate `shield`/`scope` install (null: no holds exist).
 * - `clock`: how time is read and host timers armed (`clock.ts`); a runtime takes the clock
 *   installed when it is created, so the simulator installs a virtual one while it boots a host.
 * - `taskIds`: where `JoinHandle` ids come from (`task/id.ts`): the process sequence, or a
 *   simulation run's own while the simulator drives its hosts.
 *
 * Kept beside the code that owns them (each documented there): the coop budget
 * (`runtime/coop.ts`: reset by the scheduler before each poll), the `yield*` hand-off
 * (`future/future.ts` `handoff`: value, yielded future, polling context, await tracer), async
 * cleanup of dropped generator futures (`future/gen_future.ts` `cleanupHooks`), shield depth
 * (`task/shield.ts`), task-local frames (`task/task_local.ts`) and pending promise bridges
 * (`future/promise.ts` `promiseWaits`).
 *
 * Invariants (test/core/context.test.ts): outside any poll `task` is null and `executor` is the
 * draining scheduler or null; a poll restores both to what they were before it (polls may nest
 * when a hook spawns and drains synchronously).
 * @module
 */
import type { Context, Waker } from '../future/future.js';
import { realClock, type Clock } from './clock.js';
import { processTaskIds, type TaskIdSource } from './task/id.js';

/** What the context knows of a task (the `Task` class implements it). */
export interface ContextTask extends Context, Waker {
  readonly id: number;
  readonly name: string;
}

/** What the context knows of a scheduler (the current-thread `Executor` implements it). */
export interface ContextScheduler {
  /** The runtime facade that owns it (set by `Runtime`'s constructor). */
  readonly runtime: unknown;
}

/** @internal The context of this thread (see the module comment). */
export const context = {
  task: null as ContextTask | null,
  executor: null as ContextScheduler | null,
  wakerRead: false,
  cancelHold: null as ((task: ContextTask) => boolean) | null,
  clock: realClock as Clock,
  taskIds: processTaskIds as TaskIdSource,
};
