/**
 * The task: one object that is at once the `JoinHandle` (a future of the task's output), the
 * `Context` handed to the futures it polls and the `Waker` that reschedules it. Keeping the three
 * in one object is what keeps a pending task small (see BENCHMARKS.md).
 *
 * A task drives either a generator (the usual body: `yield* fut` awaits) or a single future.
 * @module
 */
import { Future, Pending, RESUME, handoff, type Context, type Poll, type Waker } from '../future/future.js';
import { JoinError } from '../task/join_error.js';
import { WakerBase } from '../future/waker.js';
import { BUDGET, coop } from './coop.js';
import { prepareBody } from './spawn_body.js';
import type { TaskMeta } from './location.js';
import { nextTaskId } from './task/id.js';
import { F_LAST_WAKE, I_POLLS, I_SELF_WAKES, I_WAKES, type StatsSlab } from './task_stats.js';

// State bits.
export const RUNNING = 1;
export const NOTIFIED = 2;
export const COMPLETE = 4;
/** abort() was requested. */
export const CANCELLED = 8;
/** The generator is being unwound (return() called, finally blocks may still await). */
export const CANCELLING = 16;
/** Somebody polled or awaited the handle. */
export const JOIN_INTEREST = 32;
/** The waker was read during the current poll. */
export const WAKER_TOUCHED = 64;
/** Outcome: the body threw. */
export const FAILED = 128;
/** Outcome: cancelled. */
export const ABORTED = 256;
/** The body is a generator that has been started. */
export const STARTED = 512;
/** The body is a plain future, not a generator. */
export const FUTURE_BODY = 1024;
/** The last poll returned Pending without reading the waker (lint: lost waker). */
export const LOST_WAKER = 2048;
/** Its failure was reported to onUnhandledTaskError. */
export const REPORTED = 4096;
/** Not started yet and `awaiting` holds the single spawn argument itself (no array kept). */
export const ONE_ARG = 8192;

/** What a task needs from the executor that runs it. */
export interface TaskScheduler {
  /** Puts a woken task at the back of the ready queue (and makes sure a drain will run). */
  schedule(task: Task<unknown>): void;
  /** The task finished (any outcome). */
  finished(task: Task<unknown>): void;
  /** Per-task counters and times. */
  readonly stats: StatsSlab<Task<unknown>>;
  /** Instrumentation clock, ms. */
  clock(): number;
}

type Body = Generator<unknown, unknown, unknown> | Future<unknown>;
/** A body function not yet called (it is called at the first poll, so spawning stays cheap). */
type BodyFn = (...args: unknown[]) => unknown;

/**
 * Cancellation holds (`shield`, `scope`; see `src/task/cancel_hold.ts`). When `held` is set, an
 * aborted task calls it instead of unwinding at once; while it returns true the task's body is
 * not polled and the abort waits (the held sections run to completion first).
 * @internal
 */
export const cancelGate = {
  held: null as ((task: Task<unknown>) => boolean) | null,
};

/** The task currently being polled on this thread, if any. */
export let currentTask: Task<unknown> | null = null;

/**
 * A handle to a spawned task. Awaiting it (`yield* handle` in a task, `await handle` in async
 * code) gives the task's output or throws a `JoinError`. Dropping the handle detaches the task;
 * `abort()` cancels it.
 *
 * @example
 * ```ts
 * const h = spawn(fetchUser, 42);
 * if (!h.isFinished()) h.abort();
 * ```
 */
export interface JoinHandle<T> extends Future<T> {
  /** Task id, unique in the process. */
  readonly id: number;
  /** Task name: the generator function's name or the one given to `spawnNamed`. */
  readonly name: string;
  /** Cancels the task: its awaited future is dropped and its `finally` blocks run. */
  abort(): void;
  /** True once the task completed, failed or was cancelled. */
  isFinished(): boolean;
}

/** @internal */
export class Task<T> extends Future<T> implements Waker, Context, JoinHandle<T> {
  /**
   * Before the first poll: the body function (or a future). Then the generator or future it
   * made. After completion: the output or the error.
   */
  body: Body | BodyFn | unknown;
  /**
   * The future the generator is suspended on. Before the first poll of a function body it holds
   * the spawn arguments instead (one field for both keeps a task small).
   */
  awaiting: Future<unknown> | null | readonly unknown[];
  state: number;
  /** Who to wake on completion (a task, a promise bridge, or a list of both). */
  joiner: Waker | null = null;
  readonly rt: TaskScheduler;
  readonly id: number;
  /** Name and spawn location, shared by every task of the same body function. */
  readonly meta: TaskMeta;
  /** Slot in the runtime's stats slab, -1 once finished. */
  slot: number;

  constructor(
    rt: TaskScheduler,
    body: BodyFn | Future<unknown>,
    args: readonly unknown[] | null,
    meta: TaskMeta,
    parent: number,
    created: number,
  ) {
    super();
    this.body = body;
    if (args !== null && args.length === 1) {
      // The single argument is kept inline (the caller's array may be reused).
      this.awaiting = args[0] as Future<unknown> | null;
      this.state = ONE_ARG;
    } else {
      this.awaiting = args;
      this.state = body instanceof Future ? FUTURE_BODY | STARTED : 0;
    }
    this.rt = rt;
    this.id = nextTaskId();
    this.meta = meta;
    this.slot = rt.stats.alloc(this, created, parent);
  }

