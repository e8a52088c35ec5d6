/**
 * Writing a response on a connection: a fixed body (string or bytes) as one buffer in one
 * socket write, made by a plain function (`writeFixed`), or a streamed body (kyoto stream,
 * `AsyncRead`, web stream of a global Fetch `Response`) chunk by chunk with backpressure,
 * chunked on HTTP/1.1, close-delimited on 1.0 (`writeStreamed`). The last plain response (no
 * handler headers, a string body) is kept as bytes and written again while unchanged.
 *
 * Invariants (test/http/server.test.ts, test/http/sse.test.ts): HEAD and 204/304 responses carry
 * no body; while a streamed body waits for its next chunk the connection is watched, so a
 * client that leaves drops the body stream at once (an SSE subscriber is cleaned up on
 * disconnect); a body stream that throws after the head was sent ends the connection (the
 * error goes to `onUnhandledTaskError`), since no status can be sent any more.
 * @module
 */
import { Future, Pending, type Context, type Gen, type Poll } from '../future/future.js';
import { Done, type Stream } from '../stream/stream.js';
import { ReaderStream, WebStream } from './adapters.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Conn } from './conn.js';
import { reportHandlerError } from './report.js';
import { Response, isStream, type ResponseBody } from './response.js';
import { LAST_CHUNK, chunkFrame, dateHeader, headAndBody, statusLine, userHeaders } from './serialize.js';

/** A value of `WatchNext`: the client left. */
const GONE: unique symbol = Symbol('gone');

class WatchNext extends Future<Uint8Array | typeof Done | typeof GONE> {
  constructor(
    private readonly c: Conn,
    private readonly src: Stream<Uint8Array>,
  ) {
    super();
  }
  poll(cx: Context): Poll<Uint8Array | typeof Done | typeof GONE> {
    if (this.c.closed) return GONE;
    const v = this.src.pollNext(cx);
    if (v !== Pending) return v;
    return this.c.pollGone(cx) ? GONE : Pending;
  }
}

/** @internal a response that could not be serialized; nothing was written. */
export class BadResponseError extends Error {
  override name = 'BadResponseError';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * @internal What handler task `h` returned, as a kyoto `Response`: a Fetch `Response` is
 * converted; anything else is reported (a TypeError naming the task, `expected` saying what
 * was) and answered with a 500.
 */
export function handlerResponse(out: unknown, h: { id: number; name: string }, rt?: Runtime, expected = 'a Response'): Response {
  if (out instanceof Response) return out;
  if (typeof globalThis.Response === 'function' && out instanceof globalThis.Response) return fromFetchResponse(out);
  reportHandlerError(new TypeError(`handler for ${h.name} returned ${typeof out}, expected ${expected}`), h, rt);
  return new Response('Internal Server Error', { status: 500 });
}

/** @internal a global Fetch Response as a kyoto one (the slower path). */
export function fromFetchResponse(r: globalThis.Response): Response {
  const body = r.body === null ? null : new WebStream(r.body);
  return new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers });
}

const EMPTY_OUT: Buffer = Buffer.alloc(0);

function noBody(status: number): boolean {
  return status === 204 || status === 304 || status < 200;
}

function write(c: Conn, out: Buffer): Future<void> | null {
  const s = c.stream.socket;
  if (s.destroyed) return null;
  if (!s.writableNeedDrain) {
    s.write(out);
    return null;
  }
  return c.stream.writeChunk(out);
}

/** `writeFixed`'s verdict for a body that is streamed: write it with `writeStreamed`. */
export const STREAMED: unique symbol = Symbol('streamed');

/**
 * The last plain response serialized (status 200..599 with its standard reason, no headers of
 * the handler's, a string body: all immutable), kept to be written again as the same bytes while
 * the Date line is unchanged. A handler answering a constant string costs no serialization and
 * no copy: one shared buffer goes to every socket (Node never writes into a buffer it is given).
 */
const last = { status: 0, body: '', conn: '', isHead: false, date: '', out: EMPTY_OUT };
/** Longest body kept that way (a large one would stay in memory, and costs its copy anyway). */
const MAX_KEPT = 4096;

