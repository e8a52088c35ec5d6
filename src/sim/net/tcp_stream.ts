/**
 * `SimTcpStream`: one end of a simulated TCP connection. It offers what `TcpStream` offers
 * (the poll methods of the I/O traits and the convenience futures), over the simulated network.
 *
 * - Writes never block (the simulated network has no flow control): the bytes are copied and
 *   sent as one segment, delivered after the link's latency, in order.
 * - `shutdown()` sends FIN: the peer reads EOF after the data sent before it. `close()` also
 *   sends FIN; a segment that arrives at a closed end answers with RST.
 * - A crash of either host resets the connection: the other end's reads and writes throw
 *   `IoError` ECONNRESET.
 *
 * Invariants: bytes arrive exactly once and in order unless the connection is reset; a read is
 * Pending only with its waker stored. Proved by test/sim/network.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../../future/future.js';
import { pollProceed } from '../../runtime/coop.js';
import { IoError } from '../../io/error.js';
import { SocketAddr } from '../../net/addr.js';
import type { HostNode, SimEndpoint } from '../node.js';
import type { SimNet } from './network.js';
import type { Flow } from './packet_queue.js';
import { simIoError } from './context.js';
import { SimOp } from './op.js';

function wake(w: Waker | null): null {
  if (w !== null) w.wake();
  return null;
}

/**
 * One end of a simulated TCP connection (what `TcpStream.connect` and `listener.accept()` give
 * inside a simulated host).
 *
 * @example
 * ```ts
 * const s = yield* TcpStream.connect('kv:6379'); // a SimTcpStream inside sim.host(...)
 * yield* s.writeAll(Buffer.from('GET x\n'));
 * ```
 */
export class SimTcpStream implements SimEndpoint {
  /** @internal the other end (set once the connection attempt reached a listener). */
  peerEnd: SimTcpStream | null = null;
  /** @internal connected (for the client end: the SYN-ACK arrived). */
  established = false;
  /** @internal arrival ordering of the segments this end sends. */
  readonly flow: Flow = { lastAt: 0 };
  private readonly rx: Buffer[] = [];
  private rxEof = false;
  private error: IoError | null = null;
  private writeClosed = false;
  private closed = false;
  private reader: Waker | null = null;
  private writer: Waker | null = null;

  /** @internal */
  constructor(
    private readonly net: SimNet,
    /** @internal */
    readonly node: HostNode,
    private readonly local: SocketAddr,
    private readonly peer: SocketAddr,
  ) {
    node.endpoints.add(this);
  }

  // ---- network side -------------------------------------------------------------------

  /** @internal The connection is up (client end: SYN-ACK received). */
  onEstablished(): void {
    if (this.closed) {
      // The connect future was dropped before the answer came: tell the server end.
      this.resetPeer();
      return;
    }
    this.established = true;
    this.writer = wake(this.writer);
  }

  /** @internal A connection attempt failed (refused, or the connection was reset). */
  onReset(code = 'ECONNRESET'): void {
    if (this.closed || this.error !== null) return;
    this.error = simIoError(code, this.established ? 'I/O on' : 'connect to', `tcp ${this.peer.toString()}`);
    this.reader = wake(this.reader);
    this.writer = wake(this.writer);
  }

  private onData(b: Buffer): void {
    if (this.closed) {
      this.resetPeer();
      return;
    }
    if (this.error !== null) return;
    this.rx.push(b);
    this.reader = wake(this.reader);
  }

  private onFin(): void {
    this.rxEof = true;
    this.reader = wake(this.reader);
  }

  private resetPeer(): void {
    const p = this.peerEnd;
    if (p !== null) this.net.send(this.node.index, p.node.index, 0, () => p.onReset(), this.flow);
  }

  private sendSegment(b: Buffer | null): void {
    const p = this.peerEnd;
    if (p === null) return;
    if (b === null) this.net.send(this.node.index, p.node.index, 0, () => p.onFin(), this.flow);
    else this.net.send(this.node.index, p.node.index, b.length, () => p.onData(b), this.flow);
  }

