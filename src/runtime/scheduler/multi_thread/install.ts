/**
 * Installs the multi-thread flavour: a runtime created with `flavor: 'multi_thread'` gets a
 * `MultiThreadPool` driver. The pool module (workers, shared memory, the codec) is loaded the
 * first time such a runtime is created, not when `kyoto` is imported, so programs that never use
 * the flavour do not pay for it (see BENCHMARKS.md, import cost).
 *
 * Invariant: exactly one pool per multi-thread runtime, under `POOL_KEY` (test/parallel/*).
 * @module
 */
import { registerRuntimeExtension } from '../../runtime.js';
import { loadLazily } from '../../../util/lazy.js';
import { POOL_KEY } from './current.js';

registerRuntimeExtension((rt, opts) => {
  if (opts.flavor !== 'multi_thread') return;
  const { MultiThreadPool } = loadLazily<typeof import('./pool.js')>(import.meta.url, './pool.js');
  rt.driver(POOL_KEY, () => new MultiThreadPool(rt, opts));
});
