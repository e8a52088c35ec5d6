/**
 * Node's timer globals and `Date` as a simulated host sees them during a run: `setTimeout`,
 * `setInterval` and `setImmediate` called while a host runs (one of its polls, or one of its
 * timer callbacks) arm virtual timers (`virtual_time.ts`) that fire at virtual time, as events
 * of the run's trace; `new Date()` and `Date()` with no argument read virtual time, as
 * `Date.now()` does. Code outside every host (the test harness, an ordinary runtime beside the
 * run) gets Node's real timers from the same globals.
 *
 * Invariants: a call from outside every host returns exactly what Node's own function returns;
 * `clear*` accepts a virtual timer, its numeric id, or anything Node's accepts; `new Date(x)` with
 * arguments is Node's. Why a Proxy for `Date`: statics (`Date.UTC`, `Date.parse`, the virtual
 * `Date.now`), `instanceof Date` and subclasses made during the run keep working unchanged.
 * Proved by test/sim/virtual_timers.test.ts.
 * @module
 */
import { TimerKind, nodeDelay, VirtualTimer, type TimerHost, type VirtualTimers } from './virtual_time.js';

type AnyCallback = (...args: unknown[]) => void;

/** Node's own functions, as they were when kyoto/sim loaded. */
const node = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
  clearImmediate: globalThis.clearImmediate,
};
const RealDate = Date;

/** The timer globals of a run, by name (`setTimeout`, ..., `clearImmediate`). */
export type TimerGlobals = Record<keyof typeof node, (...args: unknown[]) => unknown>;

function callback(fn: unknown, name: string): AnyCallback {
  if (typeof fn !== 'function') {
    throw Object.assign(new TypeError(`The "callback" argument of ${name} must be of type function. Received ${typeof fn}`), { code: 'ERR_INVALID_ARG_TYPE' });
  }
  return fn as AnyCallback;
}

/**
 * The virtual timer globals: they arm `timers` for the host `current()` returns, and fall back to
 * Node's own functions when it returns null.
 */
export function timerGlobals(timers: VirtualTimers, current: () => TimerHost | null): TimerGlobals {
  const clear = (real: (t: never) => void) => (t: unknown): void => {
    if (t instanceof VirtualTimer) return timers.clear(t);
    if (typeof t === 'number' || typeof t === 'string') {
      const v = timers.byNumber(Number(t));
      if (v !== undefined) return timers.clear(v);
    }
    real(t as never);
  };
  return {
    setTimeout(fn: unknown, ms?: unknown, ...args: unknown[]): unknown {
      const host = current();
      if (host === null) return node.setTimeout(fn as AnyCallback, ms as number, ...args);
      return timers.add(host, TimerKind.Timeout, callback(fn, 'setTimeout'), args, nodeDelay(ms));
    },
    setInterval(fn: unknown, ms?: unknown, ...args: unknown[]): unknown {
      const host = current();
      if (host === null) return node.setInterval(fn as AnyCallback, ms as number, ...args);
      return timers.add(host, TimerKind.Interval, callback(fn, 'setInterval'), args, nodeDelay(ms));
    },
    setImmediate(fn: unknown, ...args: unknown[]): unknown {
      const host = current();
      if (host === null) return node.setImmediate(fn as AnyCallback, ...args);
      return timers.add(host, TimerKind.Immediate, callback(fn, 'setImmediate'), args, 0);
    },
    clearTimeout: clear(node.clearTimeout),
    clearInterval: clear(node.clearInterval),
    clearImmediate: clear(node.clearImmediate),
  };
}

/** `Date` reading virtual time when called without arguments (through the patched `Date.now`). */
export function virtualDate(): DateConstructor {
  return new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget: (...a: unknown[]) => unknown) {
      return Reflect.construct(target as (...a: unknown[]) => unknown, args.length === 0 ? [target.now()] : args, newTarget) as object;
    },
    apply(target) {
      return new target(target.now()).toString();
    },
  });
}
