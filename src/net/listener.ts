/**
 * `SocketListener`: the accept queue shared by `TcpListener` and `UnixListener`.
 *
 * Connections are accepted by libuv as they arrive and are held paused (nothing is read from
 * them) in a queue bounded by `backlog`. While that queue is full the listener is paused: new
 * connections are refused (closed at once and counted in `ioTcpAcceptRefused`) until the accept
 * loop takes some, so a slow accept loop costs bounded memory. Node offers no way to stop
 * libuv's accept() calls, so refusing is the only bounded choice. A connection that fails while
 * it waits in the queue keeps its error for whoever accepts it (the transport replays it).
 * Tested in test/net/connections.test.ts.
 * @module
 */
import type { Server } from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ioDriver } from '../runtime/io/driver.js';
import { ERROR, READABLE, Registration, type RegistrationOwner } from '../runtime/io/registration.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { IoError, toIoError } from '../io/error.js';
import { WakerSlot } from '../future/waker_slot.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { Ring } from '../util/ring.js';
import type { RawListener, RawListenerEvents, RawStream } from './sys.js';
import { netStats, type NetStats } from './stats.js';
import { checkInt } from '../util/args.js';

/** Default bound of the accept queue (and the kernel backlog asked for). */
export const DEFAULT_BACKLOG = 1024;

/** Options of `TcpListener.bind` / `UnixListener.bind`. */
export interface ListenerOptions {
  /** Accepted connections held until `accept()` takes them; beyond it new ones are refused. */
  backlog?: number;
}

/** @internal */
export function checkBacklog(opts: ListenerOptions | undefined): number {
  return checkInt('backlog', opts?.backlog ?? DEFAULT_BACKLOG, 1, 0x7fffffff);
}

/**
 * Base of the listeners; use `TcpListener` or `UnixListener`.
 *
 * @example
 * ```ts
 * const [stream, addr] = yield* listener.accept();
 * ```
 */
export abstract class SocketListener implements RegistrationOwner, RawListenerEvents {
  /** @internal */
  readonly reg: Registration;
  /** @internal */
  readonly queue: Ring<RawStream>;
  /** Connections refused because the accept queue was full. */
  refused = 0;
  /** @internal the runtime's net counters. */
  readonly stats: NetStats;
  private closed = false;

  constructor(
    /** @internal the transport's listener. */
    readonly raw: RawListener,
    kind: string,
    backlog: number,
  ) {
    this.queue = new Ring<RawStream>(16, backlog);
    this.reg = new Registration(kind, ioDriver(), this);
    this.stats = netStats();
    raw.attach(this);
    trackResource(this);
  }

  /**
   * The Node server (only under Node's transport; otherwise throws `IoError` `UNSUPPORTED`).
   *
   * @example
   * ```ts
   * listener.server.maxConnections = 100;
   * ```
   */
  get server(): Server {
    const s = (this.raw as { server?: Server }).server;
    if (s === undefined) throw new IoError('UNSUPPORTED', `${this.label()}: this listener has no Node server (it runs over a non-Node transport)`);
    return s;
  }

  /** @internal transport events (`RawListenerEvents`). */
  onConnection(raw: RawStream): void {
    if (!this.queue.push(raw)) {
      this.refused++;
      this.stats.tcpAcceptRefused++;
      raw.destroy();
      return;
    }
    this.reg.setReadiness(READABLE);
  }
  /** @internal */
  onError(err: Error): void {
    this.reg.setError(toIoError(err, 'accept on', this.label()));
  }
  /** @internal */
  onClose(): void {
    this.reg.deregister();
  }

  /** @internal */
  abstract label(): string;

  /** @internal the next accepted connection (unattached). */
  pollAcceptRaw(cx: Context): Poll<RawStream> {
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

  /**
   * Connections accepted by the OS and waiting for `accept()`.
   *
   * @example
   * ```ts
   * if (listener.queued() > 100) console.warn('accept loop is falling behind');
   * ```
   */
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
    this.raw.close();
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

/** @internal waits for the transport's listen answer and yields `make(raw)`. */
export class ListenFuture<L> extends Future<L> {
  private raw: RawListener | null = null;
  private done = false;
  private error: Error | null = null;
  private listening = false;
  private readonly waker = new WakerSlot();
  private readonly answer = (err: Error | null): void => {
    if (err !== null) this.error = err;
    else this.listening = true;
    this.waker.wake();
  };

  constructor(
    private readonly start: (done: (err: Error | null) => void) => RawListener,
    private readonly make: (raw: RawListener) => L,
    private readonly what: string,
  ) {
    super();
  }

  poll(cx: Context): Poll<L> {
    if (this.done) throw new PolledAfterCompletionError('bind');
    if (this.raw === null) this.raw = this.start(this.answer);
    if (this.error !== null) {
      this.done = true;
      throw toIoError(this.error, 'bind', this.what);
    }
    if (this.listening) {
      this.done = true;
      return this.make(this.raw);
    }
    this.waker.register(cx);
    return Pending;
  }

  override drop(): void {
    if (this.done) return;
    this.done = true;
    this.raw?.close();
  }
}
