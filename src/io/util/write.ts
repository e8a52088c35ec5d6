/**
 * `write(w, buf)`, `writeAll(w, buf)` and `writeChunk(w, chunk)` over any `AsyncWrite`.
 *
 * Invariants: `writeAll` completes only when the sink accepted every byte, piece by piece, so
 * memory stays bounded by the sink's own buffer (it waits on backpressure between pieces). An
 * empty buffer still polls the sink once, so a closed sink reports its error. Not cancel-safe
 * (a prefix may have been sent, as Tokio's `write_all`). Tested in test/net/traits.test.ts.
 *
 * Zero-copy writes: `writeChunk` hands `chunk` to `pollWriteOwned` when the sink has it (TCP and
 * Unix streams do), so the sink keeps a reference instead of a copy. A buffer that is never
 * modified, such as a shared constant reply, can be written this way from every connection:
 *
 * ```ts
 * const PONG = Buffer.from('+PONG\r\n');        // allocated once, never modified
 * yield* writeChunk(stream, PONG);              // no copy, on any connection, any number of times
 * ```
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../../future/future.js';
import type { AsyncWrite } from '../traits.js';

/** @internal one `pollWrite`. */
export class WriteFuture extends Future<number> {
  constructor(
    private readonly w: AsyncWrite,
    private readonly buf: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    return this.w.pollWrite(cx, this.buf);
  }
}

/**
 * Writes some of `buf` and gives the count (Pending while the sink is backpressured). The
 * bytes are copied: `buf` may be reused at once.
 *
 * @example
 * ```ts
 * const n = yield* write(stream, Buffer.from('hello'));
 * ```
 */
export function write(w: AsyncWrite, buf: Uint8Array): Future<number> {
  return new WriteFuture(w, buf);
}

/** @internal writes all of `buf`; `owned`: through `pollWriteOwned` when the sink has it. */
export class WriteAllFuture extends Future<void> {
  private off = 0;
  private readonly owned: boolean;
  constructor(
    private readonly w: AsyncWrite,
    private readonly buf: Uint8Array,
    owned: boolean,
  ) {
    super();
    this.owned = owned && w.pollWriteOwned !== undefined;
  }
  poll(cx: Context): Poll<void> {
    const buf = this.buf;
    const w = this.w;
    const len = buf.length;
    if (len === 0) return w.pollWrite(cx, buf) === Pending ? Pending : undefined;
    while (this.off < len) {
      const rest = this.off === 0 ? buf : buf.subarray(this.off);
      const n = this.owned ? w.pollWriteOwned!(cx, rest) : w.pollWrite(cx, rest);
      if (n === Pending) return Pending;
      this.off += n;
    }
    return undefined;
  }
}

/**
 * Writes all of `buf`, waiting for the sink to drain between pieces. The bytes are copied.
 *
 * @example
 * ```ts
 * yield* writeAll(stream, Buffer.from('HTTP/1.1 200 OK\r\n\r\n'));
 * ```
 */
export function writeAll(w: AsyncWrite, buf: Uint8Array): Future<void> {
  return new WriteAllFuture(w, buf, false);
}

/**
 * Like `writeAll`, but without a copy when the sink supports it (`pollWriteOwned`): the caller
 * must not modify `chunk` afterwards. The way to write a shared constant buffer.
 *
 * @example
 * ```ts
 * const OK = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
 * yield* writeChunk(stream, OK); // shared by every connection, never copied
 * ```
 */
export function writeChunk(w: AsyncWrite, chunk: Uint8Array): Future<void> {
  return new WriteAllFuture(w, chunk, true);
}
