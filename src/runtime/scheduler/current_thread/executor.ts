/**
 * The current-thread executor: a ready queue drained inside Node's event loop.
 *
 * When a task is woken and no drain is pending, one drain is requested through the drain
 * scheduling (`soon`: a microtask by default). A drain polls at most `eventInterval` (61) tasks,
 * then, if work remains, asks for another (`later`: `setImmediate` by default) so that I/O
 * callbacks and timers are never starved. When the queue is empty the executor returns to the
 * event loop: it never spins. An outside driver (the simulator) can replace the drain scheduling
 * and step the executor itself with `tick(maxPolls)`.
 *
 * Policy is data: the knobs come from `SchedulerConfig` (`../config.ts`); the next-task choice is
 * one function (`nextTask`, null: FIFO); instrumentation is one `Probe` (null: the untimed loop,
 * chosen once per drain). The scheduler owns the coop budget: it resets it before every poll.
 *
 * Invariants (test/core/executor.test.ts, test/core/scheduler.property.test.ts,
 * test/core/probe.test.ts): every woken task is polled exactly once per wake batch; a drain makes
 * at most `eventInterval` polls; with the default FIFO choice tasks run in wake order; an empty
 * queue never keeps a drain scheduled; no clock is read per poll without a probe.
 * @module
 */
import { coop } from '../../coop.js';
import { context } from '../../context.js';
import type { Driver, TaskInfo } from '../../driver.js';
import { Histogram } from '../../histogram.js';
import type { Probe } from '../../probe.js';
import { NoopProbe } from '../../probe.js';
import type { Clock } from '../../clock.js';
import type { Task, TaskScheduler } from '../../task/task.js';
import { F_BUSY, F_SCHED, StatsSlab } from '../../task_stats.js';
import { schedulerConfig, type SchedulerConfig } from '../config.js';
import { ReadyQueue } from './ready_queue.js';

export type { Driver, TaskInfo } from '../../driver.js';

/**
 * The next-task choice: takes the task to poll next out of the queue (undefined when it is
 * empty). Null on the executor means FIFO (`q.shift()`); a simulator hands in a seeded choice.
 *
 * @example
 * ```ts
 * const lifo: NextTask = (q) => q.takeAt(q.length - 1);
 * ```
 */
export type NextTask = (q: ReadyQueue<Task<unknown>>) => Task<unknown> | undefined;

/**
 * When drains run. The default asks Node (`queueMicrotask`, `setImmediate`); a simulator records
 * the request and calls `executor.tick()` itself.
 *
 * @example
 * ```ts
 * let wanted = false;
 * rt.executor.drainScheduling = { soon: () => { wanted = true; }, later: () => { wanted = true; } };
 * while (wanted) { wanted = false; rt.executor.tick(100); }
 * ```
 */
export interface DrainScheduling {
  /** A task became ready and no drain is pending: run `drain` soon. */
  soon(drain: () => void): void;
  /** A drain stopped at its event interval with work left: run `drain` after I/O had a turn. */
  later(drain: () => void): void;
}

/**
 * A settled promise whose reactions are V8 microtasks. `queueMicrotask` would be the same queue,
 * but Node wraps each callback in an `AsyncResource` and a bound function (~250 B and a trip
 * through async_hooks per drain, one per socket read on a busy server).
 */
const SETTLED = Promise.resolve();

/** Node's event loop: a microtask to start, `setImmediate` to continue after I/O. */
export const nodeDrainScheduling: DrainScheduling = {
  soon: (drain) => void SETTLED.then(drain),
  later: (drain) => setImmediate(drain),
};

/** Options of the executor. */
export interface ExecutorOptions {
  /** Polls per event-loop turn before yielding to I/O (Tokio's event_interval). Default 61. */
  eventInterval?: number;
  /** Scheduler knobs (see `SchedulerConfig`); `eventInterval` above wins over this one's. */
  scheduler?: Partial<SchedulerConfig>;
  /**
   * Measure each poll's duration and scheduling latency: one clock read per poll (~40 ns on
   * Node 20), so it is off by default and turned on by the console. Without it, busy time is
   * measured per drain and tasks' busy/scheduled times stay 0.
   */
  timing?: boolean;
  /** Called when a task fails and nobody awaited its handle. */
  onUnhandledTaskError?: (error: unknown, task: TaskInfo) => void;
}

