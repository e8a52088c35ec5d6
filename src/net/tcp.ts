/**
 * TCP: `TcpListener` and `TcpStream`.
 * @module
 */
import type { Socket } from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { SocketAddr, formatAddr, parseAddr, type ToSocketAddr } from './addr.js';
import { SocketStream } from './socket_stream.js';
import { ConnectFuture } from './connect.js';
import { ListenFuture, SocketListener, checkBacklog, type ListenerOptions } from './listener.js';
import { ReadHalf, WriteHalf } from './split.js';
import type { RawListener, RawStream } from './sys.js';
import { transport } from './transport.js';
import { netStats } from './stats.js';

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

  /** @internal wraps a transport stream; use `TcpStream.connect` or `TcpListener.accept`. */
  constructor(socket: RawStream | Socket, peer: SocketAddr | null) {
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
    const a = this.raw.remoteAddress();
    return (this.peer = new SocketAddr(a?.address ?? '', a?.port ?? 0));
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
    const a = this.raw.localAddress();
    return new SocketAddr(a?.address ?? '', a?.port ?? 0);
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
    this.raw.setNoDelay(noDelay);
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
    this.raw.setKeepAlive(enable, initialDelayMs);
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
    return new TcpStream(transport().connectTcp(this.host, this.port), new SocketAddr(this.host, this.port));
  }
  protected countConnected(): void {
    netStats().tcpConnected++;
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
  constructor(raw: RawListener, backlog: number) {
    super(raw, 'tcp-listener', backlog);
    const a = raw.address();
    this.addr = typeof a === 'string' ? new SocketAddr(a, 0) : new SocketAddr(a.address, a.port);
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
      (done) => transport().listenTcp(host, port, backlog, done),
      (raw) => new TcpListener(raw, backlog),
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
    const raw = this.l.pollAcceptRaw(cx);
    if (raw === Pending) return Pending;
    const a = raw.remoteAddress();
    const peer = new SocketAddr(a?.address ?? '', a?.port ?? 0);
    this.l.stats.tcpAccepted++;
    return [new TcpStream(raw, peer), peer];
  }
}
