/**
 * Validation of durations (milliseconds) shared by the time API.
 * @module
 */

/** A readable rendering of a bad argument for error messages. */
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
 * Returns `ms` if it is a valid duration: a number, not NaN, not negative (`Infinity` means
 * never). Otherwise throws a `RangeError` naming the function and the value.
 */
export function checkDuration(fn: string, ms: unknown, what = 'duration'): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
    throw new RangeError(
      `${fn}: ${what} must be a non-negative number of milliseconds (Infinity for never), got ${describeValue(ms)}`,
    );
  }
  return ms;
}
