/**
 * `ReadHalf` / `WriteHalf`: the two directions of a stream, usable from two tasks at once.
 * @module
 */
import type { Context, Future, Poll } from '../future/future.js';
import type { AsyncRead, AsyncWrite } from '../io/traits.js';
import type { SocketStream } from './socket_stream.js';

/**
 * The reading half of a split stream (`stream.split()`), an `AsyncRead`. Each half has its own
 * waker slot, so a reader task and a writer task can wait on the same socket concurrently.
 *
 * @example
 * ```ts
 * const [rd, wr] = stream.split();
 * spawn(pumpOut, wr, rx);
 * for (let c = yield* rd.readChunk(); c !== null; c = yield* rd.readChunk()) handle(c);
 * ```
 */
export class ReadHalf<S extends SocketStream = SocketStream> implements AsyncRead {
  constructor(readonly stream: S) {}
  /** `AsyncRead` (see `TcpStream.pollRead`). */
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    return this.stream.pollRead(cx, buf);
  }
  /** `AsyncRead`, zero-copy (see `TcpStream.pollReadChunk`). */
  pollReadChunk(cx: Context): Poll<Buffer | null> {
    return this.stream.pollReadChunk(cx);
  }
  /** @internal for error messages. */
  label(): string {
    return this.stream.label();
  }
  /**
   * See `TcpStream.read` (cancel-safe).
   *
   * @example
   * ```ts
   * const n = yield* rd.read(buf);
   * ```
   */
  read(buf: Uint8Array): Future<number> {
    return this.stream.read(buf);
  }
  /**
   * See `TcpStream.readExact`.
   *
   * @example
   * ```ts
   * yield* rd.readExact(header);
   * ```
   */
  readExact(buf: Uint8Array): Future<void> {
    return this.stream.readExact(buf);
  }
  /**
   * See `TcpStream.readChunk` (cancel-safe, zero-copy).
   *
   * @example
   * ```ts
   * const c = yield* rd.readChunk();
   * ```
   */
  readChunk(): Future<Buffer | null> {
    return this.stream.readChunk();
  }
  /**
   * See `TcpStream.readable`.
   *
   * @example
   * ```ts
   * yield* rd.readable();
   * ```
   */
  readable(): Future<void> {
    return this.stream.readable();
  }
  /**
   * Puts the halves back together (they must come from the same `split()`).
   *
   * @example
   * ```ts
   * const stream = rd.reunite(wr);
   * ```
   */
  reunite(other: WriteHalf<S>): S {
    if (other.stream !== this.stream) throw new TypeError('reunite: the halves come from different streams');
    return this.stream;
  }
}

/**
 * The writing half of a split stream, an `AsyncWrite`.
 *
 * @example
 * ```ts
 * function* pumpOut(wr: WriteHalf, msg: Buffer) { yield* wr.writeAll(msg); yield* wr.shutdown(); }
 * ```
 */
export class WriteHalf<S extends SocketStream = SocketStream> implements AsyncWrite {
  constructor(readonly stream: S) {}
  /** `AsyncWrite` (see `TcpStream.pollWrite`). */
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    return this.stream.pollWrite(cx, buf);
  }
  /** `AsyncWrite`, zero-copy (see `TcpStream.pollWriteOwned`). */
  pollWriteOwned(cx: Context, buf: Uint8Array): Poll<number> {
    return this.stream.pollWriteOwned(cx, buf);
  }
  /** `AsyncWrite` (see `TcpStream.pollFlush`). */
  pollFlush(cx: Context): Poll<void> {
    return this.stream.pollFlush(cx);
  }
  /** `AsyncWrite` (see `TcpStream.pollShutdown`). */
  pollShutdown(cx: Context): Poll<void> {
    return this.stream.pollShutdown(cx);
  }
  /**
   * See `TcpStream.write`.
   *
   * @example
   * ```ts
   * const n = yield* wr.write(buf);
   * ```
   */
  write(buf: Uint8Array): Future<number> {
    return this.stream.write(buf);
  }
  /**
   * See `TcpStream.writeAll`.
   *
   * @example
   * ```ts
   * yield* wr.writeAll(Buffer.from('hi\n'));
   * ```
   */
  writeAll(buf: Uint8Array): Future<void> {
    return this.stream.writeAll(buf);
  }
  /**
   * See `TcpStream.writeChunk` (zero-copy).
   *
   * @example
   * ```ts
   * yield* wr.writeChunk(chunk);
   * ```
   */
  writeChunk(chunk: Uint8Array): Future<void> {
    return this.stream.writeChunk(chunk);
  }
  /**
   * See `TcpStream.flush`.
   *
   * @example
   * ```ts
   * yield* wr.flush();
   * ```
   */
  flush(): Future<void> {
    return this.stream.flush();
  }
  /**
   * Half-close: see `TcpStream.shutdown`.
   *
   * @example
   * ```ts
   * yield* wr.shutdown();
   * ```
   */
  shutdown(): Future<void> {
    return this.stream.shutdown();
  }
  /**
   * See `TcpStream.writable`.
   *
   * @example
   * ```ts
   * yield* wr.writable();
   * ```
   */
  writable(): Future<void> {
    return this.stream.writable();
  }
}