  /** @internal The host crashed: reset the peer, drop everything. */
  crash(): void {
    if (this.closed) return;
    if (this.established) this.resetPeer();
    this.closed = true;
    this.rx.length = 0;
    this.reader = wake(this.reader);
    this.writer = wake(this.writer);
  }

  // ---- poll methods (the I/O traits) --------------------------------------------------

  /** @internal Waits for the client end's connection (used by the connect future). */
  pollEstablished(cx: Context): Poll<void> {
    if (this.error !== null) throw this.error;
    if (this.established) return undefined;
    this.writer = cx.waker.clone();
    return Pending;
  }

  /** The next received chunk (null at EOF); Pending with the waker stored when none. */
  pollReadChunk(cx: Context): Poll<Buffer | null> {
    if (this.rx.length > 0) {
      if (!pollProceed(cx)) return Pending;
      return this.rx.shift()!;
    }
    if (this.error !== null) throw this.error;
    if (this.closed) throw simIoError('CLOSED', 'read from', this.label());
    if (this.rxEof) return null;
    this.reader = cx.waker.clone();
    return Pending;
  }

  /** Reads up to buf.length bytes: Ready(n), Ready(0) at EOF. */
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    if (buf.length === 0) return 0;
    const c = this.pollReadChunk(cx);
    if (c === Pending) return Pending;
    if (c === null) return 0;
    const n = Math.min(c.length, buf.length);
    buf.set(c.subarray(0, n));
    if (n < c.length) this.rx.unshift(c.subarray(n));
    return n;
  }

  /** Takes all of buf (copied): the simulated network never pushes back. */
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    if (this.error !== null) throw this.error;
    if (this.closed) throw simIoError('CLOSED', 'write to', this.label());
    if (this.writeClosed) throw simIoError('EPIPE', 'write to', this.label());
    if (!this.established) {
      this.writer = cx.waker.clone();
      return Pending;
    }
    if (buf.length === 0) return 0;
    this.sendSegment(Buffer.from(buf));
    return buf.length;
  }

  /** Always ready: written bytes are on the (simulated) wire at once. */
  pollFlush(_cx: Context): Poll<void> {
    if (this.error !== null) throw this.error;
    return undefined;
  }

  /** Sends FIN (once): the peer reads EOF after everything written before. */
  pollShutdown(_cx: Context): Poll<void> {
    if (this.error !== null) throw this.error;
    if (!this.writeClosed && !this.closed) {
      this.writeClosed = true;
      this.sendSegment(null);
    }
    return undefined;
  }

  // ---- the TcpStream surface ----------------------------------------------------------

  /**
   * Reads into buf: bytes read, 0 at EOF.
   *
   * @example
   * ```ts
   * const n = yield* stream.read(buf);
   * ```
   */
  read(buf: Uint8Array): Future<number> {
    return new SimOp('TcpStream.read', this, (cx) => this.pollRead(cx, buf));
  }

  /**
   * Fills buf exactly; `IoError` UNEXPECTED_EOF if the stream ends first.
   *
   * @example
   * ```ts
   * yield* stream.readExact(header);
   * ```
   */
  readExact(buf: Uint8Array): Future<void> {
    let off = 0;
    return new SimOp('TcpStream.readExact', this, (cx) => {
      while (off < buf.length) {
        const n = this.pollRead(cx, buf.subarray(off));
        if (n === Pending) return Pending;
        if (n === 0) throw simIoError('UNEXPECTED_EOF', 'readExact from', this.label());
        off += n;
      }
      return undefined;
    });
  }

  /**
   * The next chunk received, or null at EOF.
   *
   * @example
   * ```ts
   * for (let c = yield* s.readChunk(); c !== null; c = yield* s.readChunk()) handle(c);
   * ```
   */
  readChunk(): Future<Buffer | null> {
    return new SimOp('TcpStream.readChunk', this, (cx) => this.pollReadChunk(cx));
  }

  /**
   * Writes buf (all of it, the network never pushes back): its length.
   *
   * @example
   * ```ts
   * yield* stream.write(Buffer.from('PING\n'));
   * ```
   */
  write(buf: Uint8Array): Future<number> {
    return new SimOp('TcpStream.write', this, (cx) => this.pollWrite(cx, buf));
  }

  /**
   * Writes all of buf.
   *
   * @example
   * ```ts
   * yield* stream.writeAll(Buffer.from('SET x 1\n'));
   * ```
   */
  writeAll(buf: Uint8Array): Future<void> {
    return new SimOp('TcpStream.writeAll', this, (cx) => (this.pollWrite(cx, buf) === Pending ? Pending : undefined));
  }

  /**
   * Writes chunk (the caller gives it up).
   *
   * @example
   * ```ts
   * yield* stream.writeChunk(reply);
   * ```
   */
  writeChunk(chunk: Uint8Array): Future<void> {
    return this.writeAll(chunk);
  }

  /**
   * Ready at once (nothing is buffered in user space).
   *
   * @example
   * ```ts
   * yield* stream.flush();
   * ```
   */
  flush(): Future<void> {
    return new SimOp('TcpStream.flush', this, (cx) => this.pollFlush(cx));
  }

  /**
   * Half-closes: the peer reads EOF; reading goes on.
   *
   * @example
   * ```ts
   * yield* stream.shutdown();
   * ```
   */
  shutdown(): Future<void> {
    return new SimOp('TcpStream.shutdown', this, (cx) => this.pollShutdown(cx));
  }

  /**
   * Ready once there is something to read (or EOF, or an error).
   *
   * @example
   * ```ts
   * yield* stream.readable();
   * ```
   */
  readable(): Future<void> {
    return new SimOp('TcpStream.readable', this, (cx) => {
      if (this.rx.length > 0 || this.rxEof || this.error !== null || this.closed) return undefined;
      this.reader = cx.waker.clone();
      return Pending;
    });
  }

  /**
   * Ready once writing would not wait.
   *
   * @example
   * ```ts
   * yield* stream.writable();
   * ```
   */
  writable(): Future<void> {
    return new SimOp('TcpStream.writable', this, (cx) => {
      if (this.established || this.error !== null || this.closed) return undefined;
      this.writer = cx.waker.clone();
      return Pending;
    });
  }

  /**
   * Closes the stream (sends FIN if not shut down yet); later operations throw CLOSED.
   *
   * @example
   * ```ts
   * try { ... } finally { stream.close(); }
   * ```
   */
  close(): void {
    if (this.closed) return;
    if (this.established && !this.writeClosed && this.error === null) this.sendSegment(null);
    this.writeClosed = true;
    this.closed = true;
    this.node.endpoints.delete(this);
    this.rx.length = 0;
    this.reader = wake(this.reader);
    this.writer = wake(this.writer);
  }

  /**
   * True until `close()` (or a crash).
   *
   * @example
   * ```ts
   * if (stream.isOpen()) stream.close();
   * ```
   */
  isOpen(): boolean {
    return !this.closed;
  }

  /**
   * The remote address.
   *
   * @example
   * ```ts
   * console.log(`${stream.peerAddr()}`); // 10.0.0.2:6379
   * ```
   */
  peerAddr(): SocketAddr {
    return this.peer;
  }

  /**
   * The local address.
   *
   * @example
   * ```ts
   * console.log(stream.localAddr().port);
   * ```
   */
  localAddr(): SocketAddr {
    return this.local;
  }

  /** Accepted for compatibility; the simulated network has no Nagle delay. */
  setNoDelay(_noDelay = true): this {
    return this;
  }

  /** Accepted for compatibility; simulated connections never idle out. */
  setKeepAlive(_enable = true, _initialDelayMs = 0): this {
    return this;
  }

  /** @internal */
  label(): string {
    return `tcp ${this.peer.toString()}`;
  }

  /**
   * Both halves are the stream itself: its reads and writes are independent (separate wakers),
   * so one task may read while another writes.
   *
   * @example
   * ```ts
   * const [rd, wr] = stream.split();
   * ```
   */
  split(): [this, this] {
    return [this, this];
  }

  /** @internal bytes received and not read yet (dumps). */
  bufferedBytes(): number {
    let n = 0;
    for (const c of this.rx) n += c.length;
    return n;
  }
}
