/**
 * kyoto's `Response`: what a handler returns, with the Fetch API's shape (`status`,
 * `statusText`, `headers`, a body) but cheap to build: the headers stay as given until someone
 * reads `headers`, and a string body is encoded once, straight into the write buffer.
 *
 * Invariants (test/http/server.test.ts): the body is a string (sent as UTF-8, `text/plain;
 * charset=UTF-8` unless a content-type is given), bytes, a kyoto `Stream<Uint8Array>`, an
 * `AsyncRead`, or null; `status` is an integer 200..599 (or 101..199 for informational uses)
 * else a RangeError names it.
 * @module
 */
import { Stream } from '../stream/stream.js';

/** What a `Response` body may be. */
export type ResponseBody = string | Uint8Array | Stream<Uint8Array> | BodyReader | null;

/** A readable byte source accepted as a body: the poll-based trait or the future-based one. */
export type BodyReader =
  | { pollRead(cx: import('../future/future.js').Context, buf: Uint8Array): import('../future/future.js').Poll<number> }
  | { read(buf: Uint8Array): import('../future/future.js').Future<number> };

/** Response headers as given: a record, pairs, or a Fetch `Headers`. */
export type HeadersInit = Record<string, string | number | readonly string[]> | readonly (readonly [string, string])[] | Headers;

/** `new Response(body, init)` options. */
export interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

/**
 * An HTTP response for `serve` handlers.
 *
 * @example
 * ```ts
 * function* hello(req: HttpRequest): Gen<Response> {
 *   return new Response(`hello ${req.path}`, { headers: { 'x-served-by': 'kyoto' } });
 * }
 * ```
 */
export class Response {
  readonly status: number;
  readonly statusText: string;
  /** @internal the body as given. */
  readonly rawBody: ResponseBody;
  /** @internal the headers as given, until `headers` is read. */
  init: HeadersInit | undefined;
  private hdrs: Headers | null = null;

  constructor(body: ResponseBody = null, init?: ResponseInit) {
    const status = init?.status ?? 200;
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new RangeError(`Response status must be an integer 100..599, got ${String(status)}`);
    this.status = status;
    this.statusText = init?.statusText ?? '';
    this.rawBody = body;
    this.init = init?.headers;
  }

  /**
   * The headers as a Fetch `Headers` (built on first access; changes are sent).
   *
   * @example
   * ```ts
   * const res = new Response('hi'); res.headers.set('cache-control', 'no-store');
   * ```
   */
  get headers(): Headers {
    if (this.hdrs === null) {
      const h = new Headers();
      forEachHeader(this.init, (k, v) => h.append(k, v));
      this.hdrs = h;
      this.init = h;
    }
    return this.hdrs;
  }

  /** The body as given (string, bytes, stream, reader or null). */
  get body(): ResponseBody {
    return this.rawBody;
  }

  /**
   * A JSON response (`content-type: application/json`).
   *
   * @example
   * ```ts
   * return Response.json({ ok: true }, { status: 201 });
   * ```
   */
  static json(data: unknown, init?: ResponseInit): Response {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    forEachHeader(init?.headers, (k, v) => (headers[k] = v));
    return new Response(JSON.stringify(data), { status: init?.status ?? 200, statusText: init?.statusText ?? '', headers });
  }

  /**
   * A redirect (302 unless given) to `url`.
   *
   * @example
   * ```ts
   * return Response.redirect('/login');
   * ```
   */
  static redirect(url: string, status = 302): Response {
    return new Response(null, { status, headers: { location: url } });
  }
}

/** @internal calls `f` for each header of `init` (arrays give one call per value). */
export function forEachHeader(init: HeadersInit | undefined, f: (name: string, value: string) => void): void {
  if (init === undefined) return;
  if (init instanceof Headers) {
    init.forEach((v, k) => f(k, v));
    return;
  }
  if (Array.isArray(init)) {
    for (const [k, v] of init as readonly (readonly [string, string])[]) f(k, v);
    return;
  }
  const rec = init as Record<string, string | number | readonly string[]>;
  for (const k in rec) {
    const v = rec[k]!;
    if (typeof v === 'string') f(k, v);
    else if (typeof v === 'number') f(k, String(v));
    else for (const x of v) f(k, x);
  }
}

/** @internal true when `v` is a kyoto stream. */
export function isStream(v: unknown): v is Stream<Uint8Array> {
  return v instanceof Stream;
}
