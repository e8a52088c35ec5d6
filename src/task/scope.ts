/**
 * `scope(function* (s) { s.spawn(...) })`: structured concurrency. No child task outlives the
 * scope; the first failure cancels the rest and is rethrown after their cleanup ran.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { GenFuture, cleanupHooks, fromGenerator } from '../future/gen_future.js';
import { Runtime, type BodyArgs, type BodyOutput } from '../runtime/runtime.js';
import type { SpawnBody } from '../runtime/spawn_body.js';
import { trackResource, type ResourceInfo, type TrackedResource } from '../runtime/resources.js';
import { context } from '../runtime/context.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import type { Task } from '../runtime/task/task.js';
import { acquireHold, releaseHold, reportLostError, type CancelHold } from './cancel_hold.js';
import { combineErrors } from './into_future.js';
import { shieldDepth } from './shield.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { TaskGroup, type GroupOwner } from './task_group.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBody = ((...args: any[]) => any) | Future<unknown>;

/**
 * Thrown by `s.spawn` once the scope finished: a child can no longer be attached to it.
 *
 * @example
 * ```ts
 * let saved!: Scope;
 * yield* scope(function* (s) { saved = s; });
 * saved.spawn(work); // ScopeClosedError
 * ```
 */
export class ScopeClosedError extends Error {
  override name = 'ScopeClosedError';
}

/** Reports a child failure that nobody can receive any more (the scope was dropped or aborted). */
export let onOrphanedChildError: (err: unknown, child: { id: number; name: string }) => void = (err, child) => {
  const location = (child as { meta?: { location?: string } }).meta?.location ?? '';
  reportLostError(err, { id: child.id, name: `${child.name} (in a scope that was cancelled)`, location });
};

/** @internal Replaces the reporter (tests). Returns the previous one. */
export function setOnOrphanedChildError(
  fn: (err: unknown, child: { id: number; name: string }) => void,
): (err: unknown, child: { id: number; name: string }) => void {
  const prev = onOrphanedChildError;
  onOrphanedChildError = fn;
  return prev;
}

const OPEN = 0; // the body runs
const CLOSING = 1; // the body returned; waiting for the children
const FAILING = 2; // something failed; children aborted, waiting for them
const DONE = 3;

/** What `abortAll` returns when dropping the body threw nothing (`throw undefined` is possible). */
const NOTHING_THROWN: unique symbol = Symbol('nothing thrown');

/**
 * The handle a scope body receives: spawns children bound to the scope.
 *
 * @example
 * ```ts
 * yield* scope(function* (s) {
 *   s.spawn(producer, tx);
 *   s.spawn(consumer, rx);
 * });
 * ```
 */
export class Scope {
  /** @internal */
  constructor(private readonly fut: ScopeFuture<unknown>) {}

  /**
   * Spawns `body(...args)` as a child of the scope and returns its handle (awaiting it is
   * optional: the scope waits for every child anyway). Throws `ScopeClosedError` once the scope
   * finished. A child spawned while the scope is being cancelled starts aborted.
   *
   * @example
   * ```ts
   * const h = s.spawn(fetchUser, 42);
   * const user = yield* h;
   * ```
   */
  spawn<B extends AnyBody>(body: B, ...args: BodyArgs<B>): JoinHandle<BodyOutput<B>> {
    return this.fut.spawnChild(null, body as SpawnBody, args) as JoinHandle<BodyOutput<B>>;
  }

  /**
   * `spawn` with a task name.
   *
   * @example
   * ```ts
   * s.spawnNamed('heartbeat', heartbeat, conn);
   * ```
   */
  spawnNamed<B extends AnyBody>(name: string, body: B, ...args: BodyArgs<B>): JoinHandle<BodyOutput<B>> {
    return this.fut.spawnChild(name, body as SpawnBody, args) as JoinHandle<BodyOutput<B>>;
  }

  /**
   * Children still running.
   *
   * @example
   * ```ts
   * if (s.size > 100) yield* sleep(10); // crude back-pressure
   * ```
   */
  get size(): number {
    return this.fut.group.running;
  }

  /**
   * Aborts every running child (not a failure: the scope then finishes normally once they are
   * gone and the body returned).
   *
   * @example
   * ```ts
   * s.abortAll(); // stop the workers, keep the scope's own result
   * ```
   */
  abortAll(): void {
    this.fut.group.abortAll();
  }
}

/** @internal */
export class ScopeFuture<R> extends Future<R> implements CancelHold, GroupOwner, TrackedResource {
  body: Future<R> | null = null;
  readonly group: TaskGroup;
  private phase = OPEN;
  private result: R | undefined = undefined;
  private errors: unknown[] | null = null;
  /** Who threw each error (a child task, or the body). */
  private sources: { id: number; name: string }[] = [];
  private waker: Waker | null = null;
  private holder: Task<unknown> | null = null;
  private aborting = false;
  private started = false;
  /** The rest of the body's `finally` blocks that await, after the body was dropped on failure. */
  private cleanups: Future<unknown>[] | null = null;

