/**
 * `flush(w)` and `shutdown(w)`: the two ways a sink finishes, over any `AsyncWrite`.
 *
 * Invariant: both are stateless wrappers of one poll method, so they are cancel-safe in the
 * sense that dropping them leaves the sink as it was (a started shutdown still completes in
 * the sink). Tested in test/net/traits.test.ts.
 * @module
 */
import { Future, type Context, type Poll } from '../../future/future.js';
import type { AsyncWrite } from '../traits.js';

/** @internal */
export class FlushFuture extends Future<void> {
  constructor(private readonly w: AsyncWrite) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.w.pollFlush(cx);
  }
}

/** @internal */
export class ShutdownFuture extends Future<void> {
  constructor(private readonly w: AsyncWrite) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.w.pollShutdown(cx);
  }
}

/**
 * Ready once everything written to `w` has left its user-space buffers.
 *
 * @example
 * ```ts
 * yield* writeAll(out, reply);
 * yield* flush(out);
 * ```
 */
export function flush(w: AsyncWrite): Future<void> {
  return new FlushFuture(w);
}

/**
 * Flushes `w`, then half-closes it (for a socket: sends FIN; reading still works).
 *
 * @example
 * ```ts
 * yield* writeAll(stream, request);
 * yield* shutdown(stream);
 * ```
 */
export function shutdown(w: AsyncWrite): Future<void> {
  return new ShutdownFuture(w);
}
