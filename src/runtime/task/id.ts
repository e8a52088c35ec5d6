/**
 * Task ids: every `JoinHandle` (a local `Task`, a `RemoteHandle` of a task on the worker pool)
 * takes its id from `context.taskIds` (`runtime/context.ts`), one `TaskIdSource` at a time.
 *
 * - Outside a simulation the source is `processTaskIds`: ids start at 1 (0 means "no parent" in
 *   the stats slab) and only grow, so no two handles on one thread share an id. Worker threads
 *   have their own module instance and so their own sequence: an id names a task among the
 *   handles of the thread that holds them.
 * - A simulator installs a source of its own while it drives simulated hosts (`kyoto/sim` makes
 *   one per run, starting at 1): ids are then unique within the run and identical across replays
 *   of a seed, and the process sequence is neither consumed nor disturbed by the run.
 *
 * Why an object with a counter rather than a function: swapping the source is one field write,
 * and taking an id stays a field read and an increment, with no branch per spawn.
 *
 * Invariants: `take()` never returns the same id twice for one source, and returns the ids
 * `first, first + 1, ...` in order. Proved by test/core/task_id.test.ts (process ids) and
 * test/sim/task_ids.test.ts (a run's ids).
 * @module
 */

/**
 * A sequence of task ids.
 *
 * @example
 * ```ts
 * const ids = new TaskIdSource(1);
 * ids.take(); // 1
 * ids.take(); // 2
 * ```
 */
export class TaskIdSource {
  private next: number;

  constructor(first = 1) {
    if (!Number.isSafeInteger(first) || first < 1) throw new RangeError(`TaskIdSource: first id must be a safe integer >= 1, got ${String(first)}`);
    this.next = first;
  }

  /** Takes the next id. */
  take(): number {
    return this.next++;
  }
}

/** @internal The process's (this thread's) task ids: the source outside simulations. */
export const processTaskIds = new TaskIdSource(1);