  constructor() {
    super();
    this.group = new TaskGroup(this);
    trackResource(this);
  }

  /** What the console lists: the scope's phase and its children. */
  resourceInfo(): ResourceInfo {
    const phase = ['running', 'closing', 'failing', 'done'][this.phase] as string;
    return {
      kind: 'scope',
      label: this.holder !== null ? `${phase} in task ${this.holder.name} (id ${this.holder.id})` : phase,
      waiters: 0,
      details: { children: this.group.running, failures: this.errors?.length ?? 0 },
    };
  }

  spawnChild(name: string | null, body: SpawnBody, args: readonly unknown[]): Task<unknown> {
    if (this.phase === DONE) {
      throw new ScopeClosedError(
        `cannot spawn ${name ?? (typeof body === 'function' ? body.name || 'task' : 'future')} into a scope that already finished`,
      );
    }
    const task = Runtime.current().spawnTask(name, body, args);
    this.group.add(task);
    if (this.aborting) task.abort();
    return task;
  }

  memberFinished(): void {
    this.waker?.wakeByRef();
  }

  poll(cx: Context): Poll<R> {
    if (this.phase === DONE) throw new PolledAfterCompletionError('scope()');
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    if (!this.started) {
      this.started = true;
      const t = context.task as Task<unknown> | null;
      // Inside a shielded section the scope is driven to completion by the shield: no hold.
      if (t !== null && shieldDepth.n === 0) {
        this.holder = t;
        acquireHold(t, this);
      }
    }
    this.reap();
    const body = this.body;
    if (body !== null && this.phase === OPEN) {
      let v: Poll<R>;
      try {
        v = body.poll(cx);
      } catch (e) {
        this.body = null;
        this.fail(e, null);
        v = Pending;
      }
      if (v !== Pending) {
        this.body = null;
        this.result = v;
        this.phase = CLOSING;
      }
    }
    if (this.cleanups !== null) this.pollCleanups(cx, false);
    if (this.phase === OPEN || this.group.running > 0 || this.cleanups !== null) return Pending;
    this.reap();
    this.phase = DONE;
    this.waker = null;
    this.release();
    const errors = this.errors;
    if (errors !== null) {
      this.errors = null;
      this.sources = [];
      throw combineErrors(errors, 'scope');
    }
    const r = this.result as R;
    this.result = undefined;
    return r;
  }

  /** Takes finished children; a failure (the child's body threw) fails the scope. */
  private reap(): void {
    const g = this.group;
    for (let e = g.popDone(); e !== null; e = g.popDone()) {
      if (e.failed()) this.fail(e.task.body, e.task);
    }
  }

  private fail(err: unknown, source: { id: number; name: string } | null): void {
    const errors = (this.errors ??= []);
    errors.push(err);
    this.sources.push(source ?? { id: this.holder?.id ?? 0, name: 'scope body' });
    if (this.phase === FAILING) return;
    this.phase = FAILING;
    const thrown = this.abortAll();
    if (thrown !== NOTHING_THROWN) {
      // The body's cleanup threw: one more error of the scope.
      errors.push(thrown);
      this.sources.push({ id: this.holder?.id ?? 0, name: 'scope body cleanup' });
    }
  }

  /**
   * Aborts the children and drops the body (see `dropBodyKeepingCleanup`); returns what the
   * body's cleanup threw, or NOTHING_THROWN.
   */
  private abortAll(): unknown {
    this.abortChildren();
    const body = this.body;
    if (body === null) return NOTHING_THROWN;
    this.body = null;
    try {
      this.dropBodyKeepingCleanup(body);
    } catch (e) {
      return e;
    }
    return NOTHING_THROWN;
  }

  /**
   * Drops the body; the parts of its `finally` blocks that await are kept (instead of going to
   * detached cleanup tasks) and driven by the scope, which finishes only after them.
   */
  private dropBodyKeepingCleanup(body: Future<R>): void {
    const hooks = cleanupHooks;
    const prev = hooks.finishCleanup;
    const list: Future<unknown>[] = [];
    hooks.finishCleanup = (gen, awaiting) => {
      list.push(GenFuture.resume(gen, awaiting));
    };
    try {
      body.drop();
    } finally {
      hooks.finishCleanup = prev;
      if (list.length > 0) this.cleanups = list;
    }
  }

