/**
 * The one place where the simulator reaches into kyoto's runtime: it takes over when and in
 * which order a host runtime's ready tasks are polled, and gives each host a virtual clock.
 *
 * - Scheduling: the host runtime's executor hands every woken task to `onReady` instead of its
 *   own ready queue (so no microtask or `setImmediate` drain is ever scheduled for it), and
 *   `pollOne` polls exactly the task the simulator chose, with the runtime's usual poll
 *   machinery (current task, coop budget, completion hooks).
 * - Time: `SimTimeDriver` is the host's time driver: a paused clock that never auto-advances;
 *   the simulator moves every host's clock to the same virtual time with `advanceTo`.
 *
 * Invariants: after `attach`, the executor's own queue is empty between polls; a host's clock
 * only moves by `advanceTo`. Proved by test/sim/scheduler.test.ts and test/sim/time.test.ts.
 * @module
 */
import type { Runtime } from '../runtime/runtime.js';
import type { Task } from '../runtime/task/task.js';
import { TIME_KEY, TimeDriver } from '../runtime/time/driver.js';

/** A ready task as the simulator sees it. */
export type SimTask = Task<unknown>;

/**
 * Routes the runtime's wakes to `onReady` (the simulator's ready set). Must be called before
 * anything is spawned on `rt`.
 */
export function attach(rt: Runtime, onReady: (task: SimTask) => void): void {
  const ex = rt.executor as unknown as { schedule(task: SimTask): void };
  ex.schedule = onReady;
}

/** Polls `task` once on its runtime (which `attach` took over). */
export function pollOne(rt: Runtime, task: SimTask): void {
  const ex = rt.executor;
  ex.queue.push(task, 0);
  ex.drain();
}

/** True once `task` completed (any outcome). */
export function isDone(task: SimTask): boolean {
  return task.isFinished();
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
