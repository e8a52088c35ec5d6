/**
 * Errors a `JoinHandle` reports.
 * @module
 */

/**
 * Awaiting a task that failed or was cancelled throws a `JoinError`. `isCancelled()` says it
 * was aborted (or its runtime shut down); `isPanic()` says its body threw, and `cause` holds
 * the original error.
 *
 * @example
 * ```ts
 * try { yield* handle; }
 * catch (e) { if (e instanceof JoinError && e.isCancelled()) console.log('aborted'); }
 * ```
 */
export class JoinError extends Error {
  override name = 'JoinError';
  /** Id of the task that failed. */
  readonly taskId: number;
  /** Name of the task that failed. */
  readonly taskName: string;
  readonly #cancelled: boolean;

  constructor(kind: 'cancelled' | 'panic', taskId: number, taskName: string, cause?: unknown) {
    const what =
      kind === 'cancelled'
        ? `task ${taskName} (id ${taskId}) was cancelled`
        : `task ${taskName} (id ${taskId}) failed: ${describe(cause)}`;
    super(what, cause === undefined ? undefined : { cause });
    this.taskId = taskId;
    this.taskName = taskName;
    this.#cancelled = kind === 'cancelled';
  }

  /** The task was aborted or its runtime shut down before it finished. */
  isCancelled(): boolean {
    return this.#cancelled;
  }

  /** The task's body threw; `cause` is what it threw. */
  isPanic(): boolean {
    return !this.#cancelled;
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return '<unprintable>';
  }
}

/**
 * `blockOn` rejects with this when its task is pending and nothing can ever wake anything:
 * the ready queue is empty and Node's event loop has nothing left to do. `tasks` lists the stuck
 * tasks and what each awaits.
 *
 * @example
 * ```ts
 * await rt.blockOn(function* () { yield* pending(); }); // rejects with DeadlockError
 * ```
 */
export class DeadlockError extends Error {
  override name = 'DeadlockError';
  constructor(
    message: string,
    /** One line per stuck task: id, name, location and what it awaits. */
    readonly tasks: readonly string[],
  ) {
    super(message);
  }
}
