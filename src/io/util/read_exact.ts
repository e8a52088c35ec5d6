/**
 * `readExact(r, buf)`: fill `buf` completely from any `AsyncRead`.
 *
 * Invariant: the future completes only with `buf` full, or throws `IoError` `UNEXPECTED_EOF`
 * naming how many bytes arrived. Not cancel-safe: bytes read before a drop are in `buf` but
 * not accounted for (Tokio's `read_exact` says the same). Tested in test/net/traits.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../../future/future.js';
import { IoError } from '../error.js';
import type { AsyncRead } from '../traits.js';

/** @internal */
export class ReadExactFuture extends Future<void> {
  private filled = 0;
  constructor(
    private readonly r: AsyncRead,
    private readonly buf: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const buf = this.buf;
    while (this.filled < buf.length) {
      const n = this.r.pollRead(cx, buf.subarray(this.filled));
      if (n === Pending) return Pending;
      if (n === 0) {
        throw new IoError('UNEXPECTED_EOF', `readExact from ${labelOf(this.r)} failed: the stream ended after ${this.filled} of ${buf.length} bytes`);
      }
      this.filled += n;
    }
    return undefined;
  }
}

/**
 * Fills `buf` completely. Throws `IoError` code `UNEXPECTED_EOF` if the source ends first.
 * Not cancel-safe.
 *
 * @example
 * ```ts
 * const header = Buffer.alloc(4);
 * yield* readExact(stream, header);
 * ```
 */
export function readExact(r: AsyncRead, buf: Uint8Array): Future<void> {
  return new ReadExactFuture(r, buf);
}

/** The source's own label (sockets have one) for error messages, computed only on failure. */
function labelOf(r: AsyncRead): string {
  const l = (r as { label?: () => string }).label;
  return typeof l === 'function' ? l.call(r) : 'the reader';
}
