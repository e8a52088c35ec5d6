/**
 * Node's built-in modules as the core uses them: each loaded on first use, not when `kyoto` is
 * imported.
 *
 * Why: a program that imports kyoto for its executor, timers or channels never opens a socket,
 * a worker or a UDP port, yet a static `import ... from 'node:net'` loads `node:net` (and with it
 * streams, perf_hooks and diagnostics_channel), `node:dgram`, `node:worker_threads` and `node:os`
 * while `kyoto` loads. Measured with the inspector's sampling heap profiler, those builtins and
 * the bundle's module wrappers over them were about 400 KiB of the import's 1.1 MiB of young
 * allocation, the part that made V8 collect and then double its young generation during the
 * import (BENCHMARKS.md, "Import cost").
 *
 * Invariants (test/core/import_builtins.test.ts):
 * - importing the root `kyoto` loads none of `node:net`, `node:dgram`, `node:worker_threads`,
 *   `node:os`, `node:stream` or `perf_hooks`;
 * - `builtin(id)` returns Node's own export object for that builtin (what `import * as x` sees),
 *   the same object on every call.
 *
 * The layers (`kyoto/http`, `kyoto/fs`, `kyoto/process`) import the builtins they need directly:
 * importing a layer means using it.
 * @module
 */

/** The builtins the core uses, by id. */
interface Builtins {
  'node:net': typeof import('node:net');
  'node:dgram': typeof import('node:dgram');
  'node:worker_threads': typeof import('node:worker_threads');
  'node:os': typeof import('node:os');
  'node:stream': typeof import('node:stream');
  'node:fs': typeof import('node:fs');
  'node:module': typeof import('node:module');
  'node:util': typeof import('node:util');
  'node:url': typeof import('node:url');
  'node:path': typeof import('node:path');
}

/** Loaded builtins (a plain object: call sites pass a constant id, so each is one field load). */
const loaded: Partial<Builtins> = {};

/**
 * The builtin `id`, loaded now if it was not (`node:url` and `node:path` are already loaded by
 * Node's module loader; reading them here only avoids a module wrapper over them).
 *
 * @example
 * ```ts
 * const server = builtin('node:net').createServer();
 * ```
 */
export function builtin<K extends keyof Builtins>(id: K): Builtins[K] {
  const m = loaded[id];
  if (m !== undefined) return m as Builtins[K];
  return (loaded[id] = process.getBuiltinModule(id) as unknown as Builtins[K]);
}
