/**
 * The futures behind the convenience methods of files, pipes and stdio (`read`, `readChunk`,
 * `write`, `writeAll`, `flush`, `shutdown`), written once over the poll-based traits.
 *
 * Invariants (test/process/pipes.test.ts, test/fs/file.test.ts): each future completes once;
 * `writeAll` is done when every byte was accepted; a dropped `read` consumed nothing; a dropped
 * `writeAll` had a prefix accepted (which the sink then writes).
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/** Something with `pollRead` (the AsyncRead trait). */
export interface PollRead {
  pollRead(cx: Context, buf: Uint8Array): Poll<number>;
}
/** Something with `pollWrite`/`pollFlush`/`pollShutdown` (the AsyncWrite trait). */
export interface PollWrite {
  pollWrite(cx: Context, buf: Uint8Array): Poll<number>;
  pollFlush(cx: Context): Poll<void>;
  pollShutdown(cx: Context): Poll<void>;
}

/** `r.read(buf)`: bytes read, 0 at EOF. */
export class ReadFuture extends Future<number> {
  private done = false;
  constructor(
    private readonly r: PollRead,
    private readonly buf: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.done) throw new PolledAfterCompletionError('read');
    const n = this.r.pollRead(cx, this.buf);
    if (n !== Pending) this.done = true;
    return n;
  }
}

/** `w.write(buf)` (one prefix) or `w.writeAll(buf)` (everything): bytes accepted. */
export class WriteFuture extends Future<number> {
  private done = false;
  private off = 0;
  constructor(
    private readonly w: PollWrite,
    private readonly buf: Uint8Array,
    private readonly all: boolean,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.done) throw new PolledAfterCompletionError(this.all ? 'writeAll' : 'write');
    const buf = this.buf;
    for (;;) {
      const n = this.w.pollWrite(cx, this.off === 0 ? buf : buf.subarray(this.off));
      if (n === Pending) return Pending;
      this.off += n;
      if (!this.all || this.off >= buf.length || n === 0) {
        this.done = true;
        return this.off;
      }
    }
  }
}

const FLUSH = 0;
/** `w.flush()` or `w.shutdown()`. */
export class FlushFuture extends Future<void> {
  constructor(
    private readonly w: PollWrite,
    private readonly kind: number,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.kind === FLUSH ? this.w.pollFlush(cx) : this.w.pollShutdown(cx);
  }
}

/**
 * `w.writeAll(buf)` as a `Future<void>`.
 *
 * @example
 * ```ts
 * yield* writeAllOf(child.stdin!, Buffer.from('input\n'));
 * ```
 */
export function writeAllOf(w: PollWrite, buf: Uint8Array): Future<void> {
  return new WriteFuture(w, buf, true) as unknown as Future<void>;
}
/** `w.flush()` as a future. */
export function flushOf(w: PollWrite): Future<void> {
  return new FlushFuture(w, FLUSH);
}
/** `w.shutdown()` as a future. */
export function shutdownOf(w: PollWrite): Future<void> {
  return new FlushFuture(w, 1);
}
