/**
 * The delimiter futures of `BufReader` (`readUntil`, `readLine`) over the small interface they
 * need, so they do not import `BufReader` itself.
 *
 * Invariant: they hold no bytes of their own (everything stays in the reader's buffer until a
 * whole record is taken), so a dropped `readLine` / `readUntil` loses nothing and the next call
 * starts where it stopped. Tested in test/net/io.test.ts (property: any chunking gives the lines).
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { IoError } from './error.js';

/** @internal what the delimiter futures need from a buffered reader. */
export interface DelimitedSource {
  readonly maxLength: number;
  buffer(): Buffer;
  /** The index just past `byte` in the buffer, or -1 (scanning only new bytes). */
  findDelimiter(byte: number): number;
  /** Takes `n` bytes out of the buffer. */
  take(n: number): Buffer;
  /** Reads one more chunk into the buffer; false at EOF. */
  pollFill(cx: Context): Poll<boolean>;
}

/** @internal */
export class UntilFuture extends Future<Buffer | string | null> {
  constructor(
    private readonly br: DelimitedSource,
    private readonly byte: number,
    private readonly line: boolean,
  ) {
    super();
  }
  poll(cx: Context): Poll<Buffer | string | null> {
    const br = this.br;
    for (;;) {
      const end = br.findDelimiter(this.byte);
      if (end > 0) {
        if (end - 1 > br.maxLength) throw tooLong(br.maxLength);
        return this.finish(br.take(end), true);
      }
      if (br.buffer().length > br.maxLength) throw tooLong(br.maxLength);
      const more = br.pollFill(cx);
      if (more === Pending) return Pending;
      if (!more) {
        const rest = br.buffer();
        if (rest.length === 0) return null;
        return this.finish(br.take(rest.length), false);
      }
    }
  }
  private finish(b: Buffer, delimited: boolean): Buffer | string {
    if (!this.line) return b;
    let n = b.length;
    if (delimited) {
      n--;
      if (n > 0 && b[n - 1] === 0x0d) n--;
    }
    return b.toString('utf8', 0, n);
  }
}

function tooLong(max: number): IoError {
  return new IoError('FRAME_TOO_LONG', `BufReader: a line or record is longer than maxLength ${max} bytes`);
}