const now = (): number => performance.now();

/** The probe `timing: true` installs: polls are timed, nothing else is done. */
const TIMING_ONLY = new NoopProbe();

/** @internal */
export class Executor implements TaskScheduler {
  readonly config: SchedulerConfig;
  /** The runtime facade that owns it (set by `Runtime`'s constructor). */
  runtime: unknown = null;
  /** The clock its time driver uses: `context.clock` when the executor was made. */
  readonly hostClock: Clock = context.clock;
  readonly stats = new StatsSlab<Task<unknown>>();
  readonly queue: ReadyQueue<Task<unknown>>;
  readonly pollHist = new Histogram();
  readonly schedHist = new Histogram();
  readonly drivers = new Map<symbol, Driver>();
  readonly eventInterval: number;
  /** Installed instrumentation (`setProbe`); null: the untimed loop. */
  probe: Probe | null;
  /** The next-task choice (null: FIFO). Read once per drain. */
  nextTask: NextTask | null = null;
  /** When drains run (see DrainScheduling). */
  drainScheduling: DrainScheduling = nodeDrainScheduling;
  /**
   * Sampled timing: with a probe installed, only polls whose sequence number has none of these
   * bits set are timed (0: every poll; 15: one in 16). Per-poll figures (busy time, histograms)
   * then cover the sampled polls; busy time is scaled by the sampling factor so totals stay
   * estimates of the whole. The console raises it when polls are tiny, where clock reads would
   * dominate.
   */
  timingMask = 0;
  /** Polls run so far (the sampling sequence). */
  private pollSeq = 0;
  onUnhandledTaskError: (error: unknown, task: TaskInfo) => void;

