/**
 * The timer the time-based combinators (`chunksTimeout`, `throttle`, `timeout`) use: kyoto's
 * `sleep`, so they run on the runtime's timer wheel and follow paused time in tests.
 * @module
 */
import type { Future } from '../future/future.js';
import { sleep } from '../time/index.js';

/** @internal A future ready `ms` after it is made (never, for Infinity). Made inside a poll. */
export function delay(ms: number): Future<void> {
  return sleep(ms);
}
