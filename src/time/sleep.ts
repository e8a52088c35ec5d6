/**
 * `sleep`, `sleepUntil` and the `Sleep` future.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { trackResource, type ResourceInfo, type TrackedResource } from '../runtime/resources.js';
import { realClock } from '../runtime/clock.js';
import { clockNow, currentDriver, deadlineAfter, driverOfEntry } from '../runtime/time/driver.js';
import { FIRED, IDLE, slab } from '../runtime/time/slab.js';
import { checkDuration } from './duration.js';
import { Instant, checkInstant } from './instant.js';

/** `e` when no slab entry is held. */
const NONE = -1;
/** `e` once the sleep completed. */
const DONE = -2;
/**
 * Where this thread's host timer milliseconds start (a multiple of 1/256 ms in [0, 1)): the
 * deadline `sleep(ms)` makes on the real clock is this plus a whole number. Measured by the first
 * deadline set (-1 until then), not when kyoto loads: measuring reads the clock, and the first
 * clock read loads `perf_hooks` (src/runtime/clock.ts).
 */
let PHASE = -1;

/**
 * A future that completes at its deadline, never before it (an instant between two of the timer
 * wheel's 1 ms ticks is rounded up to the next). Made by `sleep(ms)` and `sleepUntil(instant)`.
 *
 * It registers with the runtime's timer wheel when first polled, and completing, being dropped
 * or being reset updates the wheel at once (O(1)): a dropped sleep leaves nothing behind. A
 * completed sleep is ready again if polled again. Completing spends one unit of the task's
 * cooperative budget.
 *
 * @example
 * ```ts
 * function* heartbeat(conn: Conn) {
 *   const s = sleep(1000);
 *   for (;;) {
 *     yield* s;
 *     conn.ping();
 *     s.reset(s.deadline.add(1000));
 *   }
 * }
 * ```
 */
export class Sleep extends Future<void> implements TrackedResource {
  /** Slab entry (>= 0), NONE or DONE. */
  private e = NONE;
  /**
   * The deadline less PHASE (null: never). Why: a real-clock deadline is a tick start, a
   * fraction of a ms off whole values, and V8 keeps a fractional number in an object field as a
   * heap box per object; less PHASE it is a small integer, stored inline. Any other deadline (a
   * virtual clock's whole ms, an instant off the grid) is kept as a number; exact either way
   * (PHASE is a multiple of 1/256 ms, so the subtraction is exact below 2^45 ms).
   */
  private g: number | null;

  /** @internal Use `sleep(ms)` or `sleepUntil(instant)`. */
  constructor(deadlineMs: number) {
    super();
    // null before any number: V8 then keeps `g` a tagged field (small integers inline) rather
    // than a double field (a box per object).
    this.g = null;
    this.setDeadline(deadlineMs);
    trackResource(this);
  }

  private setDeadline(d: number): void {
    if (d === Infinity) {
      this.g = null;
      return;
    }
    if (PHASE < 0) PHASE = realClock.tickPhase?.() ?? 0;
    const g = d - PHASE;
    this.g = g === (g | 0) ? g | 0 : g; // `| 0`: V8 stores an int32 inline, a computed double boxed
  }

  /** The deadline in ms (Infinity: never). */
  private get d(): number {
    const g = this.g;
    return g === null ? Infinity : g + PHASE;
  }

  /**
   * The instant at which the sleep completes.
   *
   * @example
   * ```ts
   * const s = sleep(100);
   * console.log(s.deadline.isAfter(Instant.now())); // true
   * ```
   */
  get deadline(): Instant {
    return Instant.fromMs(this.d);
  }

  /** @internal The deadline in ms. */
  get deadlineMs(): number {
    return this.d;
  }

  /**
   * True once the deadline was reached (the sleep completed, or its timer fired).
   *
   * @example
   * ```ts
   * if (!s.isElapsed()) yield* s;
   * ```
   */
  isElapsed(): boolean {
    const e = this.e;
    return e === DONE || (e >= 0 && slab.loc[e] === FIRED);
  }

  /**
   * Moves the deadline to `deadline`, whether the sleep is pending or already completed (then
   * it becomes pending again). The task waiting on it is woken at the new deadline; a deadline
   * already passed completes it at its next poll.
   *
   * @example
   * ```ts
   * const idle = sleep(30_000);
   * // on activity:
   * idle.reset(Instant.now().add(30_000));
   * ```
   */
  reset(deadline: Instant): void {
    this.resetMs(checkInstant('Sleep.reset', deadline).ms);
  }

