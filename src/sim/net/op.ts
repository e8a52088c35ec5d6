/**
 * `SimOp`: the future behind every simulated socket operation, named for dumps: a stuck task's
 * await chain reads `TcpStream.readChunk (tcp 10.0.0.2:7000)`, not an anonymous poll function.
 *
 * Invariants: polling a `SimOp` polls its function and nothing else. Proved by
 * test/sim/deadlock.test.ts (the labels in a deadlock report).
 * @module
 */
import { Future, type Context, type Poll } from '../../future/future.js';

/** @internal */
export class SimOp<T> extends Future<T> {
  constructor(
    private readonly label: string,
    private readonly on: { label(): string },
    private readonly fn: (cx: Context) => Poll<T>,
  ) {
    super();
  }

  poll(cx: Context): Poll<T> {
    return this.fn(cx);
  }

  /** The API call, for await chains. */
  traceLabel(): string {
    return this.label;
  }

  /** The socket it waits on. */
  traceReason(): string {
    return this.on.label();
  }
}
