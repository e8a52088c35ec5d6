/**
 * `readToEnd(r)`: every byte of any `AsyncRead` until EOF, as one Buffer.
 *
 * Invariants: the bytes come out in order, each once; memory is the total plus at most one
 * chunk; `maxBytes` (default unbounded) turns a source that never ends into `IoError`
 * `FRAME_TOO_LONG` instead of an out-of-memory crash. Not cancel-safe: what was read before a
 * drop is lost with the future. Tested in test/net/traits.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../../future/future.js';
import { IoError } from '../error.js';
import type { AsyncRead } from '../traits.js';
import { ReadChunkFuture } from './read.js';

class ReadToEndFuture extends Future<Buffer> {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private readonly chunk: ReadChunkFuture;
  constructor(
    r: AsyncRead,
    private readonly maxBytes: number,
  ) {
    super();
    this.chunk = new ReadChunkFuture(r);
  }
  poll(cx: Context): Poll<Buffer> {
    for (;;) {
      const c = this.chunk.poll(cx);
      if (c === Pending) return Pending;
      if (c === null) return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.total);
      this.total += c.length;
      if (this.total > this.maxBytes) throw new IoError('FRAME_TOO_LONG', `readToEnd: the source gave more than maxBytes ${this.maxBytes} bytes`);
      this.chunks.push(c);
    }
  }
}

/**
 * Reads everything until EOF. `maxBytes` bounds it (`IoError` `FRAME_TOO_LONG` beyond).
 *
 * @example
 * ```ts
 * yield* stream.shutdown();
 * const reply = (yield* readToEnd(stream)).toString();
 * ```
 */
export function readToEnd(r: AsyncRead, opts: { maxBytes?: number } = {}): Future<Buffer> {
  const max = opts.maxBytes ?? Infinity;
  if (!(max >= 0)) throw new RangeError(`readToEnd maxBytes must be >= 0, got ${String(opts.maxBytes)}`);
  return new ReadToEndFuture(r, max);
}
