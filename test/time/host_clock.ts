/**
 * A virtual host clock for the time tests: `now()` is set by hand and host timers are recorded,
 * fired only by `fireHost`. No real waiting, no timing assertions.
 */
import assert from 'node:assert/strict';
import { Runtime } from '../../src/index.js';
import { context } from '../../src/runtime/context.js';
import type { Clock } from '../../src/runtime/clock.js';

/** A host timer armed on the virtual clock. */
export interface HostTimer {
  fn: () => void;
  ms: number;
  live: boolean;
}

/** A virtual clock whose host milliseconds start at `phase` modulo 1, and the runtime on it. */
export function virtualRuntime(start: number, phase: number): { rt: Runtime; timers: HostTimer[]; set(t: number): void } {
  let t = start;
  const timers: HostTimer[] = [];
  const clock: Clock = {
    now: () => t,
    setTimer: (fn, ms) => {
      const h: HostTimer = { fn, ms, live: true };
      timers.push(h);
      return { ref: () => h, unref: () => h };
    },
    clearTimer: (h) => {
      ((h as { ref(): HostTimer }).ref()).live = false;
    },
    tickPhase: () => phase,
  };
  const prev = context.clock;
  context.clock = clock;
  try {
    return { rt: new Runtime(), timers, set: (v) => (t = v) };
  } finally {
    context.clock = prev;
  }
}

/** One event-loop turn. */
export const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The host timers still armed. */
export const live = (timers: HostTimer[]): HostTimer[] => timers.filter((h) => h.live);

/** Fires the one live host timer (as Node would once its delay is over). */
export function fireHost(timers: HostTimer[]): void {
  const armed = live(timers);
  assert.equal(armed.length, 1, 'one host timer is armed');
  const h = armed[0]!;
  h.live = false;
  h.fn();
}