  get name(): string {
    return this.meta.name;
  }

  // ---- Context ----------------------------------------------------------------------------

  /** The context's waker is the task itself; reading it is recorded for the lost-waker lint. */
  get waker(): Waker {
    this.state |= WAKER_TOUCHED;
    return this;
  }

  // ---- Waker -----------------------------------------------------------------------------

  wake(): void {
    this.wakeByRef();
  }

  wakeByRef(): void {
    const st = this.state;
    if ((st & COMPLETE) !== 0) return;
    const rt = this.rt;
    const slot = this.slot;
    const stats = rt.stats;
    stats.incI(slot, I_WAKES);
    if (currentTask === this) stats.incI(slot, I_SELF_WAKES);
    stats.setF(slot, F_LAST_WAKE, rt.clock());
    if ((st & NOTIFIED) !== 0) return;
    this.state = (st | NOTIFIED) & ~LOST_WAKER;
    if ((st & RUNNING) === 0) rt.schedule(this);
  }

  clone(): Waker {
    return this;
  }

  willWake(other: Waker): boolean {
    return other === this;
  }

  // ---- JoinHandle ------------------------------------------------------------------------

  poll(cx: Context): Poll<T> {
    const st = this.state;
    if ((st & COMPLETE) !== 0) {
      this.state = st | JOIN_INTEREST;
      return this.outcome();
    }
    this.state = st | JOIN_INTEREST;
    const w = cx.waker;
    const j = this.joiner;
    if (j === null) this.joiner = w.clone();
    else if (!j.willWake(w)) this.joiner = addJoiner(j, w.clone());
    return Pending;
  }

  /** Output, or throws the JoinError. Only valid once COMPLETE. */
  outcome(): T {
    const st = this.state;
    if ((st & (FAILED | ABORTED)) === 0) return this.body as T;
    if ((st & ABORTED) !== 0) throw new JoinError('cancelled', this.id, this.name, this.body);
    throw new JoinError('panic', this.id, this.name, this.body);
  }

  abort(): void {
    const st = this.state;
    if ((st & (COMPLETE | CANCELLED)) !== 0) return;
    this.state = st | CANCELLED;
    this.wakeByRef();
  }

  isFinished(): boolean {
    return (this.state & COMPLETE) !== 0;
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return joinPromise(this).then(onFulfilled, onRejected);
  }

  // ---- Executor side ---------------------------------------------------------------------

  /** Polls the task once. Called only by the executor, never re-entrantly. */
  run(): void {
    let st = this.state;
    if ((st & (COMPLETE | RUNNING)) !== 0) return;
    this.state = (st | RUNNING) & ~(NOTIFIED | WAKER_TOUCHED);
    const prevTask = currentTask;
    const prevCx = handoff.cx;
    const prevActive = coop.active;
    const prevBudget = coop.budget;
    currentTask = this;
    handoff.cx = this;
    coop.active = true;
    coop.budget = BUDGET;
    this.rt.stats.incI(this.slot, I_POLLS);
    if ((st & CANCELLED) !== 0 && (st & CANCELLING) === 0) {
      const held = cancelGate.held;
      if (held === null || !held(this)) this.startCancel();
    } else if ((st & FUTURE_BODY) !== 0) this.pollFutureBody();
    else this.pollGenerator();
    currentTask = prevTask;
    handoff.cx = prevCx;
    coop.active = prevActive;
    coop.budget = prevBudget;
    st = this.state & ~RUNNING;
    if ((st & COMPLETE) === 0) {
      if ((st & NOTIFIED) !== 0) {
        this.state = st;
        this.rt.schedule(this);
        return;
      }
      if ((st & WAKER_TOUCHED) === 0) st |= LOST_WAKER;
    }
    this.state = st;
  }

  private pollGenerator(): void {
    if ((this.state & STARTED) === 0) {
      this.start();
      return;
    }
    const f = this.awaiting as Future<unknown> | null;
    if (f === null) return;
    let v: unknown;
    try {
      v = f.poll(this);
    } catch (e) {
      this.awaiting = null;
      this.step(MODE_THROW, e);
      return;
    }
    if (v === Pending) return;
    this.awaiting = null;
    this.step(MODE_NEXT, v);
  }

