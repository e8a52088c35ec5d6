/**
 * `SocketStream`: the reading and writing machinery shared by `TcpStream` and `UnixStream`,
 * over a transport's `RawStream` (node:net by default, see `net/sys.ts`).
 *
 * A read takes whatever the transport has buffered (`raw.read()`); if there is nothing, it
 * clears the READABLE bit, stores the reader waker and returns Pending; the transport's
 * `onReadable` sets the bit again and wakes the reader. The transport stops reading from the
 * kernel once its buffer holds a high-water mark, so a task that does not read pushes back on
 * the peer through TCP flow control. A write is Pending while the transport's write buffer is
 * over its high-water mark and resumes on `onDrain`. Invariants: reads are cancel-safe (a
 * Pending read consumed nothing; a short read keeps the rest in `leftover`); one write hands at
 * most `MAX_WRITE` bytes to the transport, so one call cannot buffer without bound; an error is
 * reported by the operation it concerns (a write after the peer's reset says "write").
 * Tested in test/net/tcp.test.ts, backpressure.test.ts, cancel.test.ts and traits.test.ts.
 * @module
 */
import type { Socket } from 'node:net';
import { Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ioDriver } from '../runtime/io/driver.js';
import {
  ERROR,
  READABLE,
  READ_CLOSED,
  Registration,
  WRITABLE,
  WRITE_CLOSED,
  type RegistrationOwner,
} from '../runtime/io/registration.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { IoError, toIoError } from '../io/error.js';
import type { Future } from '../future/future.js';
import type { AsyncRead, AsyncWrite } from '../io/traits.js';
import { ReadChunkFuture, ReadFuture } from '../io/util/read.js';
import { ReadExactFuture } from '../io/util/read_exact.js';
import { WriteAllFuture, WriteFuture } from '../io/util/write.js';
import { FlushFuture, ShutdownFuture } from '../io/util/flush.js';
import { NodeStream } from './node_stream.js';
import { RAW_CLOSED, RAW_FULL, type RawStream, type RawStreamEvents } from './sys.js';

/** Largest piece a single `write` hands to the socket (bounds what one write can buffer). */
export const MAX_WRITE = 64 * 1024;

/** @internal flag bits of SocketStream. */
const F_FLUSH_PENDING = 1;
const F_FINISHED = 2;
const F_CONNECTING = 4;

/**
 * A connected byte stream (TCP or Unix). Use the subclasses `TcpStream` / `UnixStream`.
 *
 * @example
 * ```ts
 * const n = yield* stream.read(buf);      // 0 at EOF
 * yield* stream.writeAll(buf.subarray(0, n));
 * ```
 */
export abstract class SocketStream implements RegistrationOwner, AsyncRead, AsyncWrite, RawStreamEvents {
  /** @internal the reactor registration. */
  readonly reg: Registration;
  /** @internal the transport's stream. */
  readonly raw: RawStream;
  /** @internal bytes returned by the socket but not yet given to a reader (from a short read). */
  leftover: Buffer | null = null;
  /** @internal F_* bits (one field keeps an idle connection small). */
  flags = 0;
  /** @internal the one `readChunk()` future of this stream (it holds no state, so it is reused). */
  private chunkFuture: ReadChunkFuture | null = null;

  /** @internal wraps a transport stream (or a Node socket, for the default transport). */
  constructor(raw: RawStream | Socket, kind: string) {
    const r: RawStream = raw instanceof NodeStream || !isNodeSocket(raw) ? (raw as RawStream) : new NodeStream(raw);
    this.raw = r;
    this.reg = new Registration(kind, ioDriver(), this);
    if (r.isConnecting()) this.flags |= F_CONNECTING;
    else if (!r.isDestroyed() && r.writeState() !== RAW_FULL) this.reg.readiness |= WRITABLE;
    r.attach(this);
    trackResource(this);
  }

