/**
 * The console's "unpolled future" lint: a kyoto future created inside a task and dropped without
 * ever being polled, the run-time trace of a forgotten `yield*` (`sleep(200);` as a statement).
 *
 * While a console runs, one future in {@link unpolledSampling.every} created inside a task is
 * watched: kyoto records where it was created and registers it with a `FinalizationRegistry`;
 * its `poll`, `next` (`yield*`), `then` (`await`) and `drop` are wrapped on that one object to
 * mark it used. If it is collected unused, the lint is recorded on the console of the task's
 * runtime. Only futures created by user code (at most one kyoto function between the user's line
 * and the future) are watched, so futures kyoto makes for itself inside combinators never count.
 *
 * Invariants (test/edge/unpolled_lint.test.ts): no cost but one null check per future without a
 * console; a future that was polled, awaited or dropped on purpose is never reported; reports
 * come only after garbage collection, so they are late and sampled, never false.
 * @module
 */
import { Future, futureHooks } from '../future/future.js';
import { context } from '../runtime/context.js';
import { Runtime } from '../runtime/runtime.js';
import { isKyotoPath, plainLocation, sourceLocation } from '../runtime/location.js';
import type { Task } from '../runtime/task/task.js';

/** @internal Watch one future in `every` created inside a task (1 watches all: tests). */
export const unpolledSampling = { every: 32 };

/** What the console needs to record the lint. */
export interface UnpolledSink {
  unpolledFuture(what: string, location: string, taskId: number, taskName: string): void;
}

interface Watched {
  used: boolean;
  what: string;
  loc: string;
  taskId: number;
  taskName: string;
  sink: UnpolledSink;
}

const registry = new FinalizationRegistry<Watched>((w) => {
  if (!w.used) w.sink.unpolledFuture(w.what, sourceLocation(w.loc), w.taskId, w.taskName);
});

let counter = 0;
const sinks = new Map<Runtime, UnpolledSink>();

/** Starts watching for the console of `rt`. */
export function watchUnpolled(rt: Runtime, sink: UnpolledSink): void {
  sinks.set(rt, sink);
  futureHooks.created = onCreated;
}

/** Stops watching for `rt`'s console. */
export function unwatchUnpolled(rt: Runtime): void {
  sinks.delete(rt);
  if (sinks.size === 0) futureHooks.created = null;
}

const FRAME = /^\s*at (?:async )?(?:(.*?) \((.*)\)|(.*))$/;

function onCreated(fut: Future<unknown>): void {
  const task = context.task as Task<unknown> | null;
  if (task === null || ++counter % unpolledSampling.every !== 0) return;
  const rt = Runtime.tryCurrent();
  const sink = rt === null ? undefined : sinks.get(rt);
  if (sink === undefined) return;
  const loc = userCreationSite();
  if (loc === '') return;
  const w: Watched = { used: false, what: fut.constructor.name, loc, taskId: task.id, taskName: task.name, sink };
  markOnUse(fut, w);
  registry.register(fut, w);
}

/** The user's line that created the future, or '' when kyoto made it for itself. */
function userCreationSite(): string {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 12;
  Error.captureStackTrace(holder, onCreated);
  Error.stackTraceLimit = limit;
  const lines = (holder.stack ?? '').split('\n');
  let kyotoCalls = 0;
  for (let i = 1; i < lines.length; i++) {
    const m = FRAME.exec(lines[i]!);
    if (m === null) continue;
    const fn = m[1] ?? '';
    const where = plainLocation(m[2] ?? m[3] ?? '');
    if (where.startsWith('node:') || where === '<anonymous>') return '';
    if (isKyotoPath(where)) {
      if (fn.startsWith('new ') || fn === 'Future') continue; // the constructors
      if (++kyotoCalls > 1) return ''; // made inside kyoto (a combinator's own future)
      continue;
    }
    return where;
  }
  return '';
}

type Method = (...a: unknown[]) => unknown;

/** Own wrappers on this one object: any use marks it, then defers to the class's method. */
function markOnUse(fut: Future<unknown>, w: Watched): void {
  const o = fut as unknown as Record<string, Method>;
  for (const name of ['poll', 'next', 'then', 'drop'] as const) {
    const orig = o[name]!;
    o[name] = function (this: unknown, ...a: unknown[]) {
      w.used = true;
      return orig.apply(this, a);
    };
  }
}
