/**
 * UDP: `UdpSocket`, with a bounded receive queue.
 *
 * Node delivers datagrams as they arrive ('message'); kyoto keeps at most `recvQueue` of them
 * (default 1024) until `recv` / `recvFrom` takes them. Datagrams arriving while the queue is
 * full are dropped, as the kernel would drop them, and counted (`droppedDatagrams()`,
 * `ioUdpDropped` in the runtime metrics).
 * @module
 */
import * as dgram from 'node:dgram';
import { isIP } from 'node:net';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ioDriver } from '../runtime/io/driver.js';
import { ERROR, READABLE, Registration, WRITABLE, type RegistrationOwner } from '../runtime/io/registration.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { IoError, toIoError } from '../io/error.js';
import { SocketAddr, formatAddr, parseAddr, type ToSocketAddr } from './addr.js';
import { Ring } from './ring.js';

/** Options of `UdpSocket.bind`. */
export interface UdpOptions {
  /** Datagrams kept until received; more are dropped and counted. Default 1024. */
  recvQueue?: number;
  /** Bytes queued for sending beyond which `send`/`sendTo` wait. Default 256 KiB. */
  sendQueueBytes?: number;
}

function checkUdpOptions(opts: UdpOptions): [number, number] {
  const q = opts.recvQueue ?? 1024;
  if (!Number.isInteger(q) || q < 1) throw new RangeError(`recvQueue must be an integer >= 1, got ${String(q)}`);
  const sl = opts.sendQueueBytes ?? 256 * 1024;
  if (!(sl > 0)) throw new RangeError(`sendQueueBytes must be > 0, got ${String(sl)}`);
  return [q, sl];
}

interface Datagram {
  data: Buffer;
  from: SocketAddr;
}

/**
 * A UDP socket.
 *
 * @example
 * ```ts
 * const sock = yield* UdpSocket.bind('127.0.0.1:0');
 * yield* sock.sendTo(Buffer.from('ping'), '127.0.0.1:9999');
 * const buf = Buffer.alloc(1500);
 * const [n, from] = yield* sock.recvFrom(buf);
 * ```
 */
export class UdpSocket implements RegistrationOwner {
  /** @internal */
  readonly reg: Registration;
  private readonly queue: Ring<Datagram>;
  private readonly sendLimit: number;
  private dropped = 0;
  private sendError: Error | null = null;
  private connected: SocketAddr | null = null;
  private readonly local: SocketAddr;
  private readonly onSent = (err: Error | null): void => {
    if (err) this.sendError = err;
    this.reg.setReadiness(WRITABLE);
  };

  /** @internal use `UdpSocket.bind`. */
  constructor(
    readonly socket: dgram.Socket,
    opts: UdpOptions,
  ) {
    const [q, sl] = checkUdpOptions(opts);
    this.queue = new Ring<Datagram>(q);
    this.sendLimit = sl;
    const a = socket.address();
    this.local = new SocketAddr(a.address, a.port);
    this.reg = new Registration('udp', ioDriver(), this);
    this.reg.readiness |= WRITABLE;
    socket.on('message', (data: Buffer, rinfo: dgram.RemoteInfo) => this.onMessage(data, rinfo));
    socket.on('error', (err: Error) => this.reg.setError(toIoError(err, 'udp', this.label())));
    socket.on('close', () => this.reg.deregister());
    trackResource(this);
  }

  /**
   * Binds a UDP socket to `addr` (`'127.0.0.1:0'`, a port, `{ host, port }`); IPv6 when the
   * host is an IPv6 address.
   *
   * @example
   * ```ts
   * const sock = yield* UdpSocket.bind('127.0.0.1:0', { recvQueue: 4096 });
   * ```
   */
  static bind(addr: ToSocketAddr, opts: UdpOptions = {}): Future<UdpSocket> {
    const { host, port } = parseAddr(addr, '0.0.0.0');
    checkUdpOptions(opts);
    return new UdpBindFuture(host, port, opts);
  }

  private onMessage(data: Buffer, rinfo: dgram.RemoteInfo): void {
    const c = this.reg.driver.counters;
    if (!this.queue.push({ data, from: new SocketAddr(rinfo.address, rinfo.port) })) {
      this.dropped++;
      c.udpDropped++;
      return;
    }
    c.udpDatagramsReceived++;
    this.reg.setReadiness(READABLE);
  }

