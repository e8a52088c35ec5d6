/**
 * The time driver of a runtime: its clock, its wheel, and the single Node timer that wakes the
 * wheel at the earliest deadline.
 *
 * - Clock: `context.clock` (`runtime/clock.ts`: `performance.now()` unless a virtual clock was installed), plus a skew once paused time has been resumed, or a frozen
 *   value while paused.
 * - Ticks: tick 0 starts at `origin`, a start of one of the host timers' milliseconds
 *   (`Clock.tickPhase`: libuv counts timer delays in whole ms of its own truncated loop clock,
 *   whose boundaries are a fraction of a ms off whole `performance.now()` values). An absolute
 *   deadline is due at the first tick start at or after it (`arm` rounds up: never early). A
 *   duration is counted in whole ticks from the start of the tick in progress, as libuv counts
 *   `setTimeout`'s: `deadlineAfter(ms)` is that tick's start + ⌈ms⌉. So `sleep(1)` is due when
 *   the host's next millisecond starts, which is when a 1 ms Node timer armed now fires: one host
 *   timer wait, like Node's `setTimeout(fn, 1)`, not two (the rounding test in
 *   `test/time/tick_rounding.test.ts`).
 * - At most one Node timer is armed, for the start of the earliest occupied wheel slot. When it
 *   fires, the wheel is processed up to the current tick (entries never fire before their
 *   deadline: if Node fires a little early the driver simply re-arms), the expired wakers are
 *   woken in one batch, and the timer is armed for the next slot (or, if that slot fell due
 *   while the batch was fired, `setImmediate` fires it in the same turn). Cancelling leaves the Node
 *   timer in place; once no entry is armed it is unref'd (one event-loop turn later, so that a
 *   create-cancel loop does not toggle it each time): cancelled timers keep no process alive.
 * - The executor going idle also processes the wheel, once the armed tick has started
 *   (`fireOnIdle`): under I/O load a timer fires at the first idle after its tick starts, not up
 *   to ~1.1 ms later when the Node timer comes (`test/time/idle_fire.test.ts`).
 * - Paused: no Node timer. Time moves by `advance`, and by auto-advance: when the executor runs
 *   out of ready tasks, one `setImmediate` turn later (so that pending I/O and promise callbacks
 *   run first) the clock jumps to the next deadline and those timers fire.
 * @module
 */
import type { Waker } from '../../future/future.js';
import { context } from '../context.js';
import type { Clock, ClockTimer } from '../clock.js';
import type { Driver } from '../driver.js';
import type { Executor } from '../scheduler/current_thread/executor.js';
import { Runtime, registerRuntimeExtension } from '../runtime.js';
import { slab } from './slab.js';
import { Wheel } from './wheel.js';

/** Key of the time driver in `rt.driver(...)`. */
export const TIME_KEY: unique symbol = Symbol('kyoto.time');

/** The longest delay Node's setTimeout accepts. */
const MAX_NODE_DELAY = 2 ** 31 - 1;

/** Drivers by wheel id (the slab's `owner`); id 0 is never used by a driver. */
const drivers: (TimeDriver | null)[] = [null];
const freeIds: number[] = [];

function allocId(): number {
  const id = freeIds.pop();
  if (id !== undefined) return id;
  if (drivers.length > 0xffff) {
    throw new RangeError('kyoto time: more than 65535 runtimes with timers are alive; shut runtimes down with rt.shutdown()');
  }
  drivers.push(null);
  return drivers.length - 1;
}

/**
 * Thrown by `time.advance` when the clock is not paused.
 *
 * @example
 * ```ts
 * yield* time.advance(10); // throws ClockError unless time.pause() or startPaused
 * ```
 */
export class ClockError extends Error {
  override name = 'ClockError';
}

