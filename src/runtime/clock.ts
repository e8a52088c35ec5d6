/**
 * The clock seam: how the runtime reads time and arms host timers. A runtime takes
 * `context.clock` when it is created (its time driver uses it), so a virtual clock (the
 * simulator's) replaces the real one by setting `context.clock` before the runtime is created.
 *
 * The real clock holds Node's own `performance.now` and timer functions, taken when this module
 * loads: a simulation that makes the globals virtual for the code it runs does not move the
 * clock of an ordinary runtime running beside it in the same process.
 *
 * Invariants (test/core/clock.test.ts): `now()` never goes backwards; a timer armed with
 * `setTimer(fn, ms)` calls `fn` once, no earlier than `ms` after it was armed on this clock's
 * scale, unless `clearTimer` disarmed it first; `ref`/`unref` only say whether a pending timer
 * keeps the process alive.
 * @module
 */

/** A host timer armed through a {@link Clock} (Node's `Timeout` is one). */
export interface ClockTimer {
  /** The timer keeps the process alive (the default). */
  ref(): unknown;
  /** The timer no longer keeps the process alive. */
  unref(): unknown;
}

/**
 * Time as the runtime sees it.
 *
 * @example
 * ```ts
 * const t = realClock.setTimer(() => console.log('fired at', realClock.now()), 10);
 * t.unref();
 * ```
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (`performance.now()` for the real clock). */
  now(): number;
  /** Arms a one-shot host timer calling `fn` after `ms` milliseconds. */
  setTimer(fn: () => void, ms: number): ClockTimer;
  /** Disarms a timer armed by `setTimer` (no effect once it fired). */
  clearTimer(t: ClockTimer): void;
}

const perfNow = performance.now.bind(performance);
const nodeSetTimeout = setTimeout;
const nodeClearTimeout = clearTimeout;

/** The real clock: `performance.now()` and Node's timers (as they were when kyoto loaded). */
export const realClock: Clock = {
  now: () => perfNow(),
  setTimer: (fn, ms) => nodeSetTimeout(fn, ms),
  clearTimer: (t) => nodeClearTimeout(t as ReturnType<typeof setTimeout>),
};
