/**
 * `SimUdpSocket`: a simulated UDP socket. Datagrams are delivered after the link's latency, or
 * lost (partition, `lossRate`), or held (`hold`); a datagram to a port nobody bound is dropped
 * silently, as on a real network.
 *
 * Invariants: a datagram is delivered at most once, whole; the receive queue is bounded by
 * `recvQueue` (default 1024, like `UdpSocket`) and overflow is counted, not buffered.
 * Proved by test/sim/network.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../../future/future.js';
import { pollProceed } from '../../runtime/coop.js';
import { SocketAddr, parseAddr, type ToSocketAddr } from '../../net/addr.js';
import type { HostNode, SimEndpoint } from '../node.js';
import type { SimNet } from './network.js';
import { callerOf, simIoError } from './context.js';
import { SimOp } from './op.js';

const DEFAULT_RECV_QUEUE = 1024;

/**
 * A simulated UDP socket (what `UdpSocket.bind` gives inside a simulated host).
 *
 * @example
 * ```ts
 * const sock = yield* UdpSocket.bind('0.0.0.0:5353');
 * yield* sock.sendTo(Buffer.from('ping'), 'peer:5353');
 * ```
 */
export class SimUdpSocket implements SimEndpoint {
  private readonly queue: { data: Buffer; from: SocketAddr }[] = [];
  private reader: Waker | null = null;
  private closed = false;
  private connected: SocketAddr | null = null;
  private dropped = 0;

  /** @internal */
  constructor(
    private readonly net: SimNet,
    private readonly node: HostNode,
    private readonly local: SocketAddr,
    private readonly limit: number,
  ) {
    node.endpoints.add(this);
    net.udpPorts.set(`${node.index}:${local.port}`, this);
  }

  private onDatagram(data: Buffer, from: SocketAddr): void {
    if (this.closed) return;
    if (this.queue.length >= this.limit) {
      this.dropped++;
      return;
    }
    this.queue.push({ data, from });
    if (this.reader !== null) {
      const w = this.reader;
      this.reader = null;
      w.wake();
    }
  }

  /** @internal */
  pollRecv(cx: Context): Poll<{ data: Buffer; from: SocketAddr }> {
    if (this.closed) throw simIoError('CLOSED', 'recv on', this.label());
    if (this.queue.length > 0) {
      if (!pollProceed(cx)) return Pending;
      return this.queue.shift()!;
    }
    this.reader = cx.waker.clone();
    return Pending;
  }

  private sendNow(buf: Uint8Array, host: string, port: number): number {
    if (this.closed) throw simIoError('CLOSED', 'send on', this.label());
    const dst = this.net.resolve(host, this.node.index);
    if (dst === null) throw simIoError('ENOTFOUND', 'send to', `${host}:${port}`);
    const data = Buffer.from(buf);
    const from = this.local;
    const net = this.net;
    net.send(this.node.index, dst, data.length, () => {
      if (net.host.nodeOf(dst) === null) return;
      const s = net.udpPorts.get(`${dst}:${port}`) as SimUdpSocket | undefined;
      s?.onDatagram(data, from);
    }, null);
    return data.length;
  }

  /**
   * Sends one datagram to addr (`'host:port'`): its length. Delivery is not guaranteed.
   *
   * @example
   * ```ts
   * yield* sock.sendTo(Buffer.from('ping'), 'b:9000');
   * ```
   */
  sendTo(buf: Uint8Array, addr: ToSocketAddr): Future<number> {
    const { host, port } = parseAddr(addr, '127.0.0.1');
    return new SimOp('UdpSocket.sendTo', this, () => this.sendNow(buf, host, port));
  }

  /**
   * Receives one datagram into buf: its length (truncated to buf) and the sender.
   *
   * @example
   * ```ts
   * const [n, from] = yield* sock.recvFrom(buf);
   * ```
   */
  recvFrom(buf: Uint8Array): Future<[number, SocketAddr]> {
    return new SimOp('UdpSocket.recvFrom', this, (cx) => {
      const d = this.pollRecv(cx);
      if (d === Pending) return Pending;
      const n = Math.min(buf.length, d.data.length);
      buf.set(d.data.subarray(0, n));
      return [n, d.from];
    });
  }