  /** Polls the body's pending cleanup; errors count as failures (or are reported when orphaned). */
  private pollCleanups(cx: Context, orphaned: boolean): void {
    const list = this.cleanups as Future<unknown>[];
    for (let i = 0; i < list.length; ) {
      let done = true;
      try {
        done = (list[i] as Future<unknown>).poll(cx) !== Pending;
      } catch (e) {
        const source = { id: this.holder?.id ?? 0, name: 'scope body cleanup' };
        if (orphaned) onOrphanedChildError(e, source);
        else {
          (this.errors ??= []).push(e);
          this.sources.push(source);
        }
      }
      if (done) void list.splice(i, 1);
      else i++;
    }
    if (list.length === 0) this.cleanups = null;
  }

  private abortChildren(): void {
    this.aborting = true;
    this.group.abortAll();
  }

  private release(): void {
    const t = this.holder;
    this.holder = null;
    if (t !== null) releaseHold(t, this);
  }

  /**
   * The awaiting task was aborted: abort the children, drop the body (its `finally` blocks run;
   * the parts that await are driven here) and wait until all of that finished.
   */
  pollHeld(task: Task<unknown>): boolean {
    if (this.phase === DONE) return true;
    this.waker = task.waker; // (reading it tells the lost-waker lint the task will be woken)
    if (!this.aborting) {
      const thrown = this.abortAll();
      if (thrown !== NOTHING_THROWN) onOrphanedChildError(thrown, { id: task.id, name: 'scope body cleanup' });
    }
    this.reapOrphans();
    if (this.cleanups !== null) this.pollCleanups(task, true);
    if (this.group.running > 0 || this.cleanups !== null) return false;
    this.holder = null;
    return true;
  }

  private reapOrphans(): void {
    const g = this.group;
    for (let e = g.popDone(); e !== null; e = g.popDone()) {
      if (e.failed()) onOrphanedChildError(e.task.body, e.task);
    }
    const errors = this.errors;
    const sources = this.sources;
    this.errors = null;
    this.sources = [];
    if (errors !== null) for (let i = 0; i < errors.length; i++) onOrphanedChildError(errors[i], sources[i] ?? { id: 0, name: 'scope' });
  }

  /**
   * Dropped before it finished (the awaiting task's abort proceeding, or a combinator dropping it):
   * the body is dropped and every child aborted. Children whose cleanup awaits finish it in the
   * background.
   */
  override drop(): void {
    if (this.phase === DONE) return;
    this.phase = DONE;
    this.waker = null;
    this.abortChildren();
    const body = this.body;
    this.body = null;
    const cleanups = this.cleanups;
    this.cleanups = null;
    try {
      body?.drop();
    } finally {
      this.reapOrphans();
      this.release();
      if (cleanups !== null) {
        // Nobody polls the scope any more: the body's cleanup finishes in cleanup tasks.
        const rt = Runtime.tryCurrent() ?? Runtime.default();
        for (const c of cleanups) rt.spawnTask('cleanup', c, []);
      }
    }
  }
}

/**
 * Runs `body(s, ...args)` (a generator function) inside the awaiting task with a scope handle `s`
 * whose `s.spawn` starts child tasks bound to the scope, and gives the body's return value once
 * the body returned AND every child finished:
 *
 * - No child outlives the scope: the scope waits for all of them.
 * - If a child fails (its body throws) or the body throws, every other child is aborted and the
 *   body is dropped; once all of them finished (their `finally` blocks ran, async cleanup
 *   included) the error is rethrown: the error itself, or an `AggregateError` if several failed
 *   before the cancellation took effect. A child that was aborted is not a failure.
 * - If the task awaiting the scope is aborted, the children are aborted and the abort waits until
 *   they finished; then the body is dropped and the task unwinds as usual.
 * - If the scope future is dropped by a combinator (a `select` loser, a timeout), its body is
 *   dropped and its children aborted at once; children whose cleanup awaits finish it in the
 *   background.
 *
 * @example
 * ```ts
 * function* crawl(urls: string[]) {
 *   const pages: string[] = [];
 *   yield* scope(function* (s) {
 *     for (const url of urls) s.spawn(fetchInto, url, pages);
 *   });
 *   return pages; // every fetch finished, or the first failure was thrown
 * }
 * ```
 */
export function scope<R, A extends unknown[]>(
  body: (s: Scope, ...args: A) => Generator<unknown, R, unknown>,
  ...args: A
): Future<R> {
  if (typeof body !== 'function') {
    throw new TypeError(`scope() expects a generator function (s, ...args) => Generator, got ${body === null ? 'null' : typeof body}`);
  }
  const fut = new ScopeFuture<R>();
  const gen = body(new Scope(fut as ScopeFuture<unknown>), ...args);
  if (gen === null || typeof gen !== 'object' || typeof (gen as { next?: unknown }).next !== 'function') {
    throw new TypeError(`scope() body ${body.name || '(anonymous)'} must be a generator function (function*), it returned ${typeof gen}`);
  }
  fut.body = fromGenerator(gen);
  return fut;
}
