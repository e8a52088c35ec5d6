/**
 * The clock seam: how the runtime reads time and arms host timers. A runtime takes
 * `context.clock` when it is created (its time driver uses it), so a virtual clock (the
 * simulator's) replaces the real one by setting `context.clock` before the runtime is created.
 *
 * The real clock holds Node's own timer functions, taken when this module loads, and Node's own
 * `performance.now`, taken the first time the clock is read or when a simulation first patches
 * the globals (`pinNodePerfNow`), whichever comes first: a simulation that makes the globals
 * virtual for the code it runs does not move the clock of an ordinary runtime running beside it
 * in the same process. `performance` is not touched when kyoto loads because the global is a
 * lazy getter that loads `perf_hooks` (see src/util/node_builtins.ts for why the core's import
 * loads no builtin it does not use).
 *
 * Invariants (the real clock: test/time/*.test.ts; a virtual one: test/sim/virtual_timers.test.ts):
 * `now()` never goes backwards; a timer armed with `setTimer(fn, ms)` calls `fn` once, unless `clearTimer` disarmed it first, no earlier than the
 * start of the clock's millisecond (see `tickPhase`) that is `ms` whole milliseconds after the one
 * it was armed in (Node's timers count so: libuv truncates its loop clock to the ms); `ref`/`unref`
 * only say whether a pending timer keeps the process alive.
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
  /**
   * Where the host timers' milliseconds start: a fraction `f` in [0, 1) such that they start at
   * the `now()` values equal to `f` modulo 1. Absent: 0 (whole values). The time driver puts its
   * 1 ms ticks on these boundaries, so the host timer armed for a tick fires when that tick starts.
   */
  tickPhase?(): number;
}

/**
 * The phase is kept to 1/256 ms (~4 µs), so that a tick start, phase + n, is an exact double for
 * every n below 2^44 ms (~557 years; paused tests sleep 2^40 ms and expect exact instants).
 */
const PHASE_STEPS = 256;
/** Node's `performance.now`, bound; `firstPerfNow` until the first read pins it. */
let perfNow: () => number = firstPerfNow;

function firstPerfNow(): number {
  return pinNodePerfNow()();
}

/**
 * Takes Node's own `performance.now` for the real clock, if not yet taken, and returns it. The
 * simulator calls this before it replaces `performance.now`.
 *
 * @example
 * ```ts
 * const nodeNow = pinNodePerfNow(); // before patching performance.now
 * ```
 */
export function pinNodePerfNow(): () => number {
  if (perfNow === firstPerfNow) perfNow = performance.now.bind(performance);
  return perfNow;
}
const nodeSetTimeout = setTimeout;
const nodeClearTimeout = clearTimeout;
let realPhase = -1;

/**
 * libuv's loop clock is `process.hrtime()` truncated to the ms, and `performance.now()` is the
 * same clock minus the process's time origin, a fractional ms. The phase is measured once, with
 * `performance.now()` read first so that the difference can only overstate the origin: rounding
 * both ways down puts kyoto's tick starts at or a few µs before libuv's, never after. It reads
 * Node's own `performance.now`, like the real clock, even while a simulation has replaced the
 * global (a virtual clock has no phase: its `tickPhase` is absent).
 */
function measurePhase(): number {
  if (realPhase >= 0) return realPhase;
  let offset = Infinity;
  for (let i = 0; i < 8; i++) {
    const p = perfNow();
    const h = process.hrtime();
    const d = h[0] * 1e3 + h[1] / 1e6 - p;
    if (d < offset) offset = d;
  }
  const f = Math.floor((Math.ceil(offset) - offset) * PHASE_STEPS) / PHASE_STEPS;
  realPhase = f >= 1 ? 0 : f;
  return realPhase;
}

/** The real clock: Node's own `performance.now()` and timers (see the module header). */
export const realClock: Clock = {
  now: () => perfNow(),
  setTimer: (fn, ms) => nodeSetTimeout(fn, ms),
  clearTimer: (t) => nodeClearTimeout(t as ReturnType<typeof setTimeout>),
  tickPhase: measurePhase,
};
