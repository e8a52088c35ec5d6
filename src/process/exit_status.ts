/**
 * `ExitStatus`: how a child process ended — an exit code or a signal.
 *
 * Invariant: exactly one of `code` and `signal` is non-null; `success` is `code === 0`. A
 * non-zero exit is a status, not an error (as in Tokio). Proved by test/process/child.test.ts.
 * @module
 */

/**
 * The end of a child process.
 *
 * @example
 * ```ts
 * const st = yield* new Command('false').status();
 * if (!st.success) console.log(`failed: ${st}`); // failed: exit status: 1
 * ```
 */
export class ExitStatus {
  /** @internal */
  constructor(
    /** The exit code, or null when a signal ended the process. */
    readonly code: number | null,
    /** The signal that ended the process (`SIGKILL`, ...), or null. */
    readonly signal: NodeJS.Signals | null,
  ) {}

  /** True for exit code 0. */
  get success(): boolean {
    return this.code === 0;
  }

  /** `exit status: 3` or `signal: SIGKILL`, as std prints it. */
  toString(): string {
    return this.code !== null ? `exit status: ${this.code}` : `signal: ${this.signal ?? 'unknown'}`;
  }
}
