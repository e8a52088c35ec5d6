/**
 * `SocketStream`: the reading and writing machinery shared by `TcpStream` and `UnixStream`.
 *
 * The Node socket is driven in paused mode. A read takes whatever libuv has buffered
 * (`socket.read()`); if there is nothing, it clears the READABLE bit, stores the reader waker and
 * returns Pending; the socket's 'readable' event sets the bit again and wakes the reader. Node
 * stops reading from the kernel once its buffer holds a high-water mark, so a task that does not
 * read pushes back on the peer through TCP flow control. A write is Pending while the socket's
 * write buffer is over its high-water mark and resumes on 'drain'.
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

/** Largest piece a single `write` hands to the socket (bounds what one write can buffer). */
export const MAX_WRITE = 64 * 1024;

const KY: unique symbol = Symbol('kyoto.stream');
type KySocket = Socket & { [KY]: SocketStream };

// Listeners shared by every socket (`this` is the socket): no closure per connection.
function onReadable(this: KySocket): void {
  const s = this[KY];
  s.reg.driver.counters.readReadyEvents++;
  s.reg.setReadiness(READABLE);
}
function onConnect(this: KySocket): void {
  const s = this[KY];
  s.flags &= ~F_CONNECTING;
  s.reg.setReadiness(WRITABLE);
}
function onDrain(this: KySocket): void {
  const s = this[KY];
  s.flags &= ~F_DRAIN_LISTENER;
  s.reg.setReadiness(WRITABLE);
}
function onFinish(this: KySocket): void {
  const s = this[KY];
  s.flags |= F_FINISHED;
  s.reg.wakeWriter();
}
function onError(this: KySocket, err: Error): void {
  const s = this[KY];
  s.reg.driver.counters.socketErrors++;
  s.reg.setError(toIoError(err, (s.flags & F_CONNECTING) !== 0 ? 'connect to' : 'I/O on', s.label()));
}
function onClose(this: KySocket): void {
  this[KY].reg.deregister();
}
function onFlushed(this: KySocket): void {
  const s = this[KY];
  if (s === undefined) return;
  s.flags &= ~F_FLUSH_PENDING;
  s.reg.wakeWriter();
}

const EMPTY = Buffer.alloc(0);

/** @internal flag bits of SocketStream. */
const F_FLUSH_PENDING = 1;
const F_FINISHED = 2;
const F_CONNECTING = 4;
const F_DRAIN_LISTENER = 8;
const F_FINISH_LISTENER = 16;

/**
 * True once the peer's FIN arrived (Node sets it before it emits 'readable' for the EOF, and
 * long before 'end'); reading it saves an 'end' listener per connection.
 */
function wstate(s: Socket): { ending: boolean; destroyed: boolean; needDrain: boolean } {
  return (s as unknown as { _writableState: { ending: boolean; destroyed: boolean; needDrain: boolean } })._writableState;
}

function eofReceived(s: Socket): boolean {
  return (s as unknown as { _readableState: { ended: boolean } })._readableState.ended;
}

/**
 * A connected byte stream (TCP or Unix). Use the subclasses `TcpStream` / `UnixStream`.
 *
 * @example
 * ```ts
 * const n = yield* stream.read(buf);      // 0 at EOF
 * yield* stream.writeAll(buf.subarray(0, n));
 * ```
 */
export abstract class SocketStream implements RegistrationOwner, AsyncRead, AsyncWrite {
  /** @internal the reactor registration. */
  readonly reg: Registration;
  /** @internal bytes returned by the socket but not yet given to a reader (from a short read). */
  leftover: Buffer | null = null;
  /** @internal F_* bits (one field keeps an idle connection small). */
  flags = 0;
  /** @internal the one `readChunk()` future of this stream (it holds no state, so it is reused). */
  private chunkFuture: ReadChunkFuture | null = null;

  constructor(
    /** The underlying Node socket (paused mode; do not attach 'data' listeners). */
    readonly socket: Socket,
    kind: string,
  ) {
    if (socket.connecting) this.flags |= F_CONNECTING;
    this.reg = new Registration(kind, ioDriver(), this);
    (socket as KySocket)[KY] = this;
    socket.on('readable', onReadable);
    socket.on('error', onError);
    socket.on('close', onClose);
    if (socket.destroyed) this.reg.deregister();
    else if (socket.connecting) socket.once('connect', onConnect);
    else if (!socket.writableNeedDrain) this.reg.readiness |= WRITABLE;
    trackResource(this);
  }

