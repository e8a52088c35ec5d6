/**
 * UDP: `UdpSocket`, with a bounded receive queue, over the runtime's transport (`net/sys.ts`).
 *
 * The transport delivers datagrams as they arrive; kyoto keeps at most `recvQueue` of them
 * (default 1024) until `recv` / `recvFrom` takes them. Datagrams arriving while the queue is
 * full are dropped, as the kernel would drop them, and counted (`droppedDatagrams()`,
 * `ioUdpDropped` in the runtime metrics). Invariants: a send reports its own error (a too-large
 * datagram fails with `EMSGSIZE` at once, before anything is sent, and an asynchronous failure
 * completes that send's future), so no other datagram is lost for it; an error not tied to a send
 * (an ICMP "port unreachable" on a connected socket) is reported once, by one `recv`, and later
 * receives wait for data again. Tested in test/net/unix_udp.test.ts and udp_faults.test.ts.
 * @module
 */
import type { Socket as DgramSocket } from 'node:dgram';
import { builtin } from '../util/node_builtins.js';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ioDriver } from '../runtime/io/driver.js';
import { READABLE, Registration, WRITABLE, type RegistrationOwner } from '../runtime/io/registration.js';
import { trackResource, type ResourceInfo } from '../runtime/resources.js';
import { IoError, toIoError } from '../io/error.js';
import { SocketAddr, formatAddr, parseAddr, type ToSocketAddr } from './addr.js';
import { Ring } from '../util/ring.js';
import type { RawUdp, RawUdpEvents } from './sys.js';
import { netStats, type NetStats } from './stats.js';
import { RecvFuture, SendFuture, UdpBindFuture, UdpConnectFuture, type Datagram } from './udp_futures.js';
import { checkInt } from '../util/args.js';

/**
 * Largest UDP payload: 65,535 bytes of IP datagram less the IP header (20 bytes for IPv4) and
 * the UDP header (8). IPv6's header does not count against its payload length, hence 65,527.
 */
export const MAX_DATAGRAM_V4 = 65_507;
/** See `MAX_DATAGRAM_V4`. */
export const MAX_DATAGRAM_V6 = 65_527;

/** Options of `UdpSocket.bind`. */
export interface UdpOptions {
  /** Datagrams kept until received; more are dropped and counted. Default 1024. */
  recvQueue?: number;
  /** Bytes queued for sending beyond which `send`/`sendTo` wait. Default 256 KiB. */
  sendQueueBytes?: number;
}

