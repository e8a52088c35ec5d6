/**
 * `SocketListener`: the accept queue shared by `TcpListener` and `UnixListener`.
 *
 * Connections are accepted by libuv as they arrive and are held paused (nothing is read from
 * them) in a queue bounded by `backlog`. While that queue is full the listener is paused: new
 * connections are refused (closed at once and counted in `ioTcpAcceptRefused`) until the accept
 * loop takes some, so a slow accept loop costs bounded memory. Node offers no way to stop
 * libuv's accept() calls, so refusing is the only bounded choice.
 * @module
 */
import type { Server, Socket } from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ioDriver } from '../runtime/io/driver.js';
import { ERROR, READABLE, Registration, type RegistrationOwner } from '../runtime/io/registration.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { IoError, toIoError } from '../io/error.js';
import { Ring } from './ring.js';

/** Default bound of the accept queue (and the kernel backlog asked for). */
export const DEFAULT_BACKLOG = 1024;

/** Options of `TcpListener.bind` / `UnixListener.bind`. */
export interface ListenerOptions {
  /** Accepted connections held until `accept()` takes them; beyond it new ones are refused. */
  backlog?: number;
}

/** @internal */
export function checkBacklog(opts: ListenerOptions | undefined): number {
  const b = opts?.backlog ?? DEFAULT_BACKLOG;
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`backlog must be an integer >= 1, got ${String(b)}`);
  return b;
}

/**
 * Base of the listeners; use `TcpListener` or `UnixListener`.
 *
 * @example
 * ```ts
 * const [stream, addr] = yield* listener.accept();
 * ```
 */
export abstract class SocketListener implements RegistrationOwner {
  /** @internal */
  readonly reg: Registration;
  /** @internal */
  readonly queue: Ring<Socket>;
  /** Connections refused because the accept queue was full. */
  refused = 0;
  private closed = false;

  constructor(
    /** The Node server (listening, created with pauseOnConnect). */
    readonly server: Server,
    kind: string,
    backlog: number,
  ) {
    this.queue = new Ring<Socket>(backlog);
    this.reg = new Registration(kind, ioDriver(), this);
    server.on('connection', (sock: Socket) => this.onConnection(sock));
    server.on('error', (err: Error) => this.reg.setError(toIoError(err, 'accept on', this.label())));
    server.on('close', () => this.reg.deregister());
    trackResource(this);
  }

  /** @internal */
  abstract label(): string;

  private onConnection(sock: Socket): void {
    if (!this.queue.push(sock)) {
      this.refused++;
      this.reg.driver.counters.tcpAcceptRefused++;
      sock.destroy();
      return;
    }
    this.reg.setReadiness(READABLE);
  }

  /** @internal */
  pollAcceptSocket(cx: Context): Poll<Socket> {
    const reg = this.reg;
    if (this.queue.length > 0) {
      if (!pollProceed(cx)) return Pending;
      return this.queue.shift()!;
    }
    if ((reg.readiness & ERROR) !== 0) throw reg.error!;
    if (this.closed || !reg.isOpen()) {
      throw new IoError('CLOSED', `accept on ${this.label()} failed: the listener is closed`);
    }
    reg.clearReadiness(READABLE);
    reg.registerReader(cx);
    return Pending;
  }

  /** Connections accepted by the OS and waiting for `accept()`. */
  queued(): number {
    return this.queue.length;
  }

  /**
   * Stops listening and closes connections not yet accepted; a pending `accept()` throws
   * `IoError` code `CLOSED`. Connections already accepted stay open. Idempotent.
   *
   * @example
   * ```ts
   * listener.close();
   * ```
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let s = this.queue.shift(); s !== undefined; s = this.queue.shift()) s.destroy();
    this.server.close();
    this.reg.deregister();
  }

  /** @internal runtime shutdown */
  forceClose(): void {
    this.close();
  }

  /** `using listener = ...` closes it at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal console listing. */
  resourceInfo(): ResourceInfo {
    return {
      kind: this.reg.kind,
      label: this.label(),
      waiters: this.reg.reader !== null ? 1 : 0,
      details: { queued: this.queue.length, backlog: this.queue.capacity, refused: this.refused },
    };
  }
}

/** @internal waits for the server's 'listening' (or its error) and yields `make()`. */
export class ListenFuture<L> extends Future<L> {
  private server: Server | null = null;
  private done = false;
  private error: Error | null = null;
  private listening = false;
  private waker: import('../future/future.js').Waker | null = null;

  constructor(
    private readonly start: () => Server,
    private readonly make: (server: Server) => L,
    private readonly what: string,
  ) {
    super();
  }

  poll(cx: Context): Poll<L> {
    if (this.done) throw new Error('bind future polled after it completed');
    if (this.server === null) {
      const server = this.start();
      this.server = server;
      server.once('listening', () => {
        this.listening = true;
        this.waker?.wake();
      });
      server.once('error', (e: Error) => {
        this.error = e;
        this.waker?.wake();
      });
    }
    if (this.error !== null) {
      this.done = true;
      this.server.close();
      throw toIoError(this.error, 'bind', this.what);
    }
    if (this.listening) {
      this.done = true;
      this.server.removeAllListeners('error');
      return this.make(this.server);
    }
    const w = this.waker;
    if (w === null || !w.willWake(cx.waker)) this.waker = cx.waker.clone();
    return Pending;
  }

  override drop(): void {
    if (this.done) return;
    this.done = true;
    this.server?.close();
  }
}
