/**
 * Deadlock detection for `blockOn`.
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
 * A process kept alive by something kyoto cannot see (an HTTP server, say) is not reported: it
 * simply waits, as Tokio would; `rt.dump()` shows what every task is waiting on.
 * @module
 */

// Handles Node keeps for stdio: never a source of wakes for kyoto tasks.
const STDIO = new Set(['PipeWrap', 'TTYWrap', 'TCPSocketWrap']);

/** True when Node has an active resource (timer, socket, request) besides stdio. */
export function nodeHasForeignWork(): boolean {
  const info = process.getActiveResourcesInfo();
  for (const r of info) if (!STDIO.has(r)) return true;
  return false;
}
