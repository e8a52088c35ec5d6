/**
 * `HttpRequest`: what a `serve` handler receives. Everything not needed by a hello-world
 * handler is built on first access (the absolute `url`, the `AbortSignal`, the body stream,
 * the remote address), so an ordinary request costs one object and the header arrays.
 *
 * Invariants (test/http/server.test.ts): `path` is the request-target up to `?`; `url` is
 * absolute (`http://<host><target>`, or the target itself in absolute form); `signal` aborts
 * with a `ClientDisconnectedError` when the client leaves before the response is sent.
 * @module
 */
import { Future, type Context, type Poll } from '../future/future.js';
import type { SocketAddr } from '../net/addr.js';
import type { TcpStream } from '../net/tcp.js';
import { toReadable } from '../stream/readable.js';
import { CollectBody, MapBody, RequestBody, type BodyStream } from './body.js';
import type { Conn } from './conn.js';
import { ClientDisconnectedError } from './errors.js';
import type { HttpHeaders } from './headers.js';
import { forEachHeader, type HeadersInit } from './response.js';

const decoder = new TextDecoder();

/**
 * An incoming request.
 *
 * @example
 * ```ts
 * function* echo(req: HttpRequest): Gen<Response> {
 *   if (req.method !== 'POST') return new Response('use POST', { status: 405 });
 *   const data = yield* req.json();
 *   return Response.json({ got: data, from: req.remoteAddr.toString() });
 * }
 * ```
 */
export class HttpRequest {
  private ac: AbortController | null = null;
  private bodyStream: BodyStream | null = null;

  /** @internal */
  constructor(
    /** @internal null for requests from `toNodeHandler`. */ readonly conn: Conn | null,
    /** The method, upper case (`GET`, `POST`...). */
    readonly method: string,
    /** The request-target exactly as sent (path and query, or absolute form, or `*`). */
    readonly target: string,
    /** The headers, case-insensitive. */
    readonly headers: HttpHeaders,
    /** `'1.1'` or `'1.0'`. */
    readonly httpVersion: string,
    private readonly maxBodyBytes: number,
    private readonly contentLength: number,
  ) {}

  /**
   * The path, without the query string.
   *
   * @example
   * ```ts
   * if (req.path === '/health') return new Response('ok');
   * ```
   */
  get path(): string {
    const t = this.target;
    const q = t.indexOf('?');
    return q < 0 ? t : t.slice(0, q);
  }

  /**
   * The absolute URL, as Fetch's `Request.url` has it.
   *
   * @example
   * ```ts
   * const page = new URL(req.url).searchParams.get('page');
   * ```
   */
  get url(): string {
    const t = this.target;
    if (t.charCodeAt(0) !== 47 && t !== '*') return t;
    const host = this.headers.get('host') ?? this.localHost();
    return `http://${host}${t === '*' ? '/' : t}`;
  }

  /**
   * The client's address.
   *
   * @example
   * ```ts
   * console.log(`${req.method} ${req.path} from ${req.remoteAddr}`);
   * ```
   */
  get remoteAddr(): SocketAddr {
    return this.conn!.stream.peerAddr();
  }

  /** @internal the local address, for a URL without Host. */
  protected localHost(): string {
    return this.conn!.stream.localAddr().toString();
  }

  /** @internal the client is gone. */
  protected gone(): boolean {
    return this.conn!.closed;
  }

  /** @internal the body stream. */
  protected makeBody(): BodyStream {
    return new RequestBody(this.conn!);
  }

  /** @internal some body is still to be read. */
  protected hasBody(): boolean {
    return this.conn!.bodyOpen;
  }

  /**
   * Aborted when the client disconnects before the response is sent: pass it to Promise work
   * (`fetch(url, { signal: req.signal })`) so it stops too.
   *
   * @example
   * ```ts
   * const rows = yield* fromPromise(db.query(sql, { signal: req.signal }));
   * ```
   */
  get signal(): AbortSignal {
    if (this.ac === null) {
      this.ac = new AbortController();
      if (this.gone()) this.ac.abort(new ClientDisconnectedError());
    }
    return this.ac.signal;
  }

  /** @internal the client left: abort the signal if anyone holds it. */
  abortSignal(): void {
    this.ac?.abort(new ClientDisconnectedError());
  }

