/**
 * The options of `new Sim(...)`, checked, with their defaults and the exploration settings
 * that `explore` hands to the simulations it builds.
 *
 * Why the defaults: `tickMs` 1 (the timer wheel's resolution); `latencyMs` [1, 5] (a LAN: far
 * below typical timeouts, wide enough to reorder messages); `lossRate` 0 (opt in to loss);
 * `maxSteps` 10 million (a livelock ends the run in seconds, not never).
 * Proved by test/sim/errors.test.ts (bad options).
 * @module
 */
import type { Strategy } from './strategy.js';

/** Options of `new Sim(opts)`. */
export interface SimOptions {
  /** The seed every random choice of the run derives from (an integer). */
  seed: number;
  /** Virtual-time quantum: events are rounded up to a multiple of it (default 1 ms). */
  tickMs?: number;
  /** Latency of a packet between two hosts, drawn uniformly in [min, max] ms (default [1, 5]). */
  latencyMs?: readonly [number, number];
  /** Probability that a datagram is lost on a healthy link (default 0). */
  lossRate?: number;
  /** Stop at this virtual time; a client still running then fails the run. */
  durationMs?: number;
  /** Stop after this many task polls and timer callbacks (a livelock); default 10,000,000. */
  maxSteps?: number;
}

/** @internal Checked options. */
export interface ResolvedOptions {
  readonly seed: number;
  readonly tickMs: number;
  readonly latencyMs: readonly [number, number];
  readonly lossRate: number;
  readonly durationMs: number;
  readonly maxSteps: number;
}

/** @internal How `explore` (or `checkDeterminism`) wants the next simulations scheduled. */
export const ambient = {
  strategy: 'random' as Strategy,
  depth: 3,
  record: false,
  /** Inside `explore`: await tracing (source lines in dumps) stays off unless replaying one seed. */
  exploring: false,
  /** Traces of the runs made while recording (for `checkDeterminism`). */
  recorded: [] as string[][],
};

function bad(name: string, want: string, got: unknown): never {
  throw new RangeError(`Sim option ${name} must be ${want}, got ${String(got)}`);
}

/** @internal */
export function resolveOptions(o: SimOptions): ResolvedOptions {
  if (o === null || typeof o !== 'object') throw new TypeError('new Sim(opts): opts must be an object with a seed');
  if (!Number.isSafeInteger(o.seed)) bad('seed', 'a safe integer', o.seed);
  const tickMs = o.tickMs ?? 1;
  if (!Number.isInteger(tickMs) || tickMs < 1) bad('tickMs', 'an integer >= 1', tickMs);
  const lat = o.latencyMs ?? [1, 5];
  if (!Array.isArray(lat) || lat.length !== 2 || !lat.every((x) => Number.isInteger(x) && x >= 0) || lat[0]! > lat[1]!) {
    bad('latencyMs', '[min, max] integers with 0 <= min <= max', JSON.stringify(lat));
  }
  const lossRate = o.lossRate ?? 0;
  if (!(lossRate >= 0 && lossRate <= 1)) bad('lossRate', 'in [0, 1]', lossRate);
  const durationMs = o.durationMs ?? Infinity;
  if (!(durationMs > 0)) bad('durationMs', '> 0', durationMs);
  const maxSteps = o.maxSteps ?? 10_000_000;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) bad('maxSteps', 'an integer >= 1', maxSteps);
  return { seed: o.seed, tickMs, latencyMs: [lat[0]!, lat[1]!], lossRate, durationMs, maxSteps };
}
