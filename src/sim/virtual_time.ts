/**
 * Virtual timers: every timer a simulated host arms, in one `(at, seq)` queue on the run's
 * virtual clock. Two kinds of callers share it:
 *
 * - kyoto's own time driver, through the `Clock` seam (`runtime/clock.ts`): each host runtime is
 *   created with a `HostClock`, so its driver reads virtual time and arms its one host timer
 *   here, exactly as it arms a Node timer on a real clock;
 * - application code calling `setTimeout`, `setInterval` or `setImmediate` inside a host
 *   (`host_timers.ts` installs the globals that land here during a run).
 *
 * Semantics, Node's: a timeout of `ms` (clamped to [1, 2^31 - 1] like Node's) is due `ms` after
 * it was set; an interval is re-armed `ms` after the turn that ran it; an immediate is due at
 * once (it runs at the next event-loop turn of the simulation, never inside the call that set
 * it); timers due at the same time run in the order they were set, and a timer set while due
 * timers run waits for the next turn. `unref()` timers still fire when time passes them but
 * never make time pass (they keep no simulated machine alive, as they keep no process alive).
 * A crashed host's application timers are dropped with it.
 *
 * Invariants: `nextAt()` is the earliest armed ref'd timer (Infinity if none); `runDue(t)` runs
 * each armed timer due by `t` that existed when it was called, once, in `(at, seq)` order, and
 * never one that was cleared. Proved by test/sim/virtual_timers.test.ts.
 * @module
 */
import type { Clock, ClockTimer } from '../runtime/clock.js';
import type { Runtime } from '../runtime/runtime.js';
import { TimedHeap } from './timed_heap.js';

/** The host incarnation a timer belongs to (a `HostNode`; declared here so time does not import the host). */
export interface TimerHost {
  readonly name: string;
  readonly index: number;
  readonly rt: Runtime;
}

/** Who armed a virtual timer. */
export const enum TimerKind {
  /** kyoto's time driver, through the `Clock` seam. */
  Clock = 0,
  Timeout = 1,
  Interval = 2,
  Immediate = 3,
}

/** Node's largest timer delay; larger (or invalid) delays become 1 ms, as in Node. */
const TIMEOUT_MAX = 2 ** 31 - 1;
/** Numeric ids of virtual timers (`+timer`) live far above Node's own. */
const ID_BASE = 2 ** 40;

/** Node's clamp for `setTimeout`/`setInterval` delays. */
export function nodeDelay(ms: unknown): number {
  const d = Number(ms);
  return d >= 1 && d <= TIMEOUT_MAX ? d : 1;
}

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly timer: VirtualTimer;
}

/**
 * A timer on the virtual clock: what the host's clock seam and the virtual `setTimeout`,
 * `setInterval` and `setImmediate` return (it has the methods of Node's `Timeout`).
 *
 * @example
 * ```ts
 * // inside a simulated host
 * const t = setTimeout(() => console.log('1 s of virtual time later'), 1000);
 * t.unref();
 * ```
 */
export class VirtualTimer implements ClockTimer {
  /** Virtual time it is due; the `seq` of its live queue entry (-1: not armed). */
  at = 0;
  seq = -1;
  refed = true;
  readonly id: number;

  /** @internal */
  constructor(
    private readonly owner: VirtualTimers,
    readonly node: TimerHost,
    readonly kind: TimerKind,
    readonly fn: (...args: unknown[]) => void,
    readonly args: readonly unknown[],
    /** Delay (ms) for `refresh` and for an interval's next round. */
    readonly delayMs: number,
  ) {
    this.id = ID_BASE + owner.ids++;
  }

  /** Armed: it will fire unless cleared. */
  get armed(): boolean {
    return this.seq >= 0;
  }

  ref(): this {
    if (!this.refed) {
      this.refed = true;
      if (this.armed) this.owner.refs++;
    }
    return this;
  }

