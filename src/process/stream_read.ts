/**
 * `NodeReader`: the AsyncRead side of a Node `Readable` (a child's stdout/stderr pipe, the
 * process's stdin) driven in paused mode.
 *
 * A read takes what Node has buffered (`stream.read()`); when there is nothing it stores the
 * waker and returns Pending, and the stream's 'readable' or 'end' event wakes it. In paused mode
 * Node stops reading from the pipe once its buffer reaches the high-water mark, so a task that
 * does not read makes the writer block (pipe backpressure) instead of growing memory.
 *
 * Invariants (test/process/pipes.test.ts): bytes come out in order, none lost or duplicated,
 * also across short reads (a chunk larger than the caller's buffer is kept for the next read);
 * EOF is Ready(0) and stays so; a stream error is an `IoError` thrown by the next read.
 * @module
 */
import type { Readable } from 'node:stream';
import { Pending, type Context, type Future, type Poll } from '../future/future.js';
import { ExternalWaker } from './external_waker.js';
import { pollProceed } from '../runtime/coop.js';
import { toIoError } from '../io/error.js';
import type { AsyncRead } from '../io/traits.js';
import { ReadChunkFuture, ReadFuture } from '../io/util/read.js';

/**
 * An AsyncRead over a Node readable stream.
 *
 * @example
 * ```ts
 * const out = child.stdout!;           // a NodeReader
 * const n = yield* out.read(buf);      // 0 at EOF
 * ```
 */
export class NodeReader implements AsyncRead {
  private leftover: Buffer | null = null;
  private ended = false;
  private error: Error | null = null;
  private readonly waker = new ExternalWaker();

  constructor(
    /** The Node stream (paused mode: do not attach 'data' listeners). */
    readonly stream: Readable,
    /** What this is, for error messages (`stdout of sh`, `stdin`). */
    readonly label: string,
  ) {
    stream.on('readable', () => this.waker.wake());
    stream.on('end', () => {
      this.ended = true;
      this.waker.wake();
    });
    stream.on('error', (e: Error) => {
      this.error ??= toIoError(e, 'read from', label);
      this.waker.wake();
    });
  }

  /**
   * AsyncRead: up to `buf.length` bytes; 0 at EOF.
   *
   * @example
   * ```ts
   * const n = r.pollRead(cx, buf); if (n === Pending) return Pending;
   * ```
   */
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    if (buf.length === 0) return 0;
    const c = this.pollReadChunk(cx);
    if (c === Pending) return Pending;
    if (c === null) return 0;
    if (c.length <= buf.length) {
      buf.set(c);
      return c.length;
    }
    buf.set(c.subarray(0, buf.length));
    this.leftover = c.subarray(buf.length);
    return buf.length;
  }

  /**
   * The next chunk Node has buffered, without copying; null at EOF.
   *
   * @example
   * ```ts
   * const c = r.pollReadChunk(cx); if (c !== Pending && c !== null) out.push(c);
   * ```
   */
  pollReadChunk(cx: Context): Poll<Buffer | null> {
    const l = this.leftover;
    if (l !== null) {
      if (!pollProceed(cx)) return Pending;
      this.leftover = null;
      return l;
    }
    const c = this.stream.read() as Buffer | string | null;
    if (c !== null) {
      if (!pollProceed(cx)) {
        this.leftover = typeof c === 'string' ? Buffer.from(c) : c;
        return Pending;
      }
      return typeof c === 'string' ? Buffer.from(c) : c;
    }
    if (this.error !== null) throw this.error;
    if (this.ended || this.stream.readableEnded) return null;
    this.waker.register(cx);
    return Pending;
  }

  /**
   * Reads up to `buf.length` bytes; 0 at EOF.
   *
   * @example
   * ```ts
   * const n = yield* child.stdout!.read(buf);
   * ```
   */
  read(buf: Uint8Array): Future<number> {
    return new ReadFuture(this, buf);
  }

  /**
   * The next chunk as it arrived (no copy), or null at EOF.
   *
   * @example
   * ```ts
   * for (let c = yield* out.readChunk(); c !== null; c = yield* out.readChunk()) sink.push(c);
   * ```
   */
  readChunk(): Future<Buffer | null> {
    return new ReadChunkFuture(this);
  }
}

