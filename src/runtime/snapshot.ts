/**
 * Per-task snapshots for `rt.tasks()`, dumps and the console.
 * @module
 */
import type { Task } from './task/task.js';
import { F_BUSY, F_CREATED, F_LAST_WAKE, F_SCHED, I_PARENT, I_POLLS, I_SELF_WAKES, I_WAKES } from './task_stats.js';

/** What `rt.tasks()` reports for one task. */
export interface TaskSnapshot {
  id: number;
  name: string;
  /** 'task' (generator body) or 'future' (a future spawned directly). */
  kind: 'task' | 'future';
  /** Where the body was first spawned (`file:line:col`), '' if not captured. */
  location: string;
  /** Id of the task that spawned it, 0 for a root. */
  parent: number;
  state: 'running' | 'scheduled' | 'idle' | 'cancelling' | 'done' | 'failed' | 'cancelled';
  polls: number;
  wakes: number;
  selfWakes: number;
  /** Total time spent in polls (ms). */
  busyMs: number;
  /** Total time spent woken but waiting in the ready queue (ms). */
  scheduledMs: number;
  /** performance.now() when spawned, and of the last wake (0 if never woken). */
  createdAt: number;
  lastWakeAt: number;
  /** Class name of the future the task awaits ('' when none). */
  awaiting: string;
  /** The last poll returned Pending without reading its waker: nothing may ever wake it. */
  lostWaker: boolean;
}

/** @internal */
export function snapshotTask(t: Task<unknown>): TaskSnapshot {
  const stats = t.rt.stats;
  const slot = t.slot;
  const live = slot >= 0;
  return {
    id: t.id,
    name: t.name,
    kind: t.isFutureBody() ? 'future' : 'task',
    location: t.meta.location,
    parent: live ? stats.i(slot, I_PARENT) : 0,
    state: t.phase(),
    polls: live ? stats.i(slot, I_POLLS) : 0,
    wakes: live ? stats.i(slot, I_WAKES) : 0,
    selfWakes: live ? stats.i(slot, I_SELF_WAKES) : 0,
    busyMs: live ? stats.f(slot, F_BUSY) : 0,
    scheduledMs: live ? stats.f(slot, F_SCHED) : 0,
    createdAt: live ? stats.f(slot, F_CREATED) : 0,
    lastWakeAt: live ? stats.f(slot, F_LAST_WAKE) : 0,
    awaiting: t.awaitRoot()?.constructor.name ?? '',
    lostWaker: t.hasLostWaker(),
  };
}
