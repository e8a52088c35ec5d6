/**
 * `NodeStream`: a node:net `Socket` as a kyoto `RawStream` (the default transport's streams).
 *
 * A socket handed in by the user is driven in paused mode: kyoto pulls with `socket.read()` after
 * 'readable', so a task that does not read pushes back on the peer through TCP flow control once
 * Node's buffer holds its high-water mark. The listeners are functions shared by every socket (`this` is the
 * socket, which carries its events object under a symbol): no closure per connection, and
 * listeners for rare events ('drain', 'finish') are attached on first need, so an idle
 * connection stays small. Until `attach`, the `NodeStream` itself is the events object and keeps
 * what happened (an error, a close) to replay.
 *
 * Sockets kyoto made (accepted, connected) are read into one shared buffer instead
 * (`installUserRead` in node_internals.ts): each read is copied out into a chunk of this
 * stream's own queue and 'readable' is only used for the FIN. Invariants: chunks leave `read()`
 * in arrival order, each once; once `READ_HWM` bytes are queued Node stops reading (TCP flow
 * control pushes back on the peer, as in paused mode) until `read()` empties the queue.
 * 64 KiB is libuv's usual read size, 16 KiB node:net's readable high-water mark. Tested by
 * every test in test/net/, and test/net/user_read.test.ts.
 * @module
 */
import type { Socket } from 'node:net';
import { ensureNodeInternals, eofReceived, installUserRead, peerName, restartUserRead, writableState } from './node_internals.js';
import { RAW_CLOSED, RAW_FULL, RAW_WRITABLE, type RawAddr, type RawStream, type RawStreamEvents } from './sys.js';

const EV: unique symbol = Symbol('kyoto.events');
const NS: unique symbol = Symbol('kyoto.nodeStream');
type EvSocket = Socket & { [EV]: RawStreamEvents; [NS]: NodeStream };

/** Where every user-read socket of this thread reads; each read is copied out at once. */
const READ_BUF = Buffer.allocUnsafeSlow(64 * 1024);
/** Queued bytes at which a user-read socket stops reading. */
const READ_HWM = 16 * 1024;

function onUserRead(this: Socket, nread: number, buf: Uint8Array): boolean {
  return (this as EvSocket)[NS].took(nread, buf);
}

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
/** Reads arrive through `onUserRead` into `q`, not through the socket's Readable. */
const F_USER_READ = 32;
/** `onUserRead` returned false: Node stopped reading until `read()` restarts it. */
const F_READ_STOPPED = 64;

/** @internal */
export class NodeStream implements RawStream, RawStreamEvents {
  private flags = 0;
  private early: Error | null = null;
  /** User-read mode: the oldest queued chunk, the later ones, and their total size. */
  private q: Buffer | null = null;
  private qMore: Buffer[] | null = null;
  private qBytes = 0;

  /** `userRead`: read into the shared buffer (only for sockets kyoto created, before any read). */
  constructor(
    readonly socket: Socket,
    userRead = false,
  ) {
    ensureNodeInternals(); // before any private field of a socket is read
    (socket as EvSocket)[EV] = this;
    if (userRead) {
      (socket as EvSocket)[NS] = this;
      if (installUserRead(socket, READ_BUF, onUserRead)) this.flags |= F_USER_READ;
    }
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
    else if (this.q !== null) events.onReadable();
    this.early = null;
  }

  /** @internal true when reads arrive through the shared buffer (tests). */
  get userRead(): boolean {
    return (this.flags & F_USER_READ) !== 0;
  }

  /** @internal a user read of `nread` bytes into `buf`: queue a copy; false stops reading. */
  took(nread: number, buf: Uint8Array): boolean {
    const chunk = Buffer.allocUnsafe(nread);
    // A plain Uint8Array view: Buffer#subarray goes through the species constructor.
    chunk.set(nread === buf.length ? buf : new Uint8Array(buf.buffer, buf.byteOffset, nread));
    if (this.q === null) this.q = chunk;
    else if (this.qMore === null) this.qMore = [chunk];
    else this.qMore.push(chunk);
    this.qBytes += nread;
    (this.socket as EvSocket)[EV].onReadable();
    if (this.qBytes < READ_HWM) return true;
    this.flags |= F_READ_STOPPED;
    return false;
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
    if ((this.flags & F_USER_READ) !== 0) return this.takeQueued();
    const s = this.socket;
    // With nothing buffered, read() would only re-arm 'readable', which Node already did when
    // the last read emptied the buffer: skip it (it is the hot path of an echo).
    if (s.readableLength === 0) return null;
    const c = s.read() as Buffer | string | null;
    return typeof c === 'string' ? Buffer.from(c) : c;
  }

  private takeQueued(): Buffer | null {
    const first = this.q;
    if (first === null) return null;
    const more = this.qMore;
    const out = more === null ? first : Buffer.concat([first, ...more], this.qBytes);
    this.q = null;
    this.qMore = null;
    this.qBytes = 0;
    if ((this.flags & F_READ_STOPPED) !== 0) {
      this.flags &= ~F_READ_STOPPED;
      restartUserRead(this.socket);
    }
    return out;
  }

  readableLength(): number {
    return this.qBytes + this.socket.readableLength;
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
