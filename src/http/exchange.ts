/**
 * One request on a connection: its state (`Exchange`, one per connection, reused), its start
 * (`start`: the `HttpRequest` and its task, spawned eagerly) and the quick way to finish it
 * (`quick`): a handler that returns a kyoto `Response` with a fixed body is answered without a
 * generator of its own, at once when its task finished at its first poll, else (WAIT) by the
 * exchange itself when the task completes: the exchange is the task's joiner, and the
 * connection task is only woken if it has something to do. Anything else (a failure, a
 * streamed body, a request body to drain, an upgrade, a client that left) goes to
 * `slowExchange` in connection.ts, which finds everything it needs in the `Exchange`.
 *
 * Invariants (test/http/server.test.ts, test/http/fast_path.test.ts): `quick` either finishes
 * the request (KEEP, CLOSE) or leaves it untouched (SLOW: nothing written, nothing counted), or
 * has started a write that `awaitWrite` finishes (WRITING), or has made the exchange the task's
 * joiner (WAIT: `answer` gives one of the others once the task completed, or SLOW when the
 * client left first); after every request the `Exchange` holds no request, task or write.
 * @module
 */
import { Future, Pending, type Context, type Gen, type Poll } from '../future/future.js';
import { WakerBase, contextFromWaker, noopWaker } from '../future/waker.js';
import { spawnNamed, spawnNamedEager } from '../runtime/spawn.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { reportHandlerError, reportWriteError } from './report.js';
import { ACTIVE, IDLE, type Conn, type ConnHost } from './conn.js';
import { HttpHeaders } from './headers.js';
import { HttpRequest } from './request.js';
import { BadResponseError, STREAMED, writeFixed } from './respond.js';
import { Response } from './response.js';
import type { Config } from './options.js';

/** A request handler: a task body returning a Response. */
export type Handler<A extends unknown[]> = (req: HttpRequest, ...args: A) => Gen<Response | globalThis.Response> | Generator<unknown, Response | globalThis.Response, unknown>;

/** @internal what a connection needs from its server. */
export interface ServerCore extends ConnHost {
  readonly cfg: Config;
  readonly handler: Handler<unknown[]>;
  readonly args: unknown[];
  draining: boolean;
  readonly conns: Set<Conn>;
  count(status: number): void;
  connDone(c: Conn): void;
}

/** @internal `Exchange.poll`: the client left. */
export const GONE: unique symbol = Symbol('gone');
/** @internal `Exchange.poll`: the task failed (the error is in `error`). */
export const FAILED: unique symbol = Symbol('failed');

/**
 * The request in flight on a connection, and the wait for its task while watching the client.
 * One per connection, reused by each request (the connection runs one at a time); `clear()`
 * after each, so an idle connection keeps no request or task alive.
 */
export class Exchange extends Future<unknown> {
  error: unknown = undefined;
  h: JoinHandle<unknown> | null = null;
  req: HttpRequest | null = null;
  isHead = false;
  http10 = false;
  keepAlive = false;
  /** The request's declared Content-Length (-1 when none). */
  declared = -1;
  /** `quick` started a write that did not finish at once: what to wait for, and its status. */
  writing: Future<void> | null = null;
  status = 0;
  /** `quick` made this exchange the running task's joiner (WAIT); false again once it is woken. */
  joined = false;
  /** `quick`'s verdict, reached when the task completed (read by `answer`). */
  verdict = SLOW;
  /** The context whose waker is this exchange (made on the first WAIT: idle connections stay small). */
  private cx: Context | null = null;
  private answerFuture: Answer | null = null;
  constructor(
    private readonly c: Conn,
    private readonly srv: ServerCore,
  ) {
    super();
  }
  /** Polling the task with this context makes the exchange its joiner. */
  get joinCx(): Context {
    return (this.cx ??= contextFromWaker(new Joiner(this)));
  }
  /** What the connection task awaits after WAIT: the verdict, or SLOW when the client left. */
  get answer(): Future<number> {
    return (this.answerFuture ??= new Answer(this, this.c));
  }
  poll(cx: Context): Poll<unknown> {
    let v: unknown;
    try {
      v = (this.h as JoinHandle<unknown>).poll(cx);
    } catch (e) {
      this.error = e;
      return FAILED;
    }
    if (v !== Pending) return v;
    if (this.c.upgraded) return Pending;
    return this.c.pollGone(cx) ? GONE : Pending;
  }
  /**
   * The request task completed (our `Joiner` is its joiner): answer it now, inside the task's
   * completion, as `quick` would have had it finished at once. The connection task is woken
   * only if it has something to do (a close, pipelined bytes, a slow path, a shutdown);
   * otherwise it stays parked on its socket and goes on with the next request when it comes.
   */
  taskDone(): void {
    if (!this.joined) return;
    this.joined = false;
    const c = this.c;
    let v: number;
    try {
      v = quick(this.srv, c, this);
    } catch (e) {
      reportHandlerError(e, this.h as JoinHandle<unknown>);
      c.closeAfter = true;
      v = SLOW;
    }
    this.verdict = v;
    if (v !== KEEP || c.buffered > 0 || this.srv.draining) c.wake();
  }
  clear(): void {
    this.h = null;
    this.req = null;
    this.error = undefined;
    this.writing = null;
  }
}

