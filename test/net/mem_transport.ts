/**
 * An in-memory `Transport` (a loopback network in one process) for tests of the transport seam:
 * it follows the contract of src/net/sys.ts with every event delivered on a later macrotask.
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
} from '../../src/net/sys.js';

const later = (f: () => void): void => void setImmediate(f);
const err = (code: string, msg: string): Error => Object.assign(new Error(`${msg} ${code}`), { code });

class MemStream implements RawStream {
  events: RawStreamEvents | null = null;
  peer: MemStream | null = null;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private fin = false;
  private ended = false;
  private finished = false;
  destroyed = false;
  connecting = true;
  constructor(
    readonly local: RawAddr,
    readonly remote: RawAddr,
  ) {}
  private emit(f: (e: RawStreamEvents) => void): void {
    later(() => {
      if (this.events !== null && !(this.destroyed && this.closedEmitted)) f(this.events);
    });
  }
  private closedEmitted = false;
  attach(events: RawStreamEvents): void {
    this.events = events;
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
    later(() => p?.deliver(chunk));
  }
  writableLength(): number {
    return 0;
  }
  flush(): void {
    this.emit((e) => e.onFlushed());
  }
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const p = this.peer;
    later(() => {
      p?.deliverFin();
      this.finished = true;
      this.events?.onFinish();
    });
  }
  isFinished(): boolean {
    return this.finished;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const p = this.peer;
    later(() => {
      p?.reset();
      this.closedEmitted = true;
      this.events?.onClose();
    });
  }
  remoteAddress(): RawAddr | null {
    return this.remote;
  }
  localAddress(): RawAddr | null {
    return this.local;
  }
  setNoDelay(): void {}
  setKeepAlive(): void {}
  deliver(c: Buffer): void {
    if (this.destroyed) return;
    this.chunks.push(c);
    this.buffered += c.length;
    this.events?.onReadable();
  }
  deliverFin(): void {
    this.fin = true;
    this.events?.onReadable();
  }
  reset(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.events?.onError(err('ECONNRESET', 'read'));
    this.events?.onClose();
  }
}

class MemListener implements RawListener {
  events: RawListenerEvents | null = null;
  constructor(
    private readonly net: MemNet,
    readonly addr: RawAddr,
  ) {}
  attach(events: RawListenerEvents): void {
    this.events = events;
  }
  address(): RawAddr {
    return this.addr;
  }
  close(): void {
    if (this.net.listeners.delete(key(this.addr))) later(() => this.events?.onClose());
  }
}

class MemUdp implements RawUdp {
  events: RawUdpEvents | null = null;
  peer: RawAddr | null = null;
  constructor(
    private readonly net: MemNet,
    readonly addr: RawAddr,
  ) {}
  attach(events: RawUdpEvents): void {
    this.events = events;
  }
  address(): RawAddr {
    return this.addr;
  }
  send(data: Buffer, port: number, host: string | null, done: (err: Error | null) => void): void {
    const to = host === null ? this.peer! : { address: host, port };
    later(() => {
      this.net.udp.get(key(to))?.events?.onMessage(data, this.addr.address, this.addr.port);
      done(null);
    });
  }
  sendQueueSize(): number {
    return 0;
  }
  connect(port: number, host: string, done: (err: Error | null) => void): void {
    this.peer = { address: host, port };
    later(() => done(null));
  }
  remoteAddress(): RawAddr | null {
    return this.peer;
  }
  close(): void {
    if (this.net.udp.delete(key(this.addr))) later(() => this.events?.onClose());
  }
}

const key = (a: RawAddr): string => `${a.address}:${a.port}`;

/** A loopback network; `transport` is what `setTransport` takes. Counts what went through it. */
export class MemNet {
  readonly listeners = new Map<string, MemListener>();
  readonly udp = new Map<string, MemUdp>();
  connects = 0;
  private nextPort = 40000;
  readonly transport: Transport = {
    name: 'mem',
    connectTcp: (host, port) => this.connect(host, port),
    connectUnix: (path) => this.connect(path, 0),
    listenTcp: (host, port, _backlog, done) => this.listen(host, port, done),
    listenUnix: (path, _backlog, done) => this.listen(path, 0, done),
    bindUdp: (host, port, _ipv6, done) => {
      const u = new MemUdp(this, { address: host, port: port === 0 ? this.nextPort++ : port });
      this.udp.set(key(u.addr), u);
      later(() => done(null));
      return u;
    },
  };
  private listen(host: string, port: number, done: (err: Error | null) => void): RawListener {
    const l = new MemListener(this, { address: host, port: port === 0 && !host.startsWith('/') ? this.nextPort++ : port });
    const k = key(l.addr);
    if (this.listeners.has(k)) later(() => done(err('EADDRINUSE', 'listen')));
    else {
      this.listeners.set(k, l);
      later(() => done(null));
    }
    return l;
  }
  private connect(host: string, port: number): RawStream {
    this.connects++;
    const client = new MemStream({ address: '10.0.0.2', port: this.nextPort++ }, { address: host, port });
    later(() => {
      const l = this.listeners.get(key({ address: host, port })) ?? this.listeners.get(key({ address: '0.0.0.0', port }));
      if (l === undefined) {
        client.destroyed = true;
        client.events?.onError(err('ECONNREFUSED', 'connect'));
        client.events?.onClose();
        return;
      }
      const server = new MemStream({ address: host, port }, client.local);
      server.connecting = false;
      server.peer = client;
      client.peer = server;
      client.connecting = false;
      l.events?.onConnection(server);
      client.events?.onConnect();
    });
    return client;
  }
}
