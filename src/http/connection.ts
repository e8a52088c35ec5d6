/**
 * The connection task: parse a head, spawn the request's task, watch the client while it
 * runs, write the response, drain what the handler left of the body, repeat (keep-alive and
 * pipelining: requests are handled one after another, so responses go out in order).
 *
 * Invariants (test/http/server.test.ts, test/http/cancel.test.ts, test/http/differential.test.ts):
 * - A parse error answers its status (400, 431) and closes; nothing after it is parsed.
 * - A client that leaves before the response was sent aborts the request task (its `finally`
 *   runs, `req.signal` aborts); the connection counts status 499 and waits for the task to end.
 * - A handler error is a 500 and goes to `onUnhandledTaskError`; an escaped `Elapsed` (a
 *   `timeout` that ran out) is a 503; `PayloadTooLargeError` is a 413 and `HttpParseError` from
 *   the body its own status, and those three close the connection.
 * - An unread body is drained up to `maxBodyBytes` to keep the connection; beyond it, or when
 *   100-continue was never sent, the response says `Connection: close`.
 * @module
 */
import { Future, Pending, type Context, type Gen, type Poll } from '../future/future.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import type { TcpStream } from '../net/tcp.js';
import { reportHandlerError, reportWriteError } from './report.js';
import { JoinError } from '../task/join_error.js';
import { Elapsed } from '../time/timeout.js';
import { Conn } from './conn.js';
import { ClientDisconnectedError, HttpParseError, PayloadTooLargeError } from './errors.js';
import { NEED_MORE } from './parser.js';
import type { HttpRequest } from './request.js';
import { BadResponseError, STREAMED, handlerResponse, writeFixed, writeStreamed } from './respond.js';
import { Response } from './response.js';
import { CLOSE, Exchange, FAILED, GONE, SLOW, WAIT, WRITING, awaitWrite, idle, quick, start, type ServerCore } from './exchange.js';

export type { Handler, ServerCore } from './exchange.js';

const EMPTY = Buffer.alloc(0);

/** Completes when the task has finished, whatever its outcome. */
class Settled extends Future<void> {
  constructor(private readonly h: JoinHandle<unknown>) {
    super();
  }
  poll(cx: Context): Poll<void> {
    try {
      return this.h.poll(cx) === Pending ? Pending : undefined;
    } catch {
      return undefined;
    }
  }
}

function statusOf(err: unknown): number {
  if (err instanceof PayloadTooLargeError) return 413;
  if (err instanceof Elapsed) return 503; // a `timeout` around the handler's work ran out
  if (err instanceof HttpParseError) return err.status;
  return 500;
}

/** @internal the body of every connection task. */
export function* serveConnection(srv: ServerCore, stream: TcpStream): Gen<void> {
  const c = new Conn(srv, stream);
  const ex = new Exchange(c, srv);
  srv.conns.add(c);
  const p = c.parser;
  try {
    for (;;) {
      let n = NEED_MORE;
      for (;;) {
        if (c.off < c.buf.length) {
          try {
            n = p.parse(c.buf, c.off);
          } catch (e) {
            if (!(e instanceof HttpParseError)) throw e;
            srv.count(e.status);
            c.kill(e.status);
            return;
          }
          if (n !== NEED_MORE) break;
        }
        if (srv.draining && c.off >= c.buf.length) return;
        if (!(yield* c.more())) return;
      }
      c.off += n;
      start(srv, c, ex);
      // A handler that answers with a fixed body is answered without a generator, at once or
      // when its task completes (WAIT).
      let v = quick(srv, c, ex);
      if (v === WAIT) v = yield* ex.answer;
      if (v === CLOSE) return;
      if (v === SLOW && !(yield* slowExchange(srv, c, ex))) return;
      if (v === WRITING && !(yield* awaitWrite(srv, c, ex))) return;
      if (c.off >= c.buf.length) {
        c.buf = EMPTY; // an idle connection keeps no chunk alive
        c.off = 0;
      }
      if (srv.draining) return;
    }
  } finally {
    srv.conns.delete(c);
    // An answered kill (400, 408...) closes itself once the answer is flushed.
    if (!c.upgraded && !c.answered) stream.close();
    srv.connDone(c);
  }
}

/**
 * One request the quick way could not finish: wait for its task while watching the client,
 * write the response, drain the body. Its own generator, so nothing of the request (task,
 * response, headers) stays alive while the connection idles. True when the connection may
 * carry another request.
 */
function* slowExchange(srv: ServerCore, c: Conn, ex: Exchange): Gen<boolean> {
  const cfg = srv.cfg;
  const req = ex.req as HttpRequest;
  const h = ex.h as JoinHandle<unknown>;
  const isHead = ex.isHead;
  const http10 = ex.http10;
  let keepAlive = ex.keepAlive;
  const declared = ex.declared;
  let out: unknown;
  let err: unknown;
  try {
    out = yield* ex;
  } finally {
    err = ex.error;
    ex.clear();
  }
  if (c.upgraded) {
    yield* new Settled(h);
    return false;
  }
  if (out === GONE) {
    h.abort();
    req.abortSignal();
    if (!c.answered) srv.count(499);
    yield* new Settled(h);
    return false;
  }
  let res: Response;
  if (out === FAILED) {
    const cause = err instanceof JoinError ? (err.isCancelled() ? new ClientDisconnectedError('the request task was aborted') : err.cause) : err;
    if (cause instanceof ClientDisconnectedError && c.closed) {
      req.abortSignal();
      if (!c.answered) srv.count(499);
      return false;
    }
    const status = statusOf(cause);
    if (status === 500) reportHandlerError(cause, h);
    else c.closeAfter = true;
    res = new Response(status === 500 ? 'Internal Server Error' : status === 503 ? 'Service Unavailable' : String(cause instanceof Error ? cause.message : cause), { status });
  } else res = handlerResponse(out, h);
  if (c.closeAfter || srv.draining) keepAlive = false;
  if (c.bodyOpen && (c.continuePending || declared > cfg.maxBodyBytes)) keepAlive = false;
  let ok = false;
  try {
    for (let retry = false; ; retry = true) {
      try {
        // A fixed body is one synchronous write (no generator); a streamed one is written by
        // writeStreamed.
        const w = writeFixed(c, res, isHead, http10, keepAlive);
        if (w === STREAMED) ok = yield* writeStreamed(c, res, isHead, http10, keepAlive);
        else {
          if (w !== null) yield* w;
          ok = keepAlive;
        }
        break;
      } catch (e) {
        // Headers that cannot be sent (nothing was written): a 500 instead.
        if (!(e instanceof BadResponseError) || retry) throw e;
        reportHandlerError(e.cause, h);
        res = new Response('Internal Server Error', { status: 500 });
      }
    }
  } catch (e) {
    reportWriteError(e, h);
    ok = false;
  }
  srv.count(res.status);
  if (!ok || c.closed) return false;
  if (c.bodyOpen && !(yield* drain(req, cfg.maxBodyBytes))) return false;
  idle(srv, c);
  return true;
}

/** Reads and discards what the handler left of the body; false when it is too long or bad. */
function* drain(req: HttpRequest, limit: number): Gen<boolean> {
  let total = 0;
  try {
    for (let ch = yield* req.body.next(); ch !== undefined; ch = yield* req.body.next()) {
      total += ch.length;
      if (total > limit) return false;
    }
  } catch {
    return false;
  }
  return true;
}
