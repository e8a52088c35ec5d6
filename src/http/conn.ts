/**
 * `Conn`: the state of one HTTP connection, shared by its connection task, the request's body
 * reader and the server's sweeper.
 *
 * Invariants (test/http/server.test.ts, test/http/limits.test.ts):
 * - Exactly one party reads the socket at a time: the request's body reader while the body is
 *   incomplete (so a slow handler slows the upload: nothing is read ahead of it), otherwise the
 *   connection task (which then sees EOF at once when the client leaves).
 * - `buf[off..]` holds every byte received and not yet consumed; a read chunk becomes `buf`
 *   itself when nothing is left over (no copy on the common path).
 * - `phase` and `since` are what the sweeper judges timeouts by: HEAD since the head's first
 *   byte (or the accept), IDLE since the last response, ACTIVE since the head arrived.
 * - `closed` becomes true once, when the socket closed or the connection was killed; the
 *   connection task's waker is then woken.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import type { TcpStream } from '../net/tcp.js';
import { BodyDecoder } from './chunked.js';
import { HeadParser } from './parser.js';
import { errorResponse } from './serialize.js';

export const IDLE = 0;
export const HEAD = 1;
export const ACTIVE = 2;

const EMPTY = Buffer.alloc(0);
const CONN: unique symbol = Symbol('kyoto.http.conn');
type ConnSocket = TcpStream['socket'] & { [CONN]?: Conn };

function onSocketClose(this: ConnSocket): void {
  this[CONN]?.markClosed();
}

/** What the connection needs from its server (kept small to avoid an import cycle). */
export interface ConnHost {
  /** The server's coarse clock (ms), advanced by the sweeper. */
  now: number;
  readonly maxHeaderBytes: number;
}

/** @internal */
export class Conn {
  buf: Buffer = EMPTY;
  off = 0;
  readonly parser: HeadParser;
  readonly decoder = new BodyDecoder();
  phase = HEAD;
  since: number;
  /** Head received at (server clock), for requestTimeoutMs. */
  requestStart = 0;
  closed = false;
  /** The server ended the connection with a status of its own (408): already counted. */
  answered = false;
  /** The request body is not complete and belongs to the handler's reads. */
  bodyOpen = false;
  upgraded = false;
  /** The connection must close after the current response. */
  closeAfter = false;
  /** The request asked for 100-continue and it was not sent yet. */
  continuePending = false;
  /** The last request task's name and the method and target it was made of. */
  taskName = '';
  nameMethod = '';
  nameTarget = '';
  private waker: Waker | null = null;
  private readonly fill = new FillFuture(this);

  constructor(
    readonly host: ConnHost,
    readonly stream: TcpStream,
  ) {
    this.parser = new HeadParser(host.maxHeaderBytes);
    this.since = host.now;
    (stream.socket as ConnSocket)[CONN] = this;
    stream.socket.on('close', onSocketClose);
  }

  /** Bytes received and not consumed. */
  get buffered(): number {
    return this.buf.length - this.off;
  }

  append(chunk: Buffer): void {
    if (this.off >= this.buf.length) {
      this.buf = chunk;
      this.off = 0;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.off), chunk]);
      this.off = 0;
    }
  }

  /** Remembers the waker of whoever must hear about `closed` (the connection task). */
  watch(cx: Context): void {
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
  }

  wake(): void {
    this.waker?.wakeByRef();
  }

  markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
  }

  /** Ends the connection now; with a status, answers it first (408 on timeouts). */
  kill(status?: number): void {
    if (this.closed) return;
    const s = this.stream.socket;
    if (status !== undefined) this.answered = true;
    if (status !== undefined && !s.destroyed && s.writable) {
      s.end(errorResponse(status));
      s.destroySoon();
    } else s.destroy();
    this.markClosed();
  }

  /**
   * True once the client is gone. While the body is not the handler's to read, reads ahead
   * (at most `maxHeaderBytes` of pipelined bytes) so an EOF is seen at once; registers `cx`.
   */
  pollGone(cx: Context): boolean {
    if (this.closed) return true;
    if (!this.bodyOpen && !this.upgraded) {
      while (this.buf.length - this.off < this.host.maxHeaderBytes) {
        let r: Poll<boolean>;
        try {
          r = this.pollFill(cx);
        } catch {
          r = false;
        }
        if (r === Pending) return false;
        if (!r) {
          this.markClosed();
          return true;
        }
      }
    }
    this.watch(cx);
    return false;
  }

  /** A future: true once more bytes were appended, false at EOF or close. */
  more(): Future<boolean> {
    return this.fill;
  }

  /** Polls one socket read into the buffer: true (bytes), false (EOF/closed), or Pending. */
  pollFill(cx: Context): Poll<boolean> {
    if (this.closed) return false;
    const chunk = this.stream.readChunk().poll(cx);
    if (chunk === Pending) {
      this.watch(cx);
      return Pending;
    }
    if (chunk === null) return false;
    if (this.phase === IDLE) {
      this.phase = HEAD;
      this.since = this.host.now;
    }
    this.append(chunk);
    return true;
  }
}

class FillFuture extends Future<boolean> {
  constructor(private readonly c: Conn) {
    super();
  }
  poll(cx: Context): Poll<boolean> {
    try {
      return this.c.pollFill(cx);
    } catch {
      return false; // a reset connection is an EOF to the HTTP layer
    }
  }
}