  /**
   * Sets the default destination of `send` (and, like connected UDP, receives only from it).
   *
   * @example
   * ```ts
   * yield* sock.connect('b:9000');
   * ```
   */
  connect(addr: ToSocketAddr): Future<void> {
    const { host, port } = parseAddr(addr, '127.0.0.1');
    return new SimOp('UdpSocket.connect', this, () => {
      const dst = this.net.resolve(host, this.node.index);
      if (dst === null) throw simIoError('ENOTFOUND', 'connect to', `${host}:${port}`);
      this.connected = new SocketAddr(this.net.ipOf(dst), port);
      return undefined;
    });
  }

  /**
   * Sends to the connected address.
   *
   * @example
   * ```ts
   * yield* sock.send(Buffer.from('ping'));
   * ```
   */
  send(buf: Uint8Array): Future<number> {
    return new SimOp('UdpSocket.send', this, () => {
      const c = this.connected;
      if (c === null) throw simIoError('ENOTCONN', 'send on', this.label());
      return this.sendNow(buf, c.ip, c.port);
    });
  }

  /**
   * Receives one datagram from the connected address into buf: its length.
   *
   * @example
   * ```ts
   * const n = yield* sock.recv(buf);
   * ```
   */
  recv(buf: Uint8Array): Future<number> {
    return new SimOp('UdpSocket.recv', this, (cx) => {
      for (;;) {
        const d = this.pollRecv(cx);
        if (d === Pending) return Pending;
        const c = this.connected;
        if (c !== null && (d.from.ip !== c.ip || d.from.port !== c.port)) continue;
        const n = Math.min(buf.length, d.data.length);
        buf.set(d.data.subarray(0, n));
        return n;
      }
    });
  }

  /**
   * The bound address.
   *
   * @example
   * ```ts
   * console.log(`${sock.localAddr()}`);
   * ```
   */
  localAddr(): SocketAddr {
    return this.local;
  }

  /**
   * The connected address, or null.
   *
   * @example
   * ```ts
   * if (sock.peerAddr() === null) yield* sock.connect('b:9000');
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
   * console.log(sock.droppedDatagrams());
   * ```
   */
  droppedDatagrams(): number {
    return this.dropped;
  }

  /**
   * Closes the socket; a task waiting in recv gets `IoError` CLOSED.
   *
   * @example
   * ```ts
   * sock.close();
   * ```
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node.endpoints.delete(this);
    this.net.udpPorts.delete(`${this.node.index}:${this.local.port}`);
    if (this.reader !== null) {
      const w = this.reader;
      this.reader = null;
      w.wake();
    }
  }

  /** @internal */
  crash(): void {
    this.close();
  }

  /** @internal */
  label(): string {
    return `udp ${this.local.toString()}`;
  }
}

/** `UdpSocket.bind` inside a simulated host. */
export function simUdpBind(addr: ToSocketAddr, opts: { recvQueue?: number } = {}): Future<SimUdpSocket> {
  const { host, port } = parseAddr(addr, '0.0.0.0');
  return new SimOp('UdpSocket.bind', { label: () => `udp ${host}:${port}` }, () => {
    const [net, node] = callerOf('UdpSocket.bind');
    if (net.resolve(host, node.index) !== node.index) {
      throw simIoError('EADDRNOTAVAIL', 'bind', `${host}:${port} (not an address of ${node.name})`);
    }
    const p = port === 0 ? net.ephemeralPort(node.index, net.udpPorts) : port;
    if (net.udpPorts.has(`${node.index}:${p}`)) throw simIoError('EADDRINUSE', 'bind', `udp ${node.name}:${p}`);
    return new SimUdpSocket(net, node, new SocketAddr(net.ipOf(node.index), p), opts.recvQueue ?? DEFAULT_RECV_QUEUE);
  });
}
