/**
 * `toNodeHandler`: a kyoto handler mounted in node:http, Express or Fastify, with the same
 * semantics as under `serve`: one task per request named `METHOD /path`, aborted (its `finally`
 * runs, `req.signal` aborts) when the client goes away before the response is complete; a
 * thrown error is a 500 reported through `onUnhandledTaskError`.
 *
 * Invariants (test/http/node_handler.test.ts): the request body is node's request as a kyoto
 * stream, read only as the handler pulls (backpressure through node's own flow control); a
 * streamed response is piped with node's backpressure and dropped when the client leaves.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Runtime } from '../runtime/runtime.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { toReadable } from '../stream/readable.js';
import { contextFromWaker, noopWaker } from '../future/waker.js';
import type { SpawnBody } from '../runtime/spawn_body.js';
import { spawnNamedEager } from '../runtime/spawn.js';
import { failureCause, reportHandlerError, requestErrorStatus } from './report.js';
import { ReaderStream } from './adapters.js';
import type { Handler } from './connection.js';
import { NodeHttpRequest } from './node_request.js';
import { upgradeListener } from './node_upgrade.js';
import { TaskJoin } from './task_join.js';
import { handlerResponse } from './respond.js';
import { Response, forEachHeader, isStream } from './response.js';

/** Options of `toNodeHandler`. */
export interface NodeHandlerOptions {
  /** The runtime the request tasks run on (default: the current one, else `Runtime.default()`). */
  runtime?: Runtime;
  /** Limit of `text()`/`json()`/`bytes()` (default 1 MiB). */
  maxBodyBytes?: number;
}

/**
 * What `toNodeHandler` returns: node's request listener, with the matching `upgrade` listener as
 * a property.
 */
export interface NodeHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /**
   * The listener for the node server's `upgrade` event: the same handler, as a task per request,
   * where `req.upgrade()` answers 101 and gives node's socket as a `TcpStream`. A handler that
   * returns a `Response` instead refuses the upgrade: it is written and the connection closed.
   *
   * @example
   * ```ts
   * const h = toNodeHandler(websocket);
   * createServer(h).on('upgrade', h.upgrade).listen(8080);
   * ```
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * A node:http request listener that runs `handler` as a kyoto task per request; its `upgrade`
 * property is the listener for the server's `upgrade` event.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * function* hello(req: HttpRequest): Gen<Response> { return new Response(`hello ${req.path}`); }
 * createServer(toNodeHandler(hello)).listen(8080);
 * // Express: app.use('/api', toNodeHandler(api));
 * ```
 */
export function toNodeHandler<A extends unknown[]>(handler: Handler<A>, opts: NodeHandlerOptions = {}, ...args: A): NodeHandler {
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  // The task's name, reused while the method and target strings are the same.
  let lastMethod = '';
  let lastUrl = '';
  let lastName = '';
  const listener = (nreq: IncomingMessage, res: ServerResponse): void => {
    const rt = opts.runtime ?? Runtime.tryCurrent() ?? Runtime.default();
    const req = new NodeHttpRequest(nreq, maxBody);
    if (req.method !== lastMethod || req.target !== lastUrl) {
      lastMethod = req.method;
      lastUrl = req.target;
      lastName = `${req.method} ${req.path}`;
    }
    // Eager: a handler that answers at once has finished when the spawn returns (its first
    // poll runs here, as a batch of one), and is answered without a join.
    const body = handler as Handler<unknown[]> as SpawnBody;
    const h = (args.length === 0 ? spawnNamedEager(lastName, body, req, rt) : rt.spawnTaskEager(lastName, body, [req, ...args])) as JoinHandle<unknown>;
    if (h.isFinished()) {
      let out: unknown;
      try {
        out = h.poll(DONE_CX);
      } catch (e) {
        failed(res, req, e, h, rt);
        return;
      }
      send(res, out, h, rt);
      return;
    }
    const j = new NodeJoin(res, req, h, rt);
    (res as JoinedResponse)[JOIN] = j;
    res.on('close', onResponseClose);
    h.poll(j.cx); // not finished: makes `j` the task's joiner, woken when it completes
  };
  return Object.assign(listener, { upgrade: upgradeListener(handler as Handler<unknown[]>, opts, args) });
}

const DONE_CX = contextFromWaker(noopWaker());
const JOIN: unique symbol = Symbol('kyoto.nodeJoin');
type JoinedResponse = ServerResponse & { [JOIN]?: NodeJoin };

/** `res`'s 'close' listener, shared by every response (`this` is the response). */
function onResponseClose(this: JoinedResponse): void {
  this[JOIN]?.closed();
}

/** Waits for a request task that did not finish at its first poll, then answers `res`. */
class NodeJoin extends TaskJoin {
  constructor(
    private readonly res: ServerResponse,
    private readonly req: NodeHttpRequest,
    h: JoinHandle<unknown>,
    private readonly rt: Runtime,
  ) {
    super(h);
  }
  /** The client went away: abort the task unless the response is complete. */
  closed(): void {
    if (this.res.writableFinished || this.settled) return;
    this.req.done = true;
    this.h.abort();
    this.req.abortSignal();
  }
  protected finished(out: unknown): void {
    send(this.res, out, this.h, this.rt);
  }
  protected failed(e: unknown): void {
    failed(this.res, this.req, e, this.h, this.rt);
  }
}

/** The task failed: a 500 (reported), or the status of a body error; nothing if the client left. */
function failed(res: ServerResponse, req: NodeHttpRequest, e: unknown, h: JoinHandle<unknown>, rt: Runtime): void {
  if (req.done || res.headersSent) return;
  const cause = failureCause(e);
  const status = requestErrorStatus(cause);
  if (status !== 0) {
    res.writeHead(status, { connection: 'close' }).end(cause instanceof Error ? cause.message : '');
    return;
  }
  reportHandlerError(cause, h, rt);
  res.writeHead(500, { 'content-type': 'text/plain;charset=UTF-8' }).end('Internal Server Error');
}

function send(res: ServerResponse, out: unknown, h: JoinHandle<unknown>, rt: Runtime): void {
  if (res.destroyed) return;
  const r = handlerResponse(out, h, rt);
  res.statusCode = r.status;
  if (r.statusText !== '') res.statusMessage = r.statusText;
  let hasType = false;
  if (r.init !== undefined) {
    const multi = new Map<string, string[]>();
    forEachHeader(r.init, (k, v) => {
      const l = k.toLowerCase();
      const a = multi.get(l);
      if (a === undefined) multi.set(l, [v]);
      else a.push(v);
    });
    for (const [k, v] of multi) res.setHeader(k, v.length === 1 ? v[0]! : v);
    hasType = multi.has('content-type');
  }
  const body = r.rawBody;
  if (body === null) res.end();
  else if (typeof body === 'string') {
    if (!hasType) res.setHeader('content-type', 'text/plain;charset=UTF-8');
    res.end(body);
  } else if (body instanceof Uint8Array) res.end(body);
  else {
    const src = isStream(body) ? body : new ReaderStream(body);
    const readable = toReadable(src);
    res.once('close', () => readable.destroy());
    readable.on('error', () => res.destroy());
    readable.pipe(res);
  }
}
