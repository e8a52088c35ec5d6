/**
 * TCP: `TcpListener` and `TcpStream`.
 * @module
 */
import * as net from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import type { Registration } from '../runtime/io/registration.js';
import { SocketAddr, formatAddr, parseAddr, type ToSocketAddr } from './addr.js';
import { SocketStream } from './socket_stream.js';
import { ConnectFuture } from './connect.js';
import { ListenFuture, SocketListener, checkBacklog, takeQueuedError, type ListenerOptions } from './listener.js';
import { ReadHalf, WriteHalf } from './split.js';
import { toIoError } from '../io/error.js';

/**
 * A TCP connection. Read and write it from one task, or `split()` it for two.
 *
 * @example
 * ```ts
 * function* handleClient(stream: TcpStream) {
 *   try {
 *     for (let c = yield* stream.readChunk(); c !== null; c = yield* stream.readChunk()) {
 *       yield* stream.writeChunk(c); // echo
 *     }
 *   } finally {
 *     stream.close();
 *   }
 * }
 * ```
 */
export class TcpStream extends SocketStream {
  /** @internal the peer address (known at accept / connect time). */
  peer: SocketAddr | null;

  /** @internal wraps a Node socket; use `TcpStream.connect` or `TcpListener.accept`. */
  constructor(socket: net.Socket, peer: SocketAddr | null) {
    super(socket, 'tcp');
    this.peer = peer;
  }

  /**
   * Connects to `addr` (`'127.0.0.1:8080'`, a port on 127.0.0.1, or `{ host, port }`). Throws
   * `IoError` (`ECONNREFUSED`, ...) naming the address. Dropping the future aborts the attempt.
   *
   * @example
   * ```ts
   * const stream = yield* TcpStream.connect('127.0.0.1:8080');
   * ```
   */
  static connect(addr: ToSocketAddr): Future<TcpStream> {
    const { host, port } = parseAddr(addr, '127.0.0.1');
    return new TcpConnectFuture(host, port);
  }

  /** @internal */
  label(): string {
    return `tcp ${this.peer === null ? '?' : this.peer.toString()}`;
  }

  /**
   * The remote address.
   *
   * @example
   * ```ts
   * console.log(`client ${stream.peerAddr()}`);
   * ```
   */
  peerAddr(): SocketAddr {
    if (this.peer !== null) return this.peer;
    const s = this.socket;
    return (this.peer = new SocketAddr(s.remoteAddress ?? '', s.remotePort ?? 0));
  }

  /**
   * The local address.
   *
   * @example
   * ```ts
   * const port = stream.localAddr().port;
   * ```
   */
  localAddr(): SocketAddr {
    const s = this.socket;
    return new SocketAddr(s.localAddress ?? '', s.localPort ?? 0);
  }

  /**
   * Disables Nagle's algorithm (default true), so small writes go out at once.
   *
   * @example
   * ```ts
   * stream.setNoDelay(true);
   * ```
   */
  setNoDelay(noDelay = true): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }

  /**
   * Enables TCP keep-alive probes after `initialDelayMs` of idleness.
   *
   * @example
   * ```ts
   * stream.setKeepAlive(true, 30_000);
   * ```
   */
  setKeepAlive(enable = true, initialDelayMs = 0): this {
    this.socket.setKeepAlive(enable, initialDelayMs);
    return this;
  }

  /**
   * Splits the stream into a reading and a writing half, usable from different tasks at once.
   *
   * @example
   * ```ts
   * const [rd, wr] = stream.split();
   * spawn(writer, wr);
   * yield* reader(rd);
   * ```
   */
  split(): [ReadHalf<TcpStream>, WriteHalf<TcpStream>] {
    return [new ReadHalf(this), new WriteHalf(this)];
  }
}

