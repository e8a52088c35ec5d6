/**
 * The simulated network as a kyoto `Transport` (src/net/sys.ts): each host runtime is given one
 * (`setTransport`), so `TcpListener`, `TcpStream` and `UdpSocket` — kyoto's own classes, with
 * their own buffering, errors and cancel safety — run over `SimNet` unchanged.
 *
 * - connect: a SYN travels to the destination host; a listener there answers with a SYN-ACK
 *   (`onConnect`), no listener with an RST (`ECONNREFUSED`), a host that is down not at all.
 * - Stream bytes, FIN and RST are packets of the connection's flow (ordered, never lost, held by
 *   a partition); `flush`, `end`'s `onFinish`, `close`'s `onClose` and the `done` callbacks are
 *   local events delivered at the current virtual time, never inside the kyoto call.
 * - A crash destroys the host's raw objects silently and resets their peers.
 *
 * Invariants: the contract of src/net/sys.ts (no callback before `attach` — earlier events are
 * replayed —, none after `onClose`). Proved by test/sim/network.test.ts and test/sim/faults.test.ts.
 * @module
 */
import {
  RAW_CLOSED,
  RAW_WRITABLE,
  type RawAddr,
  type RawListener,
  type RawListenerEvents,
  type RawStream,
  type RawStreamEvents,
  type RawUdp,
  type RawUdpEvents,
  type Transport,
} from '../../net/sys.js';
import type { HostNode, SimEndpoint } from '../node.js';
import type { SimNet } from './network.js';
import type { Flow } from './packet_queue.js';

function sysError(code: string, op: string, what: string): Error {
  const text: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by peer',
    EADDRINUSE: 'address already in use',
    EADDRNOTAVAIL: 'address not available on this host',
    ENOTFOUND: 'no such simulated host',
    EAFNOSUPPORT: 'unix sockets are not simulated',
  };
  return Object.assign(new Error(`${op} ${code} ${what}: ${text[code] ?? code}`), { code, syscall: op, address: what });
}

/** Runs `fn` as a local event of host `node` at the current virtual time. */
function local(net: SimNet, node: HostNode, fn: () => void): void {
  net.send(node.index, node.index, 0, fn, null);
}

class SimRawStream implements RawStream, SimEndpoint {
  events: RawStreamEvents | null = null;
  peer: SimRawStream | null = null;
  connecting: boolean;
  readonly flow: Flow = { lastAt: 0 };
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private fin = false;
  private ended = false;
  private finished = false;
  private destroyed = false;
  private closeSent = false;
  /** An error that happened before attach (replayed). */
  private pendingError: Error | null = null;

  constructor(
    private readonly net: SimNet,
    readonly node: HostNode,
    readonly local: RawAddr,
    readonly remote: RawAddr,
    connecting: boolean,
  ) {
    this.connecting = connecting;
    node.endpoints.add(this);
  }

