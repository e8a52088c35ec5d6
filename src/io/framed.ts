/**
 * `Framed`: both directions of a byte stream through one codec (tokio-util's `Framed`), made of
 * a `FramedRead` and a `FramedWrite`; those two live in their own files and are re-exported here.
 *
 * A pipelined server answers a batch with one write:
 * ```ts
 * for (let req = yield* framed.readFrame(); req !== null; req = yield* framed.readFrame()) {
 *   yield* framed.feed(answer(req));
 *   for (let r = framed.tryReadFrame(); r !== undefined; r = framed.tryReadFrame()) yield* framed.feed(answer(r));
 *   yield* framed.flush();
 * }
 * ```
 * Invariants: those of its halves (cancel-safe reads, in-order writes bounded by the buffer).
 * Tested in test/net/io.test.ts and test/net/framed.test.ts.
 * @module
 */
import type { Future } from '../future/future.js';
import type { Decoder, Encoder } from './codec.js';
import type { FutureRead, FutureWrite } from './compat.js';
import type { AsyncReadWrite } from './traits.js';
import { FramedRead } from './framed_read.js';
import { FramedWrite } from './framed_write.js';

export { FramedRead } from './framed_read.js';
export { FramedWrite } from './framed_write.js';

/**
 * Both directions of a stream through one codec.
 *
 * @example
 * ```ts
 * const framed = new Framed(stream, new LinesCodec());
 * for (let line = yield* framed.readFrame(); line !== null; line = yield* framed.readFrame()) {
 *   yield* framed.send(line.toUpperCase());
 * }
 * ```
 */
export class Framed<In, Out = In> {
  private readonly r: FramedRead<In>;
  private readonly w: FramedWrite<Out>;
  constructor(
    readonly io: AsyncReadWrite | (FutureRead & FutureWrite),
    codec: Decoder<In> & Encoder<Out>,
  ) {
    this.r = new FramedRead(io, codec);
    this.w = new FramedWrite(io, codec);
  }
  /**
   * See `FramedRead.readFrame` (cancel-safe).
   *
   * @example
   * ```ts
   * const item = yield* framed.readFrame();
   * ```
   */
  readFrame(): Future<In | null> {
    return this.r.readFrame();
  }
  /**
   * See `FramedRead.tryReadFrame`: the next already-buffered item, or `undefined`.
   *
   * @example
   * ```ts
   * const more = framed.tryReadFrame();
   * ```
   */
  tryReadFrame(): In | undefined {
    return this.r.tryReadFrame();
  }
  /**
   * See `FramedWrite.feed`: buffer an item.
   *
   * @example
   * ```ts
   * yield* framed.feed(reply);
   * ```
   */
  feed(item: Out): Future<void> {
    return this.w.feed(item);
  }
  /**
   * See `FramedWrite.flush`: write out everything fed.
   *
   * @example
   * ```ts
   * yield* framed.flush();
   * ```
   */
  flush(): Future<void> {
    return this.w.flush();
  }
  /**
   * See `FramedWrite.send`: feed, then flush.
   *
   * @example
   * ```ts
   * yield* framed.send(reply);
   * ```
   */
  send(item: Out): Future<void> {
    return this.w.send(item);
  }
  /**
   * Same as `send`.
   *
   * @example
   * ```ts
   * yield* framed.writeFrame(item);
   * ```
   */
  writeFrame(item: Out): Future<void> {
    return this.w.send(item);
  }
}