/** @internal The time driver (see the module comment). */
export class TimeDriver implements Driver {
  readonly wheel: Wheel;
  /** Clock value (ms, `performance.now()` scale) of wheel tick 0. */
  readonly origin: number;
  private paused = false;
  private frozen = 0;
  private skew = 0;
  private last = 0;
  private nodeTimer: ClockTimer | null = null;
  /** Where time is read and the host timer armed (`context.clock` when the driver was made). */
  private readonly clock: Clock;
  private armedTick = Infinity;
  private advancePending = false;
  private closed = false;
  private readonly firedIdx: number[] = [];
  /** The Node timer is ref'd (some entry is armed, or was until a moment ago). */
  private refed = false;
  private unrefPending = false;
  private readonly onTimerFn = (): void => this.onTimer();
  private readonly unrefFn = (): void => this.unrefIfIdle();
  private immediatePending = false;
  private readonly onImmediateFn = (): void => this.onImmediate();
  private readonly autoAdvanceFn = (): void => this.autoAdvance();
  // Metrics.
  firedCount = 0;
  nodeTimerFires = 0;
  autoAdvanceCount = 0;
  /** Wheel polls made when the executor went idle with a tick started (not by the Node timer). */
  idleFires = 0;

  /**
   * `onHostTicks` false puts the ticks on whole clock values instead of the host's milliseconds:
   * for a clock that starts paused (virtual time then stays in whole ms, exact to 2^53 ms, where
   * a fractional tick start is exact only to 2^44 ms; host timers do not matter while paused).
   */
  constructor(
    private readonly executor: Executor | null,
    onHostTicks = true,
  ) {
    this.clock = executor?.hostClock ?? context.clock;
    this.origin = tickStart(this.clock.now(), onHostTicks ? (this.clock.tickPhase?.() ?? 0) : 0);
    this.last = this.origin;
    const id = allocId();
    this.wheel = new Wheel(0, id);
    drivers[id] = this;
  }

  /** The clock, in ms on the `performance.now()` scale. */
  now(): number {
    if (this.paused) return this.frozen;
    const t = this.clock.now() + this.skew;
    this.last = t;
    return t;
  }

  /**
   * The clock as last read through `now()` (exact while paused). A deadline at or before it has
   * certainly passed; one after it is armed, and fires at the next driver turn if it has in fact
   * passed too. Saves a clock read when a sleep is polled right after it was made.
   */
  recentNow(): number {
    return this.paused ? this.frozen : this.last;
  }

  /**
   * The deadline of a duration of `ms` (>= 0) started now: ⌈ms⌉ ticks after the start of the
   * tick in progress (see the module comment). It is on a tick start, so `arm` keeps it exact.
   */
  deadlineAfter(ms: number): number {
    const o = this.origin;
    return o + (Math.floor(this.now() - o) + Math.ceil(ms));
  }

  isPaused(): boolean {
    return this.paused;
  }

  /**
   * Arms entry `e` (IDLE) to wake `waker` at clock `deadline` (rounded up to the tick). Returns
   * false, leaving it IDLE, when that tick has already been processed: the caller completes.
   */
  arm(e: number, deadline: number, waker: Waker): boolean {
    const tick = Math.ceil(deadline - this.origin);
    if (!this.wheel.insert(e, tick)) return false;
    slab.wakers[e] = waker;
    if (!this.paused) {
      // Wake at the start of the entry's slot: entries cascade then, ahead of their deadlines.
      const at = this.wheel.slotStartOf(e);
      if (at < this.armedTick) this.armNode(at);
      else if (!this.refed) {
        (this.nodeTimer as ClockTimer).ref();
        this.refed = true;
      }
    }
    return true;
  }

  /**
   * Disarms entry `e` (armed in this wheel): it becomes IDLE. The Node timer is left armed (a
   * later entry may well need it; firing with nothing due costs nothing), but once no entry is
   * left it is unref'd, one event-loop turn later, so that it keeps no process alive.
   */
  cancel(e: number): void {
    this.wheel.remove(e);
    slab.wakers[e] = null;
    if (this.wheel.count === 0 && this.nodeTimer !== null && !this.unrefPending) {
      this.unrefPending = true;
      setImmediate(this.unrefFn);
    }
  }

  /** Processes the wheel up to `nowTick` and wakes what expired, in one batch. */
  fire(nowTick: number): number {
    const idx = this.firedIdx;
    const n = this.wheel.poll(nowTick, idx);
    if (n === 0) return 0;
    const wakers = slab.wakers;
    const batch: Waker[] = [];
    for (let i = 0; i < n; i++) {
      const e = idx[i] as number;
      const w = wakers[e];
      wakers[e] = null;
      if (w != null) batch.push(w);
    }
    idx.length = 0;
    this.firedCount += n;
    for (let i = 0; i < batch.length; i++) {
      try {
        (batch[i] as Waker).wake();
      } catch (err) {
        console.error('kyoto: a timer waker threw:', err);
      }
    }
    return n;
  }

