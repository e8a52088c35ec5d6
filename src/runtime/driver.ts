/**
 * `Driver`: something a runtime drives alongside its tasks (the timer wheel, the I/O registry,
 * the blocking pool, the console, the worker pool), and `TaskInfo`, a task's identity as given to
 * hooks. Both schedulers call drivers the same way.
 * @module
 */

/** Something driven alongside the tasks: the timer wheel, the I/O registry, the console. */
export interface Driver {
  /**
   * Called when a drain ends with an empty ready queue. Return true if the driver made tasks
   * ready (paused time auto-advancing to the next timer, say).
   */
  onIdle?(): boolean;
  /** Lines for deadlock reports and dumps: what the driver is holding (timers, sockets). */
  describe?(): string[];
  /**
   * Called once when the runtime shuts down, after every task finished (or the grace period of
   * `rt.shutdown({ timeoutMs })` ended: then `deadline` is that `performance.now()` time). A
   * returned promise (worker threads terminating, say) is awaited before `rt.shutdown()`
   * resolves, until the deadline at most.
   */
  shutdown?(deadline?: number): void | Promise<void>;
  /** Adds the driver's figures to the runtime metrics. */
  metrics?(into: Record<string, unknown>): void;
  /**
   * How many registrations could still wake a task (armed timers, open sockets). Zero lets the
   * runtime conclude that a stuck `blockOn` is deadlocked.
   */
  pendingWakeSources?(): number;
}

/** Identity of a task, as given to hooks. */
export interface TaskInfo {
  readonly id: number;
  readonly name: string;
  readonly location: string;
}
