/**
 * The connect future shared by TCP and Unix streams: opens the socket (through the runtime's
 * transport) on first poll, completes once the transport reports it connected, throws the
 * connection error, and closes the half-open socket when dropped. Tested in test/net/tcp.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { ERROR, WRITABLE } from '../runtime/io/registration.js';
import type { SocketStream } from './socket_stream.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/** @internal */
export abstract class ConnectFuture<S extends SocketStream> extends Future<S> {
  private stream: S | null = null;
  private done = false;

  /** Starts the connection (called at the first poll: futures are lazy). */
  protected abstract open(): S;
  /** Counts the established connection in the I/O driver's metrics. */
  protected abstract countConnected(): void;

  poll(cx: Context): Poll<S> {
    if (this.done) throw new PolledAfterCompletionError('connect');
    let s = this.stream;
    if (s === null) s = this.stream = this.open();
    const reg = s.reg;
    if ((reg.readiness & ERROR) !== 0) {
      this.done = true;
      s.close();
      throw reg.error!;
    }
    const raw = s.raw;
    if (!raw.isConnecting() && !raw.isDestroyed()) {
      if (!pollProceed(cx)) return Pending;
      this.done = true;
      this.countConnected();
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
