/**
 * The future model: `Pending`, `Poll<T>`, `Waker`, `Context` and the abstract `Future<T>`.
 *
 * A future is a value that is computed by being polled. `poll(cx)` either returns the value
 * (Ready) or the `Pending` sentinel, and before returning `Pending` it arranges for
 * `cx.waker.wake()` to be called when polling again could make progress. Futures are lazy:
 * nothing happens until somebody polls them.
 *
 * Inside a task body (a generator function) `const v = yield* fut` awaits a future and is typed
 * `T`. A `Future` is its own iterator, so awaiting allocates nothing.
 *
 * @module
 */

/**
 * The sentinel a future's `poll` returns when it is not ready yet. It is a unique symbol, so a
 * Ready value never needs a wrapper object.
 *
 * @example
 * ```ts
 * class Never extends Future<number> {
 *   poll(_cx: Context): Poll<number> { return Pending }
 * }
 * ```
 */
export const Pending: unique symbol = Symbol.for('kyoto.Pending');

/** The result of polling: the value, or `Pending`. */
export type Poll<T> = T | typeof Pending;

/**
 * A handle that tells the executor a task should be polled again.
 *
 * Waking is idempotent: a task sits in the ready queue at most once, however often it is woken.
 *
 * @example
 * ```ts
 * const waker = cx.waker.clone();      // keep it past this poll
 * setTimeout(() => waker.wake(), 10);  // later: reschedule the task
 * ```
 */
export interface Waker {
  /** Schedules the task; the waker should not be used afterwards (it may be). */
  wake(): void;
  /** Schedules the task and keeps the waker usable. */
  wakeByRef(): void;
  /** A waker that wakes the same task; keep clones, not the `cx.waker` you were lent. */
  clone(): Waker;
  /** True when both wake the same task, so a stored waker need not be replaced. */
  willWake(other: Waker): boolean;
}

/**
 * What `poll` is given: the waker of the task that is polling.
 *
 * @example
 * ```ts
 * poll(cx: Context) { this.waker = cx.waker.clone(); return Pending }
 * ```
 */
export interface Context {
  readonly waker: Waker;
}

/** Resume token passed by the executor to `Future.next` when an awaited future became ready. */
export const RESUME: unique symbol = Symbol('kyoto.resume');

/** @internal executor ↔ Future.next hand-off; see `runtime/task.ts`. */
export const handoff = {
  /** The value the executor resumes a `yield*` with. */
  value: undefined as unknown,
  /** The future that last suspended a generator through `yield*` (to reject bare `yield`). */
  yielded: null as Future<unknown> | null,
  /** The context of the task being polled, or null outside any task. */
  cx: null as Context | null,
  /**
   * Set when a future polled at a `yield*` threw (the error is thrown into the generator there,
   * out of the task's sight): the task keeps it in case an abort interrupts the unwinding.
   */
  threw: false,
  /** What it threw (valid while `threw`). */
  thrown: undefined as unknown,
  /**
   * When set (by the console), called each time a future suspends a task through `yield*`, while
   * the generator frames that awaited it are still on the stack (for await-chain dumps).
   */
  trace: null as ((fut: Future<unknown>, cx: Context) => void) | null,
};

interface MutableResult {
  value: unknown;
  done: boolean;
}
// Shared iterator results: `yield*` reads them at once, so one object of each serves every await.
const YIELD: MutableResult = { value: undefined, done: false };
const DONE: MutableResult = { value: undefined, done: true };

/**
 * Thrown when a future is awaited with `yield*` outside a kyoto task, or `spawn()` is called
 * outside one.
 *
 * @example
 * ```ts
 * try { spawn(worker); } catch (e) { if (e instanceof NoRuntimeError) rt.spawn(worker); }
 * ```
 */
export class NoRuntimeError extends Error {
  override name = 'NoRuntimeError';
}

/**
 * A value computed by polling. Subclass it to write your own future: implement `poll`, and
 * `drop` if the future registers anything (a timer, a waiter) that must be removed when the
 * future is abandoned before completing.
 *
 * Awaiting inside a task is `const v = yield* fut`. An exception thrown by `poll` is thrown at
 * the `yield*`, so `try`/`catch`/`finally` work as in async code.
 *
 * @example
 * ```ts
 * // The seeds' CounterFuture: ready after `max` polls, waking itself each time.
 * class CounterFuture extends Future<string> {
 *   count = 0;
 *   constructor(readonly max: number) { super(); }
 *   poll(cx: Context): Poll<string> {
 *     if (this.count >= this.max) return `Done at ${this.count}`;
 *     this.count++;
 *     cx.waker.wakeByRef();
 *     return Pending;
 *   }
 * }
 * const msg = await run(function* () { return yield* new CounterFuture(3); });
 * ```
 */
