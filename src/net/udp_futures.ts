/**
 * The futures of `UdpSocket`: bind, connect, send, recv.
 *
 * Invariants: a `SendFuture` completes only once the transport answered for its own datagram,
 * so the error it throws is that datagram's; `RecvFuture` holds no datagram of its own (the
 * socket's queue does), so a dropped receive loses nothing. Tested in test/net/unix_udp.test.ts
 * and udp_faults.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { toIoError } from '../io/error.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { SocketAddr, formatAddr } from './addr.js';
import type { RawUdp } from './sys.js';
import { transport } from './transport.js';

/** @internal one received datagram. */
export interface Datagram {
  data: Buffer;
  from: SocketAddr;
}

/** @internal what the futures need of `UdpSocket` (kept as an interface: no import cycle). */
export interface UdpHost {
  readonly raw: RawUdp;
  readonly reg: { driver: { counters: { bytesRead: number } } };
  pollRecv(cx: Context): Poll<Datagram>;
  pollStartSend(cx: Context, buf: Uint8Array, host: string | null, port: number, done: (err: Error | null) => void): Poll<boolean>;
  sendFinished(): void;
  setConnected(a: SocketAddr): void;
  peerAddr(): SocketAddr | null;
}

const NEW = 0;
const WAITING = 1;
const BOUND = 2;
const FAILED = 3;
const DONE = 4;

/** @internal */
export class UdpBindFuture<S> extends Future<S> {
  private raw: RawUdp | null = null;
  private state = NEW;
  private err: Error | null = null;
  private readonly waker = new WakerSlot();
  private readonly answer = (err: Error | null): void => {
    if (this.state !== WAITING) return;
    this.err = err;
    this.state = err === null ? BOUND : FAILED;
    this.waker.wake();
  };
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly make: (raw: RawUdp) => S,
  ) {
    super();
  }
  poll(cx: Context): Poll<S> {
    if (this.state === NEW) {
      this.state = WAITING;
      this.raw = transport().bindUdp(this.host, this.port, this.host.includes(':'), this.answer);
    }
    if (this.state === FAILED) {
      this.state = DONE;
      throw toIoError(this.err, 'bind udp', formatAddr(this.host, this.port));
    }
    if (this.state === BOUND) {
      this.state = DONE;
      return this.make(this.raw!);
    }
    if (this.state === DONE) throw new PolledAfterCompletionError('bind');
    this.waker.register(cx);
    return Pending;
  }
  override drop(): void {
    if (this.state === WAITING || this.state === BOUND) this.raw?.close();
    this.state = DONE;
  }
}

/** @internal */
export class UdpConnectFuture extends Future<void> {
  private started = false;
  private finished = false;
  private err: Error | null = null;
  private readonly waker = new WakerSlot();
  constructor(
    private readonly s: UdpHost,
    private readonly host: string,
    private readonly port: number,
  ) {
    super();
  }
  poll(cx: Context): Poll<void> {
    if (!this.started) {
      this.started = true;
      this.s.raw.connect(this.port, this.host, (err) => {
        this.err = err;
        this.finished = true;
        this.waker.wake();
      });
    }
    if (this.finished) {
      if (this.err !== null) throw toIoError(this.err, 'connect udp to', formatAddr(this.host, this.port));
      const a = this.s.raw.remoteAddress();
      this.s.setConnected(new SocketAddr(a?.address ?? this.host, a?.port ?? this.port));
      return undefined;
    }
    this.waker.register(cx);
    return Pending;
  }
}

/** @internal one datagram: started once, complete when the transport answered for it. */
export class SendFuture extends Future<number> {
  private state = NEW;
  private err: Error | null = null;
  private readonly waker = new WakerSlot();
  private readonly answer = (err: Error | null): void => {
    this.err = err;
    this.state = err === null ? BOUND : FAILED;
    this.s.sendFinished();
    this.waker.wake();
  };
  constructor(
    private readonly s: UdpHost,
    private readonly buf: Uint8Array,
    private readonly host: string | null,
    private readonly port: number,
  ) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (this.state === NEW) {
      if (this.s.pollStartSend(cx, this.buf, this.host, this.port, this.answer) === Pending) return Pending;
      if (this.state === NEW) this.state = WAITING;
    }
    if (this.state === BOUND) {
      this.state = DONE;
      return this.buf.length;
    }
    if (this.state === FAILED) {
      this.state = DONE;
      const to = this.host === null ? (this.s.peerAddr()?.toString() ?? '?') : formatAddr(this.host, this.port);
      throw toIoError(this.err, 'send to', to);
    }
    if (this.state === DONE) throw new PolledAfterCompletionError('send');
    this.waker.register(cx);
    return Pending;
  }
}

/** @internal */
export class RecvFuture extends Future<[number, SocketAddr]> {
  constructor(
    private readonly s: UdpHost,
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
