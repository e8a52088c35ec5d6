/**
 * `stdin()`, `stdout()`, `stderr()`: the process's standard streams as kyoto I/O (AsyncRead /
 * AsyncWrite), Tokio's `tokio::io::{stdin, stdout, stderr}`.
 *
 * Each wraps Node's `process.stdin`/`stdout`/`stderr` (created on first use, shared by every
 * handle). stdin is read in paused mode, so input is pulled only as fast as the task reads it;
 * a write is Pending while Node's buffer is over its high-water mark. On Linux Node writes to
 * pipes and files synchronously (a slow reader blocks the writer, which is backpressure too)
 * and to terminals asynchronously. A write to a closed pipe (`node app | head -1`) is an
 * `IoError` `EPIPE` from the next write or flush, not an uncaught 'error' event and not a crash:
 * these handles listen for it. `shutdown()` on stdout/stderr only flushes (the descriptor stays
 * open for `console.log`), as in Tokio.
 *
 * Invariants proved by test/process/stdio.test.ts (in child processes): piped input is read line
 * by line by `new BufReader(stdin()).lines()`; EPIPE is reported as an `IoError`.
 * @module
 */
import type { Context, Poll } from '../future/future.js';
import { NodeReader } from '../process/stream_read.js';
import { NodeWriter } from '../process/stream_write.js';

/**
 * The process's standard input (AsyncRead).
 *
 * @example
 * ```ts
 * const lines = new BufReader(stdin()).lines();
 * ```
 */
export class Stdin extends NodeReader {}

/**
 * The process's standard output or error (AsyncWrite).
 *
 * @example
 * ```ts
 * yield* stdout().writeAll(Buffer.from('hello\n'));
 * ```
 */
export class Stdout extends NodeWriter {
  /** Flushes only: the descriptor stays open. */
  override pollShutdown(cx: Context): Poll<void> {
    return this.pollFlush(cx);
  }
}

/** The process's standard error (AsyncWrite); see `Stdout`. */
export class Stderr extends Stdout {}

let inH: Stdin | null = null;
let outH: Stdout | null = null;
let errH: Stderr | null = null;

/**
 * The standard input of the process.
 *
 * @example
 * ```ts
 * const rd = new BufReader(stdin());
 * for (let l = yield* rd.readLine(); l !== null; l = yield* rd.readLine()) console.log(l.toUpperCase());
 * ```
 */
export function stdin(): Stdin {
  return (inH ??= new Stdin(process.stdin, 'stdin'));
}

/**
 * The standard output of the process.
 *
 * @example
 * ```ts
 * yield* stdout().writeAll(Buffer.from('done\n'));
 * ```
 */
export function stdout(): Stdout {
  return (outH ??= new Stdout(process.stdout, 'stdout'));
}

/**
 * The standard error of the process.
 *
 * @example
 * ```ts
 * yield* stderr().writeAll(Buffer.from('warning\n'));
 * ```
 */
export function stderr(): Stderr {
  return (errH ??= new Stderr(process.stderr, 'stderr'));
}
