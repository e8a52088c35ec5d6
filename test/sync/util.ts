import { contextFromWaker, wakerFn, type Context } from '../../src/index.js';

/** A hand-made context that counts wakes. */
export function manualCx(): { cx: Context; wakes: () => number } {
  let n = 0;
  const cx = contextFromWaker(wakerFn(() => n++));
  return { cx, wakes: () => n };
}

/** Runs `fn` and returns what it threw. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
