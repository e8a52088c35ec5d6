/**
 * `Instant`: a point on kyoto's monotonic clock.
 * @module
 */
import { clockNow } from '../runtime/time/driver.js';
import { checkDuration, describeValue } from './duration.js';

/**
 * A point in time on kyoto's monotonic clock, in milliseconds on the `performance.now()` scale.
 *
 * Inside a task, `Instant.now()` reads the runtime's clock, which stands still while time is
 * paused (tests) and jumps on `time.advance` and auto-advance; outside any task it reads
 * `performance.now()`. Instants compare with `<`/`>` (through `valueOf`) or with the methods.
 *
 * @example
 * ```ts
 * const start = Instant.now();
 * yield* sleep(50);
 * console.log(start.elapsed() >= 50);            // true: timers never fire early
 * const deadline = start.add(1000);
 * console.log(Instant.now().isBefore(deadline)); // true
 * ```
 */
export class Instant {
  /** Milliseconds on the `performance.now()` scale (Infinity for "never"). */
  readonly ms: number;

  private constructor(ms: number) {
    this.ms = ms;
  }

  /**
   * The current instant (the runtime's clock inside a task).
   *
   * @example
   * ```ts
   * const t0 = Instant.now();
   * ```
   */
  static now(): Instant {
    return new Instant(clockNow());
  }

  /**
   * The instant `ms` on the clock's scale (the value of `instant.ms`). Mostly internal.
   *
   * @example
   * ```ts
   * const same = Instant.fromMs(Instant.now().ms);
   * ```
   */
  static fromMs(ms: number): Instant {
    if (typeof ms !== 'number' || Number.isNaN(ms)) {
      throw new RangeError(`Instant.fromMs: expected a number of milliseconds, got ${describeValue(ms)}`);
    }
    return new Instant(ms);
  }

  /**
   * Milliseconds from this instant to now (0 if it is in the future).
   *
   * @example
   * ```ts
   * const t0 = Instant.now(); yield* sleep(10); t0.elapsed(); // >= 10
   * ```
   */
  elapsed(): number {
    const d = clockNow() - this.ms;
    return d > 0 ? d : 0;
  }

  /**
   * The instant `ms` milliseconds later (`Infinity` gives an instant that never comes). A
   * negative, NaN or non-number `ms` throws a `RangeError`.
   *
   * @example
   * ```ts
   * const deadline = Instant.now().add(250);
   * ```
   */
  add(ms: number): Instant {
    return new Instant(this.ms + checkDuration('Instant.add', ms));
  }

  /**
   * Milliseconds from `earlier` to this instant (0 if `earlier` is later).
   *
   * @example
   * ```ts
   * const took = Instant.now().durationSince(t0);
   * ```
   */
  durationSince(earlier: Instant): number {
    const d = this.ms - checkInstant('Instant.durationSince', earlier).ms;
    return d > 0 ? d : 0;
  }

  /**
   * -1, 0 or 1 as this instant is before, equal to or after `other`.
   *
   * @example
   * ```ts
   * instants.sort((a, b) => a.compare(b));
   * ```
   */
  compare(other: Instant): -1 | 0 | 1 {
    const o = checkInstant('Instant.compare', other).ms;
    return this.ms < o ? -1 : this.ms > o ? 1 : 0;
  }

  /**
   * True when this instant is before `other`.
   *
   * @example
   * ```ts
   * if (Instant.now().isBefore(deadline)) retry();
   * ```
   */
  isBefore(other: Instant): boolean {
    return this.ms < checkInstant('Instant.isBefore', other).ms;
  }

  /**
   * True when this instant is after `other`.
   *
   * @example
   * ```ts
   * if (Instant.now().isAfter(deadline)) giveUp();
   * ```
   */
  isAfter(other: Instant): boolean {
    return this.ms > checkInstant('Instant.isAfter', other).ms;
  }

  /**
   * True when both denote the same instant.
   *
   * @example
   * ```ts
   * sleepUntil(d).deadline.equals(d); // true
   * ```
   */
  equals(other: Instant): boolean {
    return this.ms === checkInstant('Instant.equals', other).ms;
  }

  /** The ms value, so that `a < b` compares instants. */
  valueOf(): number {
    return this.ms;
  }

  toString(): string {
    return `Instant(${this.ms} ms)`;
  }
}

/** Returns `v` if it is an Instant, else throws a `TypeError` naming the function and value. */
export function checkInstant(fn: string, v: unknown): Instant {
  if (!(v instanceof Instant)) throw new TypeError(`${fn}: expected an Instant, got ${describeValue(v)}`);
  return v;
}
