/**
 * Paused time, for tests: `time.pause()`, `time.resume()`, `time.advance(ms)`.
 *
 * While a runtime's clock is paused it stands still, except that:
 * - `yield* time.advance(ms)` moves it forward by `ms` and fires the timers due by then;
 * - auto-advance: when every task is idle (the ready queue is empty) and timers are armed, the
 *   clock jumps, one `setImmediate` turn later, to the next timer's deadline and fires it.
 *
 * So a test that sleeps an hour finishes in milliseconds, and the interleaving of its tasks is
 * the same on every run. `new Runtime({ startPaused: true })` starts with the clock paused.
 *
 * @example
 * ```ts
 * import { Runtime, sleep, Instant, time } from 'kyoto';
 * const rt = new Runtime({ startPaused: true });
 * await rt.blockOn(function* hour() {
 *   const t0 = Instant.now();
 *   yield* sleep(3_600_000);       // returns at once (auto-advance)
 *   console.log(t0.elapsed());     // 3600000
 * });
 * ```
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Runtime } from '../runtime/runtime.js';
import { ClockError, currentDriver, timeDriver } from '../runtime/time/driver.js';
import { checkDuration } from './duration.js';

export { ClockError };

function driverFor(rt: Runtime | undefined) {
  return rt === undefined ? timeDriver(Runtime.current()) : timeDriver(rt);
}

/**
 * Pauses the clock of the current runtime (or of `rt`). Idempotent. Outside a task, pass the
 * runtime (else `NoRuntimeError`).
 *
 * @example
 * ```ts
 * function* test() { time.pause(); yield* sleep(60_000); } // finishes at once
 * ```
 */
export function pause(rt?: Runtime): void {
  driverFor(rt).pause();
}

/**
 * Lets the clock of the current runtime (or of `rt`) run again, from the paused value.
 * Idempotent.
 *
 * @example
 * ```ts
 * time.resume();
 * ```
 */
export function resume(rt?: Runtime): void {
  driverFor(rt).resume();
}

/**
 * True when the clock of the current runtime (or of `rt`) is paused.
 *
 * @example
 * ```ts
 * if (time.isPaused()) console.log('virtual time');
 * ```
 */
export function isPaused(rt?: Runtime): boolean {
  return driverFor(rt).isPaused();
}

class Advance extends Future<void> {
  private state = 0;
  constructor(private readonly ms: number) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (this.state === 1) return undefined;
    this.state = 1;
    currentDriver().advance(this.ms);
    // Let the tasks the advance woke run before the caller continues (as Tokio's advance does).
    cx.waker.wakeByRef();
    return Pending;
  }
}

/**
 * A future that moves the paused clock forward by `ms` milliseconds, firing (in deadline order)
 * every timer due by then, and then yields once so the woken tasks run before the caller goes
 * on. It is a future, like Tokio's `advance`, because the point of advancing is to let the
 * woken tasks run. Throws `ClockError` if the clock is not paused; a negative, NaN or
 * non-number `ms` throws a `RangeError`.
 *
 * @example
 * ```ts
 * const h = spawn(worker);      // sleeps 1000 ms, then sets done
 * yield* time.advance(999);     // not yet
 * yield* time.advance(1);       // now worker has run
 * ```
 */
export function advance(ms: number): Future<void> {
  checkDuration('time.advance', ms);
  return new Advance(ms);
}
