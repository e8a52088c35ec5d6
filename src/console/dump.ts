/**
 * Task dumps: every live task with its state, counters and await chain (and, when await tracing
 * is on, the source line of each `yield*` in the chain). Installed as the format of `rt.dump()`
 * and of `DeadlockError` messages as soon as `kyoto` is imported.
 *
 * ```text
 * task handleClient (id 7, spawned at /app/server.js:40:5) idle for 3.2 s, polls 4, wakes 3
 *   awaits: handleClient > writeAll > TcpStream.write (waiting 3.2 s for drain)
 *     at handleClient /app/server.js:12:20
 *     at writeAll /app/server.js:30:12
 * ```
 * @module
 */
import type { Runtime } from '../runtime/runtime.js';
import { dumpHooks } from '../runtime/dump.js';
import type { Task } from '../runtime/task/task.js';
import { snapshotTask } from '../runtime/snapshot.js';
import { awaitTree, chainLine, chainSites, formatDuration } from './chain.js';
import { lintsOf } from './state.js';

/** Dump lines for one task. */
export function describeTask(t: Task<unknown>, now: number): string[] {
  const s = snapshotTask(t);
  const where = s.location ? `, spawned at ${s.location}` : '';
  const parent = s.parent > 0 ? `, parent ${s.parent}` : '';
  const since = s.lastWakeAt > 0 ? now - s.lastWakeAt : s.createdAt > 0 ? now - s.createdAt : -1;
  const state = s.state === 'idle' && since >= 0 ? `idle for ${formatDuration(since)}` : s.state;
  const lines = [
    `task ${s.name} (id ${s.id}${where}${parent}) ${state}, polls ${s.polls}, wakes ${s.wakes} (${s.selfWakes} self), busy ${formatDuration(s.busyMs)}`,
  ];
  const tree = awaitTree(t, now);
  if (tree !== null) {
    lines.push(`  awaits: ${chainLine(tree, s.name)}`);
    for (const site of chainSites(tree)) lines.push(`    at ${site}`);
  } else if (s.state === 'scheduled') lines.push('  ready to run (in the ready queue)');
  else if (s.polls === 0) lines.push('  not started yet');
  if (s.lostWaker) {
    lines.push('  lost waker: its last poll returned Pending without reading cx.waker, so nothing can wake it');
  }
  return lines;
}

/** The whole dump of `rt` as lines: tasks (by id), lints, then the drivers' lines. */
export function dumpLines(rt: Runtime): string[] {
  const now = performance.now();
  const tasks: Task<unknown>[] = [];
  rt.executor.stats.forEach((t) => tasks.push(t));
  tasks.sort((a, b) => a.id - b.id);
  const lines: string[] = [];
  for (const t of tasks) lines.push(...describeTask(t, now));
  if (tasks.length === 0) lines.push('no live tasks');
  const lints = lintsOf(rt);
  for (const l of lints) lines.push(`lint ${l.kind}: ${l.message}${l.count > 1 ? ` (x${l.count})` : ''}`);
  for (const d of rt.executor.drivers.values()) {
    if (d.describe !== undefined) {
      try {
        lines.push(...d.describe());
      } catch (e) {
        lines.push(`(a driver failed to describe itself: ${String(e)})`);
      }
    }
  }
  return lines;
}

/**
 * A dump of `rt` as text (the same as `rt.dump()`).
 *
 * @example
 * ```ts
 * process.on('SIGUSR1', () => console.error(formatDump(rt)));
 * ```
 */
export function formatDump(rt: Runtime): string {
  return dumpLines(rt).join('\n');
}

dumpHooks.describe = dumpLines;
