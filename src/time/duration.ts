/**
 * Validation of durations (milliseconds) shared by the time API; the checks themselves live in
 * the one argument-checking module, `util/args.ts`.
 * @module
 */
export { describeValue, checkDuration } from '../util/args.js';
