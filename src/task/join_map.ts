/**
 * `JoinMap<K, T>` (tokio-util's): a `JoinSet` whose tasks have keys, so a task can be found,
 * replaced or aborted by key and every output comes back with the key it was spawned under.
 *
 * Invariants (test/edge/join_map.test.ts):
 * - At most one task per key. Spawning under a key that holds a task aborts the old one, and the
 *   old one is never reported by `joinNext` (its output and errors are discarded).
 * - A key stays in the map (`has`, `keys()`, `len`) until its task's outcome is taken by
 *   `joinNext`; outcomes come in completion order.
 * - `joinNext` is cancel-safe: dropping it loses no outcome.
 * - A failed or cancelled task's `JoinError` carries its key (`err.key`).
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { WakerBase } from '../future/waker.js';
import { pollProceed } from '../runtime/coop.js';
import { Runtime, type BodyArgs } from '../runtime/runtime.js';
import type { SpawnBody } from '../runtime/spawn_body.js';
import type { Task } from '../runtime/task/task.js';
import { JoinError } from './join_error.js';
import type { AbortHandle, BodyOf } from './join_set.js';

/** A `JoinError` from a `JoinMap`, with the key of the task that failed or was cancelled. */
export type KeyedJoinError<K> = JoinError & { readonly key: K };

/** One task of the map; it is the Context its handle is polled with, so it learns of completion. */
class MapEntry<K> extends WakerBase implements Context {
  /** False once replaced or taken: a late wake is ignored. */
  live = true;
  /** Finished, queued for `joinNext`. */
  queued = false;
  constructor(
    readonly map: JoinMap<K, unknown>,
    readonly key: K,
    readonly task: Task<unknown>,
  ) {
    super();
  }
  get waker(): Waker {
    return this;
  }
  wake(): void {
    if (this.live && !this.queued) this.map.entryDone(this);
  }
}

class JoinNextFuture<K, T> extends Future<[K, T] | undefined> {
  waker: Waker | null = null;
  constructor(private readonly map: JoinMap<K, T>) {
    super();
  }
  poll(cx: Context): Poll<[K, T] | undefined> {
    const m = this.map;
    if (m.hasDone()) {
      if (!pollProceed(cx)) return Pending;
      m.unwait(this);
      return m.takeDone();
    }
    if (m.len === 0) {
      m.unwait(this);
      return undefined;
    }
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    m.await_(this as JoinNextFuture<unknown, unknown>);
    return Pending;
  }
  override drop(): void {
    this.map.unwait(this as JoinNextFuture<unknown, unknown>);
    this.waker = null;
  }
}

/**
 * Keyed tasks joined in completion order. Disposing the map (`using`) aborts every task in it.
 *
 * @example
 * ```ts
 * function* fetchAll(urls: string[]) {
 *   using map = new JoinMap<string, string>();
 *   for (const url of urls) map.spawn(url, fetchText, url);
 *   let r: [string, string] | undefined;
 *   while ((r = yield* map.joinNext()) !== undefined) console.log(`${r[0]}: ${r[1].length} bytes`);
 * }
 * ```
 */
export class JoinMap<K, T> implements Disposable {
  private readonly byKey = new Map<K, MapEntry<K>>();
  private readonly done: MapEntry<K>[] = [];
  private doneHead = 0;
  private readonly waiters = new Set<JoinNextFuture<unknown, unknown>>();

  /** @param runtime where `spawn` starts tasks; by default the runtime of the calling task. */
  constructor(private readonly runtime: Runtime | null = null) {}

  /**
   * Spawns `body(...args)` under `key`. A task already under `key` is aborted and forgotten.
   *
   * @example
   * ```ts
   * map.spawn(userId, syncUser, userId); // replaces a sync still running for this user
   * ```
   */
  spawn<B extends BodyOf<T>>(key: K, body: B, ...args: BodyArgs<B>): AbortHandle {
    return this.spawnIn(key, null, body as SpawnBody, args);
  }

  /**
   * `spawn` with a task name.
   *
   * @example
   * ```ts
   * map.spawnNamed(url, `fetch ${url}`, fetchText, url);
   * ```
   */
  spawnNamed<B extends BodyOf<T>>(key: K, name: string, body: B, ...args: BodyArgs<B>): AbortHandle {
    return this.spawnIn(key, name, body as SpawnBody, args);
  }

