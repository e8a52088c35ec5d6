/**
 * The poll-based I/O traits: `AsyncRead`, `AsyncWrite`, `AsyncBufRead` (Tokio's shapes).
 *
 * Every byte source and sink of kyoto implements them: TCP and Unix streams, their split halves,
 * `BufReader` / `BufWriter`, and the layers built on top (files, pipes, stdio, HTTP bodies). The
 * generic futures in `io/util/` (`read`, `readExact`, `readToEnd`, `writeAll`, `flush`,
 * `shutdown`, `copy`, `copyBidirectional`) and the `Framed` codecs work over any implementer.
 *
 * Invariants every implementer keeps (test/net/traits.test.ts checks TCP, Unix, halves and the
 * buffered wrappers):
 * - A poll that returns `Pending` consumed nothing and registered `cx.waker`, so dropping the
 *   caller's future at that point loses no bytes (the read side is cancel-safe).
 * - `pollRead` returns 0 only at EOF (or for an empty `buf`); `pollWrite` returns 0 only for an
 *   empty `buf`.
 * - Errors are thrown (an `IoError`), never returned.
 *
 * The two optional methods are the zero-copy paths: a source that already holds its bytes as
 * chunks (a socket) can hand a chunk over (`pollReadChunk`), and a sink that can keep a caller's
 * buffer (a socket) can take it without copying (`pollWriteOwned`). Generic code uses them when
 * present and falls back to `pollRead` / `pollWrite` otherwise.
 * @module
 */
import type { Context, Poll } from '../future/future.js';

/**
 * A byte source, polled.
 *
 * @example
 * ```ts
 * class Zeros implements AsyncRead {
 *   pollRead(_cx: Context, buf: Uint8Array): Poll<number> { buf.fill(0); return buf.length; }
 * }
 * const n = yield* read(new Zeros(), Buffer.alloc(16)); // 16
 * ```
 */
export interface AsyncRead {
  /**
   * Reads up to `buf.length` bytes into `buf`. Ready(n > 0): n bytes read; Ready(0): EOF (or
   * `buf.length === 0`); Pending: nothing consumed, `cx.waker` registered. Throws `IoError`.
   */
  pollRead(cx: Context, buf: Uint8Array): Poll<number>;
  /**
   * Optional zero-copy read: the next chunk, which now belongs to the caller, or null at EOF.
   * Same Pending contract as `pollRead`.
   */
  pollReadChunk?(cx: Context): Poll<Uint8Array | null>;
}

/**
 * A byte sink, polled.
 *
 * @example
 * ```ts
 * const n = w.pollWrite(cx, bytes);  // inside a future's poll
 * if (n === Pending) return Pending;  // backpressure: woken when the sink drains
 * ```
 */
export interface AsyncWrite {
  /**
   * Accepts a prefix of `buf`: Ready(n) (n > 0 unless `buf` is empty); Pending when
   * backpressured (`cx.waker` registered). The bytes are taken (copied) before it returns: the
   * caller may reuse `buf`. Throws `IoError` (`EPIPE` after shutdown, the connection's error).
   */
  pollWrite(cx: Context, buf: Uint8Array): Poll<number>;
  /**
   * Optional zero-copy write: like `pollWrite`, but the sink may keep a reference to `buf`
   * instead of copying it, so the caller must not modify `buf` afterwards. A buffer that is
   * never modified (a shared constant reply) may be written this way any number of times.
   */
  pollWriteOwned?(cx: Context, buf: Uint8Array): Poll<number>;
  /** Ready once everything written left user-space buffers. */
  pollFlush(cx: Context): Poll<void>;
  /** Flushes, then half-closes (no more writes). */
  pollShutdown(cx: Context): Poll<void>;
}

/**
 * A buffered byte source: look at what is buffered without consuming it, so a parser can parse
 * every whole message buffered and wait for more while keeping a partial one.
 *
 * @example
 * ```ts
 * const buf = r.pollFillBuf(cx);           // inside a future's poll
 * if (buf === Pending) return Pending;
 * if (buf.length === 0) return null;       // EOF
 * const used = parse(buf); r.consume(used);
 * ```
 */
export interface AsyncBufRead extends AsyncRead {
  /**
   * The buffered bytes (filling when empty); an empty array means EOF. Valid until `consume()`
   * or the next poll.
   */
  pollFillBuf(cx: Context): Poll<Uint8Array>;
  /** Marks `n` bytes of the last `pollFillBuf` result as used. */
  consume(n: number): void;
}

/** A byte stream in both directions. */
export type AsyncReadWrite = AsyncRead & AsyncWrite;
