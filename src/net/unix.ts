/**
 * Unix domain sockets: `UnixListener` and `UnixStream`, with the surface of the TCP types.
 * @module
 */
import type { Socket } from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { IoError } from '../io/error.js';
import { SocketStream } from './socket_stream.js';
import { ConnectFuture } from './connect.js';
import { ListenFuture, SocketListener, checkBacklog, type ListenerOptions } from './listener.js';
import { ReadHalf, WriteHalf } from './split.js';
import type { RawListener, RawStream } from './sys.js';
import { transport } from './transport.js';
import { netStats } from './stats.js';

/**
 * Longest socket path the OS accepts, in bytes: `sun_path` holds 108 bytes on Linux and 104 on
 * the BSDs and macOS, one of which is the terminating NUL. Longer paths are silently truncated by
 * the kernel (the socket file gets a shorter name than the one asked for), so they are refused.
 */
export const MAX_UNIX_PATH = process.platform === 'linux' ? 107 : 103;

function checkPath(path: unknown, op: string): string {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`invalid Unix socket path ${JSON.stringify(path)}: expected a non-empty string`);
  }
  const n = Buffer.byteLength(path);
  if (n > MAX_UNIX_PATH) {
    throw new IoError('ENAMETOOLONG', `${op} ${path} failed: a Unix socket path may be at most ${MAX_UNIX_PATH} bytes on ${process.platform}, this one has ${n}; use a shorter path (e.g. a relative one, or under /tmp)`, { address: path });
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
    socket: RawStream | Socket,
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
    return new UnixConnectFuture(checkPath(path, 'connect to'));
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
    return new UnixStream(transport().connectUnix(this.path), this.path);
  }
  protected countConnected(): void {
    netStats().unixConnected++;
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
    raw: RawListener,
    backlog: number,
    private readonly path: string,
  ) {
    super(raw, 'unix-listener', backlog);
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
    const p = checkPath(path, 'bind');
    const backlog = checkBacklog(opts);
    return new ListenFuture<UnixListener>(
      (done) => transport().listenUnix(p, backlog, done),
      (raw) => new UnixListener(raw, backlog, p),
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
    const raw = this.l.pollAcceptRaw(cx);
    if (raw === Pending) return Pending;
    this.l.stats.unixAccepted++;
    return [new UnixStream(raw, this.path), this.path];
  }
}
