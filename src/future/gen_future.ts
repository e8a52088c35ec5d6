/**
 * `future(body, ...args)`: a generator driven as a future inside the task that awaits it (an
 * async block, in Rust terms), so generator code can be joined, raced, selected and timed out
 * without spawning a task.
 * @module
 */
import { Future, Pending, handoff, type Context, type Gen, type Poll } from './future.js';
import { StepMode, step, stepOut } from './gen_step.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/** Runs async cleanup that a dropped generator future still had to do (set by the runtime). */
export const cleanupHooks = {
  /** Drives `gen` (already returning) to completion on the current or default runtime. */
  finishCleanup: null as ((gen: Generator<unknown, unknown, unknown>, awaiting: Future<unknown>) => void) | null,
};

/** @internal A generator polled as a future. */
export class GenFuture<T> extends Future<T> {
  private gen: Generator<unknown, T, unknown> | null;
  private awaiting: Future<unknown> | null = null;
  private started = false;
  /** The generator function that made `gen`, when known (names the frame in await-chain dumps). */
  readonly fn: ((...args: never[]) => unknown) | null;

  constructor(gen: Generator<unknown, T, unknown>, fn: ((...args: never[]) => unknown) | null = null) {
    super();
    this.gen = gen;
    this.fn = fn;
  }

  /** A future that continues `gen`, which is suspended on `awaiting` (used for async cleanup). */
  static resume<T>(gen: Generator<unknown, T, unknown>, awaiting: Future<unknown>): GenFuture<T> {
    const f = new GenFuture(gen);
    f.started = true;
    f.awaiting = awaiting;
    return f;
  }

  poll(cx: Context): Poll<T> {
    const gen = this.gen;
    if (gen === null) throw new PolledAfterCompletionError('generator');
    const prevCx = handoff.cx;
    handoff.cx = cx;
    try {
      let mode: StepMode;
      let input: unknown;
      if (!this.started) {
        this.started = true;
        mode = StepMode.START;
        input = undefined;
      } else {
        const f = this.awaiting;
        if (f === null) return Pending;
        try {
          input = f.poll(cx);
          mode = StepMode.NEXT;
        } catch (e) {
          input = e;
          mode = StepMode.THROW;
        }
        if (input === Pending) return Pending;
        this.awaiting = null;
      }
      let next: Future<unknown> | null;
      try {
        next = step(gen as Generator<unknown, unknown, unknown>, mode, input, null);
      } catch (e) {
        this.gen = null;
        throw e;
      }
      if (next === null) {
        this.gen = null;
        return stepOut.value as T;
      }
      this.awaiting = next;
      return Pending;
    } finally {
      handoff.cx = prevCx;
    }
  }

  /**
   * Drops the awaited future, then runs the generator's `finally` blocks. If cleanup itself
   * awaits, the rest of it is driven by a cleanup task on the runtime.
   */
  override drop(): void {
    const gen = this.gen;
    if (gen === null) return;
    this.gen = null;
    const f = this.awaiting;
    this.awaiting = null;
    f?.drop();
    if (!this.started) return;
    const r = gen.return(undefined as T);
    if (r.done !== true) {
      const next = r.value;
      handoff.yielded = null;
      if (next instanceof Future && cleanupHooks.finishCleanup !== null) {
        cleanupHooks.finishCleanup(gen as Generator<unknown, unknown, unknown>, next);
      }
    }
  }
}

/**
 * A future that runs `body(...args)` (a generator function) when polled, inside the awaiting
 * task. Use it to pass generator code to `join`, `select`, `race` or `timeout`.
 *
 * @example
 * ```ts
 * function* fetchUser(id: number) { yield* sleep(10); return { id }; }
 * const [a, b] = yield* join(future(fetchUser, 1), future(fetchUser, 2));
 * ```
 */
export function future<A extends unknown[], T>(body: (...args: A) => Gen<T> | Generator<unknown, T, unknown>, ...args: A): Future<T> {
  return new GenFuture(body(...args) as Generator<unknown, T, unknown>, body as (...args: never[]) => unknown);
}

/**
 * Wraps a generator object (already created) as a future.
 *
 * @example
 * ```ts
 * const f = fromGenerator(fetchUser(1));
 * ```
 */
export function fromGenerator<T>(gen: Generator<unknown, T, unknown>): Future<T> {
  return new GenFuture(gen);
}
