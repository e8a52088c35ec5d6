/**
 * `Runtime`, the facade: owns an executor, spawns tasks, bridges to Promises with `blockOn`, and
 * reports metrics, per-task snapshots and dumps. The parts live beside it: `shutdown.ts` (the
 * shutdown state machine), `deadlock.ts` (stuck `blockOn` roots), `dump.ts` (text dumps),
 * `spawn.ts` (`spawn`/`spawnNamed` on the current runtime) and `run.ts` (`run`).
 *
 * Invariants: a task spawned while shutting down is aborted at once, one spawned after shutdown
 * throws `RuntimeShutdownError`; `blockOn` rejects with the body's own error (not a JoinError)
 * when the body throws. Proved by test/core/executor.test.ts and test/core/runtime_split.test.ts.
 * @module
 */
import { NoRuntimeError, type Future } from '../future/future.js';
import { JoinError } from './task/join_error.js';
import { context } from './context.js';
import type { Driver } from './driver.js';
import { Executor, type ExecutorOptions } from './scheduler/current_thread/executor.js';
import { metaFor, namedMeta } from './location.js';
import { checkBody, type AnyFn, type BodyArgs, type BodyOutput, type SpawnBody } from './spawn_body.js';
import { snapshotTask, type TaskSnapshot } from './snapshot.js';
import { collectMetrics, type RuntimeMetrics } from './metrics.js';
import { RootSet, soleRootExecutor } from './deadlock.js';
import { describeRuntime } from './dump.js';
import { RuntimeShutdownError, Shutdown } from './shutdown.js';
import { checkRuntimeOptions } from './options.js';
import { checkDuration } from '../util/args.js';
import { GenFuture, cleanupHooks } from '../future/gen_future.js';
import { Task } from './task/task.js';
import type { JoinHandle } from './task/join_handle.js';

export { RuntimeShutdownError } from './shutdown.js';
export { RuntimeOptionsError } from './options.js';

/** Options of `rt.blockOnWith(opts, body, ...args)`. */
export interface BlockOnOptions {
  /** Aborting it aborts the root task (its `finally` blocks run); the promise then rejects. */
  signal?: AbortSignal;
  /** The root task's name (console, errors, `tasks()`). */
  name?: string;
}

/** Options of `rt.shutdown(opts)`. */
export interface ShutdownOptions {
  /**
   * Grace period (ms) for tasks to unwind. When it ends, tasks still unwinding are abandoned,
   * every socket, listener and timer is closed, and the promise resolves. Default: wait as long
   * as it takes.
   */
  timeoutMs?: number;
}
export type { AnyFn, BodyArgs, BodyOutput } from './spawn_body.js';

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

