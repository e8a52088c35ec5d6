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
 * - each accessor returns Node's own export object for that builtin (what `import * as x` sees),
 *   the same object on every call.
 *
 * The layers (`kyoto/http`, `kyoto/fs`, `kyoto/process`) import the builtins they need directly:
 * importing a layer means using it.
 * @module
 */

let net: typeof import('node:net') | undefined;
let dgram: typeof import('node:dgram') | undefined;
let workerThreads: typeof import('node:worker_threads') | undefined;
let os: typeof import('node:os') | undefined;
let stream: typeof import('node:stream') | undefined;
let fs: typeof import('node:fs') | undefined;
let nodeModule: typeof import('node:module') | undefined;
let util: typeof import('node:util') | undefined;
let url: typeof import('node:url') | undefined;
let path: typeof import('node:path') | undefined;

/**
 * `node:net`, loaded now if it was not.
 *
 * @example
 * ```ts
 * const server = nodeNet().createServer();
 * ```
 */
export function nodeNet(): typeof import('node:net') {
  return (net ??= process.getBuiltinModule('node:net'));
}

/** `node:dgram`, loaded now if it was not. */
export function nodeDgram(): typeof import('node:dgram') {
  return (dgram ??= process.getBuiltinModule('node:dgram'));
}

/** `node:worker_threads`, loaded now if it was not. */
export function nodeWorkerThreads(): typeof import('node:worker_threads') {
  return (workerThreads ??= process.getBuiltinModule('node:worker_threads'));
}

/** `node:os`, loaded now if it was not. */
export function nodeOs(): typeof import('node:os') {
  return (os ??= process.getBuiltinModule('node:os'));
}

/** `node:stream`, loaded now if it was not. */
export function nodeStream(): typeof import('node:stream') {
  return (stream ??= process.getBuiltinModule('node:stream'));
}

/** `node:fs`, loaded now if it was not. */
export function nodeFs(): typeof import('node:fs') {
  return (fs ??= process.getBuiltinModule('node:fs'));
}

/** `node:module`, loaded now if it was not. */
export function nodeModuleApi(): typeof import('node:module') {
  return (nodeModule ??= process.getBuiltinModule('node:module'));
}

/** `node:util`, loaded now if it was not. */
export function nodeUtil(): typeof import('node:util') {
  return (util ??= process.getBuiltinModule('node:util'));
}

/** `node:url` (already loaded by Node's module loader; this avoids a module wrapper over it). */
export function nodeUrl(): typeof import('node:url') {
  return (url ??= process.getBuiltinModule('node:url'));
}

/** `node:path` (already loaded by Node's module loader; this avoids a module wrapper over it). */
export function nodePath(): typeof import('node:path') {
  return (path ??= process.getBuiltinModule('node:path'));
}
