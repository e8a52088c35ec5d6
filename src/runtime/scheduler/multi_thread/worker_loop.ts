/**
 * The scheduler loop of one worker thread.
 *
 * A worker runs an ordinary kyoto executor (generator tasks, timers and I/O all work there)
 * and, whenever that executor has nothing ready, takes the next parallel task from, in order:
 * its LIFO slot (at most 3 in a row), its own deque (the global injection queue first every 61st
 * tick), the global queue (a batch moves into its deque), then other workers' deques (a random
 * victim first, half of its tasks, with at most half of the workers searching at once). A task
 * taken is started here and stays here. When nothing is found the worker parks with
 * `Atomics.waitAsync` on its signal word, so its event loop keeps running timers and I/O.
 * The file reads in that order: search, run, park. Every number above is a `SchedulerConfig`
 * knob (src/runtime/scheduler/config.ts, with the reason for its value), the pool's runtime's
 * `scheduler` option, sent to each worker. At shutdown the worker aborts everything it runs and
 * reports when its tasks' `finally` blocks are done (`drain`). Proved by
 * test/parallel/forkjoin.test.ts, parallel.test.ts, shutdown.test.ts and test/stress/.
 * @module
 */
import type { Driver } from '../../driver.js';
import type { Runtime } from '../../runtime.js';
import { DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from '../config.js';
import { JoinError } from '../../task/join_error.js';
import { CallFuture, InlineWatcher, SlotWatcher } from './task_watchers.js';
import { fromPromise } from '../../../future/promise.js';
import type { RemoteHandle } from './remote_handle.js';
import type { Task } from '../../task/task.js';
import {
  G_IDLE,
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
  ST_QUEUED,
  ST_RUNNING,
  S_KIND,
  S_RUNNER,
  S_STATE,
  T_CANCELS,
  T_DRAINED,
  T_LIFO,
  T_PARKED,
  T_SEARCHING,
  T_SIGNAL,
  waitAsync,
  type Shared,
} from './layout.js';
import { OUT_CANCELLED, OUT_ERR, OUT_OK, type ThreadContext } from './thread_context.js';
import { lookupTask, splitKey, UnknownTaskError, type TaskEntry } from './registry.js';


const now = (): number => performance.now();

/** @internal */
export class WorkerLoop implements Driver {
  private readonly sh: Shared;
  private readonly me: number;
  private readonly running = new Map<number, Task<unknown>>();
  private readonly kinds: (TaskEntry | undefined)[] = [];
  private tickPending = false;
  private inTick = false;
  private waiting = false;
  private ticks = 0;
  private lifoRun = 0;
  private plainRuns = 0;
  /** Module URLs imported on this worker, with the error if the import failed. */
  private readonly imported = new Map<string, unknown>();
  private importing = false;
  /** How many of those imports failed (0 on the fast path). */
  private failedImports = 0;
  /** Shutdown began: nothing new starts; set once the local runtime's tasks were aborted. */
  private draining = false;
  private readonly m: number;
  private readonly tickFn = (): void => this.tick();
  private readonly onWake = (): void => {
    this.waiting = false;
    this.tick();
  };

  constructor(
    readonly ctx: ThreadContext,
    readonly rt: Runtime,
    /** The multi-thread knobs (the pool's runtime's `scheduler` options, sent in workerData). */
    private readonly cfg: Readonly<SchedulerConfig> = DEFAULT_SCHEDULER_CONFIG,
  ) {
    this.sh = ctx.sh;
    this.me = ctx.tid;
    this.m = this.me * METRIC_WORDS;
    ctx.submit = (id) => this.pushLocal(id);
    ctx.runInline = (entry, args, h) => this.runInline(entry, args, h);
    ctx.deferWakes = true;
    rt.driver(WORKER_LOOP, () => this);
  }

  /** Starts the loop. */
  start(): void {
    this.requestTick();
  }

  // Driver: the executor ran out of ready tasks; look for parallel work.
  onIdle(): boolean {
    if (!this.inTick) this.requestTick();
    return false;
  }

  private requestTick(): void {
    if (this.tickPending) return;
    this.tickPending = true;
    setImmediate(this.tickFn);
  }

  // ---- search: where the next task comes from ----------------------------------------------

  /** A task spawned on this worker: into the LIFO slot; the previous occupant goes to the deque. */
  private pushLocal(id: number): void {
    const sh = this.sh;
    const prev = Atomics.exchange(sh.mem, sh.tw(this.me, T_LIFO), id + 1);
    if (prev !== 0) this.pushDeque(prev - 1);
    if (!this.inTick) this.requestTick();
  }

  private pushDeque(id: number): void {
    const sh = this.sh;
    const dq = sh.deques[this.me]!;
    if (!dq.push(id)) {
      // Full: half of it moves to the global queue in one go.
      const half = dq.capacity >> 1;
      for (let i = 0; i < half; i++) {
        const x = dq.steal();
        if (x < 0) break;
        sh.inject.push(x);
      }
      this.sh.metrics[this.m + M_OVERFLOWS]!++;
      if (!dq.push(id)) sh.inject.push(id);
    }
    if (Atomics.load(sh.mem, G_SEARCHING) === 0) sh.wakeParked(1, this.me);
  }

  private next(): number {
    if (this.importing || this.draining) return -1;
    const sh = this.sh;
    const mem = sh.mem;
    this.ticks++;
    const li = sh.tw(this.me, T_LIFO);
    if (mem[li] !== 0) {
      if (this.lifoRun < this.cfg.maxLifoPolls) {
        const v = Atomics.exchange(mem, li, 0);
        if (v !== 0) {
          this.lifoRun++;
          return v - 1;
        }
      } else {
        // After 3 LIFO tasks in a row the slot's task moves to the deque, where thieves can
        // take it (the LIFO slot itself is never stolen).
        const v = Atomics.exchange(mem, li, 0);
        if (v !== 0) this.pushDeque(v - 1);
      }
    }
    this.lifoRun = 0;
    let id = -1;
    if (this.ticks % this.cfg.globalQueueInterval === 0) id = this.takeGlobal();
    if (id < 0) id = sh.deques[this.me]!.pop();
    if (id < 0) id = this.takeGlobal();
    if (id < 0) id = this.steal();
    return id;
  }

  private takeGlobal(): number {
    const sh = this.sh;
    const inj = sh.inject;
    const n = inj.len();
    if (n === 0) return -1;
    const first = inj.pop();
    if (first < 0) return -1;
    const want = Math.min(this.cfg.globalBatch, Math.ceil(n / sh.workers)) - 1;
    const dq = sh.deques[this.me]!;
    let moved = 0;
    for (; moved < want; moved++) {
      const x = inj.pop();
      if (x < 0) break;
      if (!dq.push(x)) {
        inj.push(x);
        break;
      }
    }
    if (moved > 0 && Atomics.load(sh.mem, G_SEARCHING) === 0) sh.wakeParked(1, this.me);
    return first;
  }

  private steal(): number {
    const sh = this.sh;
    const mem = sh.mem;
    const n = sh.workers;
    if (n < 2) return -1;
    if (this.cfg.searchingDivisor * Atomics.load(mem, G_SEARCHING) >= n) return -1;
    Atomics.add(mem, G_SEARCHING, 1);
    mem[sh.tw(this.me, T_SEARCHING)] = 1;
    const mine = sh.deques[this.me]!;
    let first = -1;
    const start = (Math.random() * n) | 0;
    for (let i = 0; i < n && first < 0; i++) {
      const v = 1 + ((start + i) % n);
      if (v === this.me) continue;
      const dq = sh.deques[v]!;
      let len = dq.len();
      if (len === 0) continue;
      const half = Math.ceil(len / this.cfg.stealDivisor);
      let got = 0;
      for (let tries = 0; got < half && tries < 2 * half; tries++) {
        const x = dq.steal();
        if (x < 0) {
          if (dq.len() === 0) break;
          continue;
        }
        got++;
        if (first < 0) first = x;
        else if (!mine.push(x)) sh.inject.push(x);
      }
      if (got > 0) {
        const met = sh.metrics;
        met[this.m + M_STEALS]! += got;
        met[this.m + M_STEAL_OPS]!++;
      }
      len = 0;
    }
    mem[sh.tw(this.me, T_SEARCHING)] = 0;
    const prev = Atomics.sub(mem, G_SEARCHING, 1);
    // The last searcher to find work wakes another, so that the work keeps spreading.
    if (first >= 0 && prev === 1 && sh.hasQueuedWork()) sh.wakeParked(1, this.me);
    return first;
  }

  // ---- run: one tick of local polls and task starts ----------------------------------------

  private tick(): void {
    this.tickPending = false;
    if (this.inTick) return;
    this.inTick = true;
    const sh = this.sh;
    const mem = sh.mem;
    this.unpark();
    Atomics.store(mem, sh.tw(this.me, T_SIGNAL), 0);
    const t0 = now();
    this.ctx.drainInbox();
    if (Atomics.load(mem, sh.tw(this.me, T_CANCELS)) !== 0) this.processCancels();
    if (!this.draining && Atomics.load(mem, G_SHUTDOWN) !== 0) this.drain();
    const ex = this.rt.executor;
    let n = 0;
    const ctx = this.ctx;
    let ts = t0;
    const budget = this.cfg.workerTickPolls;
    while (n < budget) {
      if (ex.queue.length > 0) ex.drain();
      else {
        const id = this.next();
        if (id < 0) break;
        this.startSlot(id);
      }
      n++;
      // Owners hear about results in batches: within ~50 µs of the first, and at once after a
      // long task (so its result does not wait for the next task to finish too).
      if (ctx.wakeList.length !== 0) {
        const t = now();
        if (t - ctx.wakeSince > 0.05 || t - ts > 0.05) ctx.flushWakes();
        ts = t;
      } else ts = now();
    }
    if (ctx.wakeList.length !== 0) ctx.flushWakes();
    if (n === 0) sh.metrics[this.m + M_NOOPS]!++;
    const met = sh.metrics;
    met[this.m + M_BUSY]! += now() - t0;
    met[this.m + M_POLLS] = ex.workerPollCount + this.plainRuns;
    this.inTick = false;
    if (n >= budget) this.requestTick();
    // Found work: look once more on the next turn (after timers and I/O) before parking.
    else if (n > 0) this.requestTick();
    else this.park();
  }

  private startSlot(id: number): void {
    const sh = this.sh;
    const mem = sh.mem;
    const ctx = this.ctx;
    const kind = mem[sh.sw(id, S_KIND)]!;
    let entry = this.kinds[kind] ?? this.resolve(kind);
    if (entry === undefined) {
      const { url } = splitKey(sh.kindKey(kind));
      if (!this.imported.has(url)) {
        // First use of this module here: the task goes back to the global queue, unclaimed
        // (another worker may run it meanwhile), and this worker takes nothing until the
        // module is loaded. So no task ever waits on a worker that cannot run it yet.
        sh.inject.push(id);
        sh.wakeParked(1, this.me);
        this.beginImport(url);
        return;
      }
    }
    mem[sh.sw(id, S_RUNNER)] = this.me;
    if (Atomics.compareExchange(mem, sh.sw(id, S_STATE), ST_QUEUED, ST_RUNNING) !== ST_QUEUED) {
      // Aborted while queued: hand it back to be freed.
      ctx.handBack(id);
      return;
    }
    sh.metrics[this.m + M_STARTED]!++;
    let args: unknown[];
    try {
      args = ctx.readArgs(id);
    } catch (e) {
      ctx.releasePayload(id);
      ctx.complete(id, OUT_ERR, e);
      return;
    }
    ctx.releasePayload(id);
    entry ??= this.resolve(kind);
    if (entry === undefined) {
      // Its module was imported here and did not register it (or failed to load).
      const { name, url } = splitKey(sh.kindKey(kind));
      const failure = this.imported.get(url);
      ctx.complete(
        id,
        OUT_ERR,
        failure ?? new UnknownTaskError(`parallel task ${JSON.stringify(name)} is not registered by ${url} (imported on worker ${this.me})`),
      );
      return;
    }
    if (this.failedImports !== 0) {
      // Its module threw while loading here (after registering it): the task fails with that
      // error rather than running in a half-initialised module.
      const failure = this.imported.get(entry.url);
      if (failure !== undefined) {
        ctx.complete(id, OUT_ERR, failure);
        return;
      }
    }
    if (entry.isGenerator) {
      this.watch(id, this.rt.spawnTask(entry.name, entry.fn as (...a: unknown[]) => unknown, args) as Task<unknown>);
      return;
    }
    this.plainRuns++;
    let r: unknown;
    try {
      r = (entry.fn as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      ctx.complete(id, OUT_ERR, e);
      return;
    }
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      this.watch(id, this.rt.spawnTask(entry.name, fromPromise(r as PromiseLike<unknown>), []) as Task<unknown>);
      return;
    }
    ctx.complete(id, OUT_OK, r);
  }

  /** Loads a module that registers tasks; meanwhile `next()` hands out nothing. */
  private beginImport(url: string): void {
    if (this.importing) return;
    this.importing = true;
    const done = (err: unknown): void => {
      this.imported.set(url, err);
      if (err !== undefined) this.failedImports++;
      this.importing = false;
      this.requestTick();
    };
    import(url).then(
      () => done(undefined),
      (e: unknown) => done(e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** Runs a task spawned here as a local task (no slot was free); `h` settles when it ends. */
  private runInline(entry: TaskEntry, args: unknown[], h: RemoteHandle<unknown>): void {
    const fn = entry.fn as (...a: unknown[]) => unknown;
    const task = (
      entry.isGenerator ? this.rt.spawnTask(entry.name, fn, args) : this.rt.spawnTask(entry.name, new CallFuture(fn, args), [])
    ) as Task<unknown>;
    h.inline = task;
    task.poll(new InlineWatcher(task, h));
    if (!this.inTick) this.requestTick();
  }

  private resolve(kind: number): TaskEntry | undefined {
    const { name } = splitKey(this.sh.kindKey(kind));
    const e = lookupTask(name);
    if (e !== undefined) this.kinds[kind] = e;
    return e;
  }

  private watch(id: number, task: Task<unknown>): void {
    this.running.set(id, task);
    task.poll(new SlotWatcher(this, id, task));
  }

  /** @internal A started task finished: report its outcome to the slot's owner. */
  taskDone(id: number, task: Task<unknown>): void {
    this.running.delete(id);
    let ok = true;
    let v: unknown;
    try {
      v = task.outcome();
    } catch (e) {
      ok = false;
      if (e instanceof JoinError && e.isCancelled()) this.ctx.complete(id, OUT_CANCELLED, undefined);
      else this.ctx.complete(id, OUT_ERR, e instanceof JoinError ? e.cause : e);
    }
    if (ok) this.ctx.complete(id, OUT_OK, v);
    // Outside a tick (a task finished on a timer or I/O wake-up): signal the owner now.
    if (!this.inTick) this.ctx.flushWakes();
  }

  /**
   * Runtime shutdown: every task on this worker is aborted (its `finally` blocks run here) and
   * the pool hears when none is left, so it terminates the thread only after their cleanup.
   */
  private drain(): void {
    this.draining = true;
    const sh = this.sh;
    void this.rt.shutdown().then(() => {
      this.ctx.flushWakes();
      Atomics.store(sh.mem, sh.tw(this.me, T_DRAINED), 1);
      sh.wake(0);
    });
  }

  private processCancels(): void {
    const sh = this.sh;
    Atomics.store(sh.mem, sh.tw(this.me, T_CANCELS), 0);
    for (const [id, task] of this.running) {
      if ((Atomics.load(sh.mem, sh.sw(id, S_STATE)) & ST_CANCEL_REQ) !== 0) task.abort();
    }
  }

  // ---- park: nothing found, wait on the signal word -----------------------------------------

  private unpark(): void {
    const sh = this.sh;
    if (Atomics.compareExchange(sh.mem, sh.tw(this.me, T_PARKED), 1, 0) === 1) Atomics.sub(sh.mem, G_IDLE, 1);
  }

  private park(): void {
    const sh = this.sh;
    const mem = sh.mem;
    // Marked parked before the last look at the queues, so that a producer either sees the
    // flag (and wakes us) or we see its task.
    if (Atomics.exchange(mem, sh.tw(this.me, T_PARKED), 1) === 0) Atomics.add(mem, G_IDLE, 1);
    if (!this.waiting) sh.metrics[this.m + M_PARKS]!++;
    if (
      sh.inject.len() > 0 ||
      sh.deques[this.me]!.len() > 0 ||
      Atomics.load(mem, sh.tw(this.me, T_LIFO)) !== 0 ||
      sh.inboxes[this.me]!.len() > 0 ||
      Atomics.load(mem, sh.tw(this.me, T_CANCELS)) !== 0 ||
      (Atomics.load(mem, G_SEARCHING) === 0 && sh.hasQueuedWork())
    ) {
      this.unpark();
      this.requestTick();
      return;
    }
    if (this.waiting) return; // already waiting on the signal word
    const r = waitAsync(mem, sh.tw(this.me, T_SIGNAL), 0);
    if (!r.async) {
      this.unpark();
      this.requestTick();
      return;
    }
    this.waiting = true;
    void r.value.then(this.onWake);
  }
}

const WORKER_LOOP = Symbol('kyoto.workerLoop');