  // ---- paused time -----------------------------------------------------------------------

  /** Freezes the clock (at the current time rounded up to a tick start). Idempotent. */
  pause(): void {
    if (this.paused) return;
    this.frozen = this.origin + Math.ceil(this.now() - this.origin);
    this.paused = true;
    this.disarmNode();
  }

  /**
   * Lets the clock run again from where it stands (moved on by less than 1 ms so that its ticks
   * stay on the host's millisecond boundaries). Idempotent.
   */
  resume(): void {
    if (!this.paused) return;
    this.skew = Math.ceil(this.frozen - this.clock.now());
    this.paused = false;
    this.fire(Math.floor(this.now() - this.origin));
    this.rearm();
  }

  /** Moves the paused clock forward by `ms` and fires every timer due by then, in order. */
  advance(ms: number): void {
    if (!this.paused) {
      throw new ClockError('time.advance: the clock is not paused; call time.pause() or use new Runtime({ startPaused: true })');
    }
    this.frozen += ms;
    this.fire(Math.floor(this.frozen - this.origin));
  }

  // ---- Driver hooks ----------------------------------------------------------------------

  onIdle(): boolean {
    if (!this.paused) return this.armedTick !== Infinity && this.fireOnIdle();
    if (this.wheel.count > 0 && !this.advancePending && !this.closed) {
      this.advancePending = true;
      setImmediate(this.autoAdvanceFn);
    }
    return false;
  }

  /**
   * The executor ran out of work (after I/O woke it, say): fires the timers whose tick has started,
   * as Tokio's driver does on every park, instead of leaving them to the Node timer, which comes
   * up to ~1.1 ms after their tick starts (libuv waits a whole ms from its last loop-clock update).
   * The Node timer is then re-armed for what is left, as when it fires, so that the entries armed
   * next get a timer for their own tick, not a stale one. Reads the clock only while a Node timer
   * is armed; after a firing the armed tick is a future one, so a tick is polled this way once.
   */
  private fireOnIdle(): boolean {
    if (this.closed || Math.floor(this.now() - this.origin) < this.armedTick) return false;
    this.disarmNode();
    this.idleFires++;
    return this.fireDue() > 0;
  }

  pendingWakeSources(): number {
    return this.wheel.count;
  }

  describe(): string[] {
    const n = this.wheel.count;
    if (n === 0 && !this.paused) return [];
    let line = `time: ${n} timer${n === 1 ? '' : 's'} armed`;
    if (n > 0) line += `, next wheel slot due in ${Math.max(0, this.origin + this.wheel.nextDeadline() - this.now()).toFixed(0)} ms`;
    if (this.paused) line += ' (clock paused: it moves by time.advance or when every task is idle)';
    return [line];
  }