  unref(): this {
    if (this.refed) {
      this.refed = false;
      if (this.armed) this.owner.refs--;
    }
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  /** Re-arms the timer `delayMs` from now (Node's `timeout.refresh()`). */
  refresh(): this {
    if (this.kind !== TimerKind.Immediate) this.owner.arm(this, this.owner.now() + this.delayMs);
    return this;
  }

  /** Clears the timer (Node's `timeout.close()`). */
  close(): this {
    this.owner.clear(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/** @internal The run's virtual timers (see the module comment). */
export class VirtualTimers {
  private readonly queue = new TimedHeap<Entry>();
  private seq = 0;
  /** Armed ref'd timers. */
  refs = 0;
  ids = 1;
  /** Armed timers by numeric id (`clearTimeout(+t)`). */
  private readonly byId = new Map<number, VirtualTimer>();

  constructor(readonly now: () => number) {}

  /** Arms a new timer of `node` due `delayMs` from now (0: an immediate). */
  add(node: TimerHost, kind: TimerKind, fn: (...args: unknown[]) => void, args: readonly unknown[], delayMs: number): VirtualTimer {
    const t = new VirtualTimer(this, node, kind, fn, args, delayMs);
    this.arm(t, this.now() + delayMs);
    return t;
  }

  /** (Re-)arms `t` at virtual time `at`. */
  arm(t: VirtualTimer, at: number): void {
    if (!t.armed) {
      if (t.refed) this.refs++;
      if (t.kind !== TimerKind.Clock) this.byId.set(t.id, t);
    }
    t.at = at;
    t.seq = this.seq++;
    this.queue.push({ at, seq: t.seq, timer: t });
  }

  /** Disarms `t` (no effect once it fired or was cleared). */
  clear(t: VirtualTimer): void {
    if (!t.armed) return;
    t.seq = -1;
    if (t.refed) this.refs--;
    if (t.kind !== TimerKind.Clock) this.byId.delete(t.id);
  }

  /** The armed timer with numeric id `id`, if any. */
  byNumber(id: number): VirtualTimer | undefined {
    return this.byId.get(id);
  }

  /** Virtual time of the earliest armed ref'd timer, Infinity if none. */
  nextAt(): number {
    if (this.refs === 0) return Infinity;
    this.dropStale();
    const top = this.queue.peek();
    if (top !== undefined && top.timer.refed) return top.at;
    let t = Infinity;
    for (const e of this.queue.entries()) if (live(e) && e.timer.refed && e.at < t) t = e.at;
    return t;
  }

  /** Some armed timer (ref'd or not) is due by `t`. */
  dueBy(t: number): boolean {
    this.dropStale();
    return this.queue.nextAt() <= t;
  }

  /**
   * Runs every armed timer due by `t` that was armed before this call, in `(at, seq)` order,
   * through `run`; returns how many ran. An interval is re-armed before its callback runs.
   */
  runDue(t: number, run: (timer: VirtualTimer) => void): number {
    const limit = this.seq;
    const q = this.queue;
    let n = 0;
    for (let e = q.peek(); e !== undefined && e.at <= t && e.seq < limit; e = q.peek()) {
      q.pop();
      if (!live(e)) continue;
      const timer = e.timer;
      // Node re-arms an interval from when its round is processed, not from when it was due.
      if (timer.kind === TimerKind.Interval) this.arm(timer, t + timer.delayMs);
      else this.clear(timer);
      n++;
      run(timer);
    }
    return n;
  }

  /** A host crashed: its application timers go with it (its runtime's clock timer stays). */
  dropHost(node: TimerHost): void {
    for (const e of this.queue.entries()) {
      if (live(e) && e.timer.node === node && e.timer.kind !== TimerKind.Clock) this.clear(e.timer);
    }
  }

  private dropStale(): void {
    const q = this.queue;
    for (let e = q.peek(); e !== undefined && !live(e); e = q.peek()) q.pop();
  }
}

function live(e: Entry): boolean {
  return e.timer.seq === e.seq;
}

const NO_ARGS: readonly unknown[] = [];

/**
 * The `Clock` a simulated host's runtime is created with: virtual time, and its driver's one
 * host timer armed on the run's virtual timers.
 *
 * @example
 * ```ts
 * const clock = new HostClock(timers);
 * const prev = useClock(clock);               // src/sim/seams.ts
 * const rt = new Runtime({ name: 'sim:kv' }); // its time driver now runs on virtual time
 * useClock(prev);
 * clock.bind(node);
 * ```
 */
export class HostClock implements Clock {
  private node: TimerHost | null = null;

  constructor(private readonly timers: VirtualTimers) {}

  /** Names the host incarnation whose timers these are (once its runtime exists). */
  bind(node: TimerHost): void {
    this.node = node;
  }

  now(): number {
    return this.timers.now();
  }

  setTimer(fn: () => void, ms: number): ClockTimer {
    const node = this.node;
    if (node === null) throw new Error('kyoto sim: a host clock armed a timer before its host was bound');
    return this.timers.add(node, TimerKind.Clock, fn, NO_ARGS, ms > 0 ? ms : 0);
  }

  clearTimer(t: ClockTimer): void {
    this.timers.clear(t as VirtualTimer);
  }

  /** The host crashed: its application timers are dropped. */
  dropApplicationTimers(): void {
    if (this.node !== null) this.timers.dropHost(this.node);
  }
}
