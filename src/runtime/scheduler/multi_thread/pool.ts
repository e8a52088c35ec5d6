/**
 * The multi-thread flavour: `new Runtime({ flavor: 'multi_thread', workers: n })` starts `n`
 * worker threads sharing one scheduler state. The runtime's own thread keeps its executor for
 * ordinary `spawn` (tasks that never leave it, like a Tokio LocalSet); registered parallel
 * tasks go to the workers.
 *
 * This module also handles faults: a worker that dies fails the tasks it was running with a
 * `JoinError` saying so, its queued tasks go back to the global queue, and a replacement
 * worker starts.
 * @module
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Driver } from '../../driver.js';
import type { WorkerMetrics } from '../../metrics.js';
import { Runtime, RuntimeShutdownError, type RuntimeOptions } from '../../runtime.js';
import {
  G_IDLE,
  G_LOCK,
  G_SEARCHING,
  G_SHUTDOWN,
  METRIC_WORDS,
  M_BUSY,
  M_NOOPS,
  M_OVERFLOWS,
  M_PARKS,
  M_POLLS,
  M_STARTED,
  M_STEALS,
  M_STEAL_OPS,
  ST_CANCEL_REQ,
  ST_RUNNING,
  S_RUNNER,
  S_STATE,
  Shared,
  T_CANCELS,
  T_DRAINED,
  T_LIFO,
  T_PARKED,
  T_SEARCHING,
  T_SIGNAL,
  waitAsync,
} from './layout.js';
import { OUT_DIED, ThreadContext } from './thread_context.js';
import { WorkerDiedError } from './errors.js';
import { POOL_KEY, threadState } from './current.js';
import { checkNotOnWorker } from './entry_guard.js';

declare module '../../runtime.js' {
  interface RuntimeOptions {
    /** Task slots per thread (tasks in flight spawned by one thread; more wait). Default 16384. */
    parallelSlots?: number;
    /** Bytes of the shared heap for large arguments and results. Default 128 MiB. */
    parallelHeapBytes?: number;
    /** `resourceLimits` of each worker thread (heap sizes, as for `new Worker`). */
    workerResourceLimits?: ResourceLimits;
  }
}

const WORKER_URL = new URL('./worker_main.js', import.meta.url);

/**
 * Figures of one worker of a multi-thread runtime (in `rt.metrics().workers`): the `WorkerMetrics`
 * every runtime reports, with Tokio's names, plus the tasks it started and how often it restarted.
 *
 * @example
 * ```ts
 * for (const w of rt.metrics().workers as ParallelWorkerMetrics[]) console.log(w.stealCount);
 * ```
 */
export interface ParallelWorkerMetrics extends WorkerMetrics {
  startedTasks: number;
  restarts: number;
}

/** @internal */
export class MultiThreadPool implements Driver {
  readonly sh: Shared;
  readonly ctx: ThreadContext;
  private readonly workers: (Worker | null)[] = [];
  private readonly lastError: unknown[] = [];
  private readonly restarts: number[] = [];
  /** Per worker: deaths in a row before its loop started; at workerStartAttempts it stays down. */
  private readonly startFailures: number[] = [];
  private readonly started: boolean[] = [];
  /** Why no worker can start, once none can: every parallel task fails with it. */
  private unstartable: string | null = null;
  private readonly exits: Promise<void>[] = [];
  private batch: number[] = [];
  private flushScheduled = false;
  private waiting = false;
  private closed = false;
  /** Set once shutdown began: runs when every worker drained, or at the deadline. */
  private finishShutdown: (() => void) | null = null;
  private shutdownDone: Promise<void> | null = null;
  private busy = false;
  private readonly limits: ResourceLimits | undefined;
  private readonly flushFn = (): void => this.flush();
  private readonly onSignal = (): void => {
    this.waiting = false;
    const sh = this.sh;
    Atomics.store(sh.mem, sh.tw(0, T_SIGNAL), 0);
    this.ctx.drainInbox();
    if (this.finishShutdown !== null && this.allDrained()) this.finishShutdown();
    else this.armWait();
  };