export abstract class Future<T> implements Iterator<Future<unknown>, T, unknown>, PromiseLike<T>, Disposable {
  constructor() {
    // One load and compare per future unless the console watches (sampled) for unpolled ones.
    const created = futureHooks.created;
    if (created !== null) created(this as Future<unknown>);
  }

  /** Advances the future: the value when ready, else `Pending` after registering `cx.waker`. */
  abstract poll(cx: Context): Poll<T>;

  /**
   * Cancellation: called when the future is abandoned before it completed. Release every
   * registration (timers, waiter-list entries, sockets). Must be idempotent. Default: nothing.
   */
  drop(): void {}

  /** `using fut = ...` drops the future at the end of the block. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /** A future is its own iterator, so `yield* fut` allocates nothing. */
  [Symbol.iterator](): Iterator<Future<unknown>, T, unknown> {
    return this;
  }

  /**
   * Iterator protocol used by `yield*`. The first call polls the future at once (a ready future
   * never suspends the task); if it is pending, the future itself is yielded to the executor,
   * which resumes the generator with the value once a later poll is ready.
   * @internal
   */
  next(token?: unknown): IteratorResult<Future<unknown>, T> {
    if (token === RESUME) {
      DONE.value = handoff.value;
      handoff.value = undefined;
      return DONE as IteratorResult<Future<unknown>, T>;
    }
    const cx = handoff.cx;
    if (cx === null) {
      throw new NoRuntimeError(
        `${this.constructor.name} was awaited with yield* outside a kyoto task; run the generator with spawn(), rt.blockOn() or run()`,
      );
    }
    let v: Poll<T>;
    try {
      v = this.poll(cx);
    } catch (e) {
      handoff.threw = true;
      handoff.thrown = e;
      throw e;
    }
    if (v !== Pending) {
      DONE.value = v;
      return DONE as IteratorResult<Future<unknown>, T>;
    }
    YIELD.value = this;
    handoff.yielded = this;
    if (handoff.trace !== null) handoff.trace(this, cx);
    return YIELD as IteratorResult<Future<unknown>, T>;
  }

  /** @internal `yield*` forwards a generator's `return()` here during cancellation. */
  return(value?: unknown): IteratorResult<Future<unknown>, T> {
    DONE.value = value;
    return DONE as IteratorResult<Future<unknown>, T>;
  }

  /** @internal `yield*` forwards an error thrown into the generator here: rethrow it at the await. */
  throw(err?: unknown): IteratorResult<Future<unknown>, T> {
    throw err;
  }

  /**
   * Makes every future awaitable from async code: the first `then` (what `await` calls) runs the
   * future as a task (on the current runtime, or the default one from plain async code) and
   * every `then` settles with its output or its error. A future is run once, however many times
   * it is awaited. Inside a task, await with `yield*`, which needs no task of its own.
   *
   * @example
   * ```ts
   * async function handler() {
   *   await sleep(200);                  // really waits 200 ms
   *   const msg = await rx.recv();       // a kyoto future, awaited from async code
   * }
   * ```
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    let p = running.get(this) as Promise<T> | undefined;
    if (p === undefined) {
      const run = thenHooks.run;
      p =
        run === null
          ? Promise.reject(new NoRuntimeError(`${this.constructor.name} was awaited before kyoto's runtime was loaded`))
          : (run(this) as Promise<T>);
      running.set(this, p);
    }
    return p.then(onFulfilled, onRejected);
  }
}

/**
 * @internal Set by the console while it runs: told of each future created (it samples them to
 * report those dropped without ever being polled; see `console/unpolled.ts`).
 */
export const futureHooks = {
  created: null as ((fut: Future<unknown>) => void) | null,
};

/** The promise of each future that was awaited from async code (a future runs once). */
const running = new WeakMap<Future<unknown>, Promise<unknown>>();

/** @internal How `Future.then` runs a future as a task; installed by `task/interop.ts`. */
export const thenHooks = {
  run: null as ((fut: Future<unknown>) => Promise<unknown>) | null,
};

/** The value type a future resolves to. */
export type Output<F> = F extends Future<infer T> ? T : never;

/**
 * The type of a task body generator: it yields futures and returns `T`.
 *
 * @example
 * ```ts
 * function* handleClient(id: number): Gen<string> { yield* sleep(1); return `client ${id}`; }
 * ```
 */
export type Gen<T> = Generator<Future<unknown>, T, unknown>;

/**
 * True when `x` is a kyoto future.
 *
 * @example
 * ```ts
 * const f = isFuture(x) ? x : fromPromise(Promise.resolve(x));
 * ```
 */
export function isFuture(x: unknown): x is Future<unknown> {
  return x instanceof Future;
}