  metrics(into: Record<string, unknown>): void {
    into['timerArmedCount'] = this.wheel.count;
    into['timerFiredCount'] = this.firedCount;
    into['timerDriverWakeups'] = this.nodeTimerFires;
    into['timerIdleFires'] = this.idleFires;
    into['timeAutoAdvanceCount'] = this.autoAdvanceCount;
    into['timePaused'] = this.paused;
  }

  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.disarmNode();
    this.wheel.clear();
    drivers[this.wheel.id] = null;
    freeIds.push(this.wheel.id);
  }

  // ---- internals -------------------------------------------------------------------------

  private armNode(tick: number): void {
    if (this.nodeTimer !== null) this.clock.clearTimer(this.nodeTimer);
    const delay = this.origin + tick - this.skew - this.clock.now();
    this.armedTick = tick;
    // Node caps a delay at 2^31 - 1 ms (and turns a larger one into 1 ms): a far slot is
    // reached in steps, each early wake-up firing nothing and re-arming.
    this.nodeTimer = this.clock.setTimer(this.onTimerFn, delay <= 0 ? 0 : delay >= MAX_NODE_DELAY ? MAX_NODE_DELAY : Math.ceil(delay));
    this.refed = true;
  }

  private unrefIfIdle(): void {
    this.unrefPending = false;
    if (this.wheel.count === 0 && this.nodeTimer !== null && this.refed) {
      this.nodeTimer.unref();
      this.refed = false;
    }
  }

  private disarmNode(): void {
    if (this.nodeTimer !== null) {
      this.clock.clearTimer(this.nodeTimer);
      this.nodeTimer = null;
    }
    this.armedTick = Infinity;
  }

  private onTimer(): void {
    this.nodeTimer = null;
    this.armedTick = Infinity;
    this.nodeTimerFires++;
    this.fireDue();
  }

  private onImmediate(): void {
    this.immediatePending = false;
    if (this.paused || this.closed) return;
    this.fireDue();
  }

  /** Fires what is due by the current tick, then arms for the next slot (see `rearm`). */
  private fireDue(): number {
    const n = this.fire(Math.floor(this.now() - this.origin));
    this.rearm();
    return n;
  }

  private rearm(): void {
    if (this.paused || this.closed || this.wheel.count === 0) return;
    const t = this.wheel.nextDeadline();
    if (t <= Math.floor(this.now() - this.origin)) {
      // Already due (firing a large batch takes time): fire it from the check phase of this
      // event-loop turn, after the tasks just woken had a turn, rather than through another
      // Node timer at least 1 ms away.
      if (!this.immediatePending) {
        this.immediatePending = true;
        setImmediate(this.onImmediateFn);
      }
      return;
    }
    if (t < this.armedTick) this.armNode(t);
  }

  private autoAdvance(): void {
    this.advancePending = false;
    if (!this.paused || this.closed) return;
    if (this.executor !== null && this.executor.queue.length > 0) return;
    const wheel = this.wheel;
    while (wheel.count > 0) {
      const t = wheel.nextEventTick();
      const ms = this.origin + t;
      if (ms > this.frozen) this.frozen = ms;
      if (this.fire(t) > 0) {
        this.autoAdvanceCount++;
        // Woken tasks make the executor drain and go idle again, which brings us back here;
        // wakers that queued no task (hand-polled futures) must not leave time stuck.
        if (this.executor !== null && this.executor.queue.length === 0) this.onIdle();
        return;
      }
    }
  }
}

/** The driver that armed entry `e` (which must be armed). */
export function driverOfEntry(e: number): TimeDriver {
  return drivers[slab.owner[e] as number] as TimeDriver;
}

/** The time driver of `rt` (made on first use). */
export function timeDriver(rt: Runtime): TimeDriver {
  return rt.driver(TIME_KEY, () => new TimeDriver(rt.executor));
}

let cacheEx: Executor | null = null;
let cacheDrv: TimeDriver | null = null;

/** The time driver of the runtime polling the caller, else of the default runtime. */
export function currentDriver(): TimeDriver {
  const ex = context.executor as Executor | null;
  if (ex !== null && ex === cacheEx) return cacheDrv as TimeDriver;
  const d = timeDriver(Runtime.tryCurrent() ?? Runtime.default());
  if (ex !== null) {
    cacheEx = ex;
    cacheDrv = d;
  }
  return d;
}

/** The start of the tick that `now` falls in, for ticks starting at `phase` modulo 1. */
function tickStart(now: number, phase: number): number {
  return phase + Math.floor(now - phase);
}

/**
 * The deadline of a duration of `ms` (>= 0) started now on the current clock (the
 * polling runtime's, else `context.clock`): see `TimeDriver.deadlineAfter`.
 */
export function deadlineAfter(ms: number): number {
  const ex = context.executor as Executor | null;
  if (ex === null) {
    const c = context.clock;
    return tickStart(c.now(), c.tickPhase?.() ?? 0) + Math.ceil(ms);
  }
  return (ex === cacheEx ? (cacheDrv as TimeDriver) : currentDriver()).deadlineAfter(ms);
}

/** The current clock: the polling runtime's (paused-aware), else `performance.now()`. */
export function clockNow(): number {
  const ex = context.executor as Executor | null;
  if (ex === null) return context.clock.now();
  if (ex === cacheEx) return (cacheDrv as TimeDriver).now();
  return currentDriver().now();
}

registerRuntimeExtension((rt, opts) => {
  if (opts.startPaused === true) rt.driver(TIME_KEY, () => new TimeDriver(rt.executor, false)).pause();
});