/**
 * @internal Writes `res` when its body is fixed (string, bytes or none): the head and the body
 * in one buffer, one socket write. Returns null when the socket took it, the write's future
 * when the socket is over its high-water mark, or STREAMED (nothing written) for a streamed
 * body. Throws BadResponseError (nothing written) for headers that cannot be sent.
 */
export function writeFixed(c: Conn, res: Response, isHead: boolean, http10: boolean, keepAlive: boolean): Future<void> | null | typeof STREAMED {
  const status = res.status;
  let body: ResponseBody = res.rawBody;
  if (noBody(status)) body = null;
  const conn = keepAlive ? (http10 ? 'Connection: keep-alive\r\n' : '') : 'Connection: close\r\n';
  if (typeof body === 'string' && body.length <= MAX_KEPT && res.init === undefined && res.statusText === '') {
    const date = dateHeader();
    if (last.body === body && last.status === status && last.conn === conn && last.isHead === isHead && last.date === date) return write(c, last.out);
    const out = fixedResponse(res, body, isHead, conn);
    last.status = status;
    last.body = body;
    last.conn = conn;
    last.isHead = isHead;
    last.date = date;
    last.out = out;
    return write(c, out);
  }
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) return write(c, fixedResponse(res, body, isHead, conn));
  return STREAMED;
}

/** @internal Head and fixed body of `res` in one buffer (`conn`: the Connection line or ''). */
export function fixedResponse(res: Response, body: string | Uint8Array | null, isHead: boolean, conn: string): Buffer {
  const status = res.status;
  let user;
  try {
    user = userHeaders(res);
  } catch (e) {
    throw new BadResponseError(e);
  }
  let head = statusLine(status, res.statusText) + user.text + dateHeader();
  let len = 0;
  if (typeof body === 'string') {
    len = body.length < 64 && isAscii(body) ? body.length : Buffer.byteLength(body);
    if (!user.hasContentType) head += 'Content-Type: text/plain;charset=UTF-8\r\n';
  } else if (body !== null) len = body.length;
  head += noBody(status) ? conn + '\r\n' : `Content-Length: ${len}\r\n${conn}\r\n`;
  return headAndBody(head, isHead ? null : body, isHead ? 0 : len);
}

/**
 * @internal Writes `res`, whose body is a stream or a reader (`writeFixed` said STREAMED).
 * Returns true when the whole response was written and the connection may carry another one.
 */
export function* writeStreamed(c: Conn, res: Response, isHead: boolean, http10: boolean, keepAlive: boolean): Gen<boolean> {
  let user;
  try {
    user = userHeaders(res);
  } catch (e) {
    throw new BadResponseError(e);
  }
  let head = statusLine(res.status, res.statusText) + user.text + dateHeader();
  const conn = keepAlive ? (http10 ? 'Connection: keep-alive\r\n' : '') : 'Connection: close\r\n';
  const body = res.rawBody as Stream<Uint8Array> | Exclude<ResponseBody, string | Uint8Array | null | Stream<Uint8Array>>;
  const src: Stream<Uint8Array> = isStream(body) ? body : new ReaderStream(body);
  const chunked = !http10;
  head += chunked ? `Transfer-Encoding: chunked\r\n${conn}\r\n` : 'Connection: close\r\n\r\n';
  const w = write(c, Buffer.from(head, 'latin1'));
  if (w !== null) yield* w;
  if (isHead) {
    src.drop();
    return keepAlive && chunked;
  }
  const next = new WatchNext(c, src);
  try {
    for (;;) {
      const v = yield* next;
      if (v === GONE) return false;
      if (v === Done) break;
      if (v.length === 0) continue;
      const fw = write(c, chunked ? chunkFrame(v) : Buffer.from(v.buffer, v.byteOffset, v.length));
      if (fw !== null) yield* fw;
    }
  } finally {
    src.drop();
  }
  if (chunked) {
    const lw = write(c, LAST_CHUNK);
    if (lw !== null) yield* lw;
  }
  return keepAlive && chunked;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}
