/**
 * `Runtime`: owns an executor, spawns tasks, bridges to Promises with `blockOn`, shuts down by
 * cancelling every task, and reports metrics and per-task snapshots.
 * @module
 */
import { NoRuntimeError, type Future } from '../future/future.js';
import { DeadlockError, JoinError } from '../task/join_error.js';
import { Executor, activeExecutor, type Driver, type ExecutorOptions } from './executor.js';
import { metaFor, namedMeta } from './location.js';
import { checkBody, type SpawnBody } from './spawn_body.js';
import { snapshotTask, type TaskSnapshot } from './snapshot.js';
import { collectMetrics, type RuntimeMetrics } from './metrics.js';
import { nodeHasForeignWork } from './deadlock.js';
import { promiseWaits } from '../future/promise.js';
import { GenFuture, cleanupHooks } from '../future/gen_future.js';
import { JOIN_INTEREST, Task, currentTask, type JoinHandle } from './task.js';

/** Options of `new Runtime(opts)`; later modules add theirs (time, console, multi-thread). */
export interface RuntimeOptions extends ExecutorOptions {
  /** 'current_thread' (default) or 'multi_thread' (worker threads with work stealing). */
  flavor?: 'current_thread' | 'multi_thread';
  /** Worker threads of the multi-thread flavour (default: available cores). */
  workers?: number;
  /** Start with the clock paused (tests): time only moves by `advance` or auto-advance. */
  startPaused?: boolean;
  /** Start the console server (`{ port, host }`); also enabled by KYOTO_CONSOLE=host:port. */
  console?: { port?: number; host?: string } | boolean;
  /** Upper bound of the blocking pool. */
  maxBlockingThreads?: number;
  /** A name shown by the console and in errors. */
  name?: string;
}

/** The generator-or-function form accepted by every spawn. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;
/** The output type of a spawn body. */
export type BodyOutput<B> = B extends Future<infer T>
  ? T
  : B extends (...args: never[]) => Generator<unknown, infer R, unknown>
    ? R
    : B extends (...args: never[]) => PromiseLike<infer P>
      ? P
      : B extends (...args: never[]) => Future<infer F>
        ? F
        : B extends (...args: never[]) => infer V
          ? V
          : never;
/** The arguments a spawn body takes (a promise function's trailing AbortSignal excluded). */
export type BodyArgs<B> = B extends Future<unknown>
  ? []
  : B extends (...args: infer A) => Generator<unknown, unknown, unknown>
    ? A
    : B extends (...args: [...infer A, AbortSignal]) => unknown
      ? A
      : B extends (...args: infer A) => unknown
        ? A
        : never;

/** Called by each module that extends the runtime (time, console, multi-thread) at construction. */
export type RuntimeExtension = (rt: Runtime, opts: RuntimeOptions) => void;
const extensions: RuntimeExtension[] = [];
/**
 * Registers a runtime extension: called for every `new Runtime(opts)` (how the time driver, the
 * console and the multi-thread flavour read their options).
 *
 * @example
 * ```ts
 * registerRuntimeExtension((rt, opts) => { if (opts.name) console.log(`runtime ${opts.name} created`); });
 * ```
 */
export function registerRuntimeExtension(ext: RuntimeExtension): void {
  extensions.push(ext);
}

/**
 * @internal Replaces the default per-task lines of `rt.dump()` and `DeadlockError` messages (the
 * console installs a richer one with await chains). Null: the built-in one-line-per-task form.
 */
export const dumpHooks = {
  describe: null as ((rt: Runtime) => string[]) | null,
};

/**
 * Thrown when spawning on a runtime that has shut down.
 *
 * @example
 * ```ts
 * await rt.shutdown();
 * rt.spawn(worker); // throws RuntimeShutdownError
 * ```
 */
export class RuntimeShutdownError extends Error {
  override name = 'RuntimeShutdownError';
}

let defaultRuntime: Runtime | null = null;
const withPendingRoots = new Set<Runtime>();
let beforeExitInstalled = false;

/**
 * A kyoto runtime: a ready queue of tasks driven inside Node's event loop.
 *
 * @example
 * ```ts
 * function* main(n: number) { yield* sleep(10); return n * 2; }
 * const rt = new Runtime();
 * console.log(await rt.blockOn(main, 21)); // 42
 * await rt.shutdown();
 * ```
 */
export class Runtime {
  /** @internal */
  readonly executor: Executor;
  readonly options: Readonly<RuntimeOptions>;
  private readonly roots = new Map<Task<unknown>, (e: unknown) => void>();
  private shutdownState: 'running' | 'shutting-down' | 'shut-down' = 'running';
  private shutdownWaiters: (() => void)[] = [];

