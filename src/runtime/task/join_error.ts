/**
 * Errors a `JoinHandle` reports (`JoinError`) and `blockOn`'s `DeadlockError`. They live under the
 * runtime (the machinery that makes them) and are re-exported from `task/` for users.
 *
 * Invariants (test/core/cancel_errors.test.ts): a cancelled JoinError keeps every error the
 * cancellation met (an error thrown into the body before the abort, a cleanup `finally` that
 * threw, a `drop()` that threw) in `errors`, the first of them as `cause`; none is lost.
 * @module
 */

const NO_ERRORS: readonly unknown[] = Object.freeze([]);

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
  /**
   * For a cancelled task: every error the cancellation met, oldest first (an error the body was
   * unwinding from when the abort arrived, one a `finally` block threw, one a dropped future's
   * `drop()` threw). `cause` is the first. Empty for a clean cancellation and for a panic.
   */
  readonly errors: readonly unknown[];
  readonly #cancelled: boolean;

  constructor(kind: 'cancelled' | 'panic', taskId: number, taskName: string, cause?: unknown, errors?: readonly unknown[]) {
    const what =
      kind === 'cancelled'
        ? `task ${taskName} (id ${taskId}) was cancelled${cause === undefined ? '' : ` (errors during cancellation: ${(errors ?? [cause]).map(describe).join('; ')})`}`
        : `task ${taskName} (id ${taskId}) failed: ${describe(cause)}`;
    super(what, cause === undefined ? undefined : { cause });
    this.taskId = taskId;
    this.taskName = taskName;
    this.errors = errors ?? (kind === 'cancelled' && cause !== undefined ? [cause] : NO_ERRORS);
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
