/**
 * The one source of task ids on this thread: every `JoinHandle` (a local `Task`, a `RemoteHandle`
 * of a task on the worker pool) takes its id here, so no two handles alive on one thread share an
 * id. Ids start at 1 (0 means "no parent" in the stats slab) and only grow.
 *
 * Worker threads have their own module instance and so their own sequence: an id names a task
 * among the handles of the thread that holds them. Proved by test/core/task_id.test.ts.
 * @module
 */

let next = 1;

/** @internal Takes the next task id. */
export function nextTaskId(): number {
  return next++;
}
