/**
 * `interval(periodMs, opts)`: a stream of ticks.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { trackResource, type ResourceInfo, type TrackedResource } from '../runtime/resources.js';
import { clockNow, deadlineAfter } from '../runtime/time/driver.js';
import { checkDuration, describeValue } from './duration.js';
import { Instant, checkInstant } from './instant.js';
import { Sleep } from './sleep.js';

/**
 * What an interval does when ticks were missed (the task was busy past one or more deadlines):
 * - `'burst'` (default): fire the missed ticks back to back until caught up; the schedule is
 *   kept (ticks at start + k * period).
 * - `'delay'`: the next tick is one period after the late tick was taken; the schedule shifts.
 * - `'skip'`: drop the missed ticks; the next tick is the next one on the original schedule.
 *
 * As in Tokio, a tick taken less than 5 ms late counts as on time.
 */
export type MissedTickBehavior = 'burst' | 'delay' | 'skip';

/** Options of `interval`. */
export interface IntervalOptions {
  /** Default `'burst'`. */
  missedTickBehavior?: MissedTickBehavior;
}

const LATE_MS = 5;

/**
 * Ticks every `period` ms. `tick()` gives a future of the tick's scheduled instant; the first
 * tick completes at once. Dropping the interval (`drop()` or `using`) removes its timer.
 *
 * `tick()` is cancel safe: dropping a tick future (say, in a `select` that another branch won)
 * loses no tick, and removes its timer entry until the next `tick()`.
 *
 * @example
 * ```ts
 * function* reporter(stats: Stats) {
 *   using iv = interval(1000, { missedTickBehavior: 'skip' });
 *   for (;;) {
 *     yield* iv.tick();
 *     stats.flush();
 *   }
 * }
 * ```
 */
export class Interval implements TrackedResource, Disposable {
  /** Period in ms. */
  readonly period: number;
  /** What to do with missed ticks (may be changed at any time). */
  missedTickBehavior: MissedTickBehavior;
  private readonly delay: Sleep;
  private dropped = false;

  /** @internal Use `interval` or `intervalAt`. */
  constructor(startMs: number, period: number, behavior: MissedTickBehavior) {
    this.period = period;
    this.missedTickBehavior = behavior;
    this.delay = new Sleep(startMs);
    trackResource(this);
  }

  /**
   * A future of the next tick: completes at the tick's deadline with that scheduled instant.
   *
   * @example
   * ```ts
   * const at = yield* iv.tick();
   * ```
   */
  tick(): Future<Instant> {
    if (this.dropped) throw new Error('Interval.tick(): the interval was dropped; create a new one');
    return new Tick(this);
  }

  /**
   * The instant of the next tick.
   *
   * @example
   * ```ts
   * iv.nextTick.isAfter(Instant.now());
   * ```
   */
  get nextTick(): Instant {
    return this.delay.deadline;
  }

  /**
   * Restarts the schedule: the next tick is one period from now.
   *
   * @example
   * ```ts
   * iv.reset(); // after activity, push the next heartbeat out by a full period
   * ```
   */
  reset(): void {
    this.delay.resetMs(deadlineAfter(this.period));
  }

  /**
   * Makes the next tick complete at `instant` (the schedule continues from it).
   *
   * @example
   * ```ts
   * iv.resetAt(Instant.now().add(5000));
   * ```
   */
  resetAt(instant: Instant): void {
    this.delay.resetMs(checkInstant('Interval.resetAt', instant).ms);
  }

  /**
   * Makes the next tick complete `ms` from now (the schedule continues from it).
   *
   * @example
   * ```ts
   * iv.resetAfter(10); // tick soon, then every period
   * ```
   */
  resetAfter(ms: number): void {
    this.delay.resetMs(deadlineAfter(checkDuration('Interval.resetAfter', ms)));
  }

  /**
   * Makes the next tick complete at once (the schedule continues from it).
   *
   * @example
   * ```ts
   * iv.resetImmediately();
   * ```
   */
  resetImmediately(): void {
    this.delay.resetMs(clockNow());
  }