  /**
   * The body as a stream of byte chunks (also an `AsyncRead`), read as you pull it.
   *
   * @example
   * ```ts
   * yield* req.body.forEach((chunk) => file.write(chunk));
   * ```
   */
  get body(): BodyStream {
    return (this.bodyStream ??= this.makeBody());
  }

  /**
   * The whole body as bytes; `PayloadTooLargeError` (413) beyond `maxBodyBytes`.
   *
   * @example
   * ```ts
   * const raw = yield* req.bytes();
   * ```
   */
  bytes(): Future<Buffer> {
    return new CollectBody(this.body, this.maxBodyBytes, this.contentLength);
  }

  /**
   * The whole body as UTF-8 text; `PayloadTooLargeError` (413) beyond `maxBodyBytes`.
   *
   * @example
   * ```ts
   * const text = yield* req.text();
   * ```
   */
  text(): Future<string> {
    return new MapBody(new CollectBody(this.body, this.maxBodyBytes, this.contentLength), (b) => decoder.decode(b));
  }

  /**
   * The body parsed as JSON (a `SyntaxError` if it is not); `PayloadTooLargeError` beyond
   * `maxBodyBytes`.
   *
   * @example
   * ```ts
   * const { name } = (yield* req.json()) as { name: string };
   * ```
   */
  json(): Future<unknown> {
    return new MapBody(new CollectBody(this.body, this.maxBodyBytes, this.contentLength), (b) => JSON.parse(decoder.decode(b)) as unknown);
  }

  /**
   * A Fetch `Request` for libraries that want one (its body streams from this request's body).
   *
   * @example
   * ```ts
   * const r = req.toRequest(); // r.method, r.headers, await r.text() in Promise code
   * ```
   */
  toRequest(): Request {
    const headers = new Headers();
    for (const [k, v] of this.headers.entries()) headers.append(k, v);
    const init: RequestInit & { duplex?: 'half' } = { method: this.method, headers, signal: this.signal };
    if (this.method !== 'GET' && this.method !== 'HEAD' && this.hasBody()) {
      init.body = toReadable(this.body) as unknown as ReadableStream;
      init.duplex = 'half';
    }
    return new Request(this.url, init);
  }

  /**
   * Takes over the connection: the server answers `101 Switching Protocols` (with `headers`,
   * e.g. `upgrade` and `sec-websocket-accept`) and hands over the `TcpStream`, whose next reads
   * start right after the request. The handler then owns the stream (close it when done); what
   * it returns is ignored. Under `toNodeHandler` this needs the node server's `upgrade` event
   * (`server.on('upgrade', handler.upgrade)`).
   *
   * @example
   * ```ts
   * const stream = yield* req.upgrade({ upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': accept });
   * yield* runWebSocket(stream);
   * ```
   */
  upgrade(headers?: HeadersInit): Future<TcpStream> {
    return new UpgradeFuture(this, headers);
  }

  /**
   * @internal Writes the 101 head and hands over the connection (serve's connection here;
   * `toNodeHandler`'s requests override it). Throws when the client left or the connection was
   * already taken over.
   */
  switchProtocols(headers: HeadersInit | undefined): TcpStream {
    const c = this.conn!;
    if (c.closed) throw new ClientDisconnectedError();
    if (c.upgraded) throw new Error('req.upgrade() was already called');
    const head = switchingHead(headers);
    c.upgraded = true;
    const s = c.stream;
    s.socket.write(head);
    if (c.off < c.buf.length) s.leftover = c.buf.subarray(c.off);
    c.buf = Buffer.alloc(0);
    c.off = 0;
    c.wake();
    return s;
  }
}

/**
 * @internal `101 Switching Protocols` with `headers`, as bytes. Throws a TypeError naming a header
 * whose name or value holds CR or LF (response splitting).
 */
export function switchingHead(headers: HeadersInit | undefined): Buffer {
  let head = 'HTTP/1.1 101 Switching Protocols\r\n';
  forEachHeader(headers, (k, v) => {
    if (/[\r\n]/.test(k + v)) throw new TypeError(`invalid character in upgrade header ${k}`);
    head += `${k}: ${v}\r\n`;
  });
  return Buffer.from(head + '\r\n', 'latin1');
}

class UpgradeFuture extends Future<TcpStream> {
  constructor(
    private readonly req: HttpRequest,
    private readonly headers: HeadersInit | undefined,
  ) {
    super();
  }
  poll(_cx: Context): Poll<TcpStream> {
    return this.req.switchProtocols(this.headers);
  }
}
