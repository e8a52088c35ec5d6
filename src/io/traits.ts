/**
 * The shapes the io helpers work with: anything with `read` (and ideally `readChunk`) is an
 * `AsyncRead`; anything with `writeAll` is an `AsyncWrite`. `TcpStream`, `UnixStream`, their
 * split halves and `BufReader` all qualify.
 * @module
 */
import type { Future } from '../future/future.js';

/**
 * A byte source.
 *
 * @example
 * ```ts
 * function* readAll(r: AsyncRead) { const buf = Buffer.alloc(4096); let n = 0; while ((n = yield* r.read(buf)) > 0) use(buf.subarray(0, n)); }
 * ```
 */
export interface AsyncRead {
  /** Reads into `buf`: bytes read, 0 at EOF. */
  read(buf: Uint8Array): Future<number>;
  /** The next chunk without copying, or null at EOF (optional, preferred by the helpers). */
  readChunk?(): Future<Buffer | null>;
}

/**
 * A byte sink.
 *
 * @example
 * ```ts
 * function* greet(w: AsyncWrite) { yield* w.writeAll(Buffer.from('hi\n')); }
 * ```
 */
export interface AsyncWrite {
  /** Writes all of `buf` (copied). */
  writeAll(buf: Uint8Array): Future<void>;
  /** Writes `chunk` without copying; the caller gives it up (optional). */
  writeChunk?(chunk: Uint8Array): Future<void>;
  /** Ready once written bytes left user-space buffers (optional). */
  flush?(): Future<void>;
  /** Half-close: no more writes (optional). */
  shutdown?(): Future<void>;
}

/** A byte stream in both directions. */
export type AsyncReadWrite = AsyncRead & AsyncWrite;
