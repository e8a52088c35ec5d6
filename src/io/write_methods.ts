/**
 * `write`, `writeAll` and `flush` as methods, for a class that implements `AsyncWrite`: what
 * Tokio's `AsyncWriteExt` gives every writer. A writer extends this and implements the three
 * `poll*` methods; the futures are the generic ones of `io/util/`, so their cancel safety is the
 * one documented there (`write`: cancel-safe; `writeAll`: a dropped call may have written a
 * prefix; `flush`: cancel-safe).
 *
 * Invariant: each method is exactly the `io/util` future over `this` (test/io/write_methods.test.ts).
 * @module
 */
import type { Context, Future, Poll } from '../future/future.js';
import type { AsyncWrite } from './traits.js';
import { WriteAllFuture, WriteFuture } from './util/write.js';
import { FlushFuture } from './util/flush.js';

/**
 * Base class of kyoto's writers (files, child-process pipes, stdio).
 *
 * @example
 * ```ts
 * class Counter extends AsyncWriteMethods {
 *   n = 0;
 *   pollWrite(_cx: Context, buf: Uint8Array) { this.n += buf.length; return buf.length; }
 *   pollFlush() {}
 *   pollShutdown() {}
 * }
 * yield* new Counter().writeAll(Buffer.from('hello'));
 * ```
 */
export abstract class AsyncWriteMethods implements AsyncWrite {
  abstract pollWrite(cx: Context, buf: Uint8Array): Poll<number>;
  abstract pollFlush(cx: Context): Poll<void>;
  abstract pollShutdown(cx: Context): Poll<void>;

  /**
   * Accepts a prefix of `buf` and returns its length (what "accepted" means is the writer's:
   * copied into a file's write-behind buffer, handed to a Node stream).
   *
   * @example
   * ```ts
   * const n = yield* w.write(chunk);
   * ```
   */
  write(buf: Uint8Array): Future<number> {
    return new WriteFuture(this, buf);
  }

  /**
   * Accepts all of `buf`; `flush()` to wait until it is written.
   *
   * @example
   * ```ts
   * yield* w.writeAll(Buffer.from('hello\n'));
   * ```
   */
  writeAll(buf: Uint8Array): Future<void> {
    return new WriteAllFuture(this, buf, false);
  }

  /**
   * Ready once every accepted byte has left the writer (for a file, written to the descriptor:
   * use `syncAll` for the disk; for a pipe, out of Node's buffer).
   *
   * @example
   * ```ts
   * yield* w.flush();
   * ```
   */
  flush(): Future<void> {
    return new FlushFuture(this);
  }
}
