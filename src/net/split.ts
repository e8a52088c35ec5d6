/**
 * `ReadHalf` / `WriteHalf`: the two directions of a stream, usable from two tasks at once.
 * @module
 */
import type { Future } from '../future/future.js';
import type { SocketStream } from './socket_stream.js';

/**
 * The reading half of a split stream (`stream.split()`). Each half has its own waker slot, so a
 * reader task and a writer task can wait on the same socket concurrently.
 *
 * @example
 * ```ts
 * const [rd, wr] = stream.split();
 * spawn(pumpOut, wr, rx);
 * for (let c = yield* rd.readChunk(); c !== null; c = yield* rd.readChunk()) handle(c);
 * ```
 */
export class ReadHalf<S extends SocketStream = SocketStream> {
  constructor(readonly stream: S) {}
  /** See `TcpStream.read` (cancel-safe). */
  read(buf: Uint8Array): Future<number> {
    return this.stream.read(buf);
  }
  /** See `TcpStream.readExact`. */
  readExact(buf: Uint8Array): Future<void> {
    return this.stream.readExact(buf);
  }
  /** See `TcpStream.readChunk` (cancel-safe, zero-copy). */
  readChunk(): Future<Buffer | null> {
    return this.stream.readChunk();
  }
  /** See `TcpStream.readable`. */
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
 * The writing half of a split stream.
 *
 * @example
 * ```ts
 * function* pumpOut(wr: WriteHalf, msg: Buffer) { yield* wr.writeAll(msg); yield* wr.shutdown(); }
 * ```
 */
export class WriteHalf<S extends SocketStream = SocketStream> {
  constructor(readonly stream: S) {}
  /** See `TcpStream.write`. */
  write(buf: Uint8Array): Future<number> {
    return this.stream.write(buf);
  }
  /** See `TcpStream.writeAll`. */
  writeAll(buf: Uint8Array): Future<void> {
    return this.stream.writeAll(buf);
  }
  /** See `TcpStream.writeChunk` (zero-copy). */
  writeChunk(chunk: Uint8Array): Future<void> {
    return this.stream.writeChunk(chunk);
  }
  /** See `TcpStream.flush`. */
  flush(): Future<void> {
    return this.stream.flush();
  }
  /** Half-close: see `TcpStream.shutdown`. */
  shutdown(): Future<void> {
    return this.stream.shutdown();
  }
  /** See `TcpStream.writable`. */
  writable(): Future<void> {
    return this.stream.writable();
  }
}
