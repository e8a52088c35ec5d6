/**
 * The task: one object that is at once the `JoinHandle` (a future of the task's output), the
 * `Context` handed to the futures it polls and the `Waker` that reschedules it. Keeping the three
 * in one object is what keeps a pending task small (88 bytes, eight fields; see BENCHMARKS.md).
 *
 * A task drives either a generator (the usual body: `yield* fut` awaits) or a single future. Its
 * lifecycle changes only through the named transitions of `state.ts`; its body kind and outcome
 * through `stage.ts`; its counters and lint flags live in the scheduler's stats slab.
 *
 * Invariants (test/core/task.test.ts, test/core/task_state.test.ts, test/core/cancel_errors.test.ts):
 * `run` is never re-entered for one task; a completed task is never polled again; every error met
 * while a task is cancelled (an error thrown into its body that it was unwinding from, a `drop()`
 * or a `finally` that threw) ends up in the JoinError's `errors`, and is reported to
 * `onUnhandledTaskError` when nobody awaits the handle.
 * @module
 */
import { Future, Pending, handoff, type Context, type Poll, type Waker } from '../../future/future.js';
import { StepMode, step, stepOut } from '../../future/gen_step.js';
import { prepareBody } from '../spawn_body.js';
import type { TaskMeta } from '../location.js';
import { context } from '../context.js';
import { FLAG_LOST_WAKER, I_POLLS, I_SELF_WAKES, I_WAKES, F_LAST_WAKE, type StatsSlab } from '../task_stats.js';
import { JoinError } from './join_error.js';
import type { JoinHandle } from './join_handle.js';
import { joinPromise, registerJoiner, wakeJoiners } from './join_waiters.js';
import * as S from './state.js';
import { IdleVerdict, Lifecycle, RunVerdict, WakeVerdict } from './state.js';
import * as G from './stage.js';
import { Stage } from './stage.js';

/** Instrumentation hooks a scheduler may carry (see `runtime/probe.ts`). */
export interface TaskProbe {
  onWake(task: Task<unknown>): void;
}

/** What a task needs from the scheduler that runs it. */
export interface TaskScheduler {
  /** Puts a woken task at the back of the ready queue (and makes sure a drain will run). */
  schedule(task: Task<unknown>): void;
  /** The task finished (any outcome). */
  finished(task: Task<unknown>): void;
  /** Per-task counters, times and lint flags. */
  readonly stats: StatsSlab<Task<unknown>>;
  /** Instrumentation clock, ms. */
  clock(): number;
  /** Installed instrumentation, or null. */
  readonly probe: TaskProbe | null;
}

type Body = Generator<unknown, unknown, unknown> | Future<unknown>;
/** A body function not yet called (it is called at the first poll, so spawning stays cheap). */
type BodyFn = (...args: unknown[]) => unknown;

/** The outcome of a cancelled task that met errors on the way (see JoinError.errors). */
class CancelledOutcome {
  constructor(readonly errors: unknown[]) {}
}

/**
 * Errors met before or during a cancellation, kept beside the tasks (rare: only tasks that had an
 * error thrown into their body, or a `drop()` that threw, have an entry).
 */
const delivered = new WeakMap<Task<unknown>, unknown>();
const dropErrors = new WeakMap<Task<unknown>, unknown[]>();

const NO_ARGS: readonly unknown[] = [];

