/**
 * `timeout(ms, fut)` and `timeoutAt(instant, fut)`.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { fromGenerator } from '../future/gen_future.js';
import { isGenerator } from '../runtime/spawn_body.js';
import { clockNow, deadlineAfter } from '../runtime/time/driver.js';
import { checkDuration, describeValue } from './duration.js';
import { Instant, checkInstant } from './instant.js';
import { Sleep } from './sleep.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/**
 * Thrown by `timeout`/`timeoutAt` when the deadline passes before the inner future completed
 * (the inner future has been dropped by then).
 *
 * @example
 * ```ts
 * try { yield* timeout(100, fetchUser(1)); }
 * catch (e) { if (e instanceof ElapsedError) console.log('too slow, deadline was', e.deadline); }
 * ```
 */
export class ElapsedError extends Error {
  override name = 'ElapsedError';
  /** The deadline that passed. */
  readonly deadline: Instant;
  constructor(message: string, deadline: Instant) {
    super(message);
    this.deadline = deadline;
  }
}

/** The earlier name of {@link ElapsedError}: the same class, so `instanceof Elapsed` keeps working. */
export const Elapsed = ElapsedError;
/** The earlier name of {@link ElapsedError}. */
export type Elapsed = ElapsedError;

/** What `timeout` accepts: a future, or a generator object (driven like `future(genFn, ...)`). */
export type TimeoutTarget<T> = Future<T> | Generator<unknown, T, unknown>;

/**
 * The future of `timeout`/`timeoutAt`: the inner future's output, or throws `Elapsed`.
 *
 * The inner future is polled first, so a result that is ready at the deadline wins. On expiry
 * the inner future is dropped (its registrations are removed, a generator's `finally` blocks
 * run) before `Elapsed` is thrown. Dropping the timeout drops both.
 *
 * @example
 * ```ts
 * const t = timeout(500, rx.recv());
 * console.log(t.deadline);
 * const msg = yield* t;
 * ```
 */
export class Timeout<T> extends Future<T> {
  private inner: Future<T> | null;
  private readonly delay: Sleep;
  private readonly what: string;

  /** @internal Use `timeout` or `timeoutAt`. */
  constructor(inner: Future<T>, deadlineMs: number, what: string) {
    super();
    this.inner = inner;
    this.delay = new Sleep(deadlineMs);
    this.what = what;
  }

  /**
   * The instant at which the timeout expires.
   *
   * @example
   * ```ts
   * timeout(100, f).deadline; // now + 100 ms
   * ```
   */
  get deadline(): Instant {
    return this.delay.deadline;
  }

  poll(cx: Context): Poll<T> {
    const inner = this.inner;
    if (inner === null) throw new PolledAfterCompletionError('timeout()');
    let v: Poll<T>;
    try {
      v = inner.poll(cx);
    } catch (e) {
      this.inner = null;
      this.delay.drop();
      throw e;
    }
    if (v !== Pending) {
      this.inner = null;
      this.delay.drop();
      return v;
    }
    // The deadline is checked even when the inner future used up the task's budget.
    if (this.delay.pollSleep(cx, false) === Pending) return Pending;
    this.inner = null;
    inner.drop();
    throw new ElapsedError(`${this.what}: deadline elapsed before the future completed`, this.delay.deadline);
  }

  override drop(): void {
    const inner = this.inner;
    this.inner = null;
    this.delay.drop();
    inner?.drop();
  }
}

function toFuture<T>(fn: string, f: unknown): Future<T> {
  if (f instanceof Future) return f as Future<T>;
  if (isGenerator(f)) return fromGenerator(f as Generator<unknown, T, unknown>);
  const hint =
    typeof f === 'function'
      ? ' (pass a generator object, fn(...args), or future(fn, ...args))'
      : f !== null && typeof f === 'object' && typeof (f as { then?: unknown }).then === 'function'
        ? ' (wrap a promise with fromPromise(p))'
        : '';
  throw new TypeError(`${fn}: expected a Future or a generator object, got ${describeValue(f)}${hint}`);
}

/**
 * Runs `fut` with a time limit of `ms` milliseconds: its output, or throws `Elapsed` (after
 * dropping `fut`). `fut` is a future or a generator object; `future(genFn, ...args)` does the
 * same for generator code. `Infinity` never expires. The deadline is fixed at the call.
 *
 * @example
 * ```ts
 * function* fetchUser(id: number) { yield* sleep(50); return { id }; }
 * const user = yield* timeout(1000, future(fetchUser, 7));
 * const same = yield* timeout(1000, fetchUser(7)); // a generator object works too
 * ```
 */
export function timeout<T>(ms: number, fut: TimeoutTarget<T>): Timeout<T> {
  checkDuration('timeout', ms);
  const f = toFuture<T>('timeout', fut);
  return new Timeout(f, ms === Infinity ? Infinity : ms === 0 ? clockNow() : deadlineAfter(ms), 'timeout');
}

/**
 * Like `timeout`, with an absolute deadline.
 *
 * @example
 * ```ts
 * const deadline = Instant.now().add(5000);
 * const a = yield* timeoutAt(deadline, stepOne());
 * const b = yield* timeoutAt(deadline, stepTwo(a)); // one budget for both steps
 * ```
 */
export function timeoutAt<T>(deadline: Instant, fut: TimeoutTarget<T>): Timeout<T> {
  const d = checkInstant('timeoutAt', deadline).ms;
  return new Timeout(toFuture<T>('timeoutAt', fut), d, 'timeoutAt');
}