  /**
   * The underlying Node socket (kyoto reads it: do not attach 'data' listeners or call `read()`). Only streams of
   * Node's transport have one: under a simulated network this throws `IoError` `UNSUPPORTED`.
   *
   * @example
   * ```ts
   * stream.socket.setTimeout(0);
   * ```
   */
  get socket(): Socket {
    const r = this.raw;
    if (r instanceof NodeStream) return r.socket;
    throw new IoError('UNSUPPORTED', `${this.label()}: this stream has no Node socket (it runs over a non-Node transport)`);
  }

  /** @internal transport events (`RawStreamEvents`). */
  onReadable(): void {
    const reg = this.reg;
    reg.driver.counters.readReadyEvents++;
    reg.setReadiness(READABLE);
  }
  /** @internal */
  onConnect(): void {
    this.flags &= ~F_CONNECTING;
    this.reg.setReadiness(WRITABLE);
  }
  /** @internal */
  onDrain(): void {
    this.reg.setReadiness(WRITABLE);
  }
  /** @internal */
  onFlushed(): void {
    this.flags &= ~F_FLUSH_PENDING;
    this.reg.wakeWriter();
  }
  /** @internal */
  onFinish(): void {
    this.flags |= F_FINISHED;
    this.reg.wakeWriter();
  }
  /** @internal */
  onError(err: Error): void {
    this.reg.driver.counters.socketErrors++;
    this.reg.setError(toIoError(err, (this.flags & F_CONNECTING) !== 0 ? 'connect to' : 'I/O on', this.label()));
  }
  /** @internal */
  onClose(): void {
    this.reg.deregister();
  }

  /** @internal label for dumps and error messages. */
  abstract label(): string;

  /** @internal runtime shutdown: close at once. */
  forceClose(): void {
    this.raw.destroy();
  }

  /** @internal console listing. */
  resourceInfo(): ResourceInfo {
    return {
      kind: this.reg.kind,
      label: this.label(),
      waiters: (this.reg.reader !== null ? 1 : 0) + (this.reg.writer !== null ? 1 : 0),
      details: {
        bufferedRead: this.raw.readableLength() + (this.leftover?.length ?? 0),
        bufferedWrite: this.raw.writableLength(),
        open: this.reg.isOpen(),
      },
    };
  }

  /** `AsyncRead`, zero-copy: the next chunk the socket received (yours), null at EOF. Cancel-safe. */
  pollReadChunk(cx: Context): Poll<Buffer | null> {
    const reg = this.reg;
    let chunk = this.leftover;
    if (chunk !== null) {
      if (!pollProceed(cx)) return Pending;
      this.leftover = null;
      return chunk;
    }
    if ((reg.readiness & ERROR) !== 0) throw this.readError();
    const raw = this.raw;
    chunk = raw.read();
    if (chunk !== null) {
      if (!pollProceed(cx)) {
        this.leftover = chunk;
        return Pending;
      }
      reg.driver.counters.bytesRead += chunk.length;
      return chunk;
    }
    if ((reg.readiness & READ_CLOSED) !== 0 || raw.eofReceived()) {
      if (!pollProceed(cx)) return Pending;
      if ((reg.readiness & READ_CLOSED) === 0) {
        reg.readiness |= READ_CLOSED;
        raw.consumeEof();
      }
      return null;
    }
    reg.clearReadiness(READABLE);
    reg.registerReader(cx);
    return Pending;
  }

