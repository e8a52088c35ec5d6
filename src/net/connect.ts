/**
 * The connect future shared by TCP and Unix streams: opens the socket on first poll, completes
 * once Node reports it connected, throws the connection error, and closes the half-open socket
 * when dropped.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ERROR, WRITABLE, type Registration } from '../runtime/io/registration.js';
import type { SocketStream } from './socket_stream.js';

/** @internal */
export abstract class ConnectFuture<S extends SocketStream> extends Future<S> {
  private stream: S | null = null;
  private done = false;

  /** Starts the connection (called at the first poll: futures are lazy). */
  protected abstract open(): S;
  /** Counts the established connection in the I/O driver's metrics. */
  protected abstract countConnected(reg: Registration): void;

  poll(cx: Context): Poll<S> {
    if (this.done) throw new Error('connect future polled after it completed');
    let s = this.stream;
    if (s === null) s = this.stream = this.open();
    const reg = s.reg;
    if ((reg.readiness & ERROR) !== 0) {
      this.done = true;
      s.close();
      throw reg.error!;
    }
    if (!s.socket.connecting && !s.socket.pending && !s.socket.destroyed) {
      if (!pollProceed(cx)) return Pending;
      this.done = true;
      this.countConnected(reg);
      reg.readiness |= WRITABLE;
      return s;
    }
    reg.registerWriter(cx);
    return Pending;
  }

  override drop(): void {
    if (this.done) return;
    this.done = true;
    this.stream?.close();
  }
}