  /** @internal */
  pollTick(cx: Context): Poll<Instant> {
    if (this.delay.poll(cx) === Pending) return Pending;
    const due = this.delay.deadlineMs;
    const now = clockNow();
    const p = this.period;
    let next: number;
    if (now > due + LATE_MS) {
      const b = this.missedTickBehavior;
      if (b === 'delay') next = deadlineAfter(p);
      else if (b === 'skip') next = now + p - ((now - due) % p);
      else next = due + p;
    } else next = due + p;
    this.delay.resetMs(next);
    return Instant.fromMs(due);
  }

  /** @internal The tick future was dropped: remove the wheel entry, keep the schedule. */
  disarm(): void {
    this.delay.disarm();
  }

  /**
   * Stops the interval: its timer entry is removed at once. Idempotent.
   *
   * @example
   * ```ts
   * iv.drop();
   * ```
   */
  drop(): void {
    this.dropped = true;
    this.delay.drop();
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  resourceInfo(): ResourceInfo {
    const info = this.delay.resourceInfo();
    return {
      kind: 'interval',
      label: `every ${this.period} ms (${this.missedTickBehavior}), next in ${Math.max(0, Math.ceil(this.delay.deadlineMs - clockNow()))} ms`,
      waiters: info.waiters,
    };
  }
}

class Tick extends Future<Instant> {
  private done = false;
  constructor(private readonly iv: Interval) {
    super();
  }
  poll(cx: Context): Poll<Instant> {
    const r = this.iv.pollTick(cx);
    if (r !== Pending) this.done = true;
    return r;
  }
  override drop(): void {
    if (this.done) return;
    this.done = true;
    this.iv.disarm();
  }
}

function checkOptions(fn: string, opts: IntervalOptions | undefined): MissedTickBehavior {
  if (opts === undefined) return 'burst';
  if (opts === null || typeof opts !== 'object') {
    throw new TypeError(`${fn}: options must be an object, got ${describeValue(opts)}`);
  }
  const b = opts.missedTickBehavior ?? 'burst';
  if (b !== 'burst' && b !== 'delay' && b !== 'skip') {
    throw new RangeError(`${fn}: missedTickBehavior must be 'burst', 'delay' or 'skip', got ${describeValue(b)}`);
  }
  return b;
}

function checkPeriod(fn: string, periodMs: unknown): number {
  const p = checkDuration(fn, periodMs, 'period');
  if (p === 0) throw new RangeError(`${fn}: period must be greater than 0 ms, got 0`);
  return p;
}

/**
 * An interval ticking every `periodMs` milliseconds, the first tick at once. `periodMs` must be
 * a positive number (`Infinity`: only the first tick ever completes); otherwise a `RangeError`
 * names the value.
 *
 * @example
 * ```ts
 * const iv = interval(100, { missedTickBehavior: 'delay' });
 * yield* iv.tick(); // at once
 * yield* iv.tick(); // 100 ms later
 * ```
 */
export function interval(periodMs: number, opts?: IntervalOptions): Interval {
  const p = checkPeriod('interval', periodMs);
  const b = checkOptions('interval', opts);
  // Scheduled from the start of the tick in progress, so that ticks fall on the host's
  // millisecond boundaries (see `sleep`): `interval(1)` ticks with each Node 1 ms timer.
  return new Interval(deadlineAfter(0), p, b);
}

/**
 * An interval whose first tick is at `start`.
 *
 * @example
 * ```ts
 * const iv = intervalAt(Instant.now().add(1000), 1000); // first tick in one second
 * ```
 */
export function intervalAt(start: Instant, periodMs: number, opts?: IntervalOptions): Interval {
  const s = checkInstant('intervalAt', start).ms;
  const p = checkPeriod('intervalAt', periodMs);
  return new Interval(s, p, checkOptions('intervalAt', opts));
}