  constructor(
    readonly rt: Runtime,
    opts: RuntimeOptions,
  ) {
    checkNotOnWorker();
    const n = opts.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError(`workers must be an integer in 1..256, got ${String(opts.workers)}`);
    const slots = opts.parallelSlots ?? 16384;
    if (!Number.isInteger(slots) || slots < 16 || (slots & (slots - 1)) !== 0) {
      throw new RangeError(`parallelSlots must be a power of two >= 16, got ${String(slots)}`);
    }
    const heap = opts.parallelHeapBytes ?? 128 * 1024 * 1024;
    if (!Number.isInteger(heap) || heap < 65536) throw new RangeError(`parallelHeapBytes must be an integer >= 65536, got ${String(heap)}`);
    this.limits = opts.workerResourceLimits;
    this.sh = new Shared(Shared.create(n, slots, heap));
    this.ctx = new ThreadContext(this.sh, 0);
    this.ctx.submit = (id) => this.submit(id);
    this.ctx.onBusy = (b) => this.setBusy(b);
    this.workers.push(null);
    for (let w = 1; w <= n; w++) {
      this.workers.push(null);
      this.restarts.push(0);
      this.startFailures.push(0);
      this.started.push(false);
      this.startWorker(w);
    }
    threadState.pools.push(this);
  }

  isClosed(): boolean {
    return this.closed;
  }

  private startWorker(w: number): void {
    const opts: ConstructorParameters<typeof Worker>[1] = {
      workerData: { init: this.sh.init, tid: w, config: { ...this.rt.executor.config } },
      name: `kyoto-worker-${w}`,
    };
    if (this.limits !== undefined) opts.resourceLimits = this.limits;
    const worker = new Worker(WORKER_URL, opts);
    this.workers[w] = worker;
    this.lastError[w] = undefined;
    this.started[w - 1] = false;
    worker.once('message', () => {
      this.started[w - 1] = true;
      this.startFailures[w - 1] = 0;
    });
    if (!this.busy) worker.unref();
    worker.on('error', (e) => {
      this.lastError[w] = e;
    });
    this.exits[w] = new Promise<void>((resolve) => {
      worker.once('exit', (code) => {
        resolve();
        if (this.workers[w] === worker) this.workers[w] = null;
        if (!this.closed) this.recover(w, code);
        else if (this.finishShutdown !== null && this.allDrained()) this.finishShutdown();
      });
    });
  }

  // ---- submission and completion -------------------------------------------------------------