  /** Resumes the generator and runs it to its next suspension or its end. */
  private step(mode: number, input: unknown): void {
    const gen = this.body as Generator<unknown, unknown, unknown>;
    for (;;) {
      let r: IteratorResult<unknown, unknown>;
      try {
        if (mode === MODE_NEXT) {
          handoff.value = input;
          r = gen.next(RESUME);
        } else if (mode === MODE_START) r = gen.next();
        else if (mode === MODE_THROW) r = gen.throw(input);
        else r = gen.return(undefined);
      } catch (e) {
        handoff.yielded = null;
        this.complete(FAILED, e);
        return;
      }
      if (r.done === true) {
        this.complete(0, r.value);
        return;
      }
      const f = r.value;
      if (f !== handoff.yielded || f === null) {
        mode = MODE_THROW;
        input = new TypeError(
          `task ${this.name} yielded ${describeYielded(f)}; await futures with yield* (not yield)`,
        );
        continue;
      }
      handoff.yielded = null;
      this.awaiting = f as Future<unknown>;
      return;
    }
  }

  /** First poll of a function body: call it, then drive what it returned. */
  private start(): void {
    const args = this.awaiting as unknown;
    const one = (this.state & ONE_ARG) !== 0;
    this.awaiting = null;
    this.state = (this.state | STARTED) & ~ONE_ARG;
    const p = prepareBody(this.body as BodyFn, one ? args : args === null ? NO_ARGS : args, one);
    this.body = p.body;
    if (p.futureBody) {
      this.state |= FUTURE_BODY;
      this.pollFutureBody();
    } else this.step(MODE_START, undefined);
  }

  private pollFutureBody(): void {
    const f = this.body as Future<unknown>;
    let v: unknown;
    try {
      v = f.poll(this);
    } catch (e) {
      this.complete(FAILED, e);
      return;
    }
    if (v !== Pending) this.complete(0, v);
  }

  private startCancel(): void {
    this.state |= CANCELLING;
    if ((this.state & STARTED) === 0) {
      // Never started: the body function was not even called.
      this.awaiting = null;
      this.state &= ~ONE_ARG;
      this.complete(ABORTED, undefined);
      return;
    }
    const f = this.awaiting as Future<unknown> | null;
    this.awaiting = null;
    if (f !== null) dropQuietly(f, this);
    if ((this.state & FUTURE_BODY) !== 0) {
      dropQuietly(this.body as Future<unknown>, this);
      this.complete(ABORTED, undefined);
      return;
    }
    this.step(MODE_RETURN, undefined);
  }

  /** Records the outcome, wakes the joiner and tells the scheduler. */
  private complete(kind: number, value: unknown): void {
    let st = this.state;
    if ((st & CANCELLING) !== 0) {
      // Cancellation wins; an error thrown by cleanup is kept as the cause.
      value = kind === FAILED ? value : undefined;
      kind = ABORTED;
    }
    st = (st | COMPLETE | kind) & ~(NOTIFIED | LOST_WAKER);
    this.state = st;
    this.body = value;
    this.awaiting = null;
    const j = this.joiner;
    if (j !== null) {
      this.joiner = null;
      j.wake();
    }
    this.rt.finished(this);
  }
}

const NO_ARGS: readonly unknown[] = [];
const MODE_START = 0;
const MODE_NEXT = 1;
const MODE_THROW = 2;
const MODE_RETURN = 3;

function describeYielded(v: unknown): string {
  if (v instanceof Future) return `a ${v.constructor.name} with a bare yield`;
  if (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') {
    return 'a Promise (wrap it: yield* fromPromise(p))';
  }
  return `a ${v === null ? 'null' : typeof v} value`;
}

/** Reports errors thrown by a future's drop(); cancellation continues regardless. */
export let onDropError: (err: unknown, task: Task<unknown>) => void = (err, task) => {
  console.error(`kyoto: drop() of a future awaited by task ${task.name} (id ${task.id}) threw:`, err);
};

function dropQuietly(f: Future<unknown>, task: Task<unknown>): void {
  try {
    f.drop();
  } catch (e) {
    onDropError(e, task);
  }
}

/** Several parties awaiting one handle. */
class JoinerList implements Waker {
  constructor(readonly list: Waker[]) {}
  wake(): void {
    for (const w of this.list) w.wake();
  }
  wakeByRef(): void {
    for (const w of this.list) w.wakeByRef();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

function addJoiner(j: Waker, w: Waker): Waker {
  if (j instanceof JoinerList) {
    for (const x of j.list) if (x.willWake(w)) return j;
    j.list.push(w);
    return j;
  }
  return new JoinerList([j, w]);
}

/** Bridges a task's completion to a Promise for `await handle` in plain async code. */
class PromiseJoiner extends WakerBase {
  constructor(
    readonly task: Task<unknown>,
    readonly resolve: (v: unknown) => void,
    readonly reject: (e: unknown) => void,
  ) {
    super();
  }
  wake(): void {
    settleFrom(this.task, this.resolve, this.reject);
  }
}

function settleFrom(task: Task<unknown>, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
  try {
    resolve(task.outcome());
  } catch (e) {
    reject(e);
  }
}

function joinPromise<T>(task: Task<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const st = task.state;
    task.state = st | JOIN_INTEREST;
    const res = resolve as (v: unknown) => void;
    if ((st & COMPLETE) !== 0) settleFrom(task, res, reject);
    else {
      const pj = new PromiseJoiner(task, res, reject);
      task.joiner = task.joiner === null ? pj : addJoiner(task.joiner, pj);
    }
  });
}
