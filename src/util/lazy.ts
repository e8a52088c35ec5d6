/**
 * Modules evaluated on first use, synchronously: how the root `kyoto` keeps layers that most
 * programs never touch (the multi-thread flavour's pool) out of its import cost.
 *
 * Invariants (test/core/bundle.test.ts):
 * - `loadLazily(import.meta.url, './x.js')` returns the same module instance a static
 *   `import './x.js'` would, so module state is never duplicated.
 * - In the published bundle (`scripts/bundle.mjs`) every call is rewritten to a bundled
 *   `require('./x.js')`: the module's code ships in the bundle but is evaluated only when the
 *   call first runs. Both arguments must therefore be literal: `import.meta.url` and a string.
 * @module
 */
import { builtin } from './node_builtins.js';

/**
 * The module `spec`, resolved from `base` (pass `import.meta.url`), evaluated now if it was not.
 *
 * @example
 * ```ts
 * const { MultiThreadPool } = loadLazily<typeof import('./pool.js')>(import.meta.url, './pool.js');
 * ```
 */
export function loadLazily<T>(base: string, spec: string): T {
  return builtin('node:module').createRequire(base)(spec) as T;
}
