/**
 * The typed errors of kyoto/http. Each carries the HTTP status the server answers with when the
 * error escapes a handler (or the parser), so a bad request is a clear, named 4xx and never a
 * generic 500.
 * @module
 */

/**
 * A request that breaks HTTP/1.1 framing or syntax: the server answers `status` (400, 431...)
 * and closes the connection.
 *
 * @example
 * ```ts
 * try { parser.parse(buf, 0); } catch (e) { if (e instanceof HttpParseError) console.log(e.status, e.message); }
 * ```
 */
export class HttpParseError extends Error {
  override name = 'HttpParseError';
  constructor(
    /** The status the server answers with. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A request body larger than `maxBodyBytes` was read with `text()`, `json()` or `bytes()`. If the
 * handler lets it escape, the server answers 413 and closes the connection.
 *
 * @example
 * ```ts
 * try { yield* req.text(); } catch (e) { if (e instanceof PayloadTooLargeError) return new Response('too big', { status: 413 }); throw e; }
 * ```
 */
export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
  /** Always 413. */
  readonly status = 413;
  constructor(
    /** The configured limit. */
    readonly limit: number,
  ) {
    super(`request body is larger than maxBodyBytes (${limit} bytes)`);
  }
}

/**
 * The client went away before the request finished: thrown by body reads, and the reason of
 * `req.signal`.
 *
 * @example
 * ```ts
 * req.signal.addEventListener('abort', () => console.log(req.signal.reason instanceof ClientDisconnectedError));
 * ```
 */
export class ClientDisconnectedError extends Error {
  override name = 'ClientDisconnectedError';
  constructor(what = 'the client disconnected before the request finished') {
    super(what);
  }
}
