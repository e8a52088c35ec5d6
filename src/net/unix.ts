/**
 * Unix domain sockets: `UnixListener` and `UnixStream`, with the surface of the TCP types.
 * @module
 */
import * as net from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { ERROR, WRITABLE } from '../runtime/io/registration.js';
import { pollProceed } from '../runtime/coop.js';
import { SocketStream } from './socket_stream.js';
import { ListenFuture, SocketListener, checkBacklog, type ListenerOptions } from './listener.js';
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

class UnixConnectFuture extends Future<UnixStream> {
  private stream: UnixStream | null = null;
  private done = false;
  constructor(private readonly path: string) {
    super();
  }
  poll(cx: Context): Poll<UnixStream> {
    if (this.done) throw new Error('connect future polled after it completed');
    let s = this.stream;
    if (s === null) {
      s = this.stream = new UnixStream(net.connect({ path: this.path, allowHalfOpen: true }), this.path);
    }
    const reg = s.reg;
    if ((reg.readiness & ERROR) !== 0) {
      this.done = true;
      s.close();
      throw reg.error!;
    }
    if (!s.socket.connecting && !s.socket.pending && !s.socket.destroyed) {
      if (!pollProceed(cx)) return Pending;
      this.done = true;
      reg.driver.counters.unixConnected++;
      reg.readiness |= WRITABLE;
      return s;
    }
    reg.registerWriter(cx);
    return Pending;
  }
  override drop(): void {
    if (this.done) return;
    this.done = true;
    this.stream?.close();
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
    return [new UnixStream(sock, this.path), this.path];
  }
}