  constructor(opts: RuntimeOptions = {}) {
    this.options = opts;
    this.executor = new Executor(opts);
    (this.executor as { runtime?: Runtime }).runtime = this;
    this.executor.onTaskFinished = (t) => this.taskFinished(t);
    this.executor.onIdle = () => this.idle();
    for (const ext of extensions) ext(this, opts);
  }

  /**
   * The runtime of the task being polled; throws `NoRuntimeError` outside one.
   *
   * @example
   * ```ts
   * function* child() { Runtime.current().spawn(worker, 1); }
   * ```
   */
  static current(): Runtime {
    const rt = Runtime.tryCurrent();
    if (rt === null) {
      throw new NoRuntimeError('no kyoto runtime is running here: call this from inside a task (spawn, rt.blockOn or run)');
    }
    return rt;
  }

  /**
   * The runtime of the task being polled, or null.
   *
   * @example
   * ```ts
   * const rt = Runtime.tryCurrent() ?? Runtime.default();
   * ```
   */
  static tryCurrent(): Runtime | null {
    const ex = activeExecutor as (Executor & { runtime?: Runtime }) | null;
    return ex?.runtime ?? null;
  }

  /**
   * A process-wide runtime for Promise interop from plain async code (created on first use).
   *
   * @example
   * ```ts
   * const user = await Runtime.default().blockOn(loadUser, 42);
   * ```
   */
  static default(): Runtime {
    if (defaultRuntime === null || defaultRuntime.shutdownState !== 'running') defaultRuntime = new Runtime();
    return defaultRuntime;
  }

  /**
   * Spawns `body(...args)` as a task. `body` is a generator function (recommended: hoisted and
   * named, with arguments), an async function (called with the args and an AbortSignal that
   * `abort()` sets) or a Future.
   *
   * @example
   * ```ts
   * function* handleClient(stream: TcpStream) { ... }
   * const h = rt.spawn(handleClient, stream);
   * ```
   */
  spawn<B extends AnyFn | Future<unknown>>(body: B, ...args: BodyArgs<B>): JoinHandle<BodyOutput<B>> {
    return this.spawnTask(null, body as SpawnBody, args) as JoinHandle<BodyOutput<B>>;
  }

  /**
   * Like `spawn`, with a name for the console, errors and `tasks()`.
   *
   * @example
   * ```ts
   * rt.spawnNamed('accept-loop', acceptLoop, listener);
   * ```
   */
  spawnNamed<B extends AnyFn | Future<unknown>>(name: string, body: B, ...args: BodyArgs<B>): JoinHandle<BodyOutput<B>> {
    return this.spawnTask(name, body as SpawnBody, args) as JoinHandle<BodyOutput<B>>;
  }

  /** @internal */
  spawnTask(name: string | null, body: SpawnBody, args: readonly unknown[]): Task<unknown> {
    if (this.shutdownState === 'shut-down') {
      throw new RuntimeShutdownError(`cannot spawn ${name ?? nameOf(body)}: the runtime has shut down`);
    }
    checkBody(body);
    const ex = this.executor;
    const meta = name === null ? metaFor(body) : namedMeta(body, name);
    const parent = currentTask === null ? 0 : currentTask.id;
    const task = new Task<unknown>(
      ex,
      body as (...a: unknown[]) => unknown,
      args.length === 0 ? null : args,
      meta,
      parent,
      ex.clock(),
    );
    ex.spawnTask(task);
    if (this.shutdownState === 'shutting-down') task.abort();
    return task;
  }

  /**
   * Runs `body(...args)` as a root task and resolves with its output (rejects with its error).
   * Call it any number of times, concurrently, from plain async code. Rejects with a
   * `DeadlockError` if the task can never finish because nothing can wake anything.
   *
   * @example
   * ```ts
   * app.get('/user/:id', (req, res) => rt.blockOn(loadUser, req.params.id).then((u) => res.json(u)));
   * ```
   */
  blockOn<B extends AnyFn | Future<unknown>>(body: B, ...args: BodyArgs<B>): Promise<BodyOutput<B>> {
    return new Promise<BodyOutput<B>>((resolve, reject) => {
      const task = this.spawnTask(null, body as SpawnBody, args);
      task.state |= JOIN_INTEREST;
      this.roots.set(task, reject);
      withPendingRoots.add(this);
      installBeforeExit();
      task.then(resolve as (v: unknown) => void, (e: unknown) => {
        reject(e instanceof JoinError && e.isPanic() ? e.cause : e);
      });
    });
  }

