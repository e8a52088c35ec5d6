/**
 * Argument checking shared by every public API: each check returns the value when it is valid
 * and otherwise throws a typed error whose message names the function, the argument, what was
 * expected and the value received.
 *
 * Invariants (`test/sync/shared_util.test.ts`): a check never coerces (the string `"3"` is not a count);
 * `NaN` is always rejected; `Infinity` is accepted only where a check says so.
 * @module
 */

/** An error constructor a check may throw instead of its default (`RangeError`/`TypeError`). */
export type ArgErrorClass = new (message: string) => Error;

/**
 * A readable rendering of a bad argument for error messages.
 *
 * @example
 * ```ts
 * describeValue('3'); // '"3" (a string)'
 * ```
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`;
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'function') return `a function ${(v as { name?: string }).name || '(anonymous)'}`;
  if (typeof v === 'symbol') return v.toString();
  return `a ${typeof v} ${Object.prototype.toString.call(v)}`;
}

/**
 * An integer in `[min, max]`. The message reads `${what} must be an integer in [min, max], got v`.
 *
 * @example
 * ```ts
 * const permits = checkInt('Semaphore permits', n, 0, MAX_PERMITS);
 * ```
 */
export function checkInt(what: string, n: unknown, min: number, max: number, Err: ArgErrorClass = RangeError): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new Err(`${what} must be an integer in [${min}, ${max}], got ${describeValue(n)}`);
  }
  return n;
}

/**
 * A count: an integer `>= min`, or `Infinity`. The message reads
 * `${what}: n must be an integer >= min, got v`.
 *
 * @example
 * ```ts
 * const n = checkCountAtLeast('take(n)', n, 0);
 * ```
 */
export function checkCountAtLeast(what: string, n: unknown, min: number, Err: ArgErrorClass = RangeError): number {
  if (typeof n !== 'number' || Number.isNaN(n) || n < min || (!Number.isInteger(n) && n !== Infinity)) {
    throw new Err(`${what}: n must be an integer >= ${min}, got ${describeValue(n)}`);
  }
  return n;
}

/**
 * A duration in milliseconds: a number, not NaN, not negative (`Infinity` means never).
 *
 * @example
 * ```ts
 * const ms = checkDuration('sleep', ms);
 * ```
 */
export function checkDuration(fn: string, ms: unknown, what = 'duration', Err: ArgErrorClass = RangeError): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
    throw new Err(`${fn}: ${what} must be a non-negative number of milliseconds (Infinity for never), got ${describeValue(ms)}`);
  }
  return ms;
}

/**
 * A callback.
 *
 * @example
 * ```ts
 * checkFunction('map(f)', f);
 * ```
 */
export function checkFunction<F>(what: string, f: F): F {
  if (typeof f !== 'function') throw new TypeError(`${what}: expected a function, got ${describeValue(f)}`);
  return f;
}

/**
 * An options bag: `undefined` (use the defaults) or a non-null object.
 *
 * @example
 * ```ts
 * const o = checkOptions('interval', opts);
 * ```
 */
export function checkOptions<T extends object>(fn: string, opts: T | undefined): T | undefined {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) {
    throw new TypeError(`${fn}: options must be an object, got ${describeValue(opts)}`);
  }
  return opts;
}
