/**
 * `RequestBody`: a request's body as a kyoto `Stream<Uint8Array>` and an `AsyncRead`, read
 * straight from the connection's socket through the body decoder.
 *
 * Invariants (test/http/body.test.ts): nothing is read from the socket before the handler asks,
 * so a slow reader slows the upload through TCP flow control and memory stays bounded by the
 * socket's buffers; chunks are subarrays of what the socket delivered (no copy); the first read
 * sends `100 Continue` when the client asked for it; a client that leaves mid-body makes the read
 * throw `ClientDisconnectedError`; a malformed chunked body throws `HttpParseError` (the
 * connection then closes after a 400). `collect` stops at `maxBodyBytes` with
 * `PayloadTooLargeError`, before reading when Content-Length already says too much.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { Done, Stream, type StreamPoll } from '../stream/stream.js';
import type { Conn } from './conn.js';
import { ClientDisconnectedError, HttpParseError, PayloadTooLargeError } from './errors.js';
import { CONTINUE } from './serialize.js';

/**
 * A request body: a kyoto `Stream<Uint8Array>` that is also an `AsyncRead` (`pollRead`, `read`,
 * `readChunk`). `serve` gives a `RequestBody`; `toNodeHandler` a body over node's request.
 *
 * @example
 * ```ts
 * let total = 0;
 * for (let c = yield* req.body.next(); c !== undefined; c = yield* req.body.next()) total += c.length;
 * ```
 */
export abstract class BodyStream extends Stream<Uint8Array> {
  private rest: Uint8Array | null = null;

  /** @internal the next chunk of the body proper. */
  protected abstract pollChunk(cx: Context): StreamPoll<Uint8Array>;

  pollNext(cx: Context): StreamPoll<Uint8Array> {
    const rest = this.rest;
    if (rest !== null) {
      this.rest = null;
      return rest;
    }
    return this.pollChunk(cx);
  }

  /**
   * `AsyncRead`: reads up to `buf.length` bytes into `buf`; 0 at the end of the body.
   *
   * @example
   * ```ts
   * const n = yield* req.body.read(buf);
   * ```
   */
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    if (buf.length === 0) return 0;
    const v = this.pollNext(cx);
    if (v === Pending) return Pending;
    if (v === Done) return 0;
    const n = Math.min(v.length, buf.length);
    buf.set(n === v.length ? v : v.subarray(0, n));
    if (n < v.length) this.rest = v.subarray(n);
    return n;
  }

  /**
   * Reads into `buf`: bytes read, 0 at the end of the body.
   *
   * @example
   * ```ts
   * const n = yield* req.body.read(Buffer.alloc(16384));
   * ```
   */
  read(buf: Uint8Array): Future<number> {
    return new ReadInto(this, buf);
  }

  /**
   * The next chunk (no copy), or null at the end.
   *
   * @example
   * ```ts
   * for (let c = yield* req.body.readChunk(); c !== null; c = yield* req.body.readChunk()) use(c);
   * ```
   */
  readChunk(): Future<Uint8Array | null> {
    return new NextChunk(this);
  }
}

/**
 * The body of a request received by `serve`, read from the socket as it is pulled.
 *
 * @example
 * ```ts
 * yield* req.body.forEach((chunk) => sink.push(chunk));
 * ```
 */
export class RequestBody extends BodyStream {
  /** @internal */
  constructor(private readonly c: Conn) {
    super();
  }

  protected pollChunk(cx: Context): StreamPoll<Uint8Array> {
    const c = this.c;
    if (!c.bodyOpen) return Done;
    if (c.closed) throw new ClientDisconnectedError();
    if (c.continuePending) {
      c.continuePending = false;
      c.stream.socket.write(CONTINUE);
    }
    const dec = c.decoder;
    for (;;) {
      if (c.off < c.buf.length) {
        try {
          c.off = dec.decode(c.buf, c.off);
        } catch (e) {
          if (e instanceof HttpParseError) c.closeAfter = true;
          c.bodyOpen = false;
          throw e;
        }
        if (dec.done) {
          c.bodyOpen = false;
          c.wake(); // the connection task reads from here on
        }
        const ch = dec.chunk;
        if (ch !== null && ch.length > 0) return ch;
        if (dec.done) return Done;
      }
      let chunk: Buffer | null | typeof Pending;
      try {
        chunk = c.stream.readChunk().poll(cx);
      } catch {
        chunk = null;
      }
      if (chunk === Pending) return Pending;
      if (chunk === null) {
        c.markClosed();
        throw new ClientDisconnectedError('the client disconnected before sending the whole body');
      }
      c.append(chunk);
    }
  }
}

class ReadInto extends Future<number> {
  constructor(
    private readonly b: BodyStream,
    private readonly buf: Uint8Array,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    return this.b.pollRead(cx, this.buf);
  }
}

class NextChunk extends Future<Uint8Array | null> {
  constructor(private readonly b: BodyStream) {
    super();
  }
  poll(cx: Context): Poll<Uint8Array | null> {
    const v = this.b.pollNext(cx);
    return v === Done ? null : v;
  }
}

/** @internal the whole body as one Buffer, at most `limit` bytes. */
export class CollectBody extends Future<Buffer> {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly body: Stream<Uint8Array>,
    private readonly limit: number,
    declaredLength: number,
  ) {
    super();
    if (declaredLength > limit) throw new PayloadTooLargeError(limit);
  }

  poll(cx: Context): Poll<Buffer> {
    for (;;) {
      const v = this.body.pollNext(cx);
      if (v === Pending) return Pending;
      if (v === Done) {
        const p = this.parts;
        if (p.length === 1) return Buffer.from(p[0]!.buffer, p[0]!.byteOffset, p[0]!.length);
        return Buffer.concat(p, this.size);
      }
      this.size += v.length;
      if (this.size > this.limit) throw new PayloadTooLargeError(this.limit);
      this.parts.push(v);
    }
  }
}

/** @internal maps a collected body. */
export class MapBody<T> extends Future<T> {
  constructor(
    private readonly inner: CollectBody,
    private readonly f: (b: Buffer) => T,
  ) {
    super();
  }
  poll(cx: Context): Poll<T> {
    const b = this.inner.poll(cx);
    return b === Pending ? Pending : this.f(b);
  }
}
