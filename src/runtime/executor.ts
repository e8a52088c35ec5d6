/**
 * The current-thread executor: a FIFO ready queue drained inside Node's event loop.
 *
 * When a task is woken and no drain is pending, one drain is scheduled as a microtask. A drain
 * polls at most `eventInterval` (61) tasks, then, if work remains, continues from `setImmediate`
 * so that I/O callbacks and timers are never starved. When the queue is empty the executor
 * simply returns to the event loop: it never spins.
 * @module
 */
import { coop } from './coop.js';
import { ReadyQueue } from './ready_queue.js';
import { Histogram } from './histogram.js';
import { COMPLETE, FAILED, JOIN_INTEREST, REPORTED, Task, currentTask, type TaskScheduler } from './task.js';
import { F_BUSY, F_SCHED, StatsSlab } from './task_stats.js';

/** Something driven alongside the tasks: the timer wheel, the I/O registry, the console. */
export interface Driver {
  /**
   * Called when a drain ends with an empty ready queue. Return true if the driver made tasks
   * ready (paused time auto-advancing to the next timer, say).
   */
  onIdle?(): boolean;
  /** Lines for deadlock reports and dumps: what the driver is holding (timers, sockets). */
  describe?(): string[];
  /**
   * Called once when the runtime shuts down, after every task finished (or the grace period of
   * `rt.shutdown({ timeoutMs })` ended: then `deadline` is that `performance.now()` time). A
   * returned promise (worker threads terminating, say) is awaited before `rt.shutdown()`
   * resolves, until the deadline at most.
   */
  shutdown?(deadline?: number): void | Promise<void>;
  /** Adds the driver's figures to the runtime metrics. */
  metrics?(into: Record<string, unknown>): void;
  /**
   * How many registrations could still wake a task (armed timers, open sockets). Zero lets the
   * runtime conclude that a stuck `blockOn` is deadlocked.
   */
  pendingWakeSources?(): number;
}

/** Options of the executor. */
export interface ExecutorOptions {
  /** Polls per event-loop turn before yielding to I/O (Tokio's event_interval). Default 61. */
  eventInterval?: number;
  /**
   * Measure each poll's duration and scheduling latency: one clock read per poll (~40 ns on
   * Node 20), so it is off by default and turned on by the console. Without it, busy time is
   * measured per drain and tasks' busy/scheduled times stay 0.
   */
  timing?: boolean;
  /** Called when a task fails and nobody awaited its handle. */
  onUnhandledTaskError?: (error: unknown, task: TaskInfo) => void;
}

/** Identity of a task, as given to hooks. */
export interface TaskInfo {
  readonly id: number;
  readonly name: string;
  readonly location: string;
}

const now = (): number => performance.now();

/** @internal */
export class Executor implements TaskScheduler {
  readonly stats = new StatsSlab<Task<unknown>>();
  readonly queue = new ReadyQueue<Task<unknown>>();
  readonly pollHist = new Histogram();
  readonly schedHist = new Histogram();
  readonly drivers = new Map<symbol, Driver>();
  readonly eventInterval: number;
  /** Per-poll timing; may be switched on later (the console does), read at each drain. */
  timing: boolean;
  /**
   * Called after each timed poll with the task, its slot before the poll, the poll's duration
   * and its scheduled latency (ms). Set by the console; null costs one check per poll.
   */
  pollHook: ((task: Task<unknown>, slot: number, pollMs: number, latencyMs: number) => void) | null = null;
  /**
   * Sampled timing: with `timing` on, only polls whose sequence number has none of these bits
   * set are timed (0: every poll; 15: one in 16). Per-poll figures (busy time, histograms) then
   * cover the sampled polls; busy time is scaled by the sampling factor so totals stay estimates
   * of the whole. The console lowers it when polls are tiny, where clock reads would dominate.
   */
  timingMask = 0;
  /** Polls run so far (the sampling sequence). */
  private pollSeq = 0;
  /**
   * Called at the end of each timed drain with its duration (ms), its poll count and the time
   * spent in the polls that were timed: a gap larger than a threshold means an untimed poll
   * blocked. Null costs one check per drain.
   */
  drainHook: ((drainMs: number, polls: number, timedMs: number) => void) | null = null;
  onUnhandledTaskError: (error: unknown, task: TaskInfo) => void;

  private drainPending = false;
  private inDrain = false;
  private nowCache = 0;
  private readonly drainFn = (): void => this.drain();
  private readonly unhandled: Task<unknown>[] = [];
  private unhandledScheduled = false;

  // Metrics (Tokio's names).
  spawnedTasksCount = 0;
  remoteScheduleCount = 0;
  budgetForcedYieldCount = 0;
  workerPollCount = 0;
  workerParkCount = 0;
  workerNoopCount = 0;
  workerTotalBusyDuration = 0;
  workerMaxQueueDepth = 0;
  /** Hook run after every task finished (the runtime uses it to settle blockOn and shutdown). */
  onTaskFinished: ((task: Task<unknown>) => void) | null = null;
  /** Hook run when a drain leaves the ready queue empty (the runtime checks for deadlock). */
  onIdle: (() => void) | null = null;

  constructor(opts: ExecutorOptions) {
    this.eventInterval = opts.eventInterval ?? 61;
    if (!(this.eventInterval >= 1)) throw new RangeError(`eventInterval must be >= 1, got ${String(opts.eventInterval)}`);
    this.timing = opts.timing ?? false;
    this.onUnhandledTaskError = opts.onUnhandledTaskError ?? defaultUnhandled;
  }