let defaultRuntime: Runtime | null = null;

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
  /** @internal pending blockOn roots and the deadlock checks over them */
  readonly roots: RootSet;
  /** @internal */
  readonly shutdownCtl: Shutdown;

  constructor(opts: RuntimeOptions = {}) {
    checkRuntimeOptions(opts);
    this.options = opts;
    const ex = new Executor(opts);
    this.executor = ex;
    ex.runtime = this;
    this.roots = new RootSet(ex, () => this.describeTasks());
    this.shutdownCtl = new Shutdown(ex, () => this.roots.forget());
    ex.onTaskFinished = (t) => {
      this.roots.taskFinished(t);
      this.shutdownCtl.taskFinished();
    };
    ex.onIdle = () => this.roots.idle();
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
    const ex = context.executor;
    return ex === null ? null : (ex.runtime as Runtime | null);
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
    if (defaultRuntime === null || defaultRuntime.shutdownCtl.phase !== 'running') defaultRuntime = new Runtime();
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
    return this.spawnWith(name, body, args, false);
  }

  /** @internal `spawnTask` whose first poll runs at once when it can (`Executor.spawnEager`). */
  spawnTaskEager(name: string | null, body: SpawnBody, args: readonly unknown[]): Task<unknown> {
    return this.spawnWith(name, body, args, true);
  }

  private spawnWith(name: string | null, body: SpawnBody, args: readonly unknown[], eager: boolean): Task<unknown> {
    const phase = this.shutdownCtl.phase;
    if (phase === 'shut-down') {
      throw new RuntimeShutdownError(`cannot spawn ${name ?? nameOf(body)}: the runtime has shut down`);
    }
    checkBody(body);
    const ex = this.executor;
    const meta = name === null ? metaFor(body) : namedMeta(body, name);
    const cur = context.task;
    const parent = cur === null ? 0 : cur.id;
    const task = new Task<unknown>(
      ex,
      body as (...a: unknown[]) => unknown,
      args.length === 0 ? null : args,
      meta,
      parent,
      ex.clock(),
    );
    if (phase === 'shutting-down') {
      ex.spawnTask(task);
      task.abort();
    } else if (eager) ex.spawnEager(task);
    else ex.spawnTask(task);
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
    return this.root(null, null, body as SpawnBody, args) as Promise<BodyOutput<B>>;
  }

  /**
   * Like `blockOn`, with options: when `signal` aborts, the root task is aborted (its `finally`
   * blocks run, async ones included) and the promise rejects with the cancelled `JoinError`. This
   * ties a kyoto task to a request's lifetime; `name` names the task.
   *
   * @example
   * ```ts
   * http.createServer((req, res) => {
   *   const ctrl = new AbortController();
   *   res.on('close', () => ctrl.abort()); // the client went away
   *   rt.blockOnWith({ signal: ctrl.signal, name: 'GET /report' }, buildReport, req.url).then(
   *     (body) => res.end(body),
   *     (e) => { if (!ctrl.signal.aborted) res.writeHead(500).end(String(e)); },
   *   );
   * });
   * ```
   */
  blockOnWith<B extends AnyFn | Future<unknown>>(opts: BlockOnOptions, body: B, ...args: BodyArgs<B>): Promise<BodyOutput<B>> {
    if (opts === null || typeof opts !== 'object') throw new TypeError('blockOnWith(opts, body, ...args): opts must be an object');
    const { signal, name } = opts;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError('blockOnWith: opts.signal must be an AbortSignal');
    }
    if (name !== undefined && typeof name !== 'string') throw new TypeError('blockOnWith: opts.name must be a string');
    return this.root(name ?? null, signal ?? null, body as SpawnBody, args) as Promise<BodyOutput<B>>;
  }

  private root(name: string | null, signal: AbortSignal | null, body: SpawnBody, args: readonly unknown[]): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const task = this.spawnTask(name, body, args);
      task.markJoinInterest();
      this.roots.add(task, reject);
      let onAbort: (() => void) | null = null;
      if (signal !== null) {
        if (signal.aborted) task.abort();
        else {
          onAbort = () => task.abort();
          signal.addEventListener('abort', onAbort, { once: true });
        }
      }
      task.then(
        (v: unknown) => {
          if (onAbort !== null) signal!.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          if (onAbort !== null) signal!.removeEventListener('abort', onAbort);
          reject(e instanceof JoinError && e.isPanic() ? e.cause : e);
        },
      );
    });
  }

  /**
   * Cancels every task (their `finally` blocks run, async cleanup included) and resolves once
   * all of them finished. With `timeoutMs`, tasks still unwinding after that grace period are
   * abandoned: every socket, listener and timer is closed and the promise resolves. Spawning
   * afterwards throws `RuntimeShutdownError`.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', () => void rt.shutdown({ timeoutMs: 5_000 }));
   * ```
   */
  shutdown(opts?: ShutdownOptions): Promise<void> {
    const ms = opts?.timeoutMs;
    if (ms !== undefined) checkDuration('rt.shutdown', ms, 'timeoutMs');
    return this.shutdownCtl.begin(ms);
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
    return this.shutdownCtl.phase !== 'running';
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
    return describeRuntime(this);
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

  /** @internal Rejects stuck roots; called when Node's event loop has nothing left to do. */
  failDeadlocked(): void {
    this.roots.failDeadlocked();
  }
}

cleanupHooks.finishCleanup = (gen, awaiting) => {
  const rt = Runtime.tryCurrent() ?? Runtime.default();
  rt.spawnTask('cleanup', GenFuture.resume(gen, awaiting), []);
};

/**
 * @internal Where a future awaited from async code runs: the current task's runtime; else the one
 * runtime running a `blockOn` (so `rt.blockOn(async () => { await sleep(1); })` stays on `rt`
 * and its clock); else, with none or several, the default runtime.
 */
export function ambientRuntime(): Runtime {
  const rt = Runtime.tryCurrent();
  if (rt !== null) return rt;
  const only = soleRootExecutor() as (Executor & { runtime?: Runtime }) | null;
  return only?.runtime ?? Runtime.default();
}

function nameOf(body: unknown): string {
  if (typeof body === 'function') return (body as { name: string }).name || 'task';
  return 'future';
}
