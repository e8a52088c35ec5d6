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
 * - Time, through the runtime context's clock seam (`runtime/clock.ts`): `useClock` installs a
 *   host's virtual clock (`virtual_time.ts`) while its runtime is created, so the runtime's own,
 *   unmodified time driver reads virtual time and arms its host timer on the virtual timers.
 * - Task ids, through the context's id source (`useTaskIds`), and the host as seen by code run
 *   outside a poll (`enterHost`: a host's timer callbacks spawn on, and read the clock of, that
 *   host's runtime, as a callback in a real process would use its runtime).
 * - Network: not here — kyoto's own transport seam (`setTransport`, src/net/sys.ts) takes
 *   `src/sim/net/transport.ts`.
 *
 * Invariants: after `attach`, a host polls only inside `pollAt`, one task per call; a host's
 * clock is the virtual clock it was created with; each swap returns what it replaced, so the
 * caller restores it. Proved by test/sim/determinism.test.ts, test/sim/task_ids.test.ts and
 * test/sim/virtual_timers.test.ts.
 * @module
 */
import type { Runtime } from '../runtime/runtime.js';
import type { DrainScheduling } from '../runtime/scheduler/current_thread/executor.js';
import { NoopProbe, chainProbes } from '../runtime/probe.js';
import type { Task } from '../runtime/task/task.js';
import { context, type ContextScheduler } from '../runtime/context.js';
import type { Clock } from '../runtime/clock.js';
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
  ex.setProbe(chainProbes(ex.probe, new SimProbe(onReady)));
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
 * Makes `clock` the context's clock (`context.clock`) and returns the one it replaced: a runtime
 * created meanwhile takes it (its time driver reads time and arms timers through it).
 */
export function useClock(clock: Clock): Clock {
  const prev = context.clock;
  context.clock = clock;
  return prev;
}

/**
 * Makes `rt` the context's current runtime outside a poll (for a host's timer callbacks) and
 * returns what it replaced, for `leaveHost`.
 */
export function enterHost(rt: Runtime): ContextScheduler | null {
  const prev = context.executor;
  context.executor = rt.executor;
  return prev;
}

/** Undoes `enterHost`. */
export function leaveHost(prev: ContextScheduler | null): void {
  context.executor = prev;
}
