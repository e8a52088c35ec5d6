/**
 * `Framed`, `FramedRead`, `FramedWrite`: a byte stream seen as a stream of items via a codec.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { BufReader } from './buf_reader.js';
import { IoError } from './error.js';
import type { Decoder, Encoder } from './codec.js';
import type { AsyncRead, AsyncReadWrite, AsyncWrite } from './traits.js';
import { asAsyncWrite, type FutureRead, type FutureWrite } from './compat.js';
import { WriteAllFuture } from './util/write.js';

/**
 * Reads items decoded by `codec` from a reader. `readFrame` is cancel-safe: the bytes of a
 * partly received item stay buffered in the `FramedRead`.
 *
 * @example
 * ```ts
 * const frames = new FramedRead(stream, new LinesCodec());
 * for (let l = yield* frames.readFrame(); l !== null; l = yield* frames.readFrame()) handle(l);
 * ```
 */
export class FramedRead<T> {
  /** @internal */
  readonly br: BufReader<AsyncRead | FutureRead>;
  constructor(
    reader: AsyncRead | FutureRead,
    readonly decoder: Decoder<T>,
  ) {
    this.br = new BufReader(reader, { maxLength: Number.MAX_SAFE_INTEGER });
  }
  /**
   * The next item, or null at a clean EOF. Throws `IoError` `INVALID_DATA` if the stream ends
   * inside an item, or whatever the codec throws (`FRAME_TOO_LONG`).
   *
   * @example
   * ```ts
   * const item = yield* frames.readFrame();
   * ```
   *
   * @example
   * ```ts
   * const item = yield* framed.readFrame();
   * ```
   */
  readFrame(): Future<T | null> {
    return new ReadFrameFuture(this);
  }
}

class ReadFrameFuture<T> extends Future<T | null> {
  constructor(private readonly fr: FramedRead<T>) {
    super();
  }
  poll(cx: Context): Poll<T | null> {
    const br = this.fr.br;
    const dec = this.fr.decoder;
    for (;;) {
      const src = br.buffer();
      if (src.length > 0) {
        const d = dec.decode(src);
        if (d !== null) {
          br.consume(d.consumed);
          return d.item;
        }
      }
      const more = br.pollFill(cx);
      if (more === Pending) return Pending;
      if (!more) {
        const rest = br.buffer();
        if (rest.length === 0) return null;
        const d = dec.decodeEof?.(rest) ?? null;
        if (d !== null) {
          br.consume(d.consumed);
          return d.item;
        }
        throw new IoError('INVALID_DATA', `Framed: the stream ended inside a frame (${rest.length} bytes left over)`);
      }
    }
  }
}

/**
 * Writes items encoded by `codec`.
 *
 * @example
 * ```ts
 * const out = new FramedWrite(stream, new LengthDelimitedCodec());
 * yield* out.writeFrame(Buffer.from('hi'));
 * ```
 */
export class FramedWrite<T> {
  readonly writer: AsyncWrite;
  constructor(
    writer: AsyncWrite | FutureWrite,
    readonly encoder: Encoder<T>,
  ) {
    this.writer = asAsyncWrite(writer);
  }
  /**
   * Encodes `item` and writes it all (memory bounded by the socket's high-water mark).
   *
   * @example
   * ```ts
   * yield* out.writeFrame(item);
   * ```
   *
   * @example
   * ```ts
   * yield* framed.writeFrame(item);
   * ```
   */
  writeFrame(item: T): Future<void> {
    return new WriteAllFuture(this.writer, this.encoder.encode(item), true);
  }
}

/**
 * Both directions of a stream through one codec (tokio-util's `Framed`).
 *
 * @example
 * ```ts
 * const framed = new Framed(stream, new LinesCodec());
 * for (let line = yield* framed.readFrame(); line !== null; line = yield* framed.readFrame()) {
 *   yield* framed.writeFrame(line.toUpperCase());
 * }
 * ```
 */
export class Framed<In, Out = In> {
  private readonly r: FramedRead<In>;
  private readonly w: FramedWrite<Out>;
  constructor(
    readonly io: AsyncReadWrite,
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
   * See `FramedWrite.writeFrame`.
   *
   * @example
   * ```ts
   * yield* framed.writeFrame(item);
   * ```
   */
  writeFrame(item: Out): Future<void> {
    return this.w.writeFrame(item);
  }
}