  private submit(id: number): void {
    if (this.unstartable !== null) {
      queueMicrotask(this.failUnstartable);
      return;
    }
    this.batch.push(id);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flushFn);
    }
  }

  /** Moves the tasks spawned during this turn to the global queue, then wakes idle workers. */
  private flush(): void {
    this.flushScheduled = false;
    const b = this.batch;
    if (b.length === 0) return;
    this.batch = [];
    const inj = this.sh.inject;
    for (let i = 0; i < b.length; i++) {
      if (!inj.push(b[i]!)) throw new Error('kyoto: the global injection queue overflowed (a scheduler bug)');
    }
    if (Atomics.load(this.sh.mem, G_SEARCHING) === 0 || b.length > 1) this.sh.wakeParked(Math.min(b.length, this.sh.workers), 0);
  }

  private setBusy(b: boolean): void {
    this.busy = b;
    // While shutting down the workers stay referenced: the pool waits for them to drain.
    if (!b && this.finishShutdown !== null) return;
    for (const w of this.workers) {
      if (w === null) continue;
      if (b) w.ref();
      else w.unref();
    }
    if (b) this.armWait();
  }

  /** Parks the main thread's inbox on its signal word (without blocking the event loop). */
  private armWait(): void {
    if (this.waiting) return;
    if (this.finishShutdown === null && (this.closed || this.ctx.outstanding === 0)) return;
    const sh = this.sh;
    const r = waitAsync(sh.mem, sh.tw(0, T_SIGNAL), 0);
    this.waiting = true;
    if (!r.async) queueMicrotask(this.onSignal);
    else void r.value.then(this.onSignal);
  }

  // ---- faults ----------------------------------------------------------------------------------

  private describeDeath(w: number, code: number): string {
    const e = this.lastError[w] as (Error & { code?: string }) | undefined;
    if (e !== undefined) {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') return `worker ${w} ran out of memory (resourceLimits): ${e.message}`;
      return `worker ${w} died of an uncaught ${e.name ?? 'error'} outside any task: ${e.message ?? String(e)}`;
    }
    return `worker ${w} exited (exit code ${code}; process.exit() called in a task?)`;
  }

  private recover(w: number, code: number): void {
    const sh = this.sh;
    const mem = sh.mem;
    const why = this.describeDeath(w, code);
    if (Atomics.load(mem, G_LOCK) === w + 1) Atomics.store(mem, G_LOCK, 0);
    if (mem[sh.tw(w, T_SEARCHING)] !== 0) {
      mem[sh.tw(w, T_SEARCHING)] = 0;
      Atomics.sub(mem, G_SEARCHING, 1);
    }
    if (Atomics.exchange(mem, sh.tw(w, T_PARKED), 0) === 1) Atomics.sub(mem, G_IDLE, 1);
    Atomics.store(mem, sh.tw(w, T_CANCELS), 0);
    Atomics.store(mem, sh.tw(w, T_SIGNAL), 0);
    // Tasks it was running fail; only those.
    const total = sh.threads * sh.slotsPerThread;
    for (let id = 0; id < total; id++) {
      const st = Atomics.load(mem, sh.sw(id, S_STATE)) & ~ST_CANCEL_REQ;
      if (st === ST_RUNNING && mem[sh.sw(id, S_RUNNER)] === w) {
        this.ctx.complete(id, OUT_DIED, `${why}; the task was running on it`);
      }
    }
    // Tasks queued on it go back to the global queue.
    const lifo = Atomics.exchange(mem, sh.tw(w, T_LIFO), 0);
    if (lifo !== 0) sh.inject.push(lifo - 1);
    const dq = sh.deques[w]!;
    for (;;) {
      const x = dq.steal();
      if (x < 0) {
        if (dq.len() === 0) break;
        continue;
      }
      sh.inject.push(x);
    }
    if (!this.started[w - 1] && ++this.startFailures[w - 1]! >= this.rt.executor.config.workerStartAttempts) {
      this.giveUpOn(w, why);
      return;
    }
    this.restarts[w - 1]!++;
    this.startWorker(w);
    if (this.busy) this.workers[w]?.ref();
    // A worker batches its wake-ups (flushWakes): the dead one may have pushed results into
    // owners' inboxes without signalling them yet. Signal every owner, or those results sit
    // unseen until some later completion, which may never come.
    for (let t = 1; t < sh.threads; t++) if (t !== w) sh.wake(t);
    this.ctx.drainInbox();
    sh.wakeParked(sh.workers, 0);
  }

  /**
   * Worker `w` died `workerStartAttempts` times before its loop started: it stays down. Its tasks
   * went back to the global queue above, for the other workers; once no worker is left, every
   * parallel task in flight, and every one spawned later, fails with a WorkerDiedError saying why.
   */
  private giveUpOn(w: number, why: string): void {
    for (let t = 1; t <= this.sh.workers; t++) if (t !== w && this.workers[t] !== null) return;
    this.unstartable =
      `no worker thread of this runtime could start: ${why} (${this.rt.executor.config.workerStartAttempts} attempts each; ` +
      'check workerResourceLimits)';
    this.failUnstartable();
  }

  private readonly failUnstartable = (): void => {
    this.batch.length = 0;
    this.ctx.failAll(new WorkerDiedError(this.unstartable!), 'err');
  };

  // ---- Driver hooks ------------------------------------------------------------------------

  pendingWakeSources(): number {
    return this.ctx.outstanding;
  }

  describe(): string[] {
    return [`multi-thread pool: ${this.sh.workers} workers, ${this.ctx.outstanding} parallel tasks in flight, ${this.sh.inject.len()} in the global queue`];
  }

  /** Per-worker figures. */
  workerMetrics(): ParallelWorkerMetrics[] {
    const sh = this.sh;
    const out: ParallelWorkerMetrics[] = [];
    for (let w = 1; w <= sh.workers; w++) {
      const b = w * METRIC_WORDS;
      const m = sh.metrics;
      const polls = m[b + M_POLLS]!;
      out.push({
        pollCount: polls,
        stealCount: m[b + M_STEALS]!,
        stealOperations: m[b + M_STEAL_OPS]!,
        parkCount: m[b + M_PARKS]!,
        noopCount: m[b + M_NOOPS]!,
        overflowCount: m[b + M_OVERFLOWS]!,
        localQueueDepth: sh.deques[w]!.len() + (Atomics.load(sh.mem, sh.tw(w, T_LIFO)) !== 0 ? 1 : 0),
        totalBusyDuration: m[b + M_BUSY]!,
        meanPollTime: polls > 0 ? m[b + M_BUSY]! / polls : 0,
        startedTasks: m[b + M_STARTED]!,
        restarts: this.restarts[w - 1]!,
      });
    }
    return out;
  }

  metrics(into: Record<string, unknown>): void {
    const ws = this.workerMetrics();
    const main = (into.workers as unknown[] | undefined) ?? [];
    into.workers = [...main, ...ws];
    into.numWorkers = ws.length;
    into.globalQueueDepth = this.sh.inject.len();
    let polls = 0;
    let steals = 0;
    let stealOps = 0;
    let parks = 0;
    let overflows = 0;
    let depth = 0;
    let busy = 0;
    for (const m of ws) {
      polls += m.pollCount;
      steals += m.stealCount;
      stealOps += m.stealOperations;
      parks += m.parkCount;
      overflows += m.overflowCount;
      depth += m.localQueueDepth;
      busy += m.totalBusyDuration;
    }
    into.workerPollCount = (into.workerPollCount as number) + polls;
    into.workerStealCount = steals;
    into.workerStealOperations = stealOps;
    into.workerParkCount = (into.workerParkCount as number) + parks;
    into.workerOverflowCount = overflows;
    into.workerLocalQueueDepth = (into.workerLocalQueueDepth as number) + depth;
    into.workerTotalBusyDuration = (into.workerTotalBusyDuration as number) + busy;
    into.parallelTasksInFlight = this.ctx.outstanding;
  }

  /**
   * Shuts the pool down: no task starts any more, queued ones are cancelled, and every worker
   * aborts the tasks it is running (their `finally` blocks run there, async ones included).
   * Once every worker has drained, or at `deadline` (a `performance.now()` time) if that comes
   * first, handles still open fail with a cancelled `JoinError` whose cause is a
   * `RuntimeShutdownError`, and the threads are terminated. Resolves when they have exited.
   * Without a deadline it waits for the cleanup however long it takes (as the current-thread
   * flavour does); a plain synchronous body cannot be interrupted and runs to its end.
   */
  shutdown(deadline?: number): Promise<void> {
    if (this.shutdownDone !== null) return this.shutdownDone;
    this.closed = true;
    const i = threadState.pools.indexOf(this);
    if (i >= 0) threadState.pools.splice(i, 1);
    const sh = this.sh;
    Atomics.store(sh.mem, G_SHUTDOWN, 1);
    this.ctx.abortAll();
    for (const w of this.workers) w?.ref();
    this.shutdownDone = new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      this.finishShutdown = () => {
        this.finishShutdown = null;
        if (timer !== null) clearTimeout(timer);
        this.ctx.failAll(new RuntimeShutdownError('the runtime shut down before this parallel task finished'));
        const waits: Promise<unknown>[] = [];
        for (let w = 1; w < this.workers.length; w++) {
          const worker = this.workers[w];
          if (worker !== null && worker !== undefined) {
            void worker.terminate();
            waits.push(this.exits[w]!);
          }
        }
        void Promise.all(waits).then(() => resolve());
      };
      if (deadline !== undefined) timer = setTimeout(() => this.finishShutdown?.(), Math.max(0, deadline - performance.now()));
      for (let w = 1; w <= sh.workers; w++) sh.wake(w);
      if (this.allDrained()) this.finishShutdown();
      else this.armWait();
    });
    return this.shutdownDone;
  }

  /** True when every live worker reported that nothing runs on it any more. */
  private allDrained(): boolean {
    const sh = this.sh;
    for (let w = 1; w <= sh.workers; w++) {
      if (this.workers[w] !== null && Atomics.load(sh.mem, sh.tw(w, T_DRAINED)) === 0) return false;
    }
    return true;
  }
}

/** @internal The pool of `rt`, if it is a multi-thread runtime. */
export function poolOf(rt: Runtime): MultiThreadPool | undefined {
  return rt.executor.drivers.get(POOL_KEY) as MultiThreadPool | undefined;
}
