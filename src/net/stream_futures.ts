/**
 * The futures of `SocketStream`: read, readChunk, readExact, write, writeAll, flush, shutdown.
 * Each is a small object that calls the stream's poll method; none of them holds data of its
 * own, which is what makes `read` and `readChunk` cancel-safe.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { IoError } from '../io/error.js';
import type { SocketStream } from './socket_stream.js';

/** @internal */
export class ReadChunkFuture extends Future<Buffer | null> {
  constructor(private readonly s: SocketStream) {
    super();
  }
  poll(cx: Context): Poll<Buffer | null> {
    return this.s.pollReadChunk(cx);
  }
}

/** @internal */
export class ReadFuture extends Future<number> {
  constructor(
    private readonly s: SocketStream,
    private readonly buf: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    return this.s.pollRead(cx, this.buf);
  }
}

/** @internal fills `buf` completely; UNEXPECTED_EOF if the stream ends first. Not cancel-safe. */
export class ReadExactFuture extends Future<void> {
  private filled = 0;
  constructor(
    private readonly s: SocketStream,
    private readonly buf: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const buf = this.buf;
    while (this.filled < buf.length) {
      const n = this.s.pollRead(cx, buf.subarray(this.filled));
      if (n === Pending) return Pending;
      if (n === 0) {
        throw new IoError(
          'UNEXPECTED_EOF',
          `readExact from ${this.s.label()} failed: the stream ended after ${this.filled} of ${buf.length} bytes`,
        );
      }
      this.filled += n;
    }
    return undefined;
  }
}

/** @internal */
export class WriteFuture extends Future<number> {
  constructor(
    private readonly s: SocketStream,
    private readonly buf: Uint8Array,
    private readonly owned: boolean,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    return this.s.pollWrite(cx, this.buf, this.owned);
  }
}

/** @internal writes all of `buf`, piece by piece, waiting for 'drain' in between. */
export class WriteAllFuture extends Future<void> {
  private off = 0;
  constructor(
    private readonly s: SocketStream,
    private readonly buf: Uint8Array,
    private readonly owned: boolean,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const buf = this.buf;
    const len = buf.length;
    if (len === 0) {
      const n = this.s.pollWrite(cx, buf, true);
      return n === Pending ? Pending : undefined;
    }
    while (this.off < len) {
      const rest = this.off === 0 ? buf : buf.subarray(this.off);
      const n = this.s.pollWrite(cx, rest, this.owned);
      if (n === Pending) return Pending;
      this.off += n;
    }
    return undefined;
  }
}

/** @internal */
export class FlushFuture extends Future<void> {
  constructor(private readonly s: SocketStream) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.s.pollFlush(cx);
  }
}

/** @internal */
export class ShutdownFuture extends Future<void> {
  constructor(private readonly s: SocketStream) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.s.pollShutdown(cx);
  }
}
