/**
 * The `HttpRequest` of a request node:http parsed: what `toNodeHandler`'s request listener and
 * its `upgrade` listener hand to the handler.
 *
 * Invariants (test/http/node_handler.test.ts, test/http/node_upgrade.test.ts): the body is node's
 * request as a kyoto stream, read only as the handler pulls; a request from the `upgrade` event
 * has an empty body (what follows its head belongs to the new protocol) and `req.upgrade()`
 * writes the 101 on node's socket and gives it as a `TcpStream` whose first reads return the
 * bytes the client sent past the head, in order; any other request's `req.upgrade()` throws
 * `UpgradeUnavailableError`.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Context } from '../future/future.js';
import { SocketAddr } from '../net/addr.js';
import { TcpStream } from '../net/tcp.js';
import { fromReadable } from '../stream/readable.js';
import { Done, type Stream, type StreamPoll } from '../stream/stream.js';
import { BodyStream } from './body.js';
import { ClientDisconnectedError } from './errors.js';
import { HttpHeaders } from './headers.js';
import { HttpRequest, switchingHead } from './request.js';
import type { HeadersInit } from './response.js';

/**
 * `req.upgrade()` on a request that came through node's `request` event: node hands a connection
 * over only in its `upgrade` event.
 *
 * @example
 * ```ts
 * const h = toNodeHandler(handler);
 * createServer(h).on('upgrade', h.upgrade); // then req.upgrade() works
 * ```
 */
export class UpgradeUnavailableError extends Error {
  override name = 'UpgradeUnavailableError';
}

class NodeBody extends BodyStream {
  private readonly src: Stream<Buffer>;
  constructor(req: IncomingMessage) {
    super();
    this.src = fromReadable<Buffer>(req, { destroyOnDrop: false });
  }
  protected pollChunk(cx: Context): StreamPoll<Uint8Array> {
    return this.src.pollNext(cx);
  }
  override drop(): void {
    this.src.drop();
  }
}

class EmptyBody extends BodyStream {
  protected pollChunk(_cx: Context): StreamPoll<Uint8Array> {
    return Done;
  }
}

/**
 * @internal node's socket of an upgrade request, watched until the handler takes it over (the
 * upgrade listener's `PendingUpgrade`, src/http/node_upgrade.ts).
 */
export interface UpgradeSocket {
  readonly socket: Duplex;
  /** Stops watching; returns the bytes the client sent after the head so far (or null). */
  take(): Buffer | null;
}

/** @internal */
export class NodeHttpRequest extends HttpRequest {
  /** @internal the client left (or the response was settled). */ done = false;
  /** @internal the connection was handed to the handler. */ upgraded = false;
  constructor(
    private readonly nreq: IncomingMessage,
    maxBodyBytes: number,
    /** The socket of a request from the `upgrade` event. */
    private readonly upgradeSocket: UpgradeSocket | null = null,
  ) {
    const names: string[] = [];
    const values: string[] = [];
    const raw = nreq.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      names.push(raw[i]!);
      values.push(raw[i + 1]!);
    }
    const cl = nreq.headers['content-length'];
    super(null, nreq.method ?? 'GET', nreq.url ?? '/', new HttpHeaders(names, values), nreq.httpVersion, maxBodyBytes, cl === undefined ? -1 : Number(cl));
  }
  override get remoteAddr(): SocketAddr {
    const s = this.nreq.socket;
    return new SocketAddr(s.remoteAddress ?? '', s.remotePort ?? 0);
  }
  protected override localHost(): string {
    const s = this.nreq.socket;
    return `${s.localAddress ?? '127.0.0.1'}:${s.localPort ?? 0}`;
  }
  protected override gone(): boolean {
    return this.done;
  }
  protected override makeBody(): BodyStream {
    return this.upgradeSocket === null ? new NodeBody(this.nreq) : new EmptyBody();
  }
  protected override hasBody(): boolean {
    return this.upgradeSocket === null && (!this.nreq.complete || this.nreq.readableLength > 0);
  }
  /** @internal */
  override switchProtocols(headers: HeadersInit | undefined): TcpStream {
    const up = this.upgradeSocket;
    if (up === null) {
      throw new UpgradeUnavailableError(
        "req.upgrade() under toNodeHandler needs node's upgrade event: register the handler's upgrade listener too, " +
          "as in server.on('upgrade', handler.upgrade) with handler = toNodeHandler(...)",
      );
    }
    const socket = up.socket;
    if (this.done || socket.destroyed) throw new ClientDisconnectedError();
    if (this.upgraded) throw new Error('req.upgrade() was already called');
    const head = switchingHead(headers);
    this.upgraded = true;
    const rest = up.take();
    socket.write(head);
    const stream = new TcpStream(socket as Socket, null);
    if (rest !== null) stream.leftover = rest;
    return stream;
  }
}
