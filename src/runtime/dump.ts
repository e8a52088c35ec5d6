/**
 * `rt.dump()` and the lines a `DeadlockError` carries: one line per live task, then the drivers'
 * lines. The console replaces the per-runtime formatter with a richer one (await chains, lints).
 *
 * Invariants: a formatter that throws never breaks a dump (the basic form is used and the error
 * reported); a driver's lines follow the tasks'. Proved by test/core/runtime_split.test.ts and
 * test/console/dump.test.ts.
 * @module
 */
import type { Driver } from './driver.js';
import type { TaskSnapshot } from './snapshot.js';

/** What a dump reads from a runtime. */
export interface Dumpable {
  tasks(): TaskSnapshot[];
  readonly executor: { readonly drivers: ReadonlyMap<symbol, Driver> };
}

/** @internal The installed formatter (method syntax: it accepts any `Dumpable` subtype). */
export interface DumpHooks {
  /** Lines for `rt`, or null for the basic one-line-per-task form. */
  describe(rt: Dumpable): string[] | null;
}

/**
 * @internal Replaces the default per-task lines of `rt.dump()` and `DeadlockError` messages (the
 * console installs a richer one with await chains).
 */
export const dumpHooks: DumpHooks = { describe: () => null };

/** The dump lines of `rt`. */
export function describeRuntime(rt: Dumpable): string[] {
  try {
    const custom = dumpHooks.describe(rt);
    if (custom !== null) return custom;
  } catch (e) {
    console.error('kyoto: the dump formatter threw; using the basic dump:', e);
  }
  const lines = rt.tasks().map(
    (s) =>
      `task ${s.name} (id ${s.id}${s.location ? `, spawned at ${s.location}` : ''}) ${s.state}, awaiting ${s.awaiting || '-'}, polls ${s.polls}, wakes ${s.wakes}${s.lostWaker ? ' [lost waker: its last poll returned Pending without reading cx.waker]' : ''}`,
  );
  for (const d of rt.executor.drivers.values()) if (d.describe !== undefined) lines.push(...d.describe());
  return lines;
}
