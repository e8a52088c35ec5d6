/**
 * The blocking pool behind `spawnBlocking`: worker threads started on demand, up to
 * `maxBlockingThreads`, each running one task at a time; an unbounded FIFO queue in front of
 * them; idle threads exit after `blockingKeepAliveMs` (10 s by default).
 *
 * A started blocking task cannot be aborted (its thread is busy in synchronous code); a queued
 * one is removed. Runtime shutdown drops the queued tasks (their handles fail with a cancelled
 * `JoinError` whose cause says so), waits for the started ones, then terminates the threads.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { builtin } from '../../util/node_builtins.js';
import type { Driver } from '../driver.js';
import { RuntimeShutdownError, type Runtime, type RuntimeOptions } from '../runtime.js';
import { RemoteHandle, type HandleOwner } from '../scheduler/multi_thread/remote_handle.js';
import type { TaskEntry } from '../scheduler/multi_thread/registry.js';
import { ParallelArgumentError, WorkerDiedError } from '../scheduler/multi_thread/errors.js';
import { fromWire, type WireError } from '../scheduler/multi_thread/error_wire.js';

declare module '../runtime.js' {
  interface RuntimeOptions {
    /** Milliseconds an idle blocking thread waits for work before exiting. Default 10000. */
    blockingKeepAliveMs?: number;
  }
}

/**
 * Default upper bound of the blocking pool: 16 worker threads, not Tokio's 512, because each
 * is a whole V8 isolate (see docs/parallel.md).
 *
 * @example
 * ```ts
 * new Runtime({ maxBlockingThreads: 4 * DEFAULT_MAX_BLOCKING_THREADS });
 * ```
 */
export const DEFAULT_MAX_BLOCKING_THREADS = 16;

/** @internal What a blocking thread is sent. */
export interface BlockingJob {
  id: number;
  name: string;
  url: string;
  args: unknown[];
}

/** @internal What it answers. */
export type BlockingReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

const WORKER_URL = new URL('./blocking_worker.js', import.meta.url);

interface Thread {
  worker: Worker;
  job: Queued | null;
  idleTimer: NodeJS.Timeout | null;
  exited: Promise<void>;
}

interface Queued {
  handle: RemoteHandle<unknown>;
  job: BlockingJob;
  transfer: ArrayBuffer[];
}

let nextJob = 1;

/** @internal */
export class BlockingPool implements Driver, HandleOwner {
  private readonly threads = new Set<Thread>();
  private readonly idle: Thread[] = [];
  private queue: (Queued | null)[] = [];
  private head = 0;
  private queued = 0;
  private closed = false;
  private done: Promise<void> | null = null;
  readonly max: number;
  readonly keepAlive: number;

  constructor(opts: RuntimeOptions) {
    this.max = opts.maxBlockingThreads ?? DEFAULT_MAX_BLOCKING_THREADS;
    if (!Number.isInteger(this.max) || this.max < 1) throw new RangeError(`maxBlockingThreads must be a positive integer, got ${String(opts.maxBlockingThreads)}`);
    this.keepAlive = opts.blockingKeepAliveMs ?? 10_000;
    if (!(this.keepAlive >= 0)) throw new RangeError(`blockingKeepAliveMs must be >= 0, got ${String(opts.blockingKeepAliveMs)}`);
  }

  spawn<T>(entry: TaskEntry, args: unknown[], transfer: readonly ArrayBuffer[] | null): RemoteHandle<T> {
    if (this.closed) throw new RuntimeShutdownError(`cannot spawn blocking task ${entry.name}: the runtime has shut down`);
    const h = new RemoteHandle<T>(this, entry.name);
    const q: Queued = { handle: h as RemoteHandle<unknown>, job: { id: nextJob++, name: entry.name, url: entry.url, args }, transfer: transfer === null ? [] : [...transfer] };
    const t = this.idle.pop();
    if (t !== undefined) this.dispatch(t, q);
    else if (this.threads.size < this.max) this.dispatch(this.startThread(), q);
    else {
      this.queue.push(q);
      this.queued++;
    }
    return h;
  }

  abortHandle(h: RemoteHandle<unknown>): void {
    // Only a queued task can be aborted: a started one runs to the end.
    for (let i = this.head; i < this.queue.length; i++) {
      const q = this.queue[i];
      if (q !== null && q !== undefined && q.handle === h) {
        this.queue[i] = null;
        this.queued--;
        h.settle('cancelled', undefined);
        return;
      }
    }
  }

  private startThread(): Thread {
    const worker = new (builtin('node:worker_threads').Worker)(WORKER_URL, { name: 'kyoto-blocking' });
    let resolveExit!: () => void;
    const t: Thread = { worker, job: null, idleTimer: null, exited: new Promise<void>((r) => (resolveExit = r)) };
    this.threads.add(t);
    worker.on('message', (r: BlockingReply) => this.reply(t, r));
    worker.on('error', (e) => this.lost(t, e));
    worker.once('exit', (code) => {
      resolveExit();
      this.lost(t, new Error(`blocking thread exited (exit code ${code})`));
    });
    return t;
  }