class TcpConnectFuture extends ConnectFuture<TcpStream> {
  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    super();
  }
  protected open(): TcpStream {
    const sock = net.connect({ host: this.host, port: this.port, allowHalfOpen: true });
    return new TcpStream(sock, new SocketAddr(this.host, this.port));
  }
  protected countConnected(reg: Registration): void {
    reg.driver.counters.tcpConnected++;
  }
}

/**
 * A TCP socket listening for connections.
 *
 * @example
 * ```ts
 * function* server() {
 *   const listener = yield* TcpListener.bind('127.0.0.1:8080');
 *   for (;;) {
 *     const [stream, addr] = yield* listener.accept();
 *     spawn(handleClient, stream);
 *   }
 * }
 * ```
 */
export class TcpListener extends SocketListener {
  private readonly addr: SocketAddr;

  /** @internal use `TcpListener.bind`. */
  constructor(server: net.Server, backlog: number) {
    super(server, 'tcp-listener', backlog);
    const a = server.address() as net.AddressInfo;
    this.addr = new SocketAddr(a.address, a.port);
  }

  /**
   * Binds and listens on `addr`: `'127.0.0.1:0'` (any free port), a port number (all
   * interfaces) or `{ host, port }`. Throws `IoError` (`EADDRINUSE`, `EACCES`) naming the address.
   *
   * @example
   * ```ts
   * const listener = yield* TcpListener.bind('127.0.0.1:0');
   * console.log(`listening on ${listener.localAddr()}`);
   * ```
   */
  static override bind(addr: ToSocketAddr, opts?: ListenerOptions): Future<TcpListener> {
    const { host, port } = parseAddr(addr, '0.0.0.0');
    const backlog = checkBacklog(opts);
    return new ListenFuture<TcpListener>(
      () => net.createServer({ pauseOnConnect: true, allowHalfOpen: true }).listen({ host, port, backlog }),
      (server) => new TcpListener(server, backlog),
      formatAddr(host, port),
    );
  }

  /** @internal */
  label(): string {
    return `listening on ${this.addr.toString()}`;
  }

  /**
   * Waits for the next connection: the stream and the peer's address. Cancel-safe: a dropped
   * accept loses no connection.
   *
   * @example
   * ```ts
   * const [stream, peer] = yield* listener.accept();
   * ```
   */
  accept(): Future<[TcpStream, SocketAddr]> {
    return new AcceptFuture(this);
  }

  /**
   * The address the listener is bound to (with the real port when bound to port 0).
   *
   * @example
   * ```ts
   * const { port } = listener.localAddr();
   * ```
   */
  localAddr(): SocketAddr {
    return this.addr;
  }
}

class AcceptFuture extends Future<[TcpStream, SocketAddr]> {
  constructor(private readonly l: TcpListener) {
    super();
  }
  poll(cx: Context): Poll<[TcpStream, SocketAddr]> {
    const sock = this.l.pollAcceptSocket(cx);
    if (sock === Pending) return Pending;
    const peer = peerOf(sock);
    this.l.reg.driver.counters.tcpAccepted++;
    const stream = new TcpStream(sock, peer);
    const err = takeQueuedError(sock);
    if (err !== undefined) stream.reg.setError(toIoError(err, 'I/O on', stream.label()));
    return [stream, peer];
  }
}

const PEER_OUT: { address: string | undefined; port: number | undefined } = { address: undefined, port: undefined };

/**
 * The peer address of an accepted socket. Asks the handle directly: `socket.remoteAddress`
 * would cache a second copy on the socket for its whole life.
 */
function peerOf(sock: net.Socket): SocketAddr {
  const h = (sock as unknown as { _handle: { getpeername?(out: object): number } | null })._handle;
  if (h !== null && typeof h.getpeername === 'function') {
    PEER_OUT.address = undefined;
    PEER_OUT.port = undefined;
    if (h.getpeername(PEER_OUT) === 0 && PEER_OUT.address !== undefined) return new SocketAddr(PEER_OUT.address, PEER_OUT.port ?? 0);
  }
  return new SocketAddr(sock.remoteAddress ?? '', sock.remotePort ?? 0);
}
