/**
 * The transport seam: the one narrow interface through which kyoto's net types create OS-level
 * sockets and move bytes. `TcpStream`, `TcpListener`, `UnixStream`, `UnixListener` and
 * `UdpSocket` call nothing else of the OS; the default `Transport` is node:net / node:dgram
 * (`net/node_sys.ts`), and a runtime can be given another one (a simulated network) with
 * `setTransport(rt, t)` (`net/transport.ts`) before any socket is opened on it.
 *
 * The raw objects are callback-driven, like libuv handles: kyoto pulls bytes (`read()`), pushes
 * bytes (`write()`), and the transport calls back through one events object per raw object.
 * Invariants every transport keeps (test/net/sys.test.ts runs a loopback transport through the
 * whole TCP/UDP surface):
 * - No callback runs before `attach(events)`, and none runs synchronously inside a kyoto call
 *   except where stated; after `onClose` none runs at all.
 * - Streams: `read()` takes bytes in order, each once; `eofReceived()` turns true once the peer's
 *   FIN arrived (bytes before it may still be buffered) and stays true; `onReadable` follows any
 *   new bytes or the FIN (it may also be spurious). `write()` keeps the chunk (no copy: kyoto
 *   never modifies a chunk it wrote). When `writeState()` says `RAW_FULL`, `onDrain` follows once
 *   the buffer fell below the high-water mark. `flush()` is answered by `onFlushed` once what was
 *   written before it left user space; `end()` by `onFinish` once the FIN went out after every
 *   queued byte. A stream that fails calls `onError(err)` then `onClose()`; `destroy()` ends in
 *   `onClose()` without `onError`.
 * - Listeners: `listen*` answers through its `done` callback exactly once (an error, or null
 *   once `address()` is valid); accepted streams come through `onConnection` unattached and
 *   with nothing read from them (paused).
 * - UDP: `bindUdp` answers through `done` once; `send` answers through its own callback once per
 *   datagram, with that datagram's error; `onMessage` delivers whole datagrams.
 * @module
 */
/** `writeState()`: writes are accepted now. */
export const RAW_WRITABLE = 0;
/** `writeState()`: over the high-water mark; `onDrain` will follow. */
export const RAW_FULL = 1;
/** `writeState()`: the write side was ended or the stream destroyed. */
export const RAW_CLOSED = 2;

/** An address as a transport reports it. */
export interface RawAddr {
  address: string;
  port: number;
}

/** What a transport tells a stream; kyoto's `SocketStream` implements it. */
export interface RawStreamEvents {
  /** Bytes or the FIN became available to `read()` (may be spurious). */
  onReadable(): void;
  /** A stream from `connectTcp` / `connectUnix` is established. */
  onConnect(): void;
  /** The write buffer fell below the high-water mark after `writeState()` said `RAW_FULL`. */
  onDrain(): void;
  /** Everything written before `flush()` left user space. */
  onFlushed(): void;
  /** `end()` completed: the FIN went out after every queued byte. */
  onFinish(): void;
  /** The stream failed (`ECONNRESET`, `ECONNREFUSED`, ...): `onClose` follows. */
  onError(err: Error): void;
  /** Fully closed; nothing follows. */
  onClose(): void;
}

/** A connected byte stream (TCP or Unix) as a transport exposes it. */
export interface RawStream {
  /** Installs the events object (exactly once). Events that happened before are replayed. */
  attach(events: RawStreamEvents): void;
  /** True while a connect is in progress. */
  isConnecting(): boolean;
  /** True once destroyed or closed. */
  isDestroyed(): boolean;
  /** Takes the bytes buffered now (one chunk, which becomes the caller's), or null if none. */
  read(): Buffer | null;
  /** Bytes buffered for reading. */
  readableLength(): number;
  /** True once the peer's FIN arrived. */
  eofReceived(): boolean;
  /** kyoto has read the EOF: a stream whose write side is also finished may now close. */
  consumeEof(): void;
  /** `RAW_WRITABLE`, `RAW_FULL` (then `onDrain` follows) or `RAW_CLOSED`. */
  writeState(): number;
  /** Queues `chunk` for sending; the transport keeps the reference. */
  write(chunk: Buffer): void;
  /** Bytes queued for sending and not yet handed to the OS. */
  writableLength(): number;
  /** Asks for `onFlushed` once everything written so far left user space. */
  flush(): void;
  /** Half-close after the queued bytes (idempotent); `onFinish` follows. */
  end(): void;
  /** True once `end()` completed. */
  isFinished(): boolean;
  /** Closes both directions at once, discarding queued bytes (idempotent). */
  destroy(): void;
  /** The peer's address (null if unknown, e.g. Unix sockets). */
  remoteAddress(): RawAddr | null;
  /** The local address (null if unknown). */
  localAddress(): RawAddr | null;
  setNoDelay(noDelay: boolean): void;
  setKeepAlive(enable: boolean, initialDelayMs: number): void;
}

/** What a transport tells a listener. */
export interface RawListenerEvents {
  /** A new connection, paused and unattached. */
  onConnection(stream: RawStream): void;
  /** The listener failed after it was listening. */
  onError(err: Error): void;
  /** Closed; nothing follows. */
  onClose(): void;
}

/** A listening socket. */
export interface RawListener {
  attach(events: RawListenerEvents): void;
  /** The bound address (with the real port for port 0), or the path. */
  address(): RawAddr | string;
  /** Stops listening (idempotent); `onClose` follows. */
  close(): void;
}

/** What a transport tells a UDP socket. */
export interface RawUdpEvents {
  /** One whole datagram from `address:port` (`data` becomes the receiver's). */
  onMessage(data: Buffer, address: string, port: number): void;
  /** An error not tied to one send (an ICMP error reported on a connected socket). */
  onError(err: Error): void;
  /** Closed; nothing follows. */
  onClose(): void;
}

/** A bound UDP socket. */
export interface RawUdp {
  attach(events: RawUdpEvents): void;
  address(): RawAddr;
  /** Sends one datagram (kept, not copied) to `host:port`, or to the connected peer when `host` is null. */
  send(data: Buffer, port: number, host: string | null, done: (err: Error | null) => void): void;
  /** Bytes queued and not yet sent. */
  sendQueueSize(): number;
  /** Sets the default peer; `done` once (with the error, if any). */
  connect(port: number, host: string, done: (err: Error | null) => void): void;
  remoteAddress(): RawAddr | null;
  /** Closes (idempotent); `onClose` follows. */
  close(): void;
}

/**
 * How kyoto reaches the network: Node's by default, a simulated one under `kyoto/sim`.
 *
 * @example
 * ```ts
 * const t = transport();            // the current runtime's
 * const raw = t.connectTcp('127.0.0.1', 8080);
 * ```
 */
export interface Transport {
  /** A short name for dumps and errors (`node`, `sim`). */
  readonly name: string;
  /** Starts a TCP connection; the result reports through `onConnect` / `onError` once attached. */
  connectTcp(host: string, port: number): RawStream;
  /** Starts a Unix socket connection. */
  connectUnix(path: string): RawStream;
  /** Listens; `done(err)` once, then the listener may be attached. */
  listenTcp(host: string, port: number, backlog: number, done: (err: Error | null) => void): RawListener;
  listenUnix(path: string, backlog: number, done: (err: Error | null) => void): RawListener;
  /** Binds a UDP socket (`ipv6` picks the family); `done(err)` once. */
  bindUdp(host: string, port: number, ipv6: boolean, done: (err: Error | null) => void): RawUdp;
}
