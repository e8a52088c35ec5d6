/**
 * `parallel(import.meta.url, name, body)`: registers a task body that can run on any worker
 * thread of a multi-thread runtime.
 * @module
 */
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { registerTask, lookupTask, UnknownTaskError, type TaskEntry } from '../runtime/scheduler/multi_thread/registry.js';
import { currentContext } from '../runtime/scheduler/multi_thread/current.js';
import '../runtime/scheduler/multi_thread/install.js';
import './error_classes.js';

/** Options of `task.spawnWith`. */
export interface SpawnOptions {
  /**
   * ArrayBuffers to move rather than copy: after the spawn they are detached (length 0) on the
   * calling thread and the task receives their contents.
   */
  transfer?: readonly ArrayBuffer[];
}

/**
 * A task body registered with `parallel`: spawn it on the worker pool from any thread.
 *
 * @example
 * ```ts
 * export const square = parallel(import.meta.url, 'square', (n: number) => n * n);
 * const h = square.spawn(7);   // JoinHandle<number>
 * console.log(await h);        // 49
 * ```
 */
export interface ParallelTask<A extends unknown[], R> {
  /** The registered name (unique in the program). */
  readonly name: string;
  /** The module that registered it (`import.meta.url`); workers import it on first use. */
  readonly url: string;
  /**
   * Queues `body(...args)` on the pool and returns its handle. Arguments are copied (numbers,
   * strings and typed arrays through shared memory, anything else by structured clone); an
   * argument that cannot be copied throws `ParallelArgumentError` naming the task.
   *
   * @example
   * ```ts
   * function* main() { return yield* fib.spawn(30); }
   * ```
   */
  spawn(...args: A): JoinHandle<R>;
  /**
   * `spawn` with options (transferred buffers).
   *
   * @example
   * ```ts
   * const buf = new ArrayBuffer(1 << 20);
   * const h = checksum.spawnWith({ transfer: [buf] }, buf); // buf is detached here now
   * ```
   */
  spawnWith(opts: SpawnOptions, ...args: A): JoinHandle<R>;
  /**
   * Runs the body on the calling thread, without the pool (a sequential cutoff in fork-join
   * code). A generator body gives a generator: `yield* fib.body(n)`.
   */
  readonly body: (...args: A) => unknown;
}

class ParallelTaskImpl<A extends unknown[], R> implements ParallelTask<A, R> {
  constructor(private readonly entry: TaskEntry) {}
  get name(): string {
    return this.entry.name;
  }
  get url(): string {
    return this.entry.url;
  }
  get body(): (...args: A) => unknown {
    return this.entry.fn as unknown as (...args: A) => unknown;
  }
  spawn(...args: A): JoinHandle<R> {
    return currentContext(this.entry.name).spawn<R>(this.entry, args, null);
  }
  spawnWith(opts: SpawnOptions, ...args: A): JoinHandle<R> {
    const t = opts.transfer;
    return currentContext(this.entry.name).spawn<R>(this.entry, args, t === undefined || t.length === 0 ? null : t);
  }
}

/**
 * Registers a task body that can cross threads. Call it at the top level of a module, with that
 * module's `import.meta.url`: each worker imports the module the first time it runs the task.
 * The body is a generator function (it may `yield*` futures, spawn more parallel tasks and await
 * them) or a plain (possibly async) function. Names are unique: registering one twice throws
 * `DuplicateTaskError`.
 *
 * @example
 * ```ts
 * // tasks.ts
 * export const fib = parallel(import.meta.url, 'fib', function* (n: number): Gen<number> {
 *   if (n < 20) return seqFib(n);                    // sequential cutoff
 *   const a = fib.spawn(n - 1), b = fib.spawn(n - 2); // may be stolen by idle workers
 *   return (yield* a) + (yield* b);
 * });
 * // main.ts
 * const rt = new Runtime({ flavor: 'multi_thread', workers: 4 });
 * console.log(await rt.blockOn(function* () { return yield* fib.spawn(32); }));
 * await rt.shutdown();
 * ```
 */
export function parallel<A extends unknown[], R>(
  url: string,
  name: string,
  body: (...args: A) => Generator<unknown, R, unknown>,
): ParallelTask<A, R>;
export function parallel<A extends unknown[], R>(url: string, name: string, body: (...args: A) => R): ParallelTask<A, Awaited<R>>;
export function parallel<A extends unknown[], R>(url: string, name: string, body: (...args: A) => unknown): ParallelTask<A, R> {
  return new ParallelTaskImpl<A, R>(registerTask(url, name, body as (...args: never[]) => unknown));
}

/**
 * The task registered under `name` in this thread; throws `UnknownTaskError` when there is none.
 *
 * @example
 * ```ts
 * const t = parallelTask<[number], number>('fib');
 * ```
 */
export function parallelTask<A extends unknown[], R>(name: string): ParallelTask<A, R> {
  const e = lookupTask(name);
  if (e === undefined) throw new UnknownTaskError(`no parallel task named ${JSON.stringify(name)} is registered (import the module that registers it)`);
  return new ParallelTaskImpl<A, R>(e);
}