/** @internal */
export class Task<T> extends Future<T> implements Waker, Context, JoinHandle<T> {
  /**
   * Before the first poll: the body function (or a future). Then the generator or future it
   * made. After completion: the output, the error, or the cancelled outcome (see `stage`).
   */
  body: Body | BodyFn | unknown;
  /**
   * The future the generator is suspended on. Before the first poll of a function body it holds
   * the spawn arguments instead (one field for both keeps a task small).
   */
  awaiting: Future<unknown> | null | readonly unknown[];
  /** Lifecycle bits (`state.ts`) and, in bits 8–10, the stage (`stage.ts`). */
  state: number;
  /** Who to wake on completion (`join_waiters.ts`). */
  joiner: Waker | null = null;
  readonly rt: TaskScheduler;
  readonly id: number;
  /** Name and spawn location, shared by every task of the same body function. */
  readonly meta: TaskMeta;
  /** Slot in the scheduler's stats slab, -1 once finished. */
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
      this.state = G.withStage(Lifecycle.INITIAL, Stage.FN_ONE);
    } else {
      this.awaiting = args;
      this.state = G.withStage(Lifecycle.INITIAL, body instanceof Future ? Stage.FUTURE : Stage.FN);
    }
    this.rt = rt;
    this.id = context.taskIds.take();
    this.meta = meta;
    this.slot = rt.stats.alloc(this, created, parent);
  }

  get name(): string {
    return this.meta.name;
  }

  // ---- Context ----------------------------------------------------------------------------

  /** The context's waker is the task itself; reading it is recorded for the lost-waker lint. */
  get waker(): Waker {
    context.wakerRead = true;
    return this;
  }

  // ---- Waker -----------------------------------------------------------------------------

  wake(): void {
    this.wakeByRef();
  }

  wakeByRef(): void {
    const v = S.toNotified(this);
    if (v === WakeVerdict.IGNORE) return;
    const rt = this.rt;
    const slot = this.slot;
    const stats = rt.stats;
    stats.incI(slot, I_WAKES);
    if (context.task === this) stats.incI(slot, I_SELF_WAKES);
    stats.setF(slot, F_LAST_WAKE, rt.clock());
    const p = rt.probe;
    if (p !== null) p.onWake(this);
    if (v === WakeVerdict.SCHEDULE) rt.schedule(this);
  }

  clone(): Waker {
    return this;
  }

  willWake(other: Waker): boolean {
    return other === this;
  }

  // ---- JoinHandle ------------------------------------------------------------------------

  poll(cx: Context): Poll<T> {
    if (S.toJoinInterest(this)) return this.outcome();
    registerJoiner(this, cx.waker);
    return Pending;
  }

  /** Output, or throws the JoinError. Only valid once complete. */
  outcome(): T {
    const stage = G.stageOf(this.state);
    if (stage === Stage.OK) return this.body as T;
    if (stage === Stage.CANCELLED) {
      const b = this.body;
      if (b instanceof CancelledOutcome) throw new JoinError('cancelled', this.id, this.name, b.errors[0], b.errors);
      throw new JoinError('cancelled', this.id, this.name);
    }
    throw new JoinError('panic', this.id, this.name, this.body);
  }

  abort(): void {
    if (S.toCancelled(this)) this.wakeByRef();
  }

  isFinished(): boolean {
    return S.isComplete(this.state);
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    S.toJoinInterest(this);
    return joinPromise<T>(this).then(onFulfilled, onRejected);
  }

  // ---- Queries and marks for task groups, holds, snapshots and the console ----------------

  /** Marks that somebody observes the outcome; returns whether the task already finished. */
  markJoinInterest(): boolean {
    return S.toJoinInterest(this);
  }

  /** The observer went away: a later failure is reported as unhandled. */
  dropJoinInterest(): void {
    S.dropJoinInterest(this);
  }

  /**
   * Registers `cx`'s waker to be woken at completion without claiming the outcome (a failure
   * nobody awaits stays reported). Returns whether the task already finished.
   */
  watchCompletion(cx: Context): boolean {
    if (S.isComplete(this.state)) return true;
    registerJoiner(this, cx.waker);
    return false;
  }

  /** Finished because its body threw (not cancelled). */
  failed(): boolean {
    return G.stageOf(this.state) === Stage.ERR;
  }

  /** An abort is waiting to be carried out at the next poll (cancellation holds wake it then). */
  abortWaiting(): boolean {
    return S.isAbortWaiting(this.state);
  }

  /** Finished with an error nobody observes: failed, or cancelled with errors (to report). */
  unobservedError(): boolean {
    const st = this.state;
    if ((st & Lifecycle.JOIN_INTEREST) !== 0) return false;
    const stage = G.stageOf(st);
    return stage === Stage.ERR || (stage === Stage.CANCELLED && this.body instanceof CancelledOutcome);
  }

  /** What to hand to onUnhandledTaskError: the thrown error, or the cancelled JoinError. */
  unhandledError(): unknown {
    if (G.stageOf(this.state) === Stage.ERR) return this.body;
    try {
      return this.outcome();
    } catch (e) {
      return e;
    }
  }

  /** The future at the root of its await chain (console), or null when not running one. */
  awaitRoot(): Future<unknown> | null {
    const stage = G.stageOf(this.state);
    if (S.isComplete(this.state)) return null;
    if (stage === Stage.FUTURE) return this.body as Future<unknown>;
    if (stage === Stage.GEN) return this.awaiting as Future<unknown> | null;
    return null;
  }

  /** Its last poll returned Pending without reading `cx.waker`, and nothing woke it since. */
  hasLostWaker(): boolean {
    return this.slot >= 0 && S.isIdle(this.state) && this.rt.stats.flag(this.slot, FLAG_LOST_WAKER);
  }

  /** True for a task whose body is a plain future. */
  isFutureBody(): boolean {
    return G.stageOf(this.state) === Stage.FUTURE;
  }

  /** Its phase, as `TaskSnapshot.state` names it. */
  phase(): 'running' | 'scheduled' | 'idle' | 'cancelling' | 'done' | 'failed' | 'cancelled' {
    const st = this.state;
    if (S.isComplete(st)) {
      const g = G.stageOf(st);
      return g === Stage.CANCELLED ? 'cancelled' : g === Stage.ERR ? 'failed' : 'done';
    }
    if ((st & Lifecycle.RUNNING) !== 0) return 'running';
    if ((st & Lifecycle.CANCELLED) !== 0) return 'cancelling';
    if ((st & Lifecycle.NOTIFIED) !== 0) return 'scheduled';
    return 'idle';
  }

  // ---- Scheduler side --------------------------------------------------------------------

  /**
   * Polls the task once. Called only by the scheduler (which owns the coop budget and resets it
   * before each call), never re-entrantly for one task; another task's poll may be running
   * beneath it (`Executor.spawnEager` polls a new task inside its spawner's poll), so the context
   * it replaces is saved and restored.
   */
  run(): void {
    const v = S.toRunning(this);
    if (v === RunVerdict.SKIP) return;
    const prevTask = context.task;
    const prevRead = context.wakerRead;
    const prevCx = handoff.cx;
    context.task = this;
    context.wakerRead = false;
    handoff.cx = this;
    const rt = this.rt;
    rt.stats.incI(this.slot, I_POLLS);
    if (v === RunVerdict.CANCEL) {
      const held = context.cancelHold;
      if (held === null || !held(this)) this.startCancel();
    } else {
      const stage = G.stageOf(this.state);
      if (stage === Stage.GEN) this.pollGenerator();
      else if (stage === Stage.FUTURE) this.pollFutureBody();
      else this.start();
    }
    const read = context.wakerRead;
    context.task = prevTask;
    context.wakerRead = prevRead;
    handoff.cx = prevCx;
    const idle = S.toIdle(this);
    if (idle === IdleVerdict.RESCHEDULE) rt.schedule(this);
    else if (idle === IdleVerdict.WAIT) rt.stats.setFlag(this.slot, FLAG_LOST_WAKER, !read);
  }

  private pollGenerator(): void {
    const f = this.awaiting as Future<unknown> | null;
    if (f === null) return;
    let v: unknown;
    try {
      v = f.poll(this);
    } catch (e) {
      this.throwIn(e);
      return;
    }
    if (v === Pending) return;
    this.awaiting = null;
    this.resume(StepMode.NEXT, v);
  }

  /** The awaited future threw: the error is thrown into the body at its `yield*`. */
  private throwIn(e: unknown): void {
    this.awaiting = null;
    handoff.threw = true;
    handoff.thrown = e;
    this.resume(StepMode.THROW, e);
  }

  /**
   * Resumes the generator and runs it to its next suspension or its end. The rare paths (the body
   * threw, an error was thrown into it) are methods of their own: this one is inlined into `run`
   * with the future polls around it, within V8's inlining budget.
   */
  private resume(mode: StepMode, input: unknown): void {
    let next: Future<unknown> | null;
    try {
      next = step(this.body as Generator<unknown, unknown, unknown>, mode, input, this.meta.name);
    } catch (e) {
      this.bodyThrew(e);
      return;
    }
    if (next === null) this.complete(Stage.OK, stepOut.value);
    else this.awaiting = next;
    if (handoff.threw) this.keepDelivered(next);
  }

  /** The body threw out of its generator: the task failed. */
  private bodyThrew(e: unknown): void {
    handoff.threw = false;
    handoff.thrown = undefined;
    this.complete(Stage.ERR, e);
  }

  /**
   * A future awaited inline threw into the body. If the body is now suspended (in a catch or a
   * finally), keep the error in case an abort interrupts the unwinding.
   */
  private keepDelivered(next: Future<unknown> | null): void {
    if (next !== null) delivered.set(this, handoff.thrown);
    handoff.threw = false;
    handoff.thrown = undefined;
  }

  /** First poll of a function body: call it, then drive what it returned. */
  private start(): void {
    const args = this.awaiting as unknown;
    const one = G.stageOf(this.state) === Stage.FN_ONE;
    this.awaiting = null;
    const p = prepareBody(this.body as BodyFn, one ? args : args === null ? NO_ARGS : args, one);
    this.body = p.body;
    p.body = null; // the shared scratch must not keep this task's body (and its arguments) alive
    if (p.futureBody) {
      this.state = G.withStage(this.state, Stage.FUTURE);
      this.pollFutureBody();
    } else {
      this.state = G.withStage(this.state, Stage.GEN);
      this.resume(StepMode.START, undefined);
    }
  }

  private pollFutureBody(): void {
    const f = this.body as Future<unknown>;
    let v: unknown;
    try {
      v = f.poll(this);
    } catch (e) {
      this.complete(Stage.ERR, e);
      return;
    }
    if (v !== Pending) this.complete(Stage.OK, v);
  }

  private startCancel(): void {
    S.toCancelling(this);
    const stage = G.stageOf(this.state);
    if (!G.isStarted(stage)) {
      // Never started: the body function was not even called.
      this.awaiting = null;
      this.complete(Stage.CANCELLED, undefined);
      return;
    }
    if (stage === Stage.FUTURE) {
      this.dropQuietly(this.body as Future<unknown>);
      this.complete(Stage.CANCELLED, undefined);
      return;
    }
    const f = this.awaiting as Future<unknown> | null;
    this.awaiting = null;
    if (f !== null) this.dropQuietly(f);
    this.resume(StepMode.RETURN, undefined);
  }

  /** Drops `f`; an error it throws is kept for the JoinError (cancellation continues). */
  private dropQuietly(f: Future<unknown>): void {
    try {
      f.drop();
    } catch (e) {
      const list = dropErrors.get(this);
      if (list === undefined) dropErrors.set(this, [e]);
      else list.push(e);
    }
  }

  /** Records the outcome, wakes the joiners and tells the scheduler. */
  private complete(stage: Stage, value: unknown): void {
    if (S.toComplete(this)) {
      // Cancellation wins; every error met on the way is kept (oldest first).
      const errors: unknown[] = [];
      if (delivered.has(this)) errors.push(delivered.get(this));
      const drops = dropErrors.get(this);
      if (drops !== undefined) errors.push(...drops);
      if (stage === Stage.ERR && !errors.includes(value)) errors.push(value);
      value = errors.length === 0 ? undefined : new CancelledOutcome(errors);
      stage = Stage.CANCELLED;
    }
    this.state = G.withStage(this.state, stage);
    this.body = value;
    this.awaiting = null;
    wakeJoiners(this);
    this.rt.finished(this);
  }
}
