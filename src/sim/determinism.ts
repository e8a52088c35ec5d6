/**
 * What makes a run reproducible beyond the scheduler: for the duration of `sim.run()`,
 * `Math.random` draws from the run's seeded generator, `performance.now()` reads the virtual
 * clock, `Date.now()`, `new Date()` and `Date()` read a fixed epoch plus the virtual clock, and
 * `setTimeout`, `setInterval`, `setImmediate` (global and `node:timers`) arm virtual timers when
 * called inside a host (`host_timers.ts`); and real I/O started from inside a simulated host (a
 * `node:net` socket or server, a `node:dgram` socket, a child process, common `node:fs` calls,
 * `node:timers/promises`) throws `SimError` naming the call instead of escaping.
 *
 * Invariants: `restore()` puts back exactly what `patch()` replaced (own property or not, with
 * its descriptor);
 * a guard throws only while a simulated host is being polled, so the test harness around
 * `run()` keeps working, and never for kyoto's own runtime and console code (spawn locations
 * read source maps). Why the fixed epoch (2026-01-01): `Date.now()` must not depend on
 * when the test runs. Proved by test/sim/determinism.test.ts.
 * @module
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pinNodePerfNow } from '../runtime/clock.js';
import { timerGlobals, virtualDate } from './host_timers.js';
import type { TimerHost, VirtualTimers } from './virtual_time.js';

const require = createRequire(import.meta.url);

/** `Date.now()` inside a run: this epoch plus the virtual time. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

/** What the guards and clocks ask of the running simulation. */
export interface DeterminismHost {
  /** Virtual time, ms. */
  now(): number;
  /** A float in [0, 1) from the run's generator. */
  random(): number;
  /** The simulated host being polled (or running a timer callback) right now, or null. */
  currentHost(): TimerHost | null;
  /** The run's virtual timers (what `setTimeout` and the like arm inside a host). */
  readonly timers: VirtualTimers;
  /** Called when a host starts real I/O: returns the error to throw. */
  realIo(call: string, host: string): Error;
}

type Restore = () => void;

function replace(obj: object, key: string, value: unknown, undo: Restore[]): void {
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: desc?.enumerable ?? false });
  undo.push(() => {
    if (desc !== undefined) Object.defineProperty(obj, key, desc);
    else delete (obj as Record<string, unknown>)[key];
  });
}

// kyoto's own instrumentation (spawn locations read source maps, the console) may read files
// while a host is polled; that is not the application escaping the simulation.
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const INTERNAL = ['runtime', 'console'].flatMap((d) => [`${ROOT}${d}/`, `${ROOT.replace(/dist[\\/]src[\\/]$/, 'src/')}${d}/`]);

function calledFromKyoto(guarded: (...a: unknown[]) => unknown): boolean {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  Error.captureStackTrace(holder, guarded);
  Error.stackTraceLimit = limit;
  const first = holder.stack?.split('\n')[1] ?? '';
  const file = first.includes('file://') ? first.replace(/^.*?file:\/\//, '/') : first;
  return INTERNAL.some((p) => file.includes(p));
}

function guard(obj: object, key: string, call: string, h: DeterminismHost, undo: Restore[]): void {
  const orig = (obj as Record<string, unknown>)[key];
  if (typeof orig !== 'function') return;
  const fn = orig as (...a: unknown[]) => unknown;
  const guarded = function guarded(this: unknown, ...args: unknown[]): unknown {
    const host = h.currentHost();
    if (host !== null && !calledFromKyoto(guarded)) throw h.realIo(call, host.name);
    return fn.apply(this, args);
  };
  replace(obj, key, guarded, undo);
}

const FS_CALLS = [
  'open', 'openSync', 'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile',
  'appendFileSync', 'readdir', 'readdirSync', 'stat', 'statSync', 'lstat', 'mkdir', 'mkdirSync',
  'rm', 'rmSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'createReadStream', 'createWriteStream',
];
const FS_PROMISE_CALLS = ['open', 'readFile', 'writeFile', 'appendFile', 'readdir', 'stat', 'mkdir', 'rm', 'unlink', 'rename'];
const CHILD_CALLS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
/** Promise timers: not virtualized (their continuations run outside the host), so an error. */
const PROMISE_TIMER_CALLS = ['setTimeout', 'setImmediate', 'setInterval'];

/** Patches the globals and installs the guards; returns the function that undoes all of it. */
export function patch(h: DeterminismHost): Restore {
  const undo: Restore[] = [];
  replace(Math, 'random', () => h.random(), undo);
  replace(Date, 'now', () => SIM_EPOCH_MS + h.now(), undo);
  pinNodePerfNow(); // the real clock keeps Node's performance.now
  replace(performance, 'now', () => h.now(), undo);
  replace(globalThis, 'Date', virtualDate(), undo);
  const timers = require('node:timers') as Record<string, unknown>;
  const globals = timerGlobals(h.timers, () => h.currentHost());
  for (const [k, fn] of Object.entries(globals)) {
    replace(globalThis, k, fn, undo);
    replace(timers, k, fn, undo);
  }
  const timersPromises = require('node:timers/promises') as object;
  for (const k of PROMISE_TIMER_CALLS) guard(timersPromises, k, `timers/promises.${k}`, h, undo);
  const net = require('node:net') as Record<string, object>;
  const dgram = require('node:dgram') as Record<string, object>;
  guard((net['Socket'] as { prototype: object }).prototype, 'connect', 'net.Socket.connect', h, undo);
  guard((net['Server'] as { prototype: object }).prototype, 'listen', 'net.Server.listen', h, undo);
  guard((dgram['Socket'] as { prototype: object }).prototype, 'bind', 'dgram.Socket.bind', h, undo);
  guard((dgram['Socket'] as { prototype: object }).prototype, 'send', 'dgram.Socket.send', h, undo);
  const fs = require('node:fs') as Record<string, unknown>;
  for (const k of FS_CALLS) guard(fs, k, `fs.${k}`, h, undo);
  const fsp = fs['promises'] as object;
  for (const k of FS_PROMISE_CALLS) guard(fsp, k, `fs.promises.${k}`, h, undo);
  const cp = require('node:child_process') as object;
  for (const k of CHILD_CALLS) guard(cp, k, `child_process.${k}`, h, undo);
  syncBuiltinESMExports();
  return () => {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
    syncBuiltinESMExports();
  };
}
