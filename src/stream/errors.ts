/**
 * Errors raised by streams, and the argument checks every combinator shares.
 * @module
 */
import { checkCountAtLeast, checkFunction, describeValue } from '../util/args.js';

/**
 * Thrown by `stream.timeout(ms)` when a value did not arrive within `ms`.
 *
 * @example
 * ```ts
 * try { yield* s.timeout(100).forEach(handle); }
 * catch (e) { if (e instanceof StreamTimeoutError) console.log(`silent for ${e.ms} ms`); }
 * ```
 */
export class StreamTimeoutError extends Error {
  override name = 'StreamTimeoutError';
  constructor(readonly ms: number) {
    super(`stream timeout: no value within ${ms} ms`);
  }
}

/**
 * Thrown for a bad argument to a stream combinator or source (a negative count, a NaN duration,
 * something that is not a stream).
 *
 * @example
 * ```ts
 * fromIterable([1]).take(-1); // StreamArgumentError: take(n): n must be an integer >= 0, got -1
 * ```
 */
export class StreamArgumentError extends RangeError {
  override name = 'StreamArgumentError';
}

/** @internal A count: an integer >= min, or Infinity. */
export function checkCount(what: string, n: unknown, min = 0): number {
  return checkCountAtLeast(what, n, min, StreamArgumentError);
}

/** @internal A duration in ms: a non-negative number (Infinity means never). */
export function checkMs(what: string, ms: unknown): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
    throw new StreamArgumentError(`${what}: ms must be a non-negative number of milliseconds, got ${describe(ms)}`);
  }
  return ms;
}

/** @internal A callback. */
export function checkFn(what: string, f: unknown): void {
  checkFunction(what, f);
}

/** @internal */
export const describe = describeValue;
