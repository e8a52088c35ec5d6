/**
 * `FramedWrite`: a byte sink fed with items through an `Encoder`, with Tokio's sink shape:
 * `feed` buffers an item, `flush` writes everything buffered, `send` is both.
 *
 * Invariants: items reach the writer in the order fed, each once; `feed` waits (writing the
 * buffer out first) only when the buffer is full, so memory stays bounded by the buffer plus one
 * item; nothing fed is written before a `flush` / `send` or a full buffer. Why its numbers: an
 * 8 KiB buffer (Tokio's `FramedWrite` backpressure boundary), items of 4 KiB or more go out
 * without a copy. Tested in test/net/framed.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { BufWriter } from './buf_writer.js';
import type { Encoder } from './codec.js';
import type { FutureWrite } from './compat.js';
import type { AsyncWrite } from './traits.js';

/** Items this large are written out without being copied into the buffer. */
const DIRECT = 4096;

class ReadyVoid extends Future<void> {
  poll(): void {
    return undefined;
  }
}
/** `feed` that found room completes at once: one shared, stateless future. */
const FED = new ReadyVoid();

/**
 * Writes items encoded by `encoder`.
 *
 * @example
 * ```ts
 * const out = new FramedWrite(stream, new LengthDelimitedCodec());
 * yield* out.send(Buffer.from('hi'));
 * ```
 */
export class FramedWrite<T> {
  /** @internal */
  readonly out: BufWriter<AsyncWrite | FutureWrite>;
  private flushFuture: FramedFlushFuture | null = null;
  constructor(
    writer: AsyncWrite | FutureWrite,
    readonly encoder: Encoder<T>,
  ) {
    this.out = new BufWriter(writer, { capacity: 8192 });
  }

  /** The writer, as an `AsyncWrite` (the older writer shapes are adapted). */
  get writer(): AsyncWrite {
    return this.out;
  }

  /**
   * Encodes `item` into the write buffer; waits only if the buffer is full (then writes it out
   * first). Nothing is written until `flush()`: feed a batch, then flush once.
   *
   * @example
   * ```ts
   * yield* out.feed(a);
   * yield* out.feed(b);
   * yield* out.flush(); // one write for both
   * ```
   */
  feed(item: T): Future<void> {
    const bytes = this.encoder.encode(item);
    if (bytes.length < DIRECT && this.out.tryBuffer(bytes)) return FED;
    return new FeedFuture(this.out, bytes);
  }

  /**
   * Writes out everything fed so far and flushes the writer.
   *
   * @example
   * ```ts
   * yield* out.flush();
   * ```
   */
  flush(): Future<void> {
    return (this.flushFuture ??= new FramedFlushFuture(this.out));
  }

  /**
   * `feed` then `flush`: the item (and anything fed before it) is written.
   *
   * @example
   * ```ts
   * yield* out.send(item);
   * ```
   */
  send(item: T): Future<void> {
    return new SendFuture(this.out, this.encoder.encode(item));
  }

  /**
   * Same as `send` (kept from kyoto's first `Framed`).
   *
   * @example
   * ```ts
   * yield* out.writeFrame(item);
   * ```
   */
  writeFrame(item: T): Future<void> {
    return this.send(item);
  }

  /**
   * Bytes fed and not yet written.
   *
   * @example
   * ```ts
   * if (out.buffered() > 0) yield* out.flush();
   * ```
   */
  buffered(): number {
    return this.out.buffered();
  }
}

/** Writes `bytes` through the buffer (writing it out first when full). */
class FeedFuture extends Future<void> {
  private off = 0;
  constructor(
    private readonly out: BufWriter<AsyncWrite | FutureWrite>,
    private readonly bytes: Buffer,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    // Large items go out without a copy; small ones are buffered once the buffer drained.
    const b = this.bytes;
    while (this.off < b.length) {
      const n = this.out.pollWriteOwned(cx, this.off === 0 ? b : b.subarray(this.off));
      if (n === Pending) return Pending;
      this.off += n;
    }
    return undefined;
  }
}

class SendFuture extends Future<void> {
  private fed: FeedFuture | null;
  constructor(
    private readonly out: BufWriter<AsyncWrite | FutureWrite>,
    bytes: Buffer,
  ) {
    super();
    this.fed = bytes.length < DIRECT && out.tryBuffer(bytes) ? null : new FeedFuture(out, bytes);
  }
  poll(cx: Context): Poll<void> {
    const f = this.fed;
    if (f !== null) {
      if (f.poll(cx) === Pending) return Pending;
      this.fed = null;
    }
    return this.out.pollFlush(cx);
  }
}

/** Holds nothing of its own, so one per `FramedWrite` serves every `flush()`. */
class FramedFlushFuture extends Future<void> {
  constructor(private readonly out: BufWriter<AsyncWrite | FutureWrite>) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.out.pollFlush(cx);
  }
}