  /**
   * Cancels every task (their `finally` blocks run, async cleanup included) and resolves once
   * all of them finished. Spawning afterwards throws `RuntimeShutdownError`.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', () => void rt.shutdown());
   * ```
   */
  shutdown(): Promise<void> {
    if (this.shutdownState === 'shut-down') return Promise.resolve();
    const done = new Promise<void>((resolve) => this.shutdownWaiters.push(resolve));
    if (this.shutdownState === 'running') {
      this.shutdownState = 'shutting-down';
      this.executor.stats.forEach((t) => t.abort());
      this.maybeFinishShutdown();
    }
    return done;
  }

  /**
   * True once `shutdown()` was called.
   *
   * @example
   * ```ts
   * if (!rt.isShutdown()) rt.spawn(flushLogs);
   * ```
   */
  isShutdown(): boolean {
    return this.shutdownState !== 'running';
  }

  /**
   * Runtime-wide counters with Tokio's RuntimeMetrics names (durations in ms).
   *
   * @example
   * ```ts
   * const m = rt.metrics();
   * console.log(m.numAliveTasks, m.workerPollCount, m.budgetForcedYieldCount);
   * ```
   */
  metrics(): RuntimeMetrics {
    return collectMetrics(this.executor);
  }

  /**
   * A snapshot of every live task: id, name, location, state, polls, wakes, times, what it awaits.
   *
   * @example
   * ```ts
   * for (const t of rt.tasks()) if (t.lostWaker) console.warn(`${t.name} can never wake`);
   * ```
   */
  tasks(): TaskSnapshot[] {
    const out: TaskSnapshot[] = [];
    this.executor.stats.forEach((t) => out.push(snapshotTask(t)));
    return out;
  }

  /**
   * A text dump of every live task: what it awaits and its counters.
   *
   * @example
   * ```ts
   * process.on('SIGUSR2', () => console.log(rt.dump()));
   * ```
   */
  dump(): string {
    return this.describeTasks().join('\n');
  }

  /** @internal one line per live task, then the drivers' lines. */
  describeTasks(): string[] {
    const custom = dumpHooks.describe;
    if (custom !== null) {
      try {
        return custom(this);
      } catch (e) {
        console.error('kyoto: the dump formatter threw; using the basic dump:', e);
      }
    }
    const lines = this.tasks().map(
      (s) =>
        `task ${s.name} (id ${s.id}${s.location ? `, spawned at ${s.location}` : ''}) ${s.state}, awaiting ${s.awaiting || '-'}, polls ${s.polls}, wakes ${s.wakes}${s.lostWaker ? ' [lost waker: its last poll returned Pending without reading cx.waker]' : ''}`,
    );
    for (const d of this.executor.drivers.values()) if (d.describe !== undefined) lines.push(...d.describe());
    return lines;
  }

  /**
   * The runtime's driver stored under `key`, made by `make` on first use (time, I/O, console).
   * @internal
   */
  driver<D extends Driver>(key: symbol, make: () => D): D {
    let d = this.executor.drivers.get(key) as D | undefined;
    if (d === undefined) {
      d = make();
      this.executor.drivers.set(key, d);
    }
    return d;
  }

  private deadlockCheckPending = false;

  private idle(): void {
    if (this.roots.size === 0 || this.deadlockCheckPending) return;
    // Something (an armed timer, an open socket) can still wake a task: no deadlock now, and no
    // setImmediate either (it would turn the next event-loop poll into a non-blocking one, an
    // extra epoll_wait per I/O event on a busy server). If the sources go away later without a
    // wake, the beforeExit check still catches a deadlock.
    if (this.executor.pendingWakeSources() > 0) return;
    this.deadlockCheckPending = true;
    setImmediate(() => {
      this.deadlockCheckPending = false;
      const ex = this.executor;
      if (this.roots.size === 0 || ex.queue.length > 0) return;
      if (ex.pendingWakeSources() > 0 || promiseWaits.pending > 0) return;
      if (nodeHasForeignWork()) return;
      this.failDeadlocked();
    });
  }

  private taskFinished(task: Task<unknown>): void {
    if (this.roots.delete(task) && this.roots.size === 0) withPendingRoots.delete(this);
    if (this.shutdownState === 'shutting-down') this.maybeFinishShutdown();
  }

