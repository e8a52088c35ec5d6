/**
 * Guards against the one mistake that made a parallel program hang at 100 % CPU with no output:
 * registering a parallel task in the program's entry module. A worker (and a blocking thread)
 * imports the module that registered a task to find its body, so that module's top level, the
 * whole program, ran again on every thread, each starting its own pool of workers.
 *
 * - `checkNotEntryModule(url, name)` (main thread, at registration) throws `EntryModuleTaskError`
 *   when `url` is the entry module (`process.argv[1]`, with or without symlinks resolved);
 * - `checkNotOnWorker()` (at `new Runtime({ flavor: 'multi_thread' })`) throws it on a kyoto
 *   worker or blocking thread: a module imported there creates a runtime at its top level.
 *
 * Proved by test/parallel/entry_module.test.ts (child processes, killed on timeout).
 * @module
 */
import { builtin } from '../../../util/node_builtins.js';

/**
 * Thrown when a parallel task is registered in the program's entry module, or when a module a
 * worker imports creates a multi-thread runtime. The message names the module and the fix.
 *
 * @example
 * ```ts
 * // main.ts: export const fib = parallel(import.meta.url, 'fib', body); // throws EntryModuleTaskError
 * // fix: move it to tasks.ts and `import { fib } from './tasks.js'` in main.ts
 * ```
 */
export class EntryModuleTaskError extends Error {
  override name = 'EntryModuleTaskError';
}

/** Set on threads kyoto starts (pool workers, blocking threads). */
export const threadRole = { onKyotoThread: false };

let entryUrls: string[] | null = null;

function entries(): string[] {
  if (entryUrls !== null) return entryUrls;
  const main = process.argv[1];
  entryUrls = [];
  const { pathToFileURL } = builtin('node:url');
  if (main !== undefined && main !== '') {
    entryUrls.push(pathToFileURL(main).href);
    try {
      entryUrls.push(pathToFileURL(builtin('node:fs').realpathSync(main)).href);
    } catch {
      // argv[1] may name a file without its extension; the plain URL check remains.
    }
  }
  return entryUrls;
}

/** @internal Throws when `url`, registering parallel task `name`, is the program's entry module. */
export function checkNotEntryModule(url: string, name: string): void {
  if (!builtin('node:worker_threads').isMainThread || threadRole.onKyotoThread) return;
  if (!entries().includes(url)) return;
  throw new EntryModuleTaskError(
    `parallel task ${JSON.stringify(name)} is registered in the program's entry module ${url}. Workers import the module ` +
      `that registers a task to find its body, which would run the whole program again on every worker. Move the ` +
      `parallel(...) call into a module of its own (say tasks.js) and import it from the entry module.`,
  );
}

/** @internal Throws when a multi-thread runtime is created on a thread kyoto started. */
export function checkNotOnWorker(): void {
  if (!threadRole.onKyotoThread) return;
  throw new EntryModuleTaskError(
    `a multi-thread runtime was created on a kyoto worker thread: a module imported there to find a parallel task ` +
      `(or one it imports) creates a runtime when it loads. Keep parallel(...) registrations in modules without such ` +
      `top-level program code, and create the runtime in the entry module only.`,
  );
}
