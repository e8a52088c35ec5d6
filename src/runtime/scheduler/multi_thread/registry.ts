/**
 * The per-thread registry of parallel task bodies. Every thread (the main one and each worker)
 * has its own: a worker fills it by importing the module that registered a task the first time
 * it is asked to run one.
 * @module
 */
import type { Shared } from './layout.js';
import { checkNotEntryModule } from './entry_guard.js';

/**
 * Thrown when a parallel task name is registered twice (names are global to the program).
 *
 * @example
 * ```ts
 * parallel(import.meta.url, 'fib', fibBody);
 * parallel(import.meta.url, 'fib', otherBody); // throws DuplicateTaskError
 * ```
 */
export class DuplicateTaskError extends Error {
  override name = 'DuplicateTaskError';
}

/**
 * Thrown (or carried by a JoinError as its cause) when a task name is not registered: by
 * `parallelTask(name)`, or on a worker whose import of the module did not register it.
 *
 * @example
 * ```ts
 * try { parallelTask('nope'); } catch (e) { if (e instanceof UnknownTaskError) console.log(e.message); }
 * ```
 */
export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
}

/** @internal One registered body. */
export interface TaskEntry {
  readonly name: string;
  readonly url: string;
  readonly fn: (...args: never[]) => unknown;
  readonly isGenerator: boolean;
  /** Kind id in `kindShared`'s table. */
  kind: number;
  kindShared: Shared | null;
}

const byName = new Map<string, TaskEntry>();

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as unknown;

/** @internal */
export function registerTask(url: string, name: string, fn: (...args: never[]) => unknown): TaskEntry {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\n')) {
    throw new TypeError(`parallel task name must be a non-empty string without newlines, got ${JSON.stringify(name)}`);
  }
  if (typeof url !== 'string' || !/^[a-z]+:/.test(url)) {
    throw new TypeError(`parallel(${JSON.stringify(name)}): the first argument must be import.meta.url, got ${JSON.stringify(url)}`);
  }
  if (typeof fn !== 'function') throw new TypeError(`parallel task ${name}: body must be a function, got ${typeof fn}`);
  const prev = byName.get(name);
  if (prev !== undefined) {
    throw new DuplicateTaskError(
      `parallel task ${JSON.stringify(name)} is already registered (by ${prev.url}); registered again by ${url}`,
    );
  }
  checkNotEntryModule(url, name);
  const e: TaskEntry = { name, url, fn, isGenerator: fn instanceof (GeneratorFunction as new () => unknown), kind: -1, kindShared: null };
  byName.set(name, e);
  return e;
}

/** @internal The entry registered under `name` in this thread, if any. */
export function lookupTask(name: string): TaskEntry | undefined {
  return byName.get(name);
}

/** @internal Kind id of `e` in the shared table `sh` (cached). */
export function kindOf(e: TaskEntry, sh: Shared, tid: number): number {
  if (e.kindShared !== sh) {
    e.kind = sh.kindId(`${e.name}\n${e.url}`, tid);
    e.kindShared = sh;
  }
  return e.kind;
}

/** @internal Splits a kind key into name and module URL. */
export function splitKey(key: string): { name: string; url: string } {
  const i = key.indexOf('\n');
  return { name: key.slice(0, i), url: key.slice(i + 1) };
}
