/**
 * `NodeStream`: a node:net `Socket` as a kyoto `RawStream` (the default transport's streams).
 *
 * The socket is driven in paused mode: kyoto pulls with `socket.read()` after 'readable', so a
 * task that does not read pushes back on the peer through TCP flow control once Node's buffer
 * holds its high-water mark. The listeners are functions shared by every socket (`this` is the
 * socket, which carries its events object under a symbol): no closure per connection, and
 * listeners for rare events ('drain', 'finish') are attached on first need, so an idle
 * connection stays small. Until `attach`, the `NodeStream` itself is the events object and keeps
 * what happened (an error, a close) to replay. Tested by every test in test/net/.
 * @module
 */
import type { Socket } from 'node:net';
import { eofReceived, peerName, writableState } from './node_internals.js';
import { RAW_CLOSED, RAW_FULL, RAW_WRITABLE, type RawAddr, type RawStream, type RawStreamEvents } from './sys.js';

const EV: unique symbol = Symbol('kyoto.events');
type EvSocket = Socket & { [EV]: RawStreamEvents };

function onReadable(this: EvSocket): void {
  this[EV].onReadable();
}
function onConnect(this: EvSocket): void {
  this[EV].onConnect();
}
function onDrain(this: EvSocket): void {
  this[EV].onDrain();
}
function onFinish(this: EvSocket): void {
  this[EV].onFinish();
}
function onError(this: EvSocket, err: Error): void {
  this[EV].onError(err);
}
function onClose(this: EvSocket): void {
  this[EV].onClose();
}
function onFlushed(this: EvSocket): void {
  this[EV].onFlushed();
}

const EMPTY = Buffer.alloc(0);

const F_DRAIN_LISTENER = 1;
const F_FINISH_LISTENER = 2;
/** Before attach: what happened, to replay. */
const F_ERRORED = 4;
const F_CLOSED = 8;
const F_CONNECTED = 16;

/** @internal */
export class NodeStream implements RawStream, RawStreamEvents {
  private flags = 0;
  private early: Error | null = null;

  constructor(readonly socket: Socket) {
    (socket as EvSocket)[EV] = this;
    socket.on('readable', onReadable);
    socket.on('error', onError);
    socket.on('close', onClose);
    if (socket.connecting) socket.once('connect', onConnect);
  }

  attach(events: RawStreamEvents): void {
    (this.socket as EvSocket)[EV] = events;
    const f = this.flags;
    if ((f & F_CONNECTED) !== 0) events.onConnect();
    if ((f & F_ERRORED) !== 0) events.onError(this.early!);
    if ((f & F_CLOSED) !== 0 || this.socket.destroyed) events.onClose();
    this.early = null;
  }

  // Events before attach (an accepted connection waiting in the accept queue).
  onReadable(): void {}
  onDrain(): void {}
  onFlushed(): void {}
  onFinish(): void {}
  onConnect(): void {
    this.flags |= F_CONNECTED;
  }
  onError(err: Error): void {
    if ((this.flags & F_ERRORED) === 0) this.early = err;
    this.flags |= F_ERRORED;
  }
  onClose(): void {
    this.flags |= F_CLOSED;
  }

  isConnecting(): boolean {
    const s = this.socket;
    return s.connecting || s.pending;
  }

  isDestroyed(): boolean {
    return this.socket.destroyed;
  }

  read(): Buffer | null {
    const s = this.socket;
    // With nothing buffered, read() would only re-arm 'readable', which Node already did when
    // the last read emptied the buffer: skip it (it is the hot path of an echo).
    if (s.readableLength === 0) return null;
    const c = s.read() as Buffer | string | null;
    return typeof c === 'string' ? Buffer.from(c) : c;
  }

  readableLength(): number {
    return this.socket.readableLength;
  }

  eofReceived(): boolean {
    return eofReceived(this.socket);
  }

  consumeEof(): void {
    this.socket.read(); // lets Node emit 'end' (and close a socket finished both ways)
  }

  writeState(): number {
    const ws = writableState(this.socket);
    if (ws.ending || ws.destroyed) return RAW_CLOSED;
    if (!ws.needDrain) return RAW_WRITABLE;
    if ((this.flags & F_DRAIN_LISTENER) === 0) {
      this.flags |= F_DRAIN_LISTENER;
      this.socket.on('drain', onDrain);
    }
    return RAW_FULL;
  }

  write(chunk: Buffer): void {
    this.socket.write(chunk);
  }

  writableLength(): number {
    return this.socket.writableLength;
  }

  flush(): void {
    this.socket.write(EMPTY, onFlushed.bind(this.socket as EvSocket));
  }

  end(): void {
    const s = this.socket;
    if ((this.flags & F_FINISH_LISTENER) === 0) {
      this.flags |= F_FINISH_LISTENER;
      s.once('finish', onFinish);
    }
    if (!s.writableEnded) s.end();
  }

  isFinished(): boolean {
    return this.socket.writableFinished;
  }

  destroy(): void {
    this.socket.destroy();
  }

  remoteAddress(): RawAddr | null {
    const p = peerName(this.socket);
    if (p !== null) return p;
    const s = this.socket;
    return s.remoteAddress === undefined ? null : { address: s.remoteAddress, port: s.remotePort ?? 0 };
  }

  localAddress(): RawAddr | null {
    const s = this.socket;
    return s.localAddress === undefined ? null : { address: s.localAddress, port: s.localPort ?? 0 };
  }

  setNoDelay(noDelay: boolean): void {
    this.socket.setNoDelay(noDelay);
  }

  setKeepAlive(enable: boolean, initialDelayMs: number): void {
    this.socket.setKeepAlive(enable, initialDelayMs);
  }
}