  private dispatch(t: Thread, q: Queued): void {
    if (t.idleTimer !== null) {
      clearTimeout(t.idleTimer);
      t.idleTimer = null;
    }
    t.job = q;
    t.worker.ref();
    try {
      t.worker.postMessage(q.job, q.transfer);
    } catch (e) {
      t.job = null;
      q.handle.settle('err', new ParallelArgumentError(`arguments of blocking task ${q.job.name} cannot be copied to another thread: ${(e as Error).message}`));
      this.becomeIdle(t);
    }
  }

  private reply(t: Thread, r: BlockingReply): void {
    const q = t.job;
    t.job = null;
    if (q !== null) {
      if (r.ok) q.handle.settle('ok', r.value);
      else q.handle.settle('err', fromWire(r.error));
    }
    this.next(t);
  }

  private next(t: Thread): void {
    while (this.head < this.queue.length) {
      const q = this.queue[this.head];
      this.queue[this.head++] = null;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      if (q === null || q === undefined) continue;
      this.queued--;
      this.dispatch(t, q);
      return;
    }
    this.becomeIdle(t);
  }

  private becomeIdle(t: Thread): void {
    t.worker.unref();
    if (this.closed) {
      void t.worker.terminate();
      return;
    }
    this.idle.push(t);
    t.idleTimer = setTimeout(() => {
      t.idleTimer = null;
      const i = this.idle.indexOf(t);
      if (i >= 0) this.idle.splice(i, 1);
      this.threads.delete(t);
      void t.worker.terminate();
    }, this.keepAlive);
    t.idleTimer.unref();
  }

  private lost(t: Thread, e: unknown): void {
    if (!this.threads.delete(t)) return;
    const i = this.idle.indexOf(t);
    if (i >= 0) this.idle.splice(i, 1);
    if (t.idleTimer !== null) clearTimeout(t.idleTimer);
    const q = t.job;
    t.job = null;
    if (q !== null) {
      q.handle.settle('err', new WorkerDiedError(`the blocking thread running task ${q.job.name} died: ${e instanceof Error ? e.message : String(e)}`));
    }
    // Its queued successors still need a thread.
    if (!this.closed && this.queued > 0 && this.threads.size < this.max) this.next(this.startThread());
  }

  // ---- Driver ------------------------------------------------------------------------------

  pendingWakeSources(): number {
    let running = 0;
    for (const t of this.threads) if (t.job !== null) running++;
    return running + this.queued;
  }

  metrics(into: Record<string, unknown>): void {
    into.numBlockingThreads = this.threads.size;
    into.numIdleBlockingThreads = this.idle.length;
    into.blockingQueueDepth = this.queued;
  }

  describe(): string[] {
    return [`blocking pool: ${this.threads.size} threads (${this.idle.length} idle, max ${this.max}), ${this.queued} queued`];
  }

  /**
   * Drops the queued tasks (their handles fail with a cancelled `JoinError`), waits for the
   * started ones, then terminates every thread. With a `deadline` (a `performance.now()` time),
   * threads whose task is still running then are terminated at the deadline, their handles
   * failing with a cancelled `JoinError` whose cause is a `RuntimeShutdownError` saying so: a
   * task that never returns cannot keep the runtime, or the process, alive.
   */
  shutdown(deadline?: number): Promise<void> {
    if (this.done !== null) return this.done;
    this.closed = true;
    for (let i = this.head; i < this.queue.length; i++) {
      const q = this.queue[i];
      if (q !== null && q !== undefined) {
        q.handle.settle('cancelled', new RuntimeShutdownError(`blocking task ${q.job.name} was still queued when the runtime shut down; it never ran`));
      }
    }
    this.queue = [];
    this.head = 0;
    this.queued = 0;
    const waits: Promise<void>[] = [];
    for (const t of this.threads) {
      waits.push(t.exited);
      if (t.job === null) {
        if (t.idleTimer !== null) clearTimeout(t.idleTimer);
        void t.worker.terminate();
      }
      // A busy thread is terminated when its task finishes (becomeIdle), or at the deadline.
    }
    this.idle.length = 0;
    let timer: NodeJS.Timeout | null = null;
    if (deadline !== undefined && waits.length > 0) {
      timer = setTimeout(() => {
        for (const t of this.threads) {
          const q = t.job;
          if (q === null) continue;
          t.job = null;
          q.handle.settle(
            'cancelled',
            new RuntimeShutdownError(`blocking task ${q.job.name} was still running when the shutdown timed out; its thread was terminated`),
          );
          void t.worker.terminate();
        }
      }, Math.max(0, deadline - performance.now()));
    }
    this.done = Promise.all(waits).then(() => {
      if (timer !== null) clearTimeout(timer);
    });
    return this.done;
  }
}

/** @internal */
export const BLOCKING_KEY = Symbol.for('kyoto.blockingPool');

/** @internal The blocking pool of `rt`, created on first use. */
export function blockingPoolOf(rt: Runtime): BlockingPool {
  return rt.driver(BLOCKING_KEY, () => new BlockingPool(rt.options));
}
