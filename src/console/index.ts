/**
 * kyoto console: live tasks, resources, workers, await-chain dumps, histograms and lints, served
 * to a web UI and the `kyoto-console` terminal UI (see docs/console.md).
 *
 * @example
 * ```ts
 * const rt = new Runtime({ console: { port: 6669 } }); // or KYOTO_CONSOLE=127.0.0.1:6669
 * // open http://127.0.0.1:6669/ or run `npx kyoto-console 127.0.0.1:6669`
 * console.log(rt.dump());   // every task and the chain of futures it awaits
 * console.log(rt.lints());  // blocking polls, lost wakers, ...
 * ```
 * @module
 */
import './dump.js';
export { RuntimeConsole, startConsole, consoleOf } from './console.js';
export {
  ConsoleConfigError,
  parseConsoleAddress,
  DEFAULT_CONSOLE_PORT,
  DEFAULT_CONSOLE_HOST,
  MIN_UPDATE_INTERVAL_MS,
} from './config.js';
export type { ConsoleOptions } from './config.js';
export type { Lint, LintKind, LintOptions } from './lints.js';
export type { Traceable, AwaitNode } from './chain.js';
export type { AwaitFrame } from './trace.js';
export { setAwaitTracing, awaitTracingEnabled } from './trace.js';
export { formatDump } from './dump.js';
export type { ConsoleState, TaskRow, TaskDetail, HistogramView } from './state.js';
export { reportSendWithoutReceivers } from '../runtime/resources.js';
