/**
 * kyoto time (see docs/time.md): `Instant`, `sleep`, `sleepUntil`, `timeout`, `timeoutAt`,
 * `interval`, and paused time for tests (`time.pause/resume/advance`).
 * @module
 */
export { Instant } from './instant.js';
export { Sleep, sleep, sleepUntil } from './sleep.js';
export { Timeout, Elapsed, ElapsedError, timeout, timeoutAt } from './timeout.js';
export type { TimeoutTarget } from './timeout.js';
export { Interval, interval, intervalAt } from './interval.js';
export type { IntervalOptions, MissedTickBehavior } from './interval.js';
export { ClockError } from './clock.js';
export * as time from './clock.js';