  /** @internal label for dumps and error messages. */
  abstract label(): string;

  /** @internal runtime shutdown: close at once. */
  forceClose(): void {
    this.socket.destroy();
  }

  /** @internal console listing. */
  resourceInfo(): ResourceInfo {
    return {
      kind: this.reg.kind,
      label: this.label(),
      waiters: (this.reg.reader !== null ? 1 : 0) + (this.reg.writer !== null ? 1 : 0),
      details: {
        bufferedRead: this.socket.readableLength + (this.leftover?.length ?? 0),
        bufferedWrite: this.socket.writableLength,
        open: this.reg.isOpen(),
      },
    };
  }

  /** `AsyncRead`, zero-copy: the next chunk libuv received (yours), null at EOF. Cancel-safe. */
  pollReadChunk(cx: Context): Poll<Buffer | null> {
    const reg = this.reg;
    let chunk = this.leftover;
    if (chunk !== null) {
      if (!pollProceed(cx)) return Pending;
      this.leftover = null;
      return chunk;
    }
    if ((reg.readiness & ERROR) !== 0) throw reg.error!;
    const sock = this.socket;
    // With nothing buffered, read() would only re-arm 'readable', which Node already did when
    // the last read emptied the buffer: skip it (it is the hot path of an echo).
    chunk = sock.readableLength !== 0 ? (sock.read() as Buffer | null) : null;
    if (chunk !== null) {
      if (!pollProceed(cx)) {
        this.leftover = chunk;
        return Pending;
      }
      reg.driver.counters.bytesRead += chunk.length;
      return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    }
    if ((reg.readiness & READ_CLOSED) !== 0 || eofReceived(sock)) {
      if (!pollProceed(cx)) return Pending;
      if ((reg.readiness & READ_CLOSED) === 0) {
        reg.readiness |= READ_CLOSED;
        sock.read(); // lets Node emit 'end' (and close a fully finished socket)
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

  private writeError(): IoError {
    const reg = this.reg;
    if ((reg.readiness & ERROR) !== 0) return reg.error as IoError;
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
    const s = this.socket;
    // The writable state is read directly: the public getters cost more than the write itself
    // on the hot path of a small-message server.
    const ws = wstate(s);
    if ((this.reg.readiness & (ERROR | WRITE_CLOSED)) !== 0 || ws.ending || ws.destroyed) throw this.writeError();
    if (ws.needDrain) {
      // Listeners for rare events are attached on first need: an idle connection stays small.
      if ((this.flags & F_DRAIN_LISTENER) === 0) {
        this.flags |= F_DRAIN_LISTENER;
        s.once('drain', onDrain);
      }
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
    s.write(out);
    this.reg.driver.counters.bytesWritten += n;
    return n;
  }

  /** `AsyncWrite`: ready once everything written so far left the socket's buffer. */
  pollFlush(cx: Context): Poll<void> {
    const s = this.socket;
    if (s.writableLength === 0 || s.destroyed) {
      if ((this.reg.readiness & ERROR) !== 0) throw this.reg.error!;
      return undefined;
    }
    if ((this.flags & F_FLUSH_PENDING) === 0) {
      this.flags |= F_FLUSH_PENDING;
      s.write(EMPTY, onFlushed.bind(s as KySocket));
    }
    this.reg.registerWriter(cx);
    return Pending;
  }

  /** `AsyncWrite`: half-close, flush and send FIN; ready once done. */
  pollShutdown(cx: Context): Poll<void> {
    const s = this.socket;
    if ((this.reg.readiness & ERROR) !== 0) throw this.reg.error!;
    if ((this.flags & F_FINISHED) !== 0 || s.writableFinished || s.destroyed) return undefined;
    if ((this.flags & F_FINISH_LISTENER) === 0) {
      this.flags |= F_FINISH_LISTENER;
      s.once('finish', onFinish);
    }
    if (!s.writableEnded) {
      s.end();
      this.reg.clearReadiness(WRITABLE);
    }
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
    this.socket.destroy();
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
