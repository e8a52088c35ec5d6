/**
 * `BufReader`: buffered reading with `readLine` and `readUntil`.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { IoError } from './error.js';
import type { AsyncRead } from './traits.js';

/** Options of `new BufReader(reader, opts)`. */
export interface BufReaderOptions {
  /** Scratch size when the reader has no `readChunk` (default 8 KiB). */
  capacity?: number;
  /** Longest line / delimited record accepted; longer ones throw `IoError` `FRAME_TOO_LONG`. Default 64 KiB. */
  maxLength?: number;
}

const NL = 0x0a;

/**
 * Adds a buffer to a reader: line and delimiter reads, `fillBuf` / `consume`. The buffered bytes
 * live in the `BufReader`, not in the futures, so `readLine`, `readUntil` and `read` are all
 * cancel-safe: a dropped call loses nothing and the next call starts where it stopped.
 *
 * @example
 * ```ts
 * const rd = new BufReader(stream);
 * for (let line = yield* rd.readLine(); line !== null; line = yield* rd.readLine()) {
 *   console.log('got', line);
 * }
 * ```
 */
export class BufReader<R extends AsyncRead = AsyncRead> implements AsyncRead {
  /** Unconsumed bytes (a view; empty when nothing is buffered). */
  private buf: Buffer = Buffer.alloc(0);
  /** How far `buf` was searched for a delimiter already. */
  private scanned = 0;
  private eof = false;
  private fill: Future<Buffer | null> | null = null;
  private scratch: Buffer | null = null;
  /** Growable backing store `buf` lives in when chunks had to be joined (null: `buf` is a chunk). */
  private store: Buffer | null = null;
  /** Bytes of `store` in use (everything past it is free to append into). */
  private storeUsed = 0;
  readonly capacity: number;
  readonly maxLength: number;

  constructor(
    readonly inner: R,
    opts: BufReaderOptions = {},
  ) {
    this.capacity = opts.capacity ?? 8192;
    this.maxLength = opts.maxLength ?? 64 * 1024;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new RangeError(`BufReader capacity must be an integer >= 1, got ${String(opts.capacity)}`);
    if (!(this.maxLength >= 1)) throw new RangeError(`BufReader maxLength must be >= 1, got ${String(opts.maxLength)}`);
  }

  /** The bytes buffered now (do not keep the view past the next call). */
  buffer(): Buffer {
    return this.buf;
  }

  /** Marks `n` buffered bytes as used. */
  consume(n: number): void {
    if (n < 0 || n > this.buf.length) throw new RangeError(`consume(${n}): only ${this.buf.length} bytes are buffered`);
    this.buf = this.buf.subarray(n);
    this.scanned = Math.max(0, this.scanned - n);
  }

  /** True once the inner reader reported EOF. */
  isEof(): boolean {
    return this.eof;
  }

  /** @internal reads one more chunk into the buffer; false at EOF. */
  pollFill(cx: Context): Poll<boolean> {
    if (this.eof) return false;
    let f = this.fill;
    if (f === null) f = this.fill = this.makeFill();
    const c = f.poll(cx);
    if (c === Pending) return Pending;
    this.fill = null;
    if (c === null) {
      this.eof = true;
      return false;
    }
    this.append(c);
    return true;
  }

  /**
   * Appends with an amortised doubling store, so a long record arriving in many chunks costs
   * O(n) copying. Bytes already handed out as views are never overwritten.
   */
  private append(c: Buffer): void {
    const cur = this.buf;
    if (cur.length === 0) {
      this.buf = c;
      this.store = null;
      return;
    }
    const st = this.store;
    const total = cur.length + c.length;
    if (st !== null && st.length - this.storeUsed >= c.length) {
      st.set(c, this.storeUsed);
      const begin = this.storeUsed - cur.length;
      this.storeUsed += c.length;
      this.buf = st.subarray(begin, this.storeUsed);
      return;
    }
    const next = Buffer.allocUnsafe(Math.max(total * 2, 4096));
    next.set(cur, 0);
    next.set(c, cur.length);
    this.store = next;
    this.storeUsed = total;
    this.buf = next.subarray(0, total);
  }

