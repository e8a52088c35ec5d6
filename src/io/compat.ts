/**
 * Adapters from the older future-returning reader/writer shapes (`read` / `readChunk`,
 * `writeAll` / `writeChunk` / `flush` / `shutdown`) to the poll-based traits, so a reader or
 * writer written against kyoto's first I/O helpers still works with `BufReader`, `copy` and
 * `Framed`.
 *
 * Invariants: the read adapter keeps the bytes a short read did not take (`leftover`) and the
 * future in flight across polls, so it is as cancel-safe as the source; the write adapter
 * accepts a buffer by copying it and starting the source's write, and every later poll first
 * finishes that write, so bytes go out in order, each once. Tested in test/net/io.test.ts
 * (its `MemReader` has the older shape).
 * @module
 */
import { Pending, type Context, type Future, type Poll } from '../future/future.js';
import type { AsyncRead, AsyncWrite } from './traits.js';

/**
 * The older reader shape: a `read(buf)` future (and optionally `readChunk()`).
 *
 * @example
 * ```ts
 * const legacy: FutureRead = { read: (buf) => ready(0) };
 * const br = new BufReader(legacy); // adapted to AsyncRead
 * ```
 */
export interface FutureRead {
  read(buf: Uint8Array): Future<number>;
  readChunk?(): Future<Buffer | null>;
}

/**
 * The older writer shape: a `writeAll(buf)` future (and optionally `writeChunk`, `flush`, `shutdown`).
 *
 * @example
 * ```ts
 * yield* copy(stream, { writeAll: (b) => ready(void out.push(Buffer.from(b))) });
 * ```
 */
export interface FutureWrite {
  writeAll(buf: Uint8Array): Future<void>;
  writeChunk?(chunk: Uint8Array): Future<void>;
  flush?(): Future<void>;
  shutdown?(): Future<void>;
}

class FutureReadAdapter implements AsyncRead {
  private f: Future<Buffer | null> | Future<number> | null = null;
  private leftover: Buffer | null = null;
  private scratch: Buffer | null = null;
  constructor(private readonly src: FutureRead) {}

  pollReadChunk(cx: Context): Poll<Buffer | null> {
    const left = this.leftover;
    if (left !== null) {
      this.leftover = null;
      return left;
    }
    const src = this.src;
    if (src.readChunk !== undefined) {
      const f = (this.f ??= src.readChunk()) as Future<Buffer | null>;
      const c = f.poll(cx);
      if (c === Pending) return Pending;
      this.f = null;
      return c;
    }
    const s = (this.scratch ??= Buffer.allocUnsafe(8192));
    const f = (this.f ??= src.read(s)) as Future<number>;
    const n = f.poll(cx);
    if (n === Pending) return Pending;
    this.f = null;
    return n === 0 ? null : Buffer.from(s.subarray(0, n));
  }

  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    if (buf.length === 0) return 0;
    const c = this.pollReadChunk(cx);
    if (c === Pending) return Pending;
    if (c === null) return 0;
    const n = Math.min(c.length, buf.length);
    buf.set(n === c.length ? c : c.subarray(0, n));
    if (n < c.length) this.leftover = c.subarray(n);
    return n;
  }
}

class FutureWriteAdapter implements AsyncWrite {
  private f: Future<void> | null = null;
  private fin: Future<void> | null = null;
  constructor(private readonly src: FutureWrite) {}

  /** Finishes the write in flight; false while it is pending. */
  private drain(cx: Context): boolean {
    const f = this.f;
    if (f === null) return true;
    if (f.poll(cx) === Pending) return false;
    this.f = null;
    return true;
  }

  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    return this.start(cx, buf, false);
  }

  pollWriteOwned(cx: Context, buf: Uint8Array): Poll<number> {
    return this.start(cx, buf, true);
  }

  private start(cx: Context, buf: Uint8Array, owned: boolean): Poll<number> {
    if (!this.drain(cx)) return Pending;
    if (buf.length === 0) return 0;
    const src = this.src;
    this.f = owned && src.writeChunk !== undefined ? src.writeChunk(buf) : src.writeAll(Buffer.from(buf));
    this.drain(cx);
    return buf.length;
  }

  pollFlush(cx: Context): Poll<void> {
    if (!this.drain(cx)) return Pending;
    const fl = this.src.flush;
    if (fl === undefined) return undefined;
    const f = (this.fin ??= fl.call(this.src));
    if (f.poll(cx) === Pending) return Pending;
    this.fin = null;
    return undefined;
  }

  pollShutdown(cx: Context): Poll<void> {
    if (!this.drain(cx)) return Pending;
    const sh = this.src.shutdown;
    if (sh === undefined) return undefined;
    const f = (this.fin ??= sh.call(this.src));
    if (f.poll(cx) === Pending) return Pending;
    this.fin = null;
    return undefined;
  }
}

/**
 * `r` itself when it implements `AsyncRead`, else an adapter over its `read` / `readChunk`.
 *
 * @example
 * ```ts
 * const r = asAsyncRead(legacyReader);
 * ```
 */
export function asAsyncRead(r: AsyncRead | FutureRead): AsyncRead {
  if (typeof (r as AsyncRead).pollRead === 'function') return r as AsyncRead;
  if (typeof (r as FutureRead).read !== 'function') throw new TypeError('expected an AsyncRead (pollRead) or a reader with read(buf)');
  return new FutureReadAdapter(r as FutureRead);
}

/**
 * `w` itself when it implements `AsyncWrite`, else an adapter over its `writeAll` / `writeChunk`.
 *
 * @example
 * ```ts
 * const w = asAsyncWrite(legacyWriter);
 * ```
 */
export function asAsyncWrite(w: AsyncWrite | FutureWrite): AsyncWrite {
  if (typeof (w as AsyncWrite).pollWrite === 'function') return w as AsyncWrite;
  if (typeof (w as FutureWrite).writeAll !== 'function') throw new TypeError('expected an AsyncWrite (pollWrite) or a writer with writeAll(buf)');
  return new FutureWriteAdapter(w as FutureWrite);
}