  private drainPending = false;
  private inDrain = false;
  /** Eager first polls in progress (`spawnEager`). */
  private eagerDepth = 0;
  private nowCache = 0;
  private readonly drainFn = (): void => this.drain();
  private readonly reportFn = (): void => this.reportUnhandled();
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
    if (opts.eventInterval !== undefined && !(opts.eventInterval >= 1)) {
      throw new RangeError(`eventInterval must be >= 1, got ${String(opts.eventInterval)}`);
    }
    const partial = opts.eventInterval === undefined ? opts.scheduler : { ...opts.scheduler, eventInterval: Math.floor(opts.eventInterval) };
    this.config = schedulerConfig(partial);
    this.eventInterval = this.config.eventInterval;
    this.queue = new ReadyQueue<Task<unknown>>(this.config.readyQueueCapacity);
    this.probe = opts.timing === true ? TIMING_ONLY : null;
    this.onUnhandledTaskError = opts.onUnhandledTaskError ?? defaultUnhandled;
  }

  /** Per-poll timing is on (a probe is installed). */
  get timing(): boolean {
    return this.probe !== null;
  }

  /** Turns per-poll timing on (installs a probe that only times) or off (removes that probe). */
  set timing(on: boolean) {
    if (on && this.probe === null) this.probe = TIMING_ONLY;
    else if (!on && this.probe === TIMING_ONLY) this.probe = null;
  }

  /**
   * Installs `probe` (null: none) and returns the previous one. Takes effect at the next drain.
   *
   * @example
   * ```ts
   * const prev = rt.executor.setProbe(myProbe);
   * // ...
   * rt.executor.setProbe(prev);
   * ```
   */
  setProbe(probe: Probe | null): Probe | null {
    const prev = this.probe;
    this.probe = probe;
    return prev;
  }

  /** Instrumentation clock: inside a drain, the time of the last poll boundary (no clock read). */
  clock(): number {
    return this.inDrain ? this.nowCache : now();
  }

  schedule(task: Task<unknown>): void {
    this.queue.push(task, this.probe !== null ? this.clock() : 0);
    if (!this.inDrain) {
      this.remoteScheduleCount++;
      if (!this.drainPending) {
        this.drainPending = true;
        this.drainScheduling.soon(this.drainFn);
      }
    }
  }

  /** Adds a new task (born notified) to the queue. */
  spawnTask(task: Task<unknown>): void {
    this.spawnedTasksCount++;
    const p = this.probe;
    if (p !== null) p.onSpawn(task);
    this.schedule(task);
  }

  /**
   * Adds a new task (born notified) and gives it its first poll at once, rather than after a
   * trip through the queue: a task that completes at its first poll is then finished when
   * `spawnEager` returns. Inside a drain of this executor the poll runs inside the poll of the
   * task spawning it (it runs before its spawner goes on); outside every runtime's poll (a Node
   * callback: node:http's request event under `toNodeHandler`) it is a batch of one task, with
   * the context a drain sets up, and a drain is asked for whatever it woke. Its own coop budget,
   * context and outcome are a task's as ever; only the order differs. Queued like `spawnTask`
   * instead when the poll could not be a scheduler's own: inside another executor's poll, with
   * a probe installed (its hooks time every poll from the loop), with a next-task choice handed
   * in (the simulator's seeded order decides every poll), or `eagerPollDepth` eager polls deep.
   * Precondition: `task` was never scheduled. (test/core/spawn_eager.test.ts)
   */
  spawnEager(task: Task<unknown>): void {
    if (this.probe !== null || this.nextTask !== null || this.eagerDepth >= this.config.eagerPollDepth) {
      this.spawnTask(task);
      return;
    }
    const ex = context.executor;
    if (ex === null && !this.inDrain) {
      this.runAlone(task);
      return;
    }
    if (ex !== this || !this.inDrain) {
      this.spawnTask(task);
      return;
    }
    this.spawnedTasksCount++;
    this.workerPollCount++;
    const budget = coop.budget;
    this.eagerDepth++;
    coop.budget = this.config.budget;
    try {
      task.run();
    } finally {
      coop.budget = budget;
      this.eagerDepth--;
    }
  }

  /** `spawnEager` outside every poll: a batch of this one task, then what a drain ends with. */
  private runAlone(task: Task<unknown>): void {
    this.spawnedTasksCount++;
    this.queue.unshift(task, 0);
    this.runBatch(1);
    // Wakes during the poll were queued without asking for a drain (one was in progress).
    if (this.queue.length > 0) {
      if (!this.drainPending) {
        this.drainPending = true;
        this.drainScheduling.soon(this.drainFn);
      }
    } else if (!this.drainPending) this.goIdle();
  }

  finished(task: Task<unknown>): void {
    this.stats.release(task.slot);
    task.slot = -1;
    if (task.unobservedError()) {
      this.unhandled.push(task);
      if (!this.unhandledScheduled) {
        this.unhandledScheduled = true;
        setImmediate(this.reportFn);
      }
    }
    const p = this.probe;
    if (p !== null) p.onComplete(task);
    const hook = this.onTaskFinished;
    if (hook !== null) hook(task);
  }

  /** Runs ready tasks: at most `eventInterval` polls, then continues on a later turn. */
  drain(): void {
    this.drainPending = false;
    if (this.inDrain) return;
    this.runBatch(this.eventInterval);
    if (this.queue.length > 0) {
      this.drainPending = true;
      this.drainScheduling.later(this.drainFn);
      return;
    }
    this.goIdle();
  }

  /**
   * Runs at most `maxPolls` polls now, synchronously, and says whether ready work remains. For
   * an outside driver that owns when the executor runs (with its own `drainScheduling`).
   *
   * @example
   * ```ts
   * while (rt.executor.tick(64)) {} // run until nothing is ready
   * ```
   */
  tick(maxPolls: number): boolean {
    if (this.inDrain) return this.queue.length > 0;
    this.drainPending = false;
    this.runBatch(Math.max(1, Math.floor(maxPolls)));
    if (this.queue.length > 0) return true;
    this.goIdle();
    return this.queue.length > 0;
  }

  /** Registrations (timers, sockets) and promises that could still wake a task. */
  pendingWakeSources(): number {
    let n = 0;
    for (const d of this.drivers.values()) if (d.pendingWakeSources !== undefined) n += d.pendingWakeSources();
    return n;
  }

  /** One batch of polls with the loop (timed or untimed) chosen once. */
  private runBatch(limit: number): void {
    this.inDrain = true;
    const prevEx = context.executor;
    const prevActive = coop.active;
    const prevBudget = coop.budget;
    context.executor = this;
    coop.active = true;
    const q = this.queue;
    if (q.length > this.workerMaxQueueDepth) this.workerMaxQueueDepth = q.length;
    const forced = coop.forcedYields;
    const start = now();
    this.nowCache = start;
    const probe = this.probe;
    let n: number;
    let end: number;
    if (probe === null) {
      n = this.pollUntimed(limit);
      end = now();
    } else {
      n = this.pollTimed(limit, probe, start);
      end = this.nowCache;
    }
    this.workerPollCount += n;
    this.budgetForcedYieldCount += coop.forcedYields - forced;
    coop.forcedYields = forced;
    this.workerTotalBusyDuration += end - start;
    coop.active = prevActive;
    coop.budget = prevBudget;
    context.executor = prevEx;
    this.inDrain = false;
    if (n === 0) this.workerNoopCount++;
  }

  private pollUntimed(limit: number): number {
    const q = this.queue;
    const choose = this.nextTask;
    const budget = this.config.budget;
    let n = 0;
    for (; n < limit; n++) {
      const task = choose === null ? q.shift() : choose(q);
      if (task === undefined) break;
      coop.budget = budget;
      task.run();
    }
    return n;
  }

  /** The timed loop: clock reads per sampled poll, histograms, stats and the probe's hooks. */
  private pollTimed(limit: number, probe: Probe, start: number): number {
    const q = this.queue;
    const stats = this.stats;
    const choose = this.nextTask;
    const budget = this.config.budget;
    const mask = this.timingMask;
    const scale = mask + 1;
    let seq = this.pollSeq;
    // t0 holds the start of the current poll when the previous poll was timed (or at drain start).
    let t0 = start;
    let haveT0 = true;
    let timedMs = 0;
    let n = 0;
    for (; n < limit; n++) {
      const task = choose === null ? q.shift() : choose(q);
      if (task === undefined) break;
      const slot = task.slot;
      const timed = (seq++ & mask) === 0;
      if (timed && !haveT0) {
        t0 = now();
        this.nowCache = t0;
      }
      probe.beforePoll(task);
      coop.budget = budget;
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
        probe.afterPoll(task, slot, dt, lat);
        t0 = t1;
        this.nowCache = t1;
        haveT0 = true;
      } else {
        probe.afterPoll(task, slot, -1, -1);
        haveT0 = false;
      }
    }
    this.pollSeq = seq;
    const end = haveT0 ? t0 : now();
    this.nowCache = end;
    probe.afterDrain(end - start, n, timedMs);
    return n;
  }

  /** The queue is empty: let the drivers act (paused time auto-advancing), then the runtime. */
  private goIdle(): void {
    const q = this.queue;
    this.workerParkCount++;
    for (const d of this.drivers.values()) {
      if (d.onIdle !== undefined && d.onIdle() && q.length > 0 && !this.drainPending) {
        this.drainPending = true;
        this.drainScheduling.soon(this.drainFn);
        return;
      }
    }
    if (this.onIdle !== null) this.onIdle();
  }

  private reportUnhandled(): void {
    this.unhandledScheduled = false;
    const list = this.unhandled.splice(0);
    for (const t of list) {
      // Somebody may have awaited the handle since it finished.
      if (!t.unobservedError()) continue;
      try {
        this.onUnhandledTaskError(t.unhandledError(), { id: t.id, name: t.name, location: t.meta.location });
      } catch (e) {
        console.error('kyoto: onUnhandledTaskError threw:', e);
      }
    }
  }
}

function defaultUnhandled(error: unknown, task: TaskInfo): void {
  const where = task.location ? ` spawned at ${task.location}` : '';
  console.error(
    `kyoto: task ${task.name} (id ${task.id})${where} failed and its JoinHandle was never awaited:`,
    error,
  );
}
