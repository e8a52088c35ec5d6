/**
 * Deadlock detection for `blockOn`: the set of pending root tasks of one runtime and the checks
 * that fail them with `DeadlockError` when nothing can ever wake them.
 *
 * A root task is deadlocked when it is pending, no task is ready, and nothing can ever wake
 * anything. kyoto checks this in two ways:
 *
 * - When the executor goes idle with a root pending, it looks (one `setImmediate` later) at
 *   what could still wake a task: kyoto's own sources (armed timers, I/O registrations, pending
 *   promises, reported by the drivers) and Node's active handles (a user's own timer or socket
 *   may hold a waker). If there are none, the roots fail with `DeadlockError`.
 * - On `beforeExit` (Node's event loop is empty), any root still pending fails the same way.
 *
 * Invariants: no check runs while a wake source is pending (no `setImmediate` per idle on a busy
 * server: it would turn the next event-loop poll into a non-blocking one); at most one check is
 * scheduled at a time; a root is rejected at most once and then aborted.
 * A process kept alive by something kyoto cannot see (an HTTP server, say) is not reported: it
 * simply waits, as Tokio would; `rt.dump()` shows what every task is waiting on.
 * Proved by test/core/deadlock.test.ts.
 * @module
 */
import { promiseWaits } from '../future/promise.js';
import { DeadlockError } from './task/join_error.js';
import type { Executor } from './scheduler/current_thread/executor.js';
import { describeImpossibleWaits } from './resources.js';
import type { Task } from './task/task.js';

// Handles Node keeps for stdio: never a source of wakes for kyoto tasks.
const STDIO = new Set(['PipeWrap', 'TTYWrap', 'TCPSocketWrap']);

/** True when Node has an active resource (timer, socket, request) besides stdio. */
export function nodeHasForeignWork(): boolean {
  const info = process.getActiveResourcesInfo();
  for (const r of info) if (!STDIO.has(r)) return true;
  return false;
}

/** Root sets with pending roots, checked on `beforeExit`. */
const withPendingRoots = new Set<RootSet>();
let beforeExitInstalled = false;

function installBeforeExit(): void {
  if (beforeExitInstalled) return;
  beforeExitInstalled = true;
  process.prependListener('beforeExit', () => {
    for (const r of [...withPendingRoots]) r.failDeadlocked();
  });
}

/**
 * @internal The executor of the one runtime with pending `blockOn` roots, or null when none or
 * several have (where `await fut` from plain async code runs).
 */
export function soleRootExecutor(): Executor | null {
  if (withPendingRoots.size !== 1) return null;
  for (const r of withPendingRoots) return r.executor;
  return null;
}

/** @internal The pending `blockOn` roots of one runtime. */
export class RootSet {
  private readonly roots = new Map<Task<unknown>, (e: unknown) => void>();
  private checkPending = false;

  constructor(
    readonly executor: Executor,
    /** The dump lines a DeadlockError carries. */
    private readonly describe: () => string[],
  ) {}

  get size(): number {
    return this.roots.size;
  }

  /** Watches `task`, a root whose promise `reject` settles. */
  add(task: Task<unknown>, reject: (e: unknown) => void): void {
    this.roots.set(task, reject);
    withPendingRoots.add(this);
    installBeforeExit();
  }

  /** Any task finished (roots leave the set). */
  taskFinished(task: Task<unknown>): void {
    if (this.roots.delete(task) && this.roots.size === 0) withPendingRoots.delete(this);
  }

  /** Stops watching (the runtime shut down). */
  forget(): void {
    withPendingRoots.delete(this);
  }

  /** The executor went idle: check for a deadlock one event-loop turn later. */
  idle(): void {
    if (this.roots.size === 0 || this.checkPending) return;
    // Something (an armed timer, an open socket) can still wake a task: no deadlock now, and no
    // setImmediate either. If the sources go away later without a wake, beforeExit catches it.
    if (this.executor.pendingWakeSources() > 0) return;
    this.checkPending = true;
    setImmediate(() => {
      this.checkPending = false;
      const ex = this.executor;
      if (this.roots.size === 0 || ex.queue.length > 0) return;
      if (ex.pendingWakeSources() > 0 || promiseWaits.pending > 0) return;
      if (nodeHasForeignWork()) return;
      this.failDeadlocked();
    });
  }

  /** Rejects stuck roots with DeadlockError and aborts them. */
  failDeadlocked(): void {
    if (this.roots.size === 0 || this.executor.queue.length > 0) return;
    const lines = this.describe();
    // Waits that can never be satisfied (an acquire of more permits than exist) say why.
    lines.push(...describeImpossibleWaits());
    const roots = [...this.roots];
    this.roots.clear();
    withPendingRoots.delete(this);
    for (const [task, reject] of roots) {
      reject(
        new DeadlockError(
          `deadlock: task ${task.name} (id ${task.id}) passed to blockOn can never finish: no task is ready and nothing (timer, I/O, promise) is left to wake one.\n  ${lines.join('\n  ')}`,
          lines,
        ),
      );
      task.abort();
    }
  }
}
