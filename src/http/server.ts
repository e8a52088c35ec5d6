/**
 * `serve` and `HttpServer`: the accept loop, one task per connection, the sweeper that enforces
 * the timeouts, metrics, and graceful shutdown.
 *
 * Invariants (test/http/limits.test.ts, test/http/shutdown.test.ts):
 * - Timeouts are judged by one sweeper task per server on a coarse clock (it ticks every
 *   quarter of the smallest timeout, between 10 ms and 1 s), as node:http's connection checker
 *   does, so a request arms no timer. A head slower than `headersTimeoutMs` or a request slower
 *   than `requestTimeoutMs` gets 408 and is closed; an idle keep-alive connection is closed
 *   after `keepAliveTimeoutMs`.
 * - A connection idle for a sweeper tick drops the strings its parser kept from the last head.
 * - Beyond `maxConnections`, accepted connections are closed at once (counted in `refused`).
 * - The console lists the server as an `http-server` resource with its counts by status (499:
 *   the client left first).
 * - `shutdown({ graceMs })` stops accepting, closes idle connections at once, lets in-flight
 *   requests finish (their responses say `Connection: close`), aborts what is left after
 *   `graceMs`, and completes when every connection task has ended. `opts.signal` does the same.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { future } from '../future/gen_future.js';
import type { SocketAddr } from '../net/addr.js';
import { TcpListener, type TcpStream } from '../net/tcp.js';
import { spawnNamed } from '../runtime/spawn.js';
import type { JoinHandle } from '../runtime/task/join_handle.js';
import { sleep } from '../time/sleep.js';
import { trackResource, type ResourceInfo, type TrackedResource } from '../runtime/resources.js';
import { HEAD, IDLE, type Conn } from './conn.js';
import { serveConnection, type Handler, type ServerCore } from './connection.js';
import { config, type Config, type ServeOptions } from './options.js';

/** What `server.metrics()` returns. */
export interface HttpMetrics {
  /** Responses by status; 499 counts requests whose client left first. */
  statuses: Record<number, number>;
  /** Requests answered or aborted. */
  requests: number;
  /** Connections open now. */
  openConnections: number;
  /** Connections accepted since start. */
  acceptedConnections: number;
  /** Connections closed at accept because of `maxConnections`. */
  refusedConnections: number;
}

/** Options of `shutdown`. */
export interface ShutdownOptions {
  /** How long in-flight requests may take before they are aborted (default 5000). */
  graceMs?: number;
}

/**
 * A running server (from `serve`).
 *
 * @example
 * ```ts
 * const server = yield* serve({ port: 0 }, hello);
 * console.log(`listening on ${server.addr}`);
 * yield* server.shutdown({ graceMs: 1000 });
 * ```
 */
export class HttpServer implements ServerCore, TrackedResource {
  /** @internal */ now = Date.now();
  /** @internal */ draining = false;
  /** @internal */ readonly conns = new Set<Conn>();
  private readonly statuses = new Map<number, number>();
  private requests = 0;
  private accepted = 0;
  /** @internal */ refused = 0;
  private acceptTask: JoinHandle<void> | null = null;
  private sweeper: JoinHandle<void> | null = null;
  private stopped = false;
  private waiters: Waker[] = [];
  private killTimer: NodeJS.Timeout | null = null;

  /** @internal */
  constructor(
    /** @internal */ readonly cfg: Config,
    /** @internal */ readonly handler: Handler<unknown[]>,
    /** @internal */ readonly args: unknown[],
    private readonly listener: TcpListener,
  ) {
    trackResource(this);
  }

  /** @internal the console's resource view: connections and responses by status (499 included). */
  resourceInfo(): ResourceInfo {
    const details: Record<string, number | string | boolean> = {
      openConnections: this.conns.size,
      requests: this.requests,
      draining: this.draining,
    };
    for (const [k, v] of this.statuses) details[`status${k}`] = v;
    return { kind: 'http-server', label: `http://${this.addr.toString()}`, waiters: 0, details };
  }

  /** @internal */
  get maxHeaderBytes(): number {
    return this.cfg.maxHeaderBytes;
  }

  /** The bound address. */
  get addr(): SocketAddr {
    return this.listener.localAddr();
  }

  /** The bound port (the real one when `port: 0` was asked). */
  get port(): number {
    return this.listener.localAddr().port;
  }

  /** @internal */
  start(): void {
    this.acceptTask = spawnNamed('http accept', acceptLoop, this, this.listener);
    this.sweeper = spawnNamed('http sweeper', sweep, this);
    const sig = this.cfg.signal;
    if (sig !== null) {
      if (sig.aborted) this.beginShutdown(5000);
      else sig.addEventListener('abort', () => this.beginShutdown(5000), { once: true });
    }
  }

  /** @internal */
  count(status: number): void {
    this.requests++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  /** @internal */
  countAccepted(): void {
    this.accepted++;
  }

  /** @internal */
  connDone(_c: Conn): void {
    if (this.draining && this.conns.size === 0) this.finish();
  }

  private finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sweeper?.abort();
    if (this.killTimer !== null) clearTimeout(this.killTimer);
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.wake();
  }

