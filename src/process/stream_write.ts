/**
 * `NodeWriter`: the AsyncWrite side of a Node `Writable` (a child's stdin pipe, the process's
 * stdout/stderr).
 *
 * A write copies up to {@link MAX_WRITE} bytes into a new chunk and hands it to the stream; it
 * is Pending while the stream is over its high-water mark (`writableNeedDrain`) and resumes on
 * 'drain', which is the backpressure of a pipe whose reader is slow. Flush waits until Node's
 * buffer is empty; shutdown ends the stream (EOF for the reader) and waits for 'finish'.
 *
 * Invariants (test/process/pipes.test.ts, test/process/stdio.test.ts): bytes arrive in order;
 * a failure (EPIPE once the reader closed) is an `IoError` thrown by the next write, flush or
 * shutdown — never an uncaught 'error' event; writes after shutdown fail with `CLOSED`.
 * @module
 */
import type { Writable } from 'node:stream';
import { Pending, type Context, type Poll, type Future } from '../future/future.js';
import { ExternalWaker } from './external_waker.js';
import { pollProceed } from '../runtime/coop.js';
import { IoError, toIoError } from '../io/error.js';
import type { AsyncWrite } from '../io/traits.js';
import { ShutdownFuture } from '../io/util/flush.js';
import { AsyncWriteMethods } from '../io/write_methods.js';

/** Largest chunk one write hands to the stream: bounds what a single write may buffer. */
export const MAX_WRITE = 64 * 1024;

/**
 * An AsyncWrite over a Node writable stream.
 *
 * @example
 * ```ts
 * yield* child.stdin!.writeAll(Buffer.from('data\n'));
 * yield* child.stdin!.shutdown(); // EOF for the child
 * ```
 */
export class NodeWriter extends AsyncWriteMethods implements AsyncWrite {
  private error: Error | null = null;
  private ending = false;
  private finished = false;
  private readonly waker = new ExternalWaker();
  private readonly onWritten = (): void => this.waker.wake();

  constructor(
    /** The Node stream. */
    readonly stream: Writable,
    /** What this is, for error messages (`stdin of cat`, `stdout`). */
    readonly label: string,
  ) {
    super();
    stream.on('drain', this.onWritten);
    stream.on('error', (e: Error) => {
      this.error ??= toIoError(e, 'write to', label);
      this.waker.wake();
    });
    stream.on('finish', () => {
      this.finished = true;
      this.waker.wake();
    });
    stream.on('close', this.onWritten);
  }

  private check(): void {
    if (this.error !== null) throw this.error;
    if (this.ending) throw new IoError('CLOSED', `write to ${this.label} failed: shut down`);
    if (this.stream.destroyed) throw new IoError('EPIPE', `write to ${this.label} failed: the stream is closed`, { syscall: 'write' });
  }

  /**
   * AsyncWrite: accepts (copies) a prefix of `buf`; Pending while the stream is backpressured.
   *
   * @example
   * ```ts
   * const n = w.pollWrite(cx, buf); if (n === Pending) return Pending;
   * ```
   */
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    this.check();
    if (buf.length === 0) return 0;
    if (this.stream.writableNeedDrain) {
      this.waker.register(cx);
      return Pending;
    }
    if (!pollProceed(cx)) return Pending;
    const n = Math.min(buf.length, MAX_WRITE);
    const chunk = Buffer.allocUnsafe(n);
    chunk.set(n === buf.length ? buf : buf.subarray(0, n));
    this.stream.write(chunk, this.onWritten);
    return n;
  }

  /**
   * AsyncWrite: Ready once Node's buffer for the stream is empty.
   *
   * @example
   * ```ts
   * if (w.pollFlush(cx) === Pending) return Pending;
   * ```
   */
  pollFlush(cx: Context): Poll<void> {
    if (this.error !== null) throw this.error;
    if (this.stream.writableLength === 0 || this.stream.destroyed) return undefined;
    this.waker.register(cx);
    return Pending;
  }

  /**
   * AsyncWrite: ends the stream (the reader sees EOF) once everything was written.
   *
   * @example
   * ```ts
   * if (w.pollShutdown(cx) === Pending) return Pending;
   * ```
   */
  pollShutdown(cx: Context): Poll<void> {
    if (this.error !== null) throw this.error;
    if (!this.ending) {
      this.ending = true;
      this.stream.end();
    }
    if (this.finished || this.stream.destroyed) return undefined;
    this.waker.register(cx);
    return Pending;
  }




  /**
   * Ends the stream after what was written (EOF for the reader).
   *
   * @example
   * ```ts
   * yield* w.shutdown();
   * ```
   */
  shutdown(): Future<void> {
    return new ShutdownFuture(this);
  }

  /** @internal ends the stream without waiting (Tokio drops a child's stdin before `wait`). */
  close(): void {
    if (!this.ending) {
      this.ending = true;
      this.stream.end();
    }
  }
}