  /** @internal `reset` taking ms. */
  resetMs(d: number): void {
    this.setDeadline(d);
    const e = this.e;
    if (e < 0) {
      // Not registered yet, or completed: the next poll registers the new deadline.
      this.e = NONE;
      return;
    }
    const loc = slab.loc[e] as number;
    if (loc === FIRED) {
      // The waiting task was woken already: its next poll re-arms with the new deadline.
      slab.loc[e] = IDLE;
      return;
    }
    const w = slab.wakers[e] ?? null;
    if (loc < 0) {
      // Parked (an infinite deadline) or disarmed: wake the waiting task, whose next poll
      // arms the new deadline with its own runtime.
      if (w !== null && d !== Infinity) {
        slab.wakers[e] = null;
        w.wake();
      }
      return;
    }
    const drv = driverOfEntry(e);
    drv.cancel(e);
    if (w === null) return;
    if (d === Infinity) {
      slab.wakers[e] = w; // parked: kept for a later reset
      return;
    }
    if (!drv.arm(e, d, w)) {
      slab.loc[e] = FIRED;
      w.wake();
    }
  }

  poll(cx: Context): Poll<void> {
    return this.pollSleep(cx, true);
  }

  /** @internal Polls; `budget` false skips the cooperative budget (used by `timeout`). */
  pollSleep(cx: Context, budget: boolean): Poll<void> {
    const e = this.e;
    if (e >= 0) {
      const loc = slab.loc[e] as number;
      if (loc >= 0) {
        const w = slab.wakers[e];
        const cw = cx.waker;
        if (w == null || !w.willWake(cw)) slab.wakers[e] = cw.clone();
        return Pending;
      }
      if (loc === FIRED) return this.complete(cx, budget);
      // IDLE: parked (infinite deadline) or disarmed (runtime shut down): register again.
    } else if (e === DONE) return undefined;
    return this.register(cx, budget);
  }

  /** Drops the sleep: its wheel entry is removed at once. Idempotent. */
  override drop(): void {
    const e = this.e;
    if (e < 0) return;
    this.e = NONE;
    if ((slab.loc[e] as number) >= 0) driverOfEntry(e).cancel(e);
    slab.free(e);
  }

  /** @internal Removes the wheel entry but keeps the deadline (the next poll re-arms). */
  disarm(): void {
    this.drop();
  }

  resourceInfo(): ResourceInfo {
    const e = this.e;
    const armed = e >= 0 && (slab.loc[e] as number) >= 0;
    const state = e === DONE || (e >= 0 && slab.loc[e] === FIRED) ? 'elapsed' : armed ? 'armed' : 'idle';
    const waiting = e >= 0 && slab.wakers[e] != null;
    const left = this.d - clockNow();
    return {
      kind: 'timer',
      label: this.d === Infinity ? 'sleep (never)' : `sleep, due in ${Math.max(0, Math.ceil(left))} ms`,
      waiters: waiting ? 1 : 0,
      details: { state, deadlineMs: this.d },
    };
  }

  private complete(cx: Context, budget: boolean): Poll<void> {
    if (budget && !pollProceed(cx)) return Pending;
    const e = this.e;
    if (e >= 0) slab.free(e);
    this.e = DONE;
    return undefined;
  }

  private register(cx: Context, budget: boolean): Poll<void> {
    const d = this.d;
    const drv = currentDriver();
    if (d <= drv.recentNow()) return this.complete(cx, budget);
    let e = this.e;
    if (e < 0) e = this.e = slab.alloc();
    const w = cx.waker.clone();
    if (d === Infinity) {
      // Never due: the entry stays out of the wheel (it wakes nothing, so a task waiting only
      // on it is reported as deadlocked) and keeps the waker for a later reset.
      slab.wakers[e] = w;
      return Pending;
    }
    if (!drv.arm(e, d, w)) return this.complete(cx, budget);
    return Pending;
  }
}

/**
 * A future that completes `ms` milliseconds from now, counted as Node counts `setTimeout`'s:
 * ⌈ms⌉ whole 1 ms ticks after the start of the tick in progress (so `sleep(1)` ends when the
 * next millisecond starts, up to 1 ms short of `ms` by a sub-millisecond clock, and lasts as long
 * as `setTimeout(fn, 1)`). `Infinity` never completes; a negative, NaN or non-number `ms` throws a
 * `RangeError`. The deadline is fixed when `sleep` is called, not when it is first awaited.
 *
 * @example
 * ```ts
 * function* retry(op: () => Future<Response>) {
 *   for (let attempt = 0; ; attempt++) {
 *     try { return yield* op(); } catch { yield* sleep(100 * 2 ** attempt); }
 *   }
 * }
 * ```
 */
export function sleep(ms: number): Sleep {
  checkDuration('sleep', ms);
  return new Sleep(ms === 0 ? clockNow() : ms === Infinity ? Infinity : deadlineAfter(ms));
}

/**
 * A future that completes at `deadline` (at once if it has passed).
 *
 * @example
 * ```ts
 * const deadline = Instant.now().add(5000);
 * yield* sleepUntil(deadline);
 * ```
 */
export function sleepUntil(deadline: Instant): Sleep {
  return new Sleep(checkInstant('sleepUntil', deadline).ms);
}