  private makeFill(): Future<Buffer | null> {
    const r = this.inner;
    if (r.readChunk !== undefined) return r.readChunk();
    return new ScratchRead(r, (this.scratch ??= Buffer.allocUnsafe(this.capacity)));
  }

  /** @internal the index just past `byte` in the buffer, or -1 (scanning only new bytes). */
  findDelimiter(byte: number): number {
    const i = this.buf.indexOf(byte, this.scanned);
    if (i < 0) {
      this.scanned = this.buf.length;
      return -1;
    }
    this.scanned = 0;
    return i + 1;
  }

  /** @internal takes `n` bytes out of the buffer. */
  take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.scanned = 0;
    return out;
  }

  /**
   * Reads through the next `byte` (included in the result). At EOF gives what is left (without
   * the delimiter), then null. Throws `IoError` `FRAME_TOO_LONG` past `maxLength`. Cancel-safe.
   *
   * @example
   * ```ts
   * const record = yield* rd.readUntil(0x00); // NUL-terminated
   * ```
   */
  readUntil(byte: number): Future<Buffer | null> {
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new RangeError(`readUntil: the delimiter must be a byte 0..255, got ${String(byte)}`);
    return new UntilFuture(this, byte, false) as Future<Buffer | null>;
  }

  /**
   * Reads the next line as a string without its `\n` / `\r\n`; null at EOF. Cancel-safe.
   *
   * @example
   * ```ts
   * const line = yield* rd.readLine();
   * if (line === null) return; // EOF
   * ```
   */
  readLine(): Future<string | null> {
    return new UntilFuture(this, NL, true) as Future<string | null>;
  }

  /**
   * Reads buffered bytes first, then from the inner reader. Cancel-safe.
   *
   * @example
   * ```ts
   * const n = yield* rd.read(buf);
   * ```
   */
  read(buf: Uint8Array): Future<number> {
    return new BufReadFuture(this, buf);
  }

  /**
   * The buffered bytes if any, else the next chunk of the inner reader; null at EOF.
   *
   * @example
   * ```ts
   * const c = yield* rd.readChunk();
   * ```
   */
  readChunk(): Future<Buffer | null> {
    return new BufChunkFuture(this);
  }
}

class ScratchRead extends Future<Buffer | null> {
  private f: Future<number> | null = null;
  constructor(
    private readonly r: AsyncRead,
    private readonly scratch: Buffer,
  ) {
    super();
  }
  poll(cx: Context): Poll<Buffer | null> {
    const f = (this.f ??= this.r.read(this.scratch));
    const n = f.poll(cx);
    if (n === Pending) return Pending;
    this.f = null;
    return n === 0 ? null : Buffer.from(this.scratch.subarray(0, n));
  }
  override drop(): void {
    this.f?.drop();
    this.f = null;
  }
}

class UntilFuture extends Future<Buffer | string | null> {
  constructor(
    private readonly br: BufReader,
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

class BufReadFuture extends Future<number> {
  constructor(
    private readonly br: BufReader,
    private readonly out: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    const br = this.br;
    if (this.out.length === 0) return 0;
    if (br.buffer().length === 0) {
      const more = br.pollFill(cx);
      if (more === Pending) return Pending;
      if (!more) return 0;
    }
    const b = br.buffer();
    const n = Math.min(b.length, this.out.length);
    this.out.set(b.subarray(0, n));
    br.consume(n);
    return n;
  }
}

class BufChunkFuture extends Future<Buffer | null> {
  constructor(private readonly br: BufReader) {
    super();
  }
  poll(cx: Context): Poll<Buffer | null> {
    const br = this.br;
    if (br.buffer().length === 0) {
      const more = br.pollFill(cx);
      if (more === Pending) return Pending;
      if (!more) return null;
    }
    return br.take(br.buffer().length);
  }
}
