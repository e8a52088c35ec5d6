/**
 * `TaskTracker` (tokio-util's): counts the tasks spawned through it, so a server can stop
 * accepting, `close()` the tracker and `wait()` until every connection task has finished,
 * without keeping finished tasks around.
 *
 * Invariants (test/edge/task_tracker.test.ts):
 * - The tracker holds no reference to a task once it finished: memory is O(running tasks), so a
 *   long-lived server that tracks every connection does not grow with churn.
 * - `len` counts tracked tasks that have not finished.
 * - `wait()` is ready exactly when the tracker is closed and `len === 0`; it is cancel-safe (a
 *   dropped `wait()` leaves no waiter behind).
 * - Tracking does not claim the task's output: a tracked task that fails and whose handle nobody
 *   awaits is still reported as an unhandled task error.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { WakerBase } from '../future/waker.js';
import { Runtime, type BodyArgs, type BodyOutput } from '../runtime/runtime.js';
import type { SpawnBody } from '../runtime/spawn_body.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import type { Task } from '../runtime/task/task.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/**
 * Registers `w` to be woken when `task` completes, without claiming its output (a failure nobody
 * awaits stays reported). @internal
 */
export function watchCompletion(task: Task<unknown>, cx: Context): boolean {
  return task.watchCompletion(cx);
}

/** The per-task completion waker: tells the tracker once, then is garbage with the task. */
class TrackEntry extends WakerBase implements Context {
  constructor(private readonly tracker: TaskTracker) {
    super();
  }
  get waker(): Waker {
    return this;
  }
  wake(): void {
    this.tracker.taskDone();
  }
}

class WaitFuture extends Future<void> {
  waker: Waker | null = null;
  constructor(private readonly tracker: TaskTracker) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const t = this.tracker;
    if (t.isClosed && t.len === 0) {
      t.unwait(this);
      return undefined;
    }
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    t.await_(this);
    return Pending;
  }
  override drop(): void {
    this.tracker.unwait(this);
    this.waker = null;
  }
}

/**
 * Tracks spawned tasks so that shutdown can wait for all of them: `spawn` through it, `close()`
 * it when no more tasks will be added, and `yield* tracker.wait()`. Unlike a `JoinSet`, it keeps
 * nothing of a finished task (outputs go to the returned `JoinHandle`, if anyone awaits it).
 *
 * @example
 * ```ts
 * function* server(listener: TcpListener, stop: CancellationToken) {
 *   const tracker = new TaskTracker();
 *   while (!stop.isCancelled()) {
 *     const r = yield* select({ conn: listener.accept(), stop: stop.cancelled() });
 *     if (r.key === 'conn') tracker.spawn(handleClient, r.value[0]);
 *   }
 *   tracker.close();
 *   yield* tracker.wait(); // every client task has finished
 * }
 * ```
 */
export class TaskTracker {
  private running = 0;
  private closed = false;
  private readonly waiters = new Set<WaitFuture>();
  private readonly entry: TrackEntry;

  /**
   * @param runtime where `spawn` starts tasks; by default the runtime of the task calling it.
   */
  constructor(private readonly runtime: Runtime | null = null) {
    this.entry = new TrackEntry(this);
  }

  /**
   * Spawns `body(...args)` and tracks it until it finishes.
   *
   * @example
   * ```ts
   * const h = tracker.spawn(handleClient, stream);
   * ```
   */
  spawn<B extends AnyFn | Future<unknown>>(body: B, ...args: BodyArgs<B>): JoinHandle<BodyOutput<B>> {
    const task = (this.runtime ?? Runtime.current()).spawnTask(null, body as SpawnBody, args);
    this.track(task);
    return task as JoinHandle<BodyOutput<B>>;
  }

  /**
   * `spawn` with a task name.
   *
   * @example
   * ```ts
   * tracker.spawnNamed(`client ${addr}`, handleClient, stream);
   * ```
   */
  spawnNamed<B extends AnyFn | Future<unknown>>(name: string, body: B, ...args: BodyArgs<B>): JoinHandle<BodyOutput<B>> {
    const task = (this.runtime ?? Runtime.current()).spawnTask(name, body as SpawnBody, args);
    this.track(task);
    return task as JoinHandle<BodyOutput<B>>;
  }

  private track(task: Task<unknown>): void {
    // One shared entry serves every task: a task wakes its joiner exactly once, at completion.
    if (!watchCompletion(task, this.entry)) this.running++;
  }

  /**
   * No task will be added any more: `wait()` completes once the tracked tasks have finished.
   * Spawning after `close()` still works and is still tracked (as in tokio-util).
   *
   * @example
   * ```ts
   * tracker.close();
   * ```
   */
  close(): void {
    this.closed = true;
    if (this.running === 0) this.wakeWaiters();
  }

  /**
   * Opens a closed tracker again.
   *
   * @example
   * ```ts
   * tracker.reopen();
   * ```
   */
  reopen(): void {
    this.closed = false;
  }

  /**
   * A future that completes when the tracker is closed and every tracked task has finished.
   *
   * @example
   * ```ts
   * tracker.close();
   * yield* tracker.wait();
   * ```
   */
  wait(): Future<void> {
    return new WaitFuture(this);
  }

  /** Tracked tasks that have not finished. */
  get len(): number {
    return this.running;
  }

  /** True after `close()` (until `reopen()`). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal a tracked task finished. */
  taskDone(): void {
    this.running--;
    if (this.running === 0 && this.closed) this.wakeWaiters();
  }

  /** @internal */
  await_(w: WaitFuture): void {
    this.waiters.add(w);
  }

  /** @internal */
  unwait(w: WaitFuture): void {
    this.waiters.delete(w);
  }

  private wakeWaiters(): void {
    for (const w of this.waiters) w.waker?.wakeByRef();
  }
}