  /** @internal */
  label(): string {
    return `udp ${this.local.toString()}`;
  }

  /** @internal */
  forceClose(): void {
    this.close();
  }

  /** @internal */
  resourceInfo(): ResourceInfo {
    return {
      kind: 'udp',
      label: this.label(),
      waiters: (this.reg.reader !== null ? 1 : 0) + (this.reg.writer !== null ? 1 : 0),
      details: { queued: this.queue.length, dropped: this.dropped },
    };
  }

  /** @internal */
  pollRecv(cx: Context): Poll<Datagram> {
    const reg = this.reg;
    if (this.queue.length > 0) {
      if (!pollProceed(cx)) return Pending;
      return this.queue.shift()!;
    }
    if ((reg.readiness & ERROR) !== 0) throw reg.error!;
    if (!reg.isOpen()) throw new IoError('CLOSED', `recv on ${this.label()} failed: the socket is closed`);
    reg.clearReadiness(READABLE);
    reg.registerReader(cx);
    return Pending;
  }

  /** @internal */
  pollSend(cx: Context, buf: Uint8Array, host: string | null, port: number): Poll<number> {
    const reg = this.reg;
    const err = this.sendError;
    if (err !== null) {
      this.sendError = null;
      throw toIoError(err, 'send on', this.label());
    }
    if (!reg.isOpen()) throw new IoError('CLOSED', `send on ${this.label()} failed: the socket is closed`);
    if (this.socket.getSendQueueSize() > this.sendLimit) {
      reg.clearReadiness(WRITABLE);
      reg.registerWriter(cx);
      return Pending;
    }
    if (!pollProceed(cx)) return Pending;
    const copy = Buffer.allocUnsafe(buf.length);
    copy.set(buf);
    if (host === null) this.socket.send(copy, this.onSent);
    else this.socket.send(copy, port, host, this.onSent);
    reg.driver.counters.udpDatagramsSent++;
    reg.driver.counters.bytesWritten += buf.length;
    return buf.length;
  }

  /**
   * Sends one datagram to `addr`; gives the bytes sent. The bytes are copied.
   *
   * @example
   * ```ts
   * yield* sock.sendTo(Buffer.from('ping'), '127.0.0.1:9999');
   * ```
   */
  sendTo(buf: Uint8Array, addr: ToSocketAddr): Future<number> {
    const { host, port } = parseAddr(addr, '127.0.0.1');
    return new SendFuture(this, buf, host, port);
  }

  /**
   * Receives one datagram into `buf`: [bytes, sender]. A datagram longer than `buf` is
   * truncated. Cancel-safe.
   *
   * @example
   * ```ts
   * const [n, from] = yield* sock.recvFrom(buf);
   * ```
   */
  recvFrom(buf: Uint8Array): Future<[number, SocketAddr]> {
    return new RecvFuture(this, buf);
  }

  /**
   * Sets the default peer: `send` goes there and only its datagrams are received.
   *
   * @example
   * ```ts
   * yield* sock.connect('127.0.0.1:9999');
   * yield* sock.send(Buffer.from('hi'));
   * ```
   */
  connect(addr: ToSocketAddr): Future<void> {
    const { host, port } = parseAddr(addr, '127.0.0.1');
    return new UdpConnectFuture(this, host, port);
  }

  /** @internal */
  setConnected(a: SocketAddr): void {
    this.connected = a;
  }

  /**
   * Sends one datagram to the connected peer.
   *
   * @example
   * ```ts
   * yield* sock.send(Buffer.from('hi'));
   * ```
   */
  send(buf: Uint8Array): Future<number> {
    if (this.connected === null) throw new IoError('ENOTCONN', `send on ${this.label()} failed: the socket is not connected; call connect() first or use sendTo()`);
    return new SendFuture(this, buf, null, 0);
  }

  /**
   * Receives one datagram from the connected peer into `buf`; gives the bytes. Cancel-safe.
   *
   * @example
   * ```ts
   * const n = yield* sock.recv(buf);
   * ```
   */
  recv(buf: Uint8Array): Future<number> {
    return new RecvFuture(this, buf, true) as unknown as Future<number>;
  }

