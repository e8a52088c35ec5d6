/**
 * kyoto/process: child processes as kyoto I/O, Tokio's `tokio::process` (see docs/process.md).
 *
 * @example
 * ```ts
 * import { Command } from 'kyoto/process';
 * const out = yield* new Command('sh').args(['-c', 'echo hello']).output();
 * console.log(out.status.success, out.stdout.toString()); // true 'hello\n'
 * ```
 * @module
 */
export { Command } from './command.js';
export type { Stdio } from './command.js';
export { Child, ChildStdin, ChildStdout, ChildStderr } from './child.js';
export { ExitStatus } from './exit_status.js';
export type { Output } from './output.js';
