/**
 * Unix domain sockets: `UnixListener` and `UnixStream`, with the surface of the TCP types.
 * @module
 */
import * as net from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import type { Registration } from '../runtime/io/registration.js';
import { toIoError } from '../io/error.js';
import { SocketStream } from './socket_stream.js';
import { ConnectFuture } from './connect.js';
import { ListenFuture, SocketListener, checkBacklog, takeQueuedError, type ListenerOptions } from './listener.js';
import { ReadHalf, WriteHalf } from './split.js';

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`invalid Unix socket path ${JSON.stringify(path)}: expected a non-empty string`);
  }
  return path;
}

/**
 * A connected Unix domain socket. Same surface as `TcpStream` (read, readChunk, readExact,
 * write, writeAll, writeChunk, flush, shutdown, split).
 *
 * @example
 * ```ts
 * const stream = yield* UnixStream.connect('/tmp/app.sock');
 * yield* stream.writeAll(Buffer.from('ping\n'));
 * ```
 */
export class UnixStream extends SocketStream {
  /** @internal */
  constructor(
    socket: net.Socket,
    private readonly path: string,
  ) {
    super(socket, 'unix');
  }

  /**
   * Connects to the socket at `path`. Throws `IoError` (`ENOENT`, `ECONNREFUSED`) naming it.
   *
   * @example
   * ```ts
   * const s = yield* UnixStream.connect('/tmp/app.sock');
   * ```
   */
  static connect(path: string): Future<UnixStream> {
    return new UnixConnectFuture(checkPath(path));
  }

  /** @internal */
  label(): string {
    return `unix ${this.path}`;
  }

  /**
   * The path of the listening socket this connection belongs to.
   *
   * @example
   * ```ts
   * console.log(stream.peerAddr());
   * ```
   */
  peerAddr(): string {
    return this.path;
  }

  /**
   * The local path (empty for an unnamed client socket).
   *
   * @example
   * ```ts
   * stream.localAddr();
   * ```
   */
  localAddr(): string {
    return '';
  }

  /**
   * Splits the stream into halves usable from different tasks at once.
   *
   * @example
   * ```ts
   * const [rd, wr] = stream.split();
   * ```
   */
  split(): [ReadHalf<UnixStream>, WriteHalf<UnixStream>] {
    return [new ReadHalf(this), new WriteHalf(this)];
  }
}

class UnixConnectFuture extends ConnectFuture<UnixStream> {
  constructor(private readonly path: string) {
    super();
  }
  protected open(): UnixStream {
    return new UnixStream(net.connect({ path: this.path, allowHalfOpen: true }), this.path);
  }
  protected countConnected(reg: Registration): void {
    reg.driver.counters.unixConnected++;
  }
}

/**
 * A Unix domain socket listening at a path.
 *
 * @example
 * ```ts
 * const listener = yield* UnixListener.bind('/tmp/app.sock');
 * const [stream] = yield* listener.accept();
 * ```
 */
export class UnixListener extends SocketListener {
  /** @internal */
  constructor(
    server: net.Server,
    backlog: number,
    private readonly path: string,
  ) {
    super(server, 'unix-listener', backlog);
  }

  /**
   * Listens at `path`. Throws `IoError` `EADDRINUSE` if something is already there.
   *
   * @example
   * ```ts
   * const listener = yield* UnixListener.bind(join(tmpdir(), 'kyoto.sock'));
   * ```
   */
  static override bind(path: string, opts?: ListenerOptions): Future<UnixListener> {
    const p = checkPath(path);
    const backlog = checkBacklog(opts);
    return new ListenFuture<UnixListener>(
      () => net.createServer({ pauseOnConnect: true, allowHalfOpen: true }).listen({ path: p, backlog }),
      (server) => new UnixListener(server, backlog, p),
      p,
    );
  }

  /** @internal */
  label(): string {
    return `listening on ${this.path}`;
  }

  /**
   * Waits for the next connection: the stream and the listener's path. Cancel-safe.
   *
   * @example
   * ```ts
   * const [stream, path] = yield* listener.accept();
   * ```
   */
  accept(): Future<[UnixStream, string]> {
    return new UnixAcceptFuture(this, this.path);
  }

  /**
   * The path the listener is bound to.
   *
   * @example
   * ```ts
   * listener.localAddr(); // '/tmp/app.sock'
   * ```
   */
  localAddr(): string {
    return this.path;
  }
}

class UnixAcceptFuture extends Future<[UnixStream, string]> {
  constructor(
    private readonly l: UnixListener,
    private readonly path: string,
  ) {
    super();
  }
  poll(cx: Context): Poll<[UnixStream, string]> {
    const sock = this.l.pollAcceptSocket(cx);
    if (sock === Pending) return Pending;
    this.l.reg.driver.counters.unixAccepted++;
    const stream = new UnixStream(sock, this.path);
    const err = takeQueuedError(sock);
    if (err !== undefined) stream.reg.setError(toIoError(err, 'I/O on', stream.label()));
    return [stream, this.path];
  }
}