/** The exchange's waker as the request task's joiner: completion calls `taskDone`. */
class Joiner extends WakerBase {
  constructor(private readonly ex: Exchange) {
    super();
  }
  wake(): void {
    this.ex.taskDone();
  }
}

/** The connection task's wait after WAIT (see `Exchange.answer`). */
class Answer extends Future<number> {
  constructor(
    private readonly ex: Exchange,
    private readonly c: Conn,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    const ex = this.ex;
    if (!ex.joined) return ex.verdict;
    const c = this.c;
    if (c.upgraded) {
      c.watch(cx); // the handler owns the socket: hear of the verdict only
      return Pending;
    }
    if (!c.pollGone(cx)) return Pending;
    ex.joined = false; // the client left: slowExchange aborts the task
    return SLOW;
  }
}

/** For the output of a task that has already finished (its `poll` does not touch the context). */
const DONE_CX = contextFromWaker(noopWaker());

/** `quick`'s verdicts. */
export const KEEP = 0;
export const CLOSE = 1;
export const SLOW = 2;
export const WRITING = 3;
/** The task is running with the exchange as its joiner: await `ex.answer` for the verdict. */
export const WAIT = 4;

/** One request's start: its body decoder, its `HttpRequest`, and its task (spawned eagerly). */
export function start(srv: ServerCore, c: Conn, ex: Exchange): void {
  const p = c.parser;
  const cfg = srv.cfg;
  c.phase = ACTIVE;
  c.requestStart = srv.now;
  const dec = c.decoder;
  if (p.chunked) dec.startChunked();
  else dec.startLength(p.contentLength > 0 ? p.contentLength : 0);
  c.bodyOpen = !dec.done;
  c.continuePending = p.expectContinue && c.bodyOpen && p.minor === 1;
  const http10 = p.minor === 0;
  const req = new HttpRequest(c, p.method, p.url, new HttpHeaders(p.names, p.values), http10 ? '1.0' : '1.1', cfg.maxBodyBytes, p.contentLength);
  ex.req = req;
  ex.http10 = http10;
  ex.isHead = p.method === 'HEAD';
  ex.keepAlive = p.keepAlive();
  ex.declared = p.contentLength;
  p.reset();

  // The task's name, reused while the method and target strings are (the parser reuses them).
  if (req.method !== c.nameMethod || req.target !== c.nameTarget) {
    c.nameMethod = req.method;
    c.nameTarget = req.target;
    c.taskName = `${req.method} ${req.path}`;
  }
  const args = srv.args;
  // Eager: the request's task gets its first poll right here, so a handler that answers at
  // once has finished before the connection looks at it (no queue round trip, no second poll).
  ex.h = (args.length === 0 ? spawnNamedEager(c.taskName, srv.handler, req) : spawnNamed(c.taskName, srv.handler, req, ...args)) as JoinHandle<unknown>;
}

/**
 * The common case without a generator: a kyoto `Response` with a fixed body, no request body
 * left, the client still there. KEEP or CLOSE when done; SLOW (nothing was done) for
 * `slowExchange`; WRITING when the write did not finish at once (`awaitWrite`); WAIT while the
 * task runs (the exchange is then its joiner and `taskDone` calls `quick` again).
 */
export function quick(srv: ServerCore, c: Conn, ex: Exchange): number {
  const h = ex.h as JoinHandle<unknown>;
  if (c.upgraded || c.bodyOpen || c.closed) return SLOW;
  if (!h.isFinished()) {
    h.poll(ex.joinCx); // not finished: makes the exchange its joiner, woken when it completes
    ex.joined = true;
    return WAIT;
  }
  let res: unknown;
  try {
    res = h.poll(DONE_CX);
  } catch {
    return SLOW; // a failed task: slowExchange answers it
  }
  if (!(res instanceof Response)) return SLOW;
  const keepAlive = ex.keepAlive && !c.closeAfter && !srv.draining;
  let ok = keepAlive;
  try {
    const w = writeFixed(c, res, ex.isHead, ex.http10, keepAlive);
    if (w === STREAMED) return SLOW;
    if (w !== null) {
      ex.writing = w;
      ex.status = res.status;
      ex.keepAlive = keepAlive;
      return WRITING;
    }
  } catch (e) {
    if (e instanceof BadResponseError) return SLOW; // nothing was written: slowExchange answers 500
    reportWriteError(e, h);
    ok = false;
  }
  return answered(srv, c, ex, res.status, ok) ? KEEP : CLOSE;
}

/** The rest of `quick`'s case when its write had to wait. */
export function* awaitWrite(srv: ServerCore, c: Conn, ex: Exchange): Gen<boolean> {
  let ok = ex.keepAlive;
  try {
    yield* ex.writing as Future<void>;
  } catch (e) {
    reportWriteError(e, ex.h as JoinHandle<unknown>);
    ok = false;
  }
  return answered(srv, c, ex, ex.status, ok);
}

/** `quick`'s response went out (or failed: `ok` false): count it, forget the request. */
function answered(srv: ServerCore, c: Conn, ex: Exchange, status: number, ok: boolean): boolean {
  srv.count(status);
  ex.clear();
  if (!ok || c.closed) return false;
  idle(srv, c);
  return true;
}

export function idle(srv: ServerCore, c: Conn): void {
  c.phase = IDLE;
  c.since = srv.now;
}
