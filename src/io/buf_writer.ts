/**
 * `BufWriter`: a write buffer in front of any `AsyncWrite`, itself an `AsyncWrite`, so many
 * small writes (a pipelined batch of replies) leave in one write to the inner sink.
 *
 * Invariants: bytes reach the inner writer in the order written, each once; nothing is written
 * to the inner writer until the buffer is full or `flush` / `shutdown` is polled, so a caller
 * must flush (as with Tokio's `BufWriter`); the buffer never holds more than `capacity` bytes
 * (a write larger than it goes straight through once the buffer is empty). Why its numbers:
 * 8 KiB capacity (Tokio's default); buffers of at most 1 KiB are copied into the sink (cheap, and
 * the buffer is reused), larger ones are handed over without a copy and replaced.
 * Tested in test/net/framed.test.ts.
 * @module
 */
import { Pending, type Context, type Poll } from '../future/future.js';
import { asAsyncWrite, type FutureWrite } from './compat.js';
import type { AsyncWrite } from './traits.js';
import { checkInt } from '../util/args.js';

/** Options of `new BufWriter(writer, opts)`. */
export interface BufWriterOptions {
  /** Buffer size in bytes (default 8 KiB). */
  capacity?: number;
}

/** Buffers this small are copied into the sink instead of being handed over. */
const COPY_OUT = 1024;

/**
 * Buffers writes to `inner`; `flush()` sends what is buffered.
 *
 * @example
 * ```ts
 * const out = new BufWriter(stream);
 * for (const r of replies) yield* writeAll(out, r); // buffered
 * yield* flush(out);                               // one write to the socket
 * ```
 */
export class BufWriter<W extends AsyncWrite | FutureWrite = AsyncWrite> implements AsyncWrite {
  private buf: Buffer | null = null;
  private len = 0;
  /** Bytes of `buf` already handed to the inner writer during a flush in progress. */
  private sent = 0;
  private readonly sink: AsyncWrite;
  readonly capacity: number;

  constructor(
    readonly inner: W,
    opts: BufWriterOptions = {},
  ) {
    this.capacity = checkInt('BufWriter capacity', opts.capacity ?? 8192, 1, 0x40000000);
    this.sink = asAsyncWrite(inner);
  }

  /**
   * Bytes buffered and not yet written to the inner writer.
   *
   * @example
   * ```ts
   * if (out.buffered() > 0) yield* flush(out);
   * ```
   */
  buffered(): number {
    return this.len - this.sent;
  }

  /**
   * Appends `bytes` to the buffer if they fit now (no waiting); false if they do not.
   *
   * @example
   * ```ts
   * if (!out.tryBuffer(reply)) yield* writeAll(out, reply);
   * ```
   */
  tryBuffer(bytes: Uint8Array): boolean {
    const n = bytes.length;
    if (this.sent !== 0 || this.len + n > this.capacity) return false;
    const b = (this.buf ??= Buffer.allocUnsafe(this.capacity));
    if (n === 1) b[this.len] = bytes[0]!;
    else b.set(bytes, this.len);
    this.len += n;
    return true;
  }

  /** Writes the buffer out to the inner writer (not the inner flush); Ready once it is empty. */
  private pollDrain(cx: Context): Poll<void> {
    const sink = this.sink;
    while (this.sent < this.len) {
      const b = this.buf!;
      const small = this.len <= COPY_OUT;
      const rest = b.subarray(this.sent, this.len);
      const n = small || sink.pollWriteOwned === undefined ? sink.pollWrite(cx, rest) : sink.pollWriteOwned(cx, rest);
      if (n === Pending) return Pending;
      this.sent += n;
      if (!small && this.sent >= this.len) this.buf = null; // handed over: the sink may keep it
    }
    this.sent = 0;
    this.len = 0;
    return undefined;
  }

  /** `AsyncWrite`: buffers `buf` (copied), writing the buffer out first when it is full. */
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    if (this.tryBuffer(buf)) return buf.length;
    if (this.pollDrain(cx) === Pending) return Pending;
    if (buf.length >= this.capacity) return this.sink.pollWrite(cx, buf);
    this.tryBuffer(buf);
    return buf.length;
  }

  /** `AsyncWrite`, zero-copy for writes too large to buffer. */
  pollWriteOwned(cx: Context, buf: Uint8Array): Poll<number> {
    if (this.tryBuffer(buf)) return buf.length;
    if (this.pollDrain(cx) === Pending) return Pending;
    const sink = this.sink;
    if (buf.length >= this.capacity) return sink.pollWriteOwned !== undefined ? sink.pollWriteOwned(cx, buf) : sink.pollWrite(cx, buf);
    this.tryBuffer(buf);
    return buf.length;
  }

  /** `AsyncWrite`: writes the buffer out, then flushes the inner writer. */
  pollFlush(cx: Context): Poll<void> {
    if (this.pollDrain(cx) === Pending) return Pending;
    return this.sink.pollFlush(cx);
  }

  /** `AsyncWrite`: writes the buffer out, then shuts the inner writer down. */
  pollShutdown(cx: Context): Poll<void> {
    if (this.pollDrain(cx) === Pending) return Pending;
    return this.sink.pollShutdown(cx);
  }
}
