/**
 * `toNodeHandler(...).upgrade`: the listener for node's `upgrade` event. Each upgrade request
 * runs the handler as a task, like any request; `req.upgrade()` answers 101 and gives node's
 * socket to the handler as a `TcpStream` (src/http/node_request.ts).
 *
 * Invariants (test/http/node_upgrade.test.ts):
 * - a handler that upgraded owns the connection: nothing more is written, and its later
 *   failure is reported through `onUnhandledTaskError`;
 * - a handler that returns a `Response` without upgrading refuses: the response is written
 *   with `Connection: close` and the socket ended (a streamed body is close-delimited);
 * - a failed handler gives a 500 (reported), or the status of a request error (400, 413, 431);
 * - the socket closing (or its client's FIN) before the handler upgraded aborts the task
 *   (`finally` runs, `req.signal` aborts); a refusal is not written to a closed socket;
 * - bytes the client sends before the upgrade reach the handler's stream first, in order
 *   (at most MAX_EARLY_BYTES are read ahead; then the socket waits).
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Runtime } from '../runtime/runtime.js';
import type { SpawnBody } from '../runtime/spawn_body.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { toReadable } from '../stream/readable.js';
import { ReaderStream } from './adapters.js';
import type { Handler } from './connection.js';
import { NodeHttpRequest, type UpgradeSocket } from './node_request.js';
import { failureCause, reportHandlerError, requestErrorStatus } from './report.js';
import { fixedResponse, handlerResponse } from './respond.js';
import { Response, isStream } from './response.js';
import { dateHeader, errorResponse, statusLine, userHeaders } from './serialize.js';
import { TaskJoin } from './task_join.js';

/** The options `toNodeHandler` passes on. */
interface UpgradeOptions {
  runtime?: Runtime;
  maxBodyBytes?: number;
}

/** @internal The `upgrade` listener of `toNodeHandler(handler, opts, ...args)`. */
export function upgradeListener(handler: Handler<unknown[]>, opts: UpgradeOptions, args: unknown[]): (nreq: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  return (nreq, socket, head) => {
    const rt = opts.runtime ?? Runtime.tryCurrent() ?? Runtime.default();
    const up = new PendingUpgrade(socket, head);
    const req = new NodeHttpRequest(nreq, maxBody, up);
    const h = rt.spawnTaskEager(`${req.method} ${req.path}`, handler as SpawnBody, [req, ...args]) as JoinHandle<unknown>;
    const j = new UpgradeJoin(socket, req, h, rt);
    if (!req.upgraded) up.watch(j);
    j.wake(); // settles now if the task finished in its first poll, else joins it
  };
}

/** Most bytes kept from a client before the handler upgrades (then its socket is paused). */
const MAX_EARLY_BYTES = 64 * 1024;

/**
 * Reads the socket until the handler upgrades: node leaves an upgraded socket unread, so without
 * this a client that leaves would not be noticed. What the client sends meanwhile is kept, in
 * order, after the bytes node read past the head, up to MAX_EARLY_BYTES.
 */
class PendingUpgrade implements UpgradeSocket {
  private readonly early: Buffer[] = [];
  private bytes = 0;
  private join: UpgradeJoin | null = null;
  private readonly onData = (d: Buffer): void => {
    this.early.push(d);
    this.bytes += d.length;
    if (this.bytes >= MAX_EARLY_BYTES) this.socket.pause();
  };
  private readonly onGone = (): void => this.join?.closed();
  constructor(
    readonly socket: Duplex,
    head: Buffer,
  ) {
    if (head.length > 0) {
      this.early.push(head);
      this.bytes = head.length;
    }
  }
  watch(j: UpgradeJoin): void {
    this.join = j;
    const s = this.socket;
    s.on('data', this.onData);
    s.on('end', this.onGone);
    s.on('close', this.onGone);
    s.on('error', this.onGone);
    if (this.bytes < MAX_EARLY_BYTES) s.resume();
  }
  take(): Buffer | null {
    const s = this.socket;
    if (this.join !== null) {
      s.off('data', this.onData);
      s.off('end', this.onGone);
      s.off('close', this.onGone);
      s.off('error', this.onGone);
      this.join = null;
    }
    s.pause();
    const e = this.early;
    if (e.length === 0) return null;
    return e.length === 1 ? e[0]! : Buffer.concat(e);
  }
}

class UpgradeJoin extends TaskJoin {
  constructor(
    private readonly socket: Duplex,
    private readonly req: NodeHttpRequest,
    h: JoinHandle<unknown>,
    private readonly rt: Runtime,
  ) {
    super(h);
  }
  /** The socket closed: abort the task unless it took the connection over or finished. */
  closed(): void {
    if (this.settled || this.req.upgraded) return;
    this.req.done = true;
    this.h.abort();
    this.req.abortSignal();
  }
  protected finished(out: unknown): void {
    if (this.req.upgraded || this.req.done) return;
    refuse(this.socket, handlerResponse(out, this.h, this.rt, 'a Response or req.upgrade()'), this.h, this.rt);
  }
  protected failed(e: unknown): void {
    const cause = failureCause(e);
    if (this.req.done) return;
    if (this.req.upgraded) {
      reportHandlerError(cause, this.h, this.rt); // the stream is the handler's; nothing to answer
      return;
    }
    const status = requestErrorStatus(cause);
    if (status !== 0) {
      end(this.socket, errorResponse(status));
      return;
    }
    reportHandlerError(cause, this.h, this.rt);
    end(this.socket, errorResponse(500));
  }
}

/** Writes `res` on the raw socket, then ends it: the upgrade was refused. */
function refuse(socket: Duplex, res: Response, h: JoinHandle<unknown>, rt: Runtime): void {
  const body = res.rawBody;
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    let out: Buffer;
    try {
      out = fixedResponse(res, body, false, 'Connection: close\r\n');
    } catch (e) {
      reportHandlerError(e, h, rt);
      out = errorResponse(500);
    }
    end(socket, out);
    return;
  }
  let head: string;
  try {
    head = statusLine(res.status, res.statusText) + userHeaders(res).text + dateHeader() + 'Connection: close\r\n\r\n';
  } catch (e) {
    reportHandlerError(e, h, rt);
    end(socket, errorResponse(500));
    return;
  }
  if (socket.destroyed) return;
  socket.write(Buffer.from(head, 'latin1'));
  const readable = toReadable(isStream(body) ? body : new ReaderStream(body));
  socket.once('close', () => readable.destroy());
  readable.on('error', () => socket.destroy());
  readable.pipe(socket);
}

function end(socket: Duplex, out: Buffer): void {
  if (!socket.destroyed) socket.end(out);
}
