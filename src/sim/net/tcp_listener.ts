/**
 * `SimTcpListener` and the simulated connection handshake: `connect` sends a SYN; at the
 * listening host it becomes a new server end in the accept queue and a SYN-ACK goes back; with
 * no listener on the port an RST comes back (ECONNREFUSED); to a host that is down, nothing
 * comes back (the caller's `timeout` decides, as with a dead machine).
 *
 * Invariants: a connection is in exactly one accept queue until accepted; closing the listener
 * resets the connections still queued. Proved by test/sim/network.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../../future/future.js';
import { pollProceed } from '../../runtime/coop.js';
import { SocketAddr, parseAddr, type ToSocketAddr } from '../../net/addr.js';
import type { HostNode, SimEndpoint } from '../node.js';
import type { SimNet } from './network.js';
import { callerOf, simIoError } from './context.js';
import { SimOp } from './op.js';
import { SimTcpStream } from './tcp_stream.js';

/**
 * A listening simulated TCP socket (what `TcpListener.bind` gives inside a simulated host).
 *
 * @example
 * ```ts
 * const listener = yield* TcpListener.bind('0.0.0.0:6379');
 * const [stream, from] = yield* listener.accept();
 * ```
 */
export class SimTcpListener implements SimEndpoint {
  private readonly queue: SimTcpStream[] = [];
  private acceptor: Waker | null = null;
  private closed = false;

  /** @internal */
  constructor(
    private readonly net: SimNet,
    private readonly node: HostNode,
    private readonly local: SocketAddr,
  ) {
    node.endpoints.add(this);
    net.tcpPorts.set(`${node.index}:${local.port}`, this);
  }

  /** @internal A SYN arrived from `client`: queue the server end, answer SYN-ACK. */
  onSyn(client: SimTcpStream): void {
    const server = new SimTcpStream(this.net, this.node, this.local, client.localAddr());
    server.peerEnd = client;
    server.established = true;
    client.peerEnd = server;
    this.queue.push(server);
    if (this.acceptor !== null) {
      const w = this.acceptor;
      this.acceptor = null;
      w.wake();
    }
    this.net.send(this.node.index, client.node.index, 0, () => client.onEstablished(), server.flow);
  }

  /** @internal */
  pollAccept(cx: Context): Poll<[SimTcpStream, SocketAddr]> {
    if (this.closed) throw simIoError('CLOSED', 'accept on', `tcp ${this.local.toString()}`);
    const s = this.queue.shift();
    if (s !== undefined) {
      if (!pollProceed(cx)) {
        this.queue.unshift(s);
        return Pending;
      }
      return [s, s.peerAddr()];
    }
    this.acceptor = cx.waker.clone();
    return Pending;
  }

  /**
   * The next connection and its peer's address.
   *
   * @example
   * ```ts
   * for (;;) { const [s] = yield* listener.accept(); spawn(serve, s); }
   * ```
   */
  accept(): Future<[SimTcpStream, SocketAddr]> {
    return new SimOp('TcpListener.accept', this, (cx) => this.pollAccept(cx));
  }

  /**
   * The bound address (the host's simulated address).
   *
   * @example
   * ```ts
   * console.log(`${listener.localAddr()}`); // 10.0.0.1:6379
   * ```
   */
  localAddr(): SocketAddr {
    return this.local;
  }

  /**
   * Connections waiting to be accepted.
   *
   * @example
   * ```ts
   * console.log(listener.queued());
   * ```
   */
  queued(): number {
    return this.queue.length;
  }

  /**
   * Stops listening; queued connections are reset.
   *
   * @example
   * ```ts
   * listener.close();
   * ```
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node.endpoints.delete(this);
    this.net.tcpPorts.delete(`${this.node.index}:${this.local.port}`);
    for (const s of this.queue.splice(0)) s.crash();
    if (this.acceptor !== null) {
      const w = this.acceptor;
      this.acceptor = null;
      w.wake();
    }
  }

  /** @internal */
  crash(): void {
    this.close();
  }

  /** @internal */
  label(): string {
    return `tcp listener ${this.local.toString()}`;
  }
}

/** `TcpListener.bind` inside a simulated host. */
export function simBind(addr: ToSocketAddr): Future<SimTcpListener> {
  const { host, port } = parseAddr(addr, '0.0.0.0');
  return new SimOp('TcpListener.bind', { label: () => `tcp ${host}:${port}` }, () => {
    const [net, node] = callerOf('TcpListener.bind');
    if (net.resolve(host, node.index) !== node.index) {
      throw simIoError('EADDRNOTAVAIL', 'bind', `${host}:${port} (not an address of ${node.name})`);
    }
    const p = port === 0 ? net.ephemeralPort(node.index, net.tcpPorts) : port;
    if (net.tcpPorts.has(`${node.index}:${p}`)) throw simIoError('EADDRINUSE', 'bind', `${node.name}:${p}`);
    return new SimTcpListener(net, node, new SocketAddr(net.ipOf(node.index), p));
  });
}

/** `TcpStream.connect` inside a simulated host. */
export function simConnect(addr: ToSocketAddr): Future<SimTcpStream> {
  const { host, port } = parseAddr(addr, '127.0.0.1');
  let stream: SimTcpStream | null = null;
  let done = false;
  const f = new SimOp<SimTcpStream>('TcpStream.connect', { label: () => `tcp ${host}:${port}` }, (cx) => {
    if (stream === null) stream = open(host, port);
    if (stream.pollEstablished(cx) === Pending) return Pending;
    done = true;
    return stream;
  });
  const drop = f.drop.bind(f);
  f.drop = () => {
    if (!done) stream?.close();
    drop();
  };
  return f;
}

function open(host: string, port: number): SimTcpStream {
  const [net, node] = callerOf('TcpStream.connect');
  const dst = net.resolve(host, node.index);
  if (dst === null) throw simIoError('ENOTFOUND', 'connect to', `${host}:${port}`);
  const local = new SocketAddr(net.ipOf(node.index), net.ephemeralPort(node.index, net.tcpPorts));
  const s = new SimTcpStream(net, node, local, new SocketAddr(net.ipOf(dst), port));
  const deliver = (): void => {
    const target = net.host.nodeOf(dst);
    if (target === null) return; // host down: no answer at all
    const l = net.tcpPorts.get(`${dst}:${port}`) as SimTcpListener | undefined;
    if (l !== undefined) l.onSyn(s);
    else net.send(dst, node.index, 0, () => s.onReset('ECONNREFUSED'), s.flow);
  };
  net.send(node.index, dst, 0, deliver, s.flow, true);
  return s;
}
