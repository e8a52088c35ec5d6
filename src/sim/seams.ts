/**
 * The one place where the simulator reaches into kyoto's runtime: it takes over when and in
 * which order a host runtime's ready tasks are polled, and gives each host a virtual clock.
 *
 * - Scheduling, through the executor's seams: `drainScheduling` that never schedules a drain
 *   (no microtask, no `setImmediate`), and a `nextTask` choice that takes the task the simulator
 *   picked; `pollAt` then runs exactly one poll with `tick(1)`, with the runtime's usual poll
 *   machinery (current task, coop budget, completion hooks). Ready tasks stay in the host's own
 *   ready queue; the simulator reads them with `readyCount`/`readyAt`, and hears of spawns and
 *   wakes (for its trace) through a `Probe`.
 * - Time: `SimTimeDriver` is the host's time driver: a paused clock that never auto-advances;
 *   the simulator moves every host's clock to the same virtual time with `advanceTo`.
 * - Network: not here — kyoto's own transport seam (`setTransport`, src/net/sys.ts) takes
 *   `src/sim/net/transport.ts`.
 *
 * Invariants: after `attach`, a host polls only inside `pollAt`, one task per call; a host's
 * clock only moves by `advanceTo`. Proved by test/sim/scheduler.test.ts and test/sim/time.test.ts.
 * @module
 */
import type { Runtime } from '../runtime/runtime.js';
import type { DrainScheduling } from '../runtime/scheduler/current_thread/executor.js';
import { NoopProbe } from '../runtime/probe.js';
import type { Task } from '../runtime/task/task.js';
import { TIME_KEY, TimeDriver } from '../runtime/time/driver.js';
import { context } from '../runtime/context.js';
import type { TaskIdSource } from '../runtime/task/id.js';

/** A ready task as the simulator sees it. */
export type SimTask = Task<unknown>;

/** Drains never run by themselves: the simulator steps each host with `tick`. */
const SIM_DRAINS: DrainScheduling = { soon: () => {}, later: () => {} };

/**
 * Takes over when `rt` polls (through the executor's `drainScheduling` seam) and which task it
 * polls (its `nextTask` seam): the index that `pollAt` sets. Call before anything is spawned.
 */
export function attach(rt: Runtime, onReady: (task: SimTask, spawned: boolean) => void): void {
  const ex = rt.executor;
  ex.drainScheduling = SIM_DRAINS;
  ex.setProbe(new SimProbe(onReady));
  const pick = { i: 0 };
  picks.set(ex, pick);
  ex.nextTask = (q) => q.takeAt(pick.i);
}

const picks = new WeakMap<object, { i: number }>();

/** Reports spawns and wakes (for the trace) through the executor's probe seam. */
class SimProbe extends NoopProbe {
  constructor(private readonly onReady: (task: SimTask, spawned: boolean) => void) {
    super();
  }
  override onSpawn(task: SimTask): void {
    this.onReady(task, true);
  }
  override onWake(task: SimTask): void {
    this.onReady(task, false);
  }
}

/**
 * Makes `ids` the source of task ids (`context.taskIds`) and returns the source it replaced:
 * the simulator installs its run's source while it drives a host, and puts the previous one back
 * before anything outside the run can spawn.
 */
export function useTaskIds(ids: TaskIdSource): TaskIdSource {
  const prev = context.taskIds;
  context.taskIds = ids;
  return prev;
}

/** Ready tasks of `rt`, in its queue's order. */
export function readyCount(rt: Runtime): number {
  return rt.executor.queue.length;
}

/** The i-th ready task of `rt`. */
export function readyAt(rt: Runtime, i: number): SimTask {
  return rt.executor.queue.peek(i)!;
}

/** Polls the i-th ready task of `rt` (one poll, synchronously). */
export function pollAt(rt: Runtime, i: number): void {
  const ex = rt.executor;
  picks.get(ex)!.i = i;
  ex.tick(1);
}

/** Live tasks of `rt`. */
export function liveTasks(rt: Runtime): number {
  return rt.executor.stats.live;
}

/**
 * A host's time driver: paused at the virtual time, never auto-advancing (the simulator decides
 * when time moves, for all hosts at once).
 */
export class SimTimeDriver extends TimeDriver {
  /** Always false: time moves only through `advanceTo`. */
  override onIdle(): boolean {
    return false;
  }

  /** Moves the clock to `ms` (no-op if not later) and fires what fell due; returns timers fired. */
  advanceTo(ms: number): number {
    const before = this.firedCount;
    const d = ms - this.recentNow();
    if (d > 0) this.advance(d);
    return this.firedCount - before;
  }

  /** Virtual time of the earliest armed timer (or wheel slot to cascade), Infinity if none. */
  nextDeadline(): number {
    return this.wheel.count > 0 ? this.origin + this.wheel.nextDeadline() : Infinity;
  }

  /** The dump line: armed timers and the next deadline, in virtual time. */
  override describe(): string[] {
    const n = this.wheel.count;
    if (n === 0) return [];
    return [`time: ${n} timer${n === 1 ? '' : 's'} armed, next at ${this.nextDeadline()} ms of virtual time`];
  }

  /** Armed timers. */
  armed(): number {
    return this.wheel.count;
  }
}

/** Installs a `SimTimeDriver` as `rt`'s time driver (call while `performance.now` is virtual). */
export function installClock(rt: Runtime): SimTimeDriver {
  const d = rt.driver(TIME_KEY, () => new SimTimeDriver(rt.executor));
  if (!(d instanceof SimTimeDriver)) throw new Error('kyoto sim: the host runtime already had a time driver');
  d.pause();
  return d;
}
