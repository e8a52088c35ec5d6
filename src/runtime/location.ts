/**
 * Spawn locations: the first source line outside kyoto that led to a spawn. Capturing a stack
 * costs a few microseconds, so it is done once per task body function (the hoisted generator
 * functions kyoto recommends are captured once, ever) and at most {@link MAX_CAPTURES} times in
 * all, so programs that spawn fresh closures do not pay it on every spawn.
 * @module
 */

const here = new URL('..', import.meta.url).pathname; // .../src/ (or dist/src/)

/** Distinct functions whose location is captured before capture stops. */
export const MAX_CAPTURES = 1_000;

/** Shared per body function: its name and where it was first spawned. */
export class TaskMeta {
  constructor(
    readonly name: string,
    /** `file:line:col` of the first spawn of this body, or '' when not captured. */
    readonly location: string,
  ) {}
}

const byFn = new WeakMap<object, TaskMeta>();
const byName = new Map<string, TaskMeta>();
let captures = 0;
// One-entry cache: loops that spawn the same body skip the WeakMap.
let lastKey: object | null = null;
let lastMeta: TaskMeta | null = null;

/** Metadata for a task whose body is `body` (a function, or a future: keyed by its class). */
export function metaFor(body: object): TaskMeta {
  const key = typeof body === 'function' ? body : body.constructor;
  if (key === lastKey) return lastMeta!;
  let m = byFn.get(key);
  if (m === undefined) {
    const name = (key as { name?: string }).name || (typeof body === 'function' ? 'task' : 'future');
    if (captures < MAX_CAPTURES) {
      captures++;
      m = new TaskMeta(name, captureLocation());
      byFn.set(key, m);
    } else {
      // Capture budget spent (a program spawning fresh closures): one shared meta per name.
      m = byName.get(name);
      if (m === undefined) {
        m = new TaskMeta(name, '');
        byName.set(name, m);
      }
    }
  }
  lastKey = key;
  lastMeta = m;
  return m;
}

/** Metadata for `spawnNamed`: the body's meta with the given name. */
export function namedMeta(body: object, name: string): TaskMeta {
  const base = metaFor(body);
  return base.name === name ? base : new TaskMeta(name, base.location);
}

/** The first stack frame outside kyoto's own sources, as `file:line:col`. */
export function captureLocation(): string {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  Error.captureStackTrace(holder, captureLocation);
  Error.stackTraceLimit = limit;
  const lines = (holder.stack ?? '').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /\(?((?:file:\/\/|\/|node:)[^()\s]+:\d+:\d+)\)?\s*$/.exec(line);
    if (m === null) continue;
    const loc = m[1]!;
    const path = loc.startsWith('file://') ? new URL(loc.replace(/:\d+:\d+$/, '')).pathname : loc;
    if (path.startsWith(here) || loc.startsWith('node:')) continue;
    return loc.startsWith('file://') ? loc.slice('file://'.length) : loc;
  }
  return '';
}