  /** @internal stops accepting, closes idle connections, aborts the rest after `graceMs`. */
  beginShutdown(graceMs: number): void {
    if (this.draining) return;
    this.draining = true;
    this.acceptTask?.abort();
    this.listener.close();
    for (const c of this.conns) if (c.phase === IDLE || (c.phase === HEAD && c.buffered === 0)) c.kill();
    if (this.conns.size === 0) {
      this.finish();
      return;
    }
    this.killTimer = setTimeout(() => {
      for (const c of this.conns) c.kill();
    }, graceMs);
  }

  /**
   * Graceful shutdown: stop accepting, close idle connections, let in-flight requests finish
   * for up to `graceMs` (then abort them). Completes once every connection is closed.
   *
   * @example
   * ```ts
   * yield* server.shutdown({ graceMs: 2000 });
   * ```
   */
  shutdown(opts?: ShutdownOptions): Future<void> {
    const grace = opts?.graceMs ?? 5000;
    if (!(grace >= 0)) throw new RangeError(`shutdown: graceMs must be >= 0, got ${String(grace)}`);
    return future(function* (srv: HttpServer) {
      srv.beginShutdown(grace);
      yield* srv.closed;
    }, this);
  }

  /**
   * A future that completes once the server has shut down and every connection closed.
   *
   * @example
   * ```ts
   * yield* server.closed; // after opts.signal aborted
   * ```
   */
  get closed(): Future<void> {
    return new ClosedFuture(this);
  }

  /** @internal */
  pollClosed(cx: Context): Poll<void> {
    if (this.stopped) return undefined;
    this.waiters.push(cx.waker.clone());
    return Pending;
  }

  /**
   * Counters: responses by status (499 = client left first), requests, connections.
   *
   * @example
   * ```ts
   * const m = server.metrics(); console.log(m.statuses[200], m.openConnections);
   * ```
   */
  metrics(): HttpMetrics {
    const statuses: Record<number, number> = {};
    for (const [k, v] of this.statuses) statuses[k] = v;
    return {
      statuses,
      requests: this.requests,
      openConnections: this.conns.size,
      acceptedConnections: this.accepted,
      refusedConnections: this.refused,
    };
  }
}

class ClosedFuture extends Future<void> {
  constructor(private readonly s: HttpServer) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.s.pollClosed(cx);
  }
}

function* acceptLoop(srv: HttpServer, l: TcpListener) {
  const max = srv.cfg.maxConnections;
  for (;;) {
    const [stream] = yield* l.accept();
    if (srv.conns.size >= max) {
      srv.refused++;
      stream.close();
      continue;
    }
    srv.countAccepted();
    stream.setNoDelay(true);
    spawnNamed('http connection', serveConnection, srv, stream as TcpStream);
  }
}

function* sweep(srv: HttpServer) {
  const cfg = srv.cfg;
  const tick = Math.max(10, Math.min(1000, Math.floor(Math.min(cfg.headersTimeoutMs, cfg.keepAliveTimeoutMs, cfg.requestTimeoutMs) / 4)));
  for (;;) {
    yield* sleep(tick);
    const now = (srv.now = Date.now());
    for (const c of srv.conns) {
      if (c.upgraded) continue;
      const age = now - c.since;
      if (c.phase === IDLE) {
        if (age >= cfg.keepAliveTimeoutMs) c.kill();
        else if (age >= tick) c.parser.forget(); // idle a while: keep no strings of the last head
      } else if (c.phase === HEAD) {
        if (age >= cfg.headersTimeoutMs) {
          srv.count(408);
          c.kill(408);
        }
      } else if (c.bodyOpen && now - c.requestStart >= cfg.requestTimeoutMs) {
        srv.count(408);
        c.kill(408);
      }
    }
  }
}

/**
 * Starts an HTTP/1.1 server: a future of the running `HttpServer`. Every request runs
 * `handler(req, ...args)` as its own task, named `METHOD /path`.
 *
 * @example
 * ```ts
 * function* hello(req: HttpRequest): Gen<Response> { return new Response(`hello ${req.path}\n`); }
 * await run(function* () {
 *   const server = yield* serve({ port: 8080 }, hello);
 *   yield* server.closed;
 * });
 * ```
 */
export function serve<A extends unknown[]>(opts: ServeOptions, handler: Handler<A>, ...args: A): Future<HttpServer> {
  const cfg = config(opts);
  if (typeof handler !== 'function') throw new TypeError(`serve: handler must be a function, got ${typeof handler}`);
  return future(function* () {
    const l = yield* TcpListener.bind({ host: cfg.host, port: cfg.port }, { backlog: cfg.backlog });
    const srv = new HttpServer(cfg, handler as Handler<unknown[]>, args, l);
    srv.start();
    return srv;
  });
}
