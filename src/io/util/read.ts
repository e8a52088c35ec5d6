/**
 * `read(r, buf)` and `readChunk(r)`: one read from any `AsyncRead`.
 *
 * Invariants: both futures hold no bytes of their own (the source keeps whatever it did not
 * hand out), so dropping either while Pending loses nothing: they are cancel-safe. A stateless
 * future may be polled again after it completed (each completion is one read), which lets a
 * stream reuse one `readChunk` future for its whole life. Tested in test/net/traits.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../../future/future.js';
import type { AsyncRead } from '../traits.js';

/** @internal one `pollRead` into `buf`. */
export class ReadFuture extends Future<number> {
  constructor(
    private readonly r: AsyncRead,
    private readonly buf: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    return this.r.pollRead(cx, this.buf);
  }
}

/**
 * Reads into `buf` from any `AsyncRead`: the number of bytes read (at least 1), or 0 at EOF.
 * Cancel-safe.
 *
 * @example
 * ```ts
 * const buf = Buffer.alloc(1024);
 * const n = yield* read(stream, buf);
 * if (n === 0) return; // EOF
 * ```
 */
export function read(r: AsyncRead, buf: Uint8Array): Future<number> {
  return new ReadFuture(r, buf);
}

/** Scratch size when a source has no zero-copy `pollReadChunk`. */
const CHUNK = 16 * 1024;

/** @internal the next chunk of `r`: zero-copy when `r` has `pollReadChunk`. */
export class ReadChunkFuture extends Future<Buffer | null> {
  private scratch: Buffer | null = null;
  constructor(private readonly r: AsyncRead) {
    super();
  }
  poll(cx: Context): Poll<Buffer | null> {
    const r = this.r;
    if (r.pollReadChunk !== undefined) {
      const c = r.pollReadChunk(cx);
      if (c === Pending || c === null) return c;
      return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.length);
    }
    const s = (this.scratch ??= Buffer.allocUnsafe(CHUNK));
    const n = r.pollRead(cx, s);
    if (n === Pending) return Pending;
    if (n === 0) return null;
    // The chunk is the caller's: hand the scratch over when it is mostly full, else copy out.
    if (n >= CHUNK / 2) {
      this.scratch = null;
      return s.subarray(0, n);
    }
    return Buffer.from(s.subarray(0, n));
  }
}

/**
 * The next chunk `r` gives, as a Buffer that is yours, or null at EOF. Zero-copy over sockets
 * (they implement `pollReadChunk`); other sources are read into a 16 KiB scratch. Cancel-safe.
 *
 * @example
 * ```ts
 * for (let c = yield* readChunk(file); c !== null; c = yield* readChunk(file)) handle(c);
 * ```
 */
export function readChunk(r: AsyncRead): Future<Buffer | null> {
  return new ReadChunkFuture(r);
}
