/**
 * Errors shared by every layer of kyoto: the one `PolledAfterCompletionError`.
 *
 * Invariant: every built-in future that is polled again after it returned its value (or threw)
 * throws this class, with a message naming the future (`test/sync/shared_util.test.ts`).
 * @module
 */

/**
 * Thrown when a future is polled again after it completed: a future yields its value once.
 * `what` names the future (`'join()'`, `'connect'`, ...).
 *
 * @example
 * ```ts
 * const f = join(ready(1), ready(2));
 * f.poll(cx);                       // [1, 2]
 * try { f.poll(cx); } catch (e) { e instanceof PolledAfterCompletionError; } // true
 * ```
 */
export class PolledAfterCompletionError extends Error {
  override name = 'PolledAfterCompletionError';
  /** The future that was polled again, as named in the message. */
  readonly what: string;
  constructor(what: string) {
    super(`${what} future polled after it completed`);
    this.what = what;
  }
}