  attach(events: RawStreamEvents): void {
    this.events = events;
    if (this.pendingError !== null) {
      const e = this.pendingError;
      this.pendingError = null;
      local(this.net, this.node, () => this.fail(e));
    } else if (this.chunks.length > 0 || this.fin) local(this.net, this.node, () => this.events?.onReadable());
  }
  isConnecting(): boolean {
    return this.connecting;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  read(): Buffer | null {
    if (this.chunks.length === 0) return null;
    const out = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks.length = 0;
    this.buffered = 0;
    return out;
  }
  readableLength(): number {
    return this.buffered;
  }
  eofReceived(): boolean {
    return this.fin;
  }
  consumeEof(): void {}
  writeState(): number {
    return this.ended || this.destroyed ? RAW_CLOSED : RAW_WRITABLE;
  }
  write(chunk: Buffer): void {
    const p = this.peer;
    if (p === null || this.destroyed || this.ended) return;
    this.net.send(this.node.index, p.node.index, chunk.length, () => p.deliver(chunk, this), this.flow);
  }
  writableLength(): number {
    return 0;
  }
  flush(): void {
    local(this.net, this.node, () => this.emit((e) => e.onFlushed()));
  }
  end(): void {
    if (this.ended || this.destroyed) return;
    this.ended = true;
    const p = this.peer;
    if (p !== null) this.net.send(this.node.index, p.node.index, 0, () => p.deliverFin(), this.flow);
    local(this.net, this.node, () => {
      this.finished = true;
      this.emit((e) => e.onFinish());
    });
  }
  isFinished(): boolean {
    return this.finished;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.node.endpoints.delete(this);
    // Like closing a socket: FIN if the write side was open, and the peer's later data gets RST.
    const p = this.peer;
    if (p !== null && !this.ended && !this.connecting) this.net.send(this.node.index, p.node.index, 0, () => p.deliverFin(), this.flow);
    local(this.net, this.node, () => this.close());
  }
  remoteAddress(): RawAddr | null {
    return this.remote;
  }
  localAddress(): RawAddr | null {
    return this.local;
  }
  setNoDelay(): void {}
  setKeepAlive(): void {}

  /** The host crashed: no more events here; the peer is reset. */
  crash(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.closeSent = true;
    this.events = null;
    this.resetPeer();
  }

  // ---- network side -----------------------------------------------------------------

  onSynAck(): void {
    if (this.destroyed) {
      this.resetPeer();
      return;
    }
    this.connecting = false;
    this.emit((e) => e.onConnect());
  }

  deliver(c: Buffer, from: SimRawStream): void {
    if (this.destroyed) {
      if (!from.destroyed) this.net.send(this.node.index, from.node.index, 0, () => from.reset('ECONNRESET'), this.flow);
      return;
    }
    this.chunks.push(c);
    this.buffered += c.length;
    this.emit((e) => e.onReadable());
  }

  deliverFin(): void {
    if (this.destroyed) return;
    this.fin = true;
    this.emit((e) => e.onReadable());
  }

  reset(code: string): void {
    if (this.destroyed) return;
    const err = sysError(code, this.connecting ? 'connect' : 'read', `${this.remote.address}:${this.remote.port}`);
    this.destroyed = true;
    this.node.endpoints.delete(this);
    if (this.events === null) this.pendingError = err;
    else this.fail(err);
  }

  private fail(err: Error): void {
    this.emit((e) => e.onError(err));
    this.close();
  }

  private close(): void {
    if (this.closeSent) return;
    this.closeSent = true;
    const ev = this.events;
    if (ev !== null) ev.onClose();
  }

  private resetPeer(): void {
    const p = this.peer;
    if (p !== null) this.net.send(this.node.index, p.node.index, 0, () => p.reset('ECONNRESET'), this.flow);
  }

  private emit(f: (e: RawStreamEvents) => void): void {
    if (this.closeSent) return;
    const ev = this.events;
    if (ev !== null) f(ev);
  }
}

/** A bound endpoint (a TCP listener, a UDP socket): its entry in the host's port table, close, crash. */
abstract class SimBound<E extends { onClose(): void }> implements SimEndpoint {
  events: E | null = null;
  protected closed = false;

  constructor(
    protected readonly net: SimNet,
    protected readonly node: HostNode,
    readonly addr: RawAddr,
    readonly key: string,
  ) {}

  /** The port table it is bound in (`net.tcpPorts` or `net.udpPorts`). */
  protected abstract ports(): Map<string, unknown>;

  address(): RawAddr {
    return this.addr;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node.endpoints.delete(this);
    this.unbind();
    local(this.net, this.node, () => this.events?.onClose());
  }
  crash(): void {
    this.closed = true;
    this.events = null;
    this.unbind();
  }

  private unbind(): void {
    const ports = this.ports();
    if (ports.get(this.key) === this) ports.delete(this.key);
  }
}

class SimRawListener extends SimBound<RawListenerEvents> implements RawListener {
  private readonly early: SimRawStream[] = [];

  protected ports(): Map<string, unknown> {
    return this.net.tcpPorts;
  }
  attach(events: RawListenerEvents): void {
    this.events = events;
    for (const s of this.early.splice(0)) events.onConnection(s);
  }

  onSyn(client: SimRawStream): void {
    const server = new SimRawStream(this.net, this.node, { address: this.net.ipOf(this.node.index), port: this.addr.port }, client.local, false);
    server.peer = client;
    client.peer = server;
    if (this.events !== null) this.events.onConnection(server);
    else this.early.push(server);
    this.net.send(this.node.index, client.node.index, 0, () => client.onSynAck(), server.flow);
  }
}

class SimRawUdp extends SimBound<RawUdpEvents> implements RawUdp {
  private peer: RawAddr | null = null;

