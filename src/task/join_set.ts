/**
 * `JoinSet<T>`: a set of spawned tasks whose outputs are collected in completion order; every task
 * still in the set is aborted when the set is disposed.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { future } from '../future/gen_future.js';
import { pollProceed } from '../runtime/coop.js';
import { WakerSlot } from '../future/waker_slot.js';
import { WaiterList, type WaiterNode } from '../sync/waiter_list.js';
import { trackResource, type ResourceInfo, type TrackedResource } from '../runtime/resources.js';
import { Runtime, type BodyArgs } from '../runtime/runtime.js';
import type { SpawnBody } from '../runtime/spawn_body.js';
import type { Task } from '../runtime/task/task.js';
import { TaskGroup, type GroupEntry, type GroupOwner } from './task_group.js';

/**
 * What `JoinSet.spawn` gives back: enough to cancel or identify one task, not to await it (its
 * output goes to the set).
 *
 * @example
 * ```ts
 * const h = set.spawn(fetchUser, 42);
 * h.abort();
 * ```
 */
export interface AbortHandle {
  /** Task id (also reported by `joinNextWithId`). */
  readonly id: number;
  /** Task name. */
  readonly name: string;
  /** Cancels the task; the set then yields a cancelled `JoinError` for it. */
  abort(): void;
  /** True once the task finished. */
  isFinished(): boolean;
}

/** A task body whose output is `T`: a generator function, an async function or a Future. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BodyOf<T> = ((...args: any[]) => Generator<unknown, T, unknown> | PromiseLike<T> | Future<T>) | Future<T>;

const VALUE = 0;
const WITH_ID = 1;
const ENTRY = 2;

/** A joinNext waiter; it sits in the set's waiter list only while pending. */
class JoinNext<R> extends Future<R> implements WaiterNode {
  wPrev: WaiterNode | null = null;
  wNext: WaiterNode | null = null;
  wList: WaiterList<WaiterNode> | null = null;
  readonly slot = new WakerSlot();

  constructor(
    private readonly set: JoinSet<unknown>,
    private readonly mode: number,
  ) {
    super();
  }

  poll(cx: Context): Poll<R> {
    const set = this.set;
    const g = set.group;
    if (g.done > 0) {
      if (!pollProceed(cx)) return Pending;
      set.waitList.remove(this);
      const e = g.popDone() as GroupEntry;
      if (this.mode === ENTRY) return e as R;
      const v = (e.task as Task<unknown>).outcome();
      return (this.mode === VALUE ? v : { id: e.task.id, value: v }) as R;
    }
    if (g.running === 0) {
      set.waitList.remove(this);
      return undefined as R;
    }
    this.slot.register(cx);
    if (this.wList === null) set.waitList.push(this);
    return Pending;
  }

  override drop(): void {
    this.set.waitList.remove(this);
    this.slot.clear();
  }
}

/**
 * A set of tasks spawned on the current runtime, joined in the order they finish (tokio's
 * `JoinSet`). Each task is marked as joined, so a failure is delivered by `joinNext` rather than
 * reported as unhandled. Disposing the set (`using`) aborts every task still in it; `shutdown()`
 * also waits for them.
 *
 * @example
 * ```ts
 * function* fetchAll(urls: string[]) {
 *   using set = new JoinSet<string>();
 *   for (const url of urls) set.spawn(fetchText, url);
 *   const out: string[] = [];
 *   let body: string | undefined;
 *   while ((body = yield* set.joinNext()) !== undefined) out.push(body);
 *   return out;
 * }
 * ```
 */
export class JoinSet<T> implements Disposable, TrackedResource, GroupOwner {
  /** @internal */
  readonly group: TaskGroup;
  /** @internal `joinNext` futures waiting for a member to finish (they stay linked when woken). */
  readonly waitList = new WaiterList<JoinNext<unknown>>();

  /**
   * @param runtime where `spawn` starts tasks; by default the runtime of the task calling `spawn`
   * (give one to fill a set from plain async code).
   */
  constructor(private readonly runtime: Runtime | null = null) {
    this.group = new TaskGroup(this);
    trackResource(this);
  }

  /**
   * Tasks in the set: running, or finished and not yet joined.
   *
   * @example
   * ```ts
   * while (set.size > 0) yield* set.joinNext();
   * ```
   */
  get size(): number {
    return this.group.size;
  }

  /**
   * True when the set holds no task.
   *
   * @example
   * ```ts
   * if (set.isEmpty()) return;
   * ```
   */
  isEmpty(): boolean {
    return this.group.size === 0;
  }

  /**
   * Spawns `body(...args)` on the current runtime into the set.
   *
   * @example
   * ```ts
   * set.spawn(fetchText, 'http://127.0.0.1:8080/a');
   * ```
   */
  spawn<B extends BodyOf<T>>(body: B, ...args: BodyArgs<B>): AbortHandle {
    return this.spawnNamedOrNot(null, body as SpawnBody, args);
  }