  /** Instrumentation clock: inside a drain, the time of the last poll boundary (no clock read). */
  clock(): number {
    return this.inDrain ? this.nowCache : now();
  }

  schedule(task: Task<unknown>): void {
    this.queue.push(task, this.timing ? this.clock() : 0);
    if (!this.inDrain) {
      this.remoteScheduleCount++;
      if (!this.drainPending) {
        this.drainPending = true;
        queueMicrotask(this.drainFn);
      }
    }
  }

  /** Adds a new task to the queue. */
  spawnTask(task: Task<unknown>): void {
    this.spawnedTasksCount++;
    task.state |= 2; // NOTIFIED: it sits in the queue
    this.schedule(task);
  }

  finished(task: Task<unknown>): void {
    this.stats.release(task.slot);
    task.slot = -1;
    if ((task.state & (FAILED | JOIN_INTEREST)) === FAILED) {
      this.unhandled.push(task);
      if (!this.unhandledScheduled) {
        this.unhandledScheduled = true;
        setImmediate(() => this.reportUnhandled());
      }
    }
    const hook = this.onTaskFinished;
    if (hook !== null) hook(task);
  }

  /** Runs ready tasks: at most `eventInterval` polls, then continues on a later turn. */
  drain(): void {
    this.drainPending = false;
    if (this.inDrain) return;
    this.inDrain = true;
    const prevRt = activeExecutor;
    activeExecutor = this;
    const q = this.queue;
    const stats = this.stats;
    const timing = this.timing;
    const limit = this.eventInterval;
    if (q.length > this.workerMaxQueueDepth) this.workerMaxQueueDepth = q.length;
    let t0 = now();
    const start = t0;
    this.nowCache = t0;
    let n = 0;
    const forced = coop.forcedYields;
    const mask = this.timingMask;
    const scale = mask + 1;
    let seq = this.pollSeq;
    // t0 holds the start of the current poll when the previous poll was timed (or at drain start).
    let haveT0 = true;
    let timedMs = 0;
    for (; n < limit; n++) {
      const task = q.shift();
      if (task === undefined) break;
      if ((task.state & COMPLETE) !== 0) continue;
      const slot = task.slot;
      const timed = timing && (seq++ & mask) === 0;
      if (timed && !haveT0) {
        t0 = now();
        this.nowCache = t0;
      }
      task.run();
      if (timed) {
        const t1 = now();
        const dt = t1 - t0;
        const lat = t0 - q.lastAt;
        timedMs += dt;
        this.pollHist.record(dt);
        this.schedHist.record(lat);
        if (slot >= 0 && stats.owner[slot] === task) {
          stats.addF(slot, F_BUSY, dt * scale);
          stats.addF(slot, F_SCHED, lat * scale);
        }
        const hook = this.pollHook;
        if (hook !== null) hook(task, slot, dt, lat);
        t0 = t1;
        this.nowCache = t1;
        haveT0 = true;
      } else haveT0 = false;
    }
    this.pollSeq = seq;
    this.workerPollCount += n;
    this.budgetForcedYieldCount += coop.forcedYields - forced;
    coop.forcedYields = forced;
    const end = timing && haveT0 ? t0 : now();
    this.workerTotalBusyDuration += end - start;
    if (timing && this.drainHook !== null) this.drainHook(end - start, n, timedMs);
    activeExecutor = prevRt;
    this.inDrain = false;
    if (q.length > 0) {
      this.drainPending = true;
      setImmediate(this.drainFn);
      return;
    }
    if (n === 0) this.workerNoopCount++;
    this.workerParkCount++;
    for (const d of this.drivers.values()) {
      if (d.onIdle !== undefined && d.onIdle() && q.length > 0 && !this.drainPending) {
        this.drainPending = true;
        queueMicrotask(this.drainFn);
        return;
      }
    }
    if (this.onIdle !== null) this.onIdle();
  }

  /** Registrations (timers, sockets) and promises that could still wake a task. */
  pendingWakeSources(): number {
    let n = 0;
    for (const d of this.drivers.values()) if (d.pendingWakeSources !== undefined) n += d.pendingWakeSources();
    return n;
  }

  private reportUnhandled(): void {
    this.unhandledScheduled = false;
    const list = this.unhandled.splice(0);
    for (const t of list) {
      if ((t.state & (JOIN_INTEREST | REPORTED)) !== 0) continue;
      t.state |= REPORTED;
      try {
        this.onUnhandledTaskError(t.body, { id: t.id, name: t.name, location: t.meta.location });
      } catch (e) {
        console.error('kyoto: onUnhandledTaskError threw:', e);
      }
    }
  }
}

/** The executor draining right now on this thread (inside a task poll), if any. */
export let activeExecutor: Executor | null = null;

/** Runs `fn` with `ex` as the active executor (for spawns from hooks outside a drain). */
export function withExecutor<R>(ex: Executor, fn: () => R): R {
  const prev = activeExecutor;
  activeExecutor = ex;
  try {
    return fn();
  } finally {
    activeExecutor = prev;
  }
}

/** The task being polled, if any. */
export function current(): Task<unknown> | null {
  return currentTask;
}

function defaultUnhandled(error: unknown, task: TaskInfo): void {
  const where = task.location ? ` spawned at ${task.location}` : '';
  console.error(
    `kyoto: task ${task.name} (id ${task.id})${where} failed and its JoinHandle was never awaited:`,
    error,
  );
}