  /** The bound address. */
  localAddr(): SocketAddr {
    return this.local;
  }

  /** The connected peer, or null. */
  peerAddr(): SocketAddr | null {
    return this.connected;
  }

  /** Datagrams dropped because the receive queue was full. */
  droppedDatagrams(): number {
    return this.dropped;
  }

  /** Closes the socket; pending receives throw `IoError` code `CLOSED`. Idempotent. */
  close(): void {
    if (!this.reg.isOpen()) return;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    this.reg.deregister();
  }

  /** `using sock = ...` closes it at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }
}

class UdpBindFuture extends Future<UdpSocket> {
  private sock: dgram.Socket | null = null;
  private state: 'new' | 'binding' | 'bound' | 'failed' | 'done' = 'new';
  private err: Error | null = null;
  private waker: import('../future/future.js').Waker | null = null;
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly opts: UdpOptions,
  ) {
    super();
  }
  poll(cx: Context): Poll<UdpSocket> {
    if (this.state === 'new') {
      const sock = dgram.createSocket(isIP(this.host) === 6 ? 'udp6' : 'udp4');
      this.sock = sock;
      this.state = 'binding';
      sock.once('error', (e: Error) => {
        this.err = e;
        this.state = 'failed';
        this.waker?.wake();
      });
      sock.bind(this.port, this.host, () => {
        if (this.state === 'binding') this.state = 'bound';
        this.waker?.wake();
      });
    }
    if (this.state === 'failed') {
      this.state = 'done';
      this.sock?.close();
      throw toIoError(this.err, 'bind udp', formatAddr(this.host, this.port));
    }
    if (this.state === 'bound') {
      this.state = 'done';
      this.sock!.removeAllListeners('error');
      return new UdpSocket(this.sock!, this.opts);
    }
    if (this.state === 'done') throw new Error('bind future polled after it completed');
    const w = this.waker;
    if (w === null || !w.willWake(cx.waker)) this.waker = cx.waker.clone();
    return Pending;
  }
  override drop(): void {
    if (this.state === 'binding') this.sock?.close();
    this.state = 'done';
  }
}

class UdpConnectFuture extends Future<void> {
  private started = false;
  private finished = false;
  private err: Error | null = null;
  private waker: import('../future/future.js').Waker | null = null;
  constructor(
    private readonly s: UdpSocket,
    private readonly host: string,
    private readonly port: number,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (!this.started) {
      this.started = true;
      this.s.socket.connect(this.port, this.host, () => {
        this.finished = true;
        this.waker?.wake();
      });
      this.s.socket.once('error', (e: Error) => {
        this.err = e;
        this.waker?.wake();
      });
    }
    if (this.err !== null) throw toIoError(this.err, 'connect udp to', formatAddr(this.host, this.port));
    if (this.finished) {
      const a = this.s.socket.remoteAddress();
      this.s.setConnected(new SocketAddr(a.address, a.port));
      return undefined;
    }
    const w = this.waker;
    if (w === null || !w.willWake(cx.waker)) this.waker = cx.waker.clone();
    return Pending;
  }
}

class SendFuture extends Future<number> {
  constructor(
    private readonly s: UdpSocket,
    private readonly buf: Uint8Array,
    private readonly host: string | null,
    private readonly port: number,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    return this.s.pollSend(cx, this.buf, this.host, this.port);
  }
}

class RecvFuture extends Future<[number, SocketAddr]> {
  constructor(
    private readonly s: UdpSocket,
    private readonly buf: Uint8Array,
    private readonly countOnly = false,
  ) {
    super();
  }
  poll(cx: Context): Poll<[number, SocketAddr]> {
    const d = this.s.pollRecv(cx);
    if (d === Pending) return Pending;
    const n = Math.min(d.data.length, this.buf.length);
    this.buf.set(n === d.data.length ? d.data : d.data.subarray(0, n));
    this.s.reg.driver.counters.bytesRead += n;
    return (this.countOnly ? n : [n, d.from]) as [number, SocketAddr];
  }
}