  protected ports(): Map<string, unknown> {
    return this.net.udpPorts;
  }
  attach(events: RawUdpEvents): void {
    this.events = events;
  }
  send(data: Buffer, port: number, host: string | null, done: (err: Error | null) => void): void {
    const to = host === null ? this.peer : { address: host, port };
    const net = this.net;
    const dst = to === null ? null : net.resolve(to.address, this.node.index);
    if (to === null || dst === null) {
      local(net, this.node, () => done(sysError('ENOTFOUND', 'send', to === null ? '(not connected)' : `${to.address}:${to.port}`)));
      return;
    }
    const from = { address: net.ipOf(this.node.index), port: this.addr.port };
    net.send(this.node.index, dst, data.length, () => {
      if (net.host.nodeOf(dst) === null) return;
      const u = net.udpPorts.get(`${dst}:${to.port}`) as SimRawUdp | undefined;
      u?.events?.onMessage(data, from.address, from.port);
    }, null);
    local(net, this.node, () => done(null));
  }
  sendQueueSize(): number {
    return 0;
  }
  connect(port: number, host: string, done: (err: Error | null) => void): void {
    const dst = this.net.resolve(host, this.node.index);
    if (dst !== null) this.peer = { address: this.net.ipOf(dst), port };
    local(this.net, this.node, () => done(dst === null ? sysError('ENOTFOUND', 'connect', `${host}:${port}`) : null));
  }
  remoteAddress(): RawAddr | null {
    return this.peer;
  }
}

/** A dead stream for calls that fail before any packet leaves (unknown host, unix sockets). */
function failedStream(net: SimNet, node: HostNode, code: string, host: string, port: number): RawStream {
  const s = new SimRawStream(net, node, { address: net.ipOf(node.index), port: 0 }, { address: host, port }, true);
  local(net, node, () => s.reset(code));
  return s;
}

function bindCheck(net: SimNet, node: HostNode, host: string): Error | null {
  return net.resolve(host, node.index) === node.index ? null : sysError('EADDRNOTAVAIL', 'bind', `${host} on ${node.name}`);
}

/** @internal The transport of host incarnation `node` on `net`. */
export function simTransport(net: SimNet, node: HostNode): Transport {
  return {
    name: `sim ${node.name}`,
    connectTcp(host: string, port: number): RawStream {
      const dst = net.resolve(host, node.index);
      if (dst === null) return failedStream(net, node, 'ENOTFOUND', host, port);
      const localPort = net.ephemeralPort(node.index, net.tcpPorts);
      const c = new SimRawStream(net, node, { address: net.ipOf(node.index), port: localPort }, { address: net.ipOf(dst), port }, true);
      net.send(node.index, dst, 0, () => {
        if (net.host.nodeOf(dst) === null) return; // down: no answer
        const l = net.tcpPorts.get(`${dst}:${port}`) as SimRawListener | undefined;
        if (l !== undefined) l.onSyn(c);
        else net.send(dst, node.index, 0, () => c.reset('ECONNREFUSED'), c.flow);
      }, c.flow, true);
      return c;
    },
    connectUnix(path: string): RawStream {
      return failedStream(net, node, 'EAFNOSUPPORT', path, 0);
    },
    listenTcp(host: string, port: number, _backlog: number, done: (err: Error | null) => void): RawListener {
      const p = port === 0 ? net.ephemeralPort(node.index, net.tcpPorts) : port;
      const key = `${node.index}:${p}`;
      const shown = host === '0.0.0.0' || host === '::' ? host : net.ipOf(node.index);
      const l = new SimRawListener(net, node, { address: shown, port: p }, key);
      let err = bindCheck(net, node, host);
      if (err === null && net.tcpPorts.has(key)) err = sysError('EADDRINUSE', 'listen', `${node.name}:${p}`);
      if (err === null) {
        net.tcpPorts.set(key, l);
        node.endpoints.add(l);
      }
      local(net, node, () => done(err));
      return l;
    },
    listenUnix(path: string, _backlog: number, done: (err: Error | null) => void): RawListener {
      const l = new SimRawListener(net, node, { address: path, port: 0 }, `unix:${path}`);
      local(net, node, () => done(sysError('EAFNOSUPPORT', 'listen', path)));
      return l;
    },
    bindUdp(host: string, port: number, _ipv6: boolean, done: (err: Error | null) => void): RawUdp {
      const p = port === 0 ? net.ephemeralPort(node.index, net.udpPorts) : port;
      const key = `${node.index}:${p}`;
      const shown = host === '0.0.0.0' || host === '::' ? host : net.ipOf(node.index);
      const u = new SimRawUdp(net, node, { address: shown, port: p }, key);
      let err = bindCheck(net, node, host);
      if (err === null && net.udpPorts.has(key)) err = sysError('EADDRINUSE', 'bind', `udp ${node.name}:${p}`);
      if (err === null) {
        net.udpPorts.set(key, u);
        node.endpoints.add(u);
      }
      local(net, node, () => done(err));
      return u;
    },
  };
}