  private maybeFinishShutdown(): void {
    if (this.executor.stats.live > 0) return;
    this.shutdownState = 'shut-down';
    withPendingRoots.delete(this);
    const waits: Promise<void>[] = [];
    for (const d of this.executor.drivers.values()) {
      try {
        const p = d.shutdown?.();
        if (p !== undefined) waits.push(p.catch((e: unknown) => console.error('kyoto: a driver failed to shut down:', e)));
      } catch (e) {
        console.error('kyoto: a driver failed to shut down:', e);
      }
    }
    const waiters = this.shutdownWaiters.splice(0);
    if (waits.length === 0) for (const w of waiters) w();
    else void Promise.all(waits).then(() => { for (const w of waiters) w(); });
  }

  /** @internal Rejects stuck roots; called when Node's event loop has nothing left to do. */
  failDeadlocked(): void {
    if (this.roots.size === 0 || this.executor.queue.length > 0) return;
    const lines = this.describeTasks();
    const roots = [...this.roots];
    this.roots.clear();
    withPendingRoots.delete(this);
    for (const [task, reject] of roots) {
      reject(
        new DeadlockError(
          `deadlock: task ${task.name} (id ${task.id}) passed to blockOn can never finish: no task is ready and nothing (timer, I/O, promise) is left to wake one.\n  ${lines.join('\n  ')}`,
          lines,
        ),
      );
      task.abort();
    }
  }
}

cleanupHooks.finishCleanup = (gen, awaiting) => {
  const rt = Runtime.tryCurrent() ?? Runtime.default();
  rt.spawnTask('cleanup', GenFuture.resume(gen, awaiting), []);
};

const NO_ARGS: readonly unknown[] = [];
// A reused one-element array: spawnTask copies the single argument into the task at once.
const ONE: unknown[] = [undefined];
function oneArg(a: unknown): readonly unknown[] {
  ONE[0] = a;
  return ONE;
}

/**
 * @internal Where a future awaited from async code runs: the current task's runtime; else the one
 * runtime running a `blockOn` (so `rt.blockOn(async () => { await sleep(1); })` stays on `rt`
 * and its clock); else, with none or several, the default runtime.
 */
export function ambientRuntime(): Runtime {
  const rt = Runtime.tryCurrent();
  if (rt !== null) return rt;
  if (withPendingRoots.size === 1) for (const only of withPendingRoots) return only;
  return Runtime.default();
}

function installBeforeExit(): void {
  if (beforeExitInstalled) return;
  beforeExitInstalled = true;
  process.prependListener('beforeExit', () => {
    for (const rt of [...withPendingRoots]) rt.failDeadlocked();
  });
}

function nameOf(body: unknown): string {
  if (typeof body === 'function') return (body as { name: string }).name || 'task';
  return 'future';
}

/**
 * Spawns a task on the current runtime (the one polling the caller). Throws `NoRuntimeError`
 * outside a task.
 *
 * @example
 * ```ts
 * function* server(listener: TcpListener) {
 *   for (;;) {
 *     const [stream] = yield* listener.accept();
 *     spawn(handleClient, stream); // hoisted generator + args: the cheap form
 *   }
 * }
 * ```
 */
export const spawn = spawnCurrent as <B extends AnyFn | Future<unknown>>(
  body: B,
  ...args: BodyArgs<B>
) => JoinHandle<BodyOutput<B>>;

function spawnCurrent(body: SpawnBody): Task<unknown> {
  // `arguments` instead of a rest parameter: no array is allocated for 0 or 1 argument.
  const n = arguments.length;
  // eslint-disable-next-line prefer-rest-params
  const args = n === 1 ? NO_ARGS : n === 2 ? oneArg(arguments[1]) : (Array.prototype.slice.call(arguments, 1) as unknown[]);
  return Runtime.current().spawnTask(null, body, args);
}

/**
 * `spawn` with a name.
 *
 * @example
 * ```ts
 * spawnNamed(`client ${addr}`, handleClient, stream);
 * ```
 */
export function spawnNamed<B extends AnyFn | Future<unknown>>(
  name: string,
  body: B,
  ...args: BodyArgs<B>
): JoinHandle<BodyOutput<B>> {
  return Runtime.current().spawnTask(name, body as SpawnBody, args) as JoinHandle<BodyOutput<B>>;
}

/**
 * Creates a runtime, runs `main` on it, shuts it down (cancelling whatever `main` left running)
 * and resolves with `main`'s output.
 *
 * @example
 * ```ts
 * await run(function* main() { yield* sleep(100); console.log('done'); });
 * ```
 */
export async function run<B extends AnyFn | Future<unknown>>(main: B, opts?: RuntimeOptions): Promise<BodyOutput<B>> {
  const rt = new Runtime(opts);
  try {
    return await rt.blockOn(main, ...([] as unknown as BodyArgs<B>));
  } finally {
    await rt.shutdown();
  }
}
