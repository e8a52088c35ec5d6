/**
 * Errors raised by streams, and the argument checks every combinator shares.
 * @module
 */

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
  if (typeof n !== 'number' || Number.isNaN(n) || n < min || (!Number.isInteger(n) && n !== Infinity)) {
    throw new StreamArgumentError(
      `${what}: n must be an integer >= ${min}, got ${describe(n)}`,
    );
  }
  return n;
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
  if (typeof f !== 'function') throw new TypeError(`${what}: expected a function, got ${describe(f)}`);
}

/** @internal */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (v === null || typeof v !== 'object') return String(v);
  return Object.prototype.toString.call(v);
}