function checkUdpOptions(opts: UdpOptions): [number, number] {
  const q = checkInt('recvQueue', opts.recvQueue ?? 1024, 1, 0x7fffffff);
  const sl = opts.sendQueueBytes ?? 256 * 1024;
  if (!(sl > 0)) throw new RangeError(`sendQueueBytes must be > 0, got ${String(sl)}`);
  return [q, sl];
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
export class UdpSocket implements RegistrationOwner, RawUdpEvents {
  /** @internal */
  readonly reg: Registration;
  private readonly queue: Ring<Datagram>;
  private readonly sendLimit: number;
  private dropped = 0;
  private readonly stats: NetStats;
  /** An error not tied to a send, kept for the next `recv` (reported once). */
  private recvError: Error | null = null;
  private connected: SocketAddr | null = null;
  private readonly local: SocketAddr;
  /** @internal largest datagram this socket's family can carry. */
  readonly maxDatagram: number;

  /** @internal use `UdpSocket.bind`. */
  constructor(
    /** @internal the transport's socket. */
    readonly raw: RawUdp,
    opts: UdpOptions,
  ) {
    const [q, sl] = checkUdpOptions(opts);
    this.queue = new Ring<Datagram>(16, q);
    this.sendLimit = sl;
    const a = raw.address();
    this.local = new SocketAddr(a.address, a.port);
    this.maxDatagram = builtin('node:net').isIP(a.address) === 6 ? MAX_DATAGRAM_V6 : MAX_DATAGRAM_V4;
    this.reg = new Registration('udp', ioDriver(), this);
    this.reg.readiness |= WRITABLE;
    this.stats = netStats();
    raw.attach(this);
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
    return new UdpBindFuture(host, port, (raw) => new UdpSocket(raw, opts));
  }

  /**
   * The Node socket (only under Node's transport; otherwise throws `IoError` `UNSUPPORTED`).
   *
   * @example
   * ```ts
   * sock.socket.setBroadcast(true);
   * ```
   */
  get socket(): DgramSocket {
    const s = (this.raw as { socket?: DgramSocket }).socket;
    if (s === undefined) throw new IoError('UNSUPPORTED', `${this.label()}: this socket has no Node socket (it runs over a non-Node transport)`);
    return s;
  }

  /** @internal transport events (`RawUdpEvents`). */
  onMessage(data: Buffer, address: string, port: number): void {
    const c = this.stats;
    if (!this.queue.push({ data, from: new SocketAddr(address, port) })) {
      this.dropped++;
      c.udpDropped++;
      return;
    }
    c.udpDatagramsReceived++;
    this.reg.setReadiness(READABLE);
  }
  /** @internal */
  onError(err: Error): void {
    this.reg.driver.counters.socketErrors++;
    this.recvError ??= err;
    this.reg.setReadiness(READABLE);
  }
  /** @internal */
  onClose(): void {
    this.reg.deregister();
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
    const err = this.recvError;
    if (err !== null) {
      this.recvError = null;
      throw toIoError(err, 'recv on', this.local.toString());
    }
    if (!reg.isOpen()) throw new IoError('CLOSED', `recv on ${this.label()} failed: the socket is closed`);
    reg.clearReadiness(READABLE);
    reg.registerReader(cx);
    return Pending;
  }

  /**
   * @internal starts sending one datagram: Pending while the send queue is over its limit; throws
   * at once for what cannot be sent; else hands a copy to the transport, which answers `done`.
   */
  pollStartSend(cx: Context, buf: Uint8Array, host: string | null, port: number, done: (err: Error | null) => void): Poll<boolean> {
    const reg = this.reg;
    const to = host === null ? (this.connected?.toString() ?? '?') : formatAddr(host, port);
    if (!reg.isOpen()) throw new IoError('CLOSED', `send on ${this.label()} failed: the socket is closed`);
    if (buf.length > this.maxDatagram) {
      throw new IoError('EMSGSIZE', `send to ${to} failed: a datagram of ${buf.length} bytes is larger than the ${this.maxDatagram}-byte UDP maximum; nothing was sent`, { syscall: 'send', address: to });
    }
    if (this.raw.sendQueueSize() > this.sendLimit) {
      reg.clearReadiness(WRITABLE);
      reg.registerWriter(cx);
      return Pending;
    }
    if (!pollProceed(cx)) return Pending;
    const copy = Buffer.allocUnsafe(buf.length);
    copy.set(buf);
    this.raw.send(copy, port, host, done);
    this.stats.udpDatagramsSent++;
    reg.driver.counters.bytesWritten += buf.length;
    return true;
  }

  /** @internal a send finished: writers waiting on the send queue may go on. */
  sendFinished(): void {
    this.reg.setReadiness(WRITABLE);
  }

  /**
   * Sends one datagram to `addr`; gives the bytes sent, once the OS took it. The bytes are
   * copied. Throws `IoError` for this datagram's own failure (`EMSGSIZE` for one over the UDP
   * maximum, before anything is sent).
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

  /**
   * The bound address.
   *
   * @example
   * ```ts
   * console.log(`udp on ${sock.localAddr()}`);
   * ```
   */
  localAddr(): SocketAddr {
    return this.local;
  }

  /**
   * The connected peer, or null.
   *
   * @example
   * ```ts
   * const peer = sock.peerAddr(); // null until connect()
   * ```
   */
  peerAddr(): SocketAddr | null {
    return this.connected;
  }

  /**
   * Datagrams dropped because the receive queue was full.
   *
   * @example
   * ```ts
   * if (sock.droppedDatagrams() > 0) console.warn('receiver too slow');
   * ```
   */
  droppedDatagrams(): number {
    return this.dropped;
  }

  /**
   * Closes the socket; pending receives throw `IoError` code `CLOSED`. Idempotent.
   *
   * @example
   * ```ts
   * sock.close();
   * ```
   */
  close(): void {
    if (!this.reg.isOpen()) return;
    this.raw.close();
    this.reg.deregister();
  }

  /** `using sock = ...` closes it at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }
}