  private spawnIn(key: K, name: string | null, body: SpawnBody, args: readonly unknown[]): AbortHandle {
    const task = (this.runtime ?? Runtime.current()).spawnTask(name, body, args);
    const old = this.byKey.get(key);
    if (old !== undefined) this.forget(old, true);
    const e = new MapEntry<K>(this as JoinMap<K, unknown>, key, task);
    this.byKey.set(key, e);
    // A task just spawned has not run yet: polling its handle registers `e` and cannot throw.
    task.poll(e);
    return task;
  }

  /**
   * Aborts the task under `key`; `joinNext` then reports it (a cancelled `JoinError`, or its
   * output if it finished first). False when no task has that key.
   *
   * @example
   * ```ts
   * map.abort('user-42');
   * ```
   */
  abort(key: K): boolean {
    const e = this.byKey.get(key);
    if (e === undefined) return false;
    e.task.abort();
    return true;
  }

  /**
   * Waits for the next task to finish: `[key, output]`, or `undefined` once the map is empty. A
   * failed or cancelled task makes it throw its `JoinError`, whose `key` names the task.
   *
   * @example
   * ```ts
   * try { const [key, v] = (yield* map.joinNext())!; }
   * catch (e) { if (e instanceof JoinError) console.log('failed:', (e as KeyedJoinError<string>).key); }
   * ```
   */
  joinNext(): Future<[K, T] | undefined> {
    return new JoinNextFuture<K, T>(this);
  }

  /**
   * True when a task (running, or finished and not joined) is under `key`.
   *
   * @example
   * ```ts
   * if (!map.has(url)) map.spawn(url, fetchText, url);
   * ```
   */
  has(key: K): boolean {
    return this.byKey.has(key);
  }

  /**
   * The keys of the tasks in the map.
   *
   * @example
   * ```ts
   * console.log([...map.keys()]);
   * ```
   */
  keys(): IterableIterator<K> {
    return this.byKey.keys();
  }

  /** Tasks in the map: running, or finished and not yet joined. */
  get len(): number {
    return this.byKey.size;
  }

  /**
   * True when the map holds no task.
   *
   * @example
   * ```ts
   * if (map.isEmpty()) return;
   * ```
   */
  isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  /**
   * Aborts every task; they stay in the map until joined (as cancelled `JoinError`s).
   *
   * @example
   * ```ts
   * map.abortAll();
   * ```
   */
  abortAll(): void {
    for (const e of this.byKey.values()) e.task.abort();
  }

  /** `using map = new JoinMap()`: aborts every task still in the map. */
  [Symbol.dispose](): void {
    this.abortAll();
  }

  /** @internal */
  entryDone(e: MapEntry<K>): void {
    e.queued = true;
    this.done.push(e);
    for (const w of this.waiters) w.waker?.wakeByRef();
  }

  /** @internal */
  hasDone(): boolean {
    while (this.doneHead < this.done.length) {
      if (this.done[this.doneHead]!.live) return true;
      this.doneHead++;
    }
    this.compact();
    return false;
  }

  /** @internal Takes the earliest finished entry's outcome (call after `hasDone()`). */
  takeDone(): [K, T] {
    const e = this.done[this.doneHead++]!;
    this.compact();
    this.forget(e, false);
    try {
      return [e.key, e.task.outcome() as T];
    } catch (err) {
      if (err instanceof JoinError) Object.defineProperty(err, 'key', { value: e.key, enumerable: true });
      throw err;
    }
  }

  private compact(): void {
    if (this.doneHead > 32 && this.doneHead * 2 > this.done.length) {
      this.done.splice(0, this.doneHead);
      this.doneHead = 0;
    } else if (this.doneHead === this.done.length) {
      this.done.length = 0;
      this.doneHead = 0;
    }
  }

  private forget(e: MapEntry<K>, abort: boolean): void {
    e.live = false;
    if (this.byKey.get(e.key) === e) this.byKey.delete(e.key);
    if (abort) e.task.abort();
  }

  /** @internal */
  await_(w: JoinNextFuture<unknown, unknown>): void {
    this.waiters.add(w);
  }

  /** @internal */
  unwait(w: JoinNextFuture<unknown, unknown>): void {
    this.waiters.delete(w);
  }
}
