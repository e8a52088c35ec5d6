/**
 * `BufReader`: a buffer in front of any `AsyncRead`, itself an `AsyncBufRead`, with `readLine`,
 * `readUntil` and `lines()`.
 *
 * Invariants: the buffered bytes live in the `BufReader`, not in the futures, so `readLine`,
 * `readUntil`, `read` and `readChunk` are cancel-safe; bytes already handed out as views are
 * never overwritten (appending goes to fresh space); a record longer than `maxLength` throws
 * `IoError` `FRAME_TOO_LONG` instead of growing the buffer without bound. A source with
 * `pollReadChunk` (a socket) fills the buffer without a copy. Why its numbers: 8 KiB scratch
 * for sources without chunks (a page-sized read), 64 KiB `maxLength` (a generous text line).
 * Tested in test/net/io.test.ts and test/net/traits.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import type { Stream } from '../stream/stream.js';
import { lines } from '../stream/adapters.js';
import { asAsyncRead, type FutureRead } from './compat.js';
import { UntilFuture } from './buf_reader_futures.js';
import type { AsyncBufRead, AsyncRead } from './traits.js';
import { ReadChunkFuture, ReadFuture } from './util/read.js';
import { checkInt } from '../util/args.js';

/** Options of `new BufReader(reader, opts)`. */
export interface BufReaderOptions {
  /** Scratch size when the reader has no `pollReadChunk` (default 8 KiB). */
  capacity?: number;
  /** Longest line / delimited record accepted; longer ones throw `IoError` `FRAME_TOO_LONG`. Default 64 KiB. */
  maxLength?: number;
}

const NL = 0x0a;
const EMPTY = Buffer.alloc(0);

/**
 * Adds a buffer to a reader: line and delimiter reads, `pollFillBuf` / `consume`.
 *
 * @example
 * ```ts
 * const rd = new BufReader(stream);
 * for (let line = yield* rd.readLine(); line !== null; line = yield* rd.readLine()) {
 *   console.log('got', line);
 * }
 * ```
 */
export class BufReader<R extends AsyncRead | FutureRead = AsyncRead> implements AsyncBufRead {
  /** Unconsumed bytes (a view; empty when nothing is buffered). */
  private buf: Buffer = EMPTY;
  /** How far `buf` was searched for a delimiter already. */
  private scanned = 0;
  private eof = false;
  private readonly src: AsyncRead;
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
    this.capacity = checkInt('BufReader capacity', opts.capacity ?? 8192, 1, 0x40000000);
    this.maxLength = opts.maxLength ?? 64 * 1024;
    if (!(this.maxLength >= 1)) throw new RangeError(`BufReader maxLength must be >= 1, got ${String(opts.maxLength)}`);
    this.src = asAsyncRead(inner);
  }

  /**
   * The bytes buffered now (do not keep the view past the next call).
   *
   * @example
   * ```ts
   * const head = rd.buffer().subarray(0, 4);
   * ```
   */
  buffer(): Buffer {
    return this.buf;
  }

  /**
   * `AsyncBufRead`: marks `n` buffered bytes as used.
   *
   * @example
   * ```ts
   * rd.consume(rd.buffer().length); // drop what is buffered
   * ```
   */
  consume(n: number): void {
    if (n < 0 || n > this.buf.length) throw new RangeError(`consume(${n}): only ${this.buf.length} bytes are buffered`);
    this.buf = n === this.buf.length ? EMPTY : this.buf.subarray(n);
    this.scanned = Math.max(0, this.scanned - n);
  }

  /**
   * True once the inner reader reported EOF.
   *
   * @example
   * ```ts
   * if (rd.isEof() && rd.buffer().length === 0) return;
   * ```
   */
  isEof(): boolean {
    return this.eof;
  }

  /** `AsyncBufRead`: the buffered bytes, reading more only when none are; empty at EOF. */
  pollFillBuf(cx: Context): Poll<Buffer> {
    if (this.buf.length === 0) {
      const more = this.pollFill(cx);
      if (more === Pending) return Pending;
    }
    return this.buf;
  }

  /** `AsyncRead`: buffered bytes first, then the inner reader. Cancel-safe. */
  pollRead(cx: Context, out: Uint8Array): Poll<number> {
    if (out.length === 0) return 0;
    const b = this.pollFillBuf(cx);
    if (b === Pending) return Pending;
    const n = Math.min(b.length, out.length);
    out.set(n === b.length ? b : b.subarray(0, n));
    this.consume(n);
    return n;
  }

  /** `AsyncRead`, zero-copy: everything buffered (or the next chunk) as one Buffer; null at EOF. */
  pollReadChunk(cx: Context): Poll<Buffer | null> {
    const b = this.pollFillBuf(cx);
    if (b === Pending) return Pending;
    if (b.length === 0) return null;
    return this.take(b.length);
  }

  /**
   * Reads one more chunk from the inner reader into the buffer; false at EOF. For parsers that
   * need more than what is buffered (a partial message): `pollFillBuf` only reads when empty.
   *
   * @example
   * ```ts
   * const more = rd.pollFill(cx); // inside a future's poll
   * if (more === Pending) return Pending;
   * ```
   */
  pollFill(cx: Context): Poll<boolean> {
    if (this.eof) return false;
    const src = this.src;
    let c: Buffer | null;
    if (src.pollReadChunk !== undefined) {
      const v = src.pollReadChunk(cx);
      if (v === Pending) return Pending;
      c = v === null || Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.length);
    } else {
      const s = (this.scratch ??= Buffer.allocUnsafe(this.capacity));
      const n = src.pollRead(cx, s);
      if (n === Pending) return Pending;
      c = n === 0 ? null : Buffer.from(s.subarray(0, n));
    }
    if (c === null) {
      this.eof = true;
      return false;
    }
    if (c.length > 0) this.append(c);
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
    if (st !== null && st.length - this.storeUsed >= c.length && cur.byteOffset + cur.length === st.byteOffset + this.storeUsed) {
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
    const b = this.buf;
    if (n === b.length) {
      this.buf = EMPTY;
      this.scanned = 0;
      return b;
    }
    const out = b.subarray(0, n);
    this.buf = b.subarray(n);
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
   * The lines (without their line endings) as a kyoto `Stream`, ending at EOF.
   *
   * @example
   * ```ts
   * yield* new BufReader(stream).lines().takeWhile((l) => l !== 'QUIT').forEach(handle);
   * ```
   */
  lines(): Stream<string> {
    return lines(this);
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
    return new ReadFuture(this, buf);
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
    return new ReadChunkFuture(this);
  }
}
