/**
 * `FramedRead`: a byte source seen as a stream of items through a `Decoder`.
 *
 * Invariants: the bytes of a partly received item stay buffered in the `FramedRead` (its
 * `BufReader`), so `readFrame` is cancel-safe; `tryReadFrame` decodes only what is already
 * buffered and never reads, so a server can take every frame of a pipelined batch and answer
 * them with one write; items come out in order, each once. Tested in test/net/io.test.ts
 * (property: any chunking) and test/net/framed.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { BufReader } from './buf_reader.js';
import { IoError } from './error.js';
import type { Decoder } from './codec.js';
import type { FutureRead } from './compat.js';
import type { AsyncRead } from './traits.js';

/**
 * Reads items decoded by `decoder` from a reader.
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
  private next: ReadFrameFuture<T> | null = null;
  constructor(
    reader: AsyncRead | FutureRead,
    readonly decoder: Decoder<T>,
  ) {
    this.br = new BufReader(reader, { maxLength: Number.MAX_SAFE_INTEGER });
  }

  /**
   * The next item, or null at a clean EOF. Throws `IoError` `INVALID_DATA` if the stream ends
   * inside an item, or whatever the codec throws (`FRAME_TOO_LONG`). Cancel-safe.
   *
   * @example
   * ```ts
   * const item = yield* frames.readFrame();
   * ```
   */
  readFrame(): Future<T | null> {
    return (this.next ??= new ReadFrameFuture(this));
  }

  /**
   * The next item if a whole one is already buffered, else `undefined` (nothing is read, nothing
   * waits). After `readFrame` gave the first frame of a pipelined batch, this takes the rest.
   *
   * @example
   * ```ts
   * for (let f = frames.tryReadFrame(); f !== undefined; f = frames.tryReadFrame()) handle(f);
   * ```
   */
  tryReadFrame(): T | undefined {
    const br = this.br;
    const src = br.buffer();
    if (src.length === 0) return undefined;
    const d = this.decoder.decode(src);
    if (d === null) return undefined;
    br.consume(d.consumed);
    return d.item;
  }

  /** @internal */
  pollReadFrame(cx: Context): Poll<T | null> {
    const br = this.br;
    const dec = this.decoder;
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

/** Holds nothing of its own, so one per `FramedRead` serves every `readFrame()`. */
class ReadFrameFuture<T> extends Future<T | null> {
  constructor(private readonly fr: FramedRead<T>) {
    super();
  }
  poll(cx: Context): Poll<T | null> {
    return this.fr.pollReadFrame(cx);
  }
}