  /**
   * `spawn` with a task name.
   *
   * @example
   * ```ts
   * set.spawnNamed(`fetch ${url}`, fetchText, url);
   * ```
   */
  spawnNamed<B extends BodyOf<T>>(name: string, body: B, ...args: BodyArgs<B>): AbortHandle {
    return this.spawnNamedOrNot(name, body as SpawnBody, args);
  }

  private spawnNamedOrNot(name: string | null, body: SpawnBody, args: readonly unknown[]): AbortHandle {
    const task = (this.runtime ?? Runtime.current()).spawnTask(name, body, args);
    this.group.add(task);
    return task;
  }

  /**
   * Waits for the next task to finish and gives its output; `undefined` once the set is empty.
   * A failed or aborted task makes it throw that task's `JoinError` (the task leaves the set).
   * Cancel-safe: if the returned future is dropped (say, by `select`), no output is lost; it stays
   * in the set for the next call.
   *
   * @example
   * ```ts
   * let v: number | undefined;
   * while ((v = yield* set.joinNext()) !== undefined) total += v;
   * ```
   */
  joinNext(): Future<T | undefined> {
    return new JoinNext<T | undefined>(this as JoinSet<unknown>, VALUE);
  }

  /**
   * Like `joinNext`, with the task id: `{ id, value }`, or `undefined` once empty.
   *
   * @example
   * ```ts
   * const r = yield* set.joinNextWithId();
   * if (r !== undefined) console.log(`task ${r.id} gave ${r.value}`);
   * ```
   */
  joinNextWithId(): Future<{ id: number; value: T } | undefined> {
    return new JoinNext<{ id: number; value: T } | undefined>(this as JoinSet<unknown>, WITH_ID);
  }

  /**
   * The output of a task that already finished, without waiting; `undefined` if none has.
   * Throws the task's `JoinError` if it failed.
   *
   * @example
   * ```ts
   * const v = set.tryJoinNext();
   * ```
   */
  tryJoinNext(): T | undefined {
    const e = this.group.popDone();
    if (e === null) return undefined;
    return e.task.outcome() as T;
  }

  /**
   * Aborts every task in the set. They stay in it until joined; joining gives cancelled
   * `JoinError`s (or the output of tasks that finished first).
   *
   * @example
   * ```ts
   * set.abortAll();
   * ```
   */
  abortAll(): void {
    this.group.abortAll();
  }

  /**
   * Removes every task from the set without aborting it: they keep running, unowned. Their
   * failures are then reported as unhandled task errors.
   *
   * @example
   * ```ts
   * set.detachAll(); // let the background work finish on its own
   * ```
   */
  detachAll(): void {
    this.group.detachAll();
    this.wakeWaiters();
  }

  /**
   * A future that aborts every task and waits until all of them finished (their cleanup ran);
   * outputs and errors are discarded. The set is empty afterwards.
   *
   * @example
   * ```ts
   * yield* set.shutdown();
   * ```
   */
  shutdown(): Future<void> {
    return future(shutdownBody, this as JoinSet<unknown>);
  }

  /**
   * A future of every output, in completion order. If a task fails, the others are aborted and
   * waited for, then that task's `JoinError` is thrown.
   *
   * @example
   * ```ts
   * const sizes = yield* set.joinAll();
   * ```
   */
  joinAll(): Future<T[]> {
    return future(joinAllBody, this as JoinSet<unknown>) as Future<T[]>;
  }

  /** `using set = new JoinSet()`: aborts every task still in the set at the end of the block. */
  [Symbol.dispose](): void {
    this.group.abortAll();
  }

  /**
   * What the console lists for the set: tasks running and finished, `joinNext` waiters.
   *
   * @example
   * ```ts
   * console.log(set.resourceInfo().details);
   * ```
   */
  resourceInfo(): ResourceInfo {
    return {
      kind: 'join-set',
      label: `${this.group.size} tasks`,
      waiters: this.waitList.length,
      details: { running: this.group.running, finished: this.group.done },
    };
  }

  /** @internal */
  memberFinished(): void {
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (let w = this.waitList.head; w !== null; w = w.wNext as JoinNext<unknown> | null) w.slot.wakeByRef();
  }

  /** @internal the next finished entry (no outcome unwrapping), or undefined once empty. */
  nextEntry(): Future<GroupEntry | undefined> {
    return new JoinNext<GroupEntry | undefined>(this as JoinSet<unknown>, ENTRY);
  }
}

function* shutdownBody(set: JoinSet<unknown>) {
  set.abortAll();
  while ((yield* set.nextEntry()) !== undefined) {
    // discard
  }
}

function* joinAllBody(set: JoinSet<unknown>) {
  const out: unknown[] = [];
  let e: GroupEntry | undefined;
  while ((e = yield* set.nextEntry()) !== undefined) {
    let v: unknown;
    try {
      v = e.task.outcome();
    } catch (err) {
      set.abortAll();
      while ((yield* set.nextEntry()) !== undefined) {
        // wait for the others' cleanup
      }
      throw err;
    }
    out.push(v);
  }
  return out;
}