  /** `AsyncRead`: reads into `buf`, bytes read, 0 at EOF. Cancel-safe. */
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    if (buf.length === 0) return 0;
    const chunk = this.pollReadChunk(cx);
    if (chunk === Pending) return Pending;
    if (chunk === null) return 0;
    const n = Math.min(chunk.length, buf.length);
    if (n === chunk.length) buf.set(chunk);
    else {
      buf.set(chunk.subarray(0, n));
      this.leftover = chunk.subarray(n);
    }
    return n;
  }

  /** The connection's error as seen by a reader. */
  private readError(): IoError {
    return this.reg.error as IoError;
  }

  /**
   * The error a write reports: the connection's error restated as a write failure (after a
   * peer's reset Node reports `read ECONNRESET`, which would mislead a writer), or EPIPE.
   */
  private writeError(): IoError {
    const e = this.reg.error;
    if ((this.reg.readiness & ERROR) !== 0 && e !== null) {
      const code = e instanceof IoError ? e.code : 'EIO';
      const why = code === 'ECONNRESET' ? 'the connection was reset by the peer' : code === 'EPIPE' ? 'the peer closed the connection' : (e.cause instanceof Error ? e.cause.message : e.message);
      return new IoError(code, `write to ${this.label()} failed: ${why}`, { cause: e, syscall: 'write', address: this.label() });
    }
    return new IoError('EPIPE', `write to ${this.label()} failed: the stream was shut down or closed`);
  }

  /** `AsyncWrite`: writes up to MAX_WRITE bytes of `buf` (copied: `buf` may be reused at once). */
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    return this.pollWriteSome(cx, buf, false);
  }

  /** `AsyncWrite`, zero-copy: like `pollWrite`, but the socket keeps `buf` (do not modify it). */
  pollWriteOwned(cx: Context, buf: Uint8Array): Poll<number> {
    return this.pollWriteSome(cx, buf, true);
  }

  /** `owned`: the caller gives up the buffer (no copy); otherwise the bytes are copied. */
  private pollWriteSome(cx: Context, buf: Uint8Array, owned: boolean): Poll<number> {
    const raw = this.raw;
    const st = raw.writeState();
    if ((this.reg.readiness & (ERROR | WRITE_CLOSED)) !== 0 || st === RAW_CLOSED) throw this.writeError();
    if (st === RAW_FULL) {
      this.reg.clearReadiness(WRITABLE);
      this.reg.registerWriter(cx);
      this.reg.driver.counters.writePendingCount++;
      return Pending;
    }
    if (!pollProceed(cx)) return Pending;
    let n = buf.length;
    if (n === 0) return 0;
    let out: Buffer;
    if (n > MAX_WRITE) {
      n = MAX_WRITE;
      out = Buffer.from(buf.subarray(0, n));
    } else if (owned) {
      out = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, n);
    } else {
      out = Buffer.allocUnsafe(n);
      out.set(buf);
    }
    raw.write(out);
    this.reg.driver.counters.bytesWritten += n;
    return n;
  }

  /** `AsyncWrite`: ready once everything written so far left the socket's buffer. */
  pollFlush(cx: Context): Poll<void> {
    const raw = this.raw;
    if (raw.writableLength() === 0 || raw.isDestroyed()) {
      if ((this.reg.readiness & ERROR) !== 0) throw this.writeError();
      return undefined;
    }
    if ((this.flags & F_FLUSH_PENDING) === 0) {
      this.flags |= F_FLUSH_PENDING;
      raw.flush();
    }
    this.reg.registerWriter(cx);
    return Pending;
  }

  /** `AsyncWrite`: half-close, flush and send FIN; ready once done. */
  pollShutdown(cx: Context): Poll<void> {
    const raw = this.raw;
    if ((this.reg.readiness & ERROR) !== 0) throw this.writeError();
    if ((this.flags & F_FINISHED) !== 0 || raw.isFinished() || raw.isDestroyed()) return undefined;
    this.reg.clearReadiness(WRITABLE);
    raw.end();
    if ((this.flags & F_FINISHED) !== 0) return undefined;
    this.reg.registerWriter(cx);
    return Pending;
  }

  /**
   * Reads into `buf`: the number of bytes read (at least 1), or 0 at EOF. Cancel-safe: a read
   * dropped while pending loses no bytes. Bytes beyond `buf.length` stay for the next read.
   *
   * @example
   * ```ts
   * const buf = Buffer.alloc(1024);
   * const n = yield* stream.read(buf);
   * if (n === 0) return; // the peer closed its side
   * ```
   */
  read(buf: Uint8Array): Future<number> {
    return new ReadFuture(this, buf);
  }

  /**
   * Fills `buf` completely. Throws `IoError` code `UNEXPECTED_EOF` if the stream ends first.
   * Not cancel-safe: bytes read before a cancellation are in `buf` but not accounted for.
   *
   * @example
   * ```ts
   * const header = Buffer.alloc(4);
   * yield* stream.readExact(header);
   * ```
   */
  readExact(buf: Uint8Array): Future<void> {
    return new ReadExactFuture(this, buf);
  }

  /**
   * The next chunk libuv received, without copying (a Buffer that is yours), or null at EOF.
   * Cancel-safe. The cheapest way to read.
   *
   * @example
   * ```ts
   * for (let c = yield* stream.readChunk(); c !== null; c = yield* stream.readChunk()) handle(c);
   * ```
   */
  readChunk(): Future<Buffer | null> {
    return (this.chunkFuture ??= new ReadChunkFuture(this));
  }

  /**
   * Writes some of `buf` (up to 64 KiB) and gives the count. Pending while the socket's write
   * buffer is over its high-water mark. The bytes are copied: `buf` may be reused at once.
   *
   * @example
   * ```ts
   * const n = yield* stream.write(Buffer.from('hello'));
   * ```
   */
  write(buf: Uint8Array): Future<number> {
    return new WriteFuture(this, buf);
  }

  /**
   * Writes all of `buf`, waiting for the socket to drain between pieces (memory stays bounded).
   * The bytes are copied: `buf` may be reused at once. Not cancel-safe (a prefix may be sent).
   *
   * @example
   * ```ts
   * yield* stream.writeAll(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'));
   * ```
   */
  writeAll(buf: Uint8Array): Future<void> {
    return new WriteAllFuture(this, buf, false);
  }

  /**
   * Like `writeAll`, but hands `chunk` to the socket without copying: the caller must not modify
   * it afterwards. Pairs with `readChunk` for zero-copy forwarding.
   *
   * @example
   * ```ts
   * const c = yield* stream.readChunk();
   * if (c !== null) yield* stream.writeChunk(c); // echo, no copy
   * ```
   */
  writeChunk(chunk: Uint8Array): Future<void> {
    return new WriteAllFuture(this, chunk, true);
  }

  /**
   * Ready once everything written so far has left the socket's user-space buffer (handed to
   * the kernel).
   *
   * @example
   * ```ts
   * yield* stream.writeAll(reply); yield* stream.flush();
   * ```
   */
  flush(): Future<void> {
    return new FlushFuture(this);
  }

  /**
   * Half-closes the stream: flushes, then sends FIN. Reading still works (the peer may keep
   * sending); writing afterwards throws `IoError` code `EPIPE`.
   *
   * @example
   * ```ts
   * yield* stream.writeAll(request);
   * yield* stream.shutdown();          // tell the peer we are done
   * const reply = yield* readToEnd(stream);
   * ```
   */
  shutdown(): Future<void> {
    return new ShutdownFuture(this);
  }

  /**
   * Ready once the socket reported data, EOF or an error since the last read that found
   * nothing (as in Tokio, readiness can be stale: a read may still find nothing). Cancel-safe.
   *
   * @example
   * ```ts
   * yield* stream.readable();
   * ```
   */
  readable(): Future<void> {
    return this.reg.readable();
  }

  /**
   * Ready once a write would not wait (below the high-water mark), or the stream failed.
   *
   * @example
   * ```ts
   * yield* stream.writable();
   * ```
   */
  writable(): Future<void> {
    return this.reg.writable();
  }

  /**
   * Closes both directions at once (pending writes are discarded). Idempotent.
   *
   * @example
   * ```ts
   * try { yield* handle(stream); } finally { stream.close(); }
   * ```
   */
  close(): void {
    this.raw.destroy();
  }

  /** `using stream = ...` closes the stream at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * True until the socket closed.
   *
   * @example
   * ```ts
   * if (!stream.isOpen()) return;
   * ```
   */
  isOpen(): boolean {
    return this.reg.isOpen();
  }
}

/** True for a node:net Socket (the constructor also accepts one, for the default transport). */
function isNodeSocket(x: unknown): x is Socket {
  return typeof (x as Socket).setNoDelay === 'function' && typeof (x as Socket).pause === 'function' && typeof (x as RawStream).attach !== 'function';
}
