/**
 * Cancellation holds: how `shield` and `scope` make a task's abort wait.
 *
 * A section that must not be interrupted registers a hold on the task polling it. When that task
 * is aborted while holds are registered, the task does not unwind: its body is not polled at all;
 * instead each hold's `pollHeld` is called (with the task as context) until every hold reports that
 * it finished. Only then does cancellation proceed as usual (the awaited future is dropped and the
 * `finally` blocks run). The gate is installed in the runtime context (`context.cancelHold`).
 * @module
 */
import { Runtime } from '../runtime/runtime.js';
import { context, type ContextTask } from '../runtime/context.js';
import type { Task } from '../runtime/task/task.js';

/** @internal A section that an abort of its task waits for. */
export interface CancelHold {
  /**
   * Called instead of polling the task body while the task is aborted. Drive the held section
   * (register the task as waker if pending); return true once it finished.
   */
  pollHeld(task: Task<unknown>): boolean;
}

const holds = new WeakMap<Task<unknown>, Set<CancelHold>>();

/** @internal Registers `hold` on `task`. */
export function acquireHold(task: Task<unknown>, hold: CancelHold): void {
  let set = holds.get(task);
  if (set === undefined) {
    set = new Set();
    holds.set(task, set);
  }
  set.add(hold);
}

/**
 * @internal Removes `hold`. If it was the last one and an abort is waiting, the task is woken so
 * that cancellation proceeds.
 */
export function releaseHold(task: Task<unknown>, hold: CancelHold): void {
  const set = holds.get(task);
  if (set === undefined || !set.delete(hold)) return;
  if (set.size > 0) return;
  holds.delete(task);
  if (task.abortWaiting()) task.wakeByRef();
}

/**
 * @internal Hands an error nobody can receive any more to the runtime's `onUnhandledTaskError`
 * hook (stderr by default), so it is never silently lost.
 */
export function reportLostError(err: unknown, info: { id: number; name: string; location: string }): void {
  const rt = Runtime.tryCurrent();
  try {
    if (rt !== null) rt.executor.onUnhandledTaskError(err, info);
    else console.error(`kyoto: task ${info.name} (id ${info.id}) failed and nobody could receive the error:`, err);
  } catch (e) {
    console.error('kyoto: onUnhandledTaskError threw:', e);
  }
}

/** Reports an error a held section threw after its task was aborted (nobody can catch it). */
export let onHeldError: (err: unknown, task: Task<unknown>) => void = (err, task) => {
  reportLostError(err, { id: task.id, name: `${task.name} (shielded section, after abort)`, location: task.meta.location });
};

/** @internal Replaces the reporter (tests). Returns the previous one. */
export function setOnHeldError(fn: (err: unknown, task: Task<unknown>) => void): (err: unknown, task: Task<unknown>) => void {
  const prev = onHeldError;
  onHeldError = fn;
  return prev;
}

function held(task: Task<unknown>): boolean {
  const set = holds.get(task);
  if (set === undefined) return false;
  for (const h of set) {
    let done: boolean;
    try {
      done = h.pollHeld(task);
    } catch (e) {
      onHeldError(e, task);
      done = true;
    }
    if (done) set.delete(h);
  }
  if (set.size > 0) return true;
  holds.delete(task);
  return false;
}

context.cancelHold = held as (task: ContextTask) => boolean;
