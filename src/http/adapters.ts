/**
 * Body adapters: an `AsyncRead` (poll-based or future-based) and a web `ReadableStream` (the
 * body of a global Fetch `Response`) as kyoto `Stream<Uint8Array>`, so the response writer has
 * one body shape to drive.
 *
 * Invariants (test/http/server.test.ts): each yields the source's bytes in order and ends at
 * its EOF; `drop()` releases the source (a pending read is dropped, a web stream is cancelled).
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { Done, Stream, type StreamPoll } from '../stream/stream.js';
import type { BodyReader } from './response.js';

/** Bytes asked of an `AsyncRead` per read. */
const READ_SIZE = 16 * 1024;

/** @internal an AsyncRead as a stream of chunks. */
export class ReaderStream extends Stream<Uint8Array> {
  private buf: Buffer | null = null;
  private fut: Future<number> | null = null;

  constructor(private readonly r: BodyReader) {
    super();
  }

  pollNext(cx: Context): StreamPoll<Uint8Array> {
    const buf = (this.buf ??= Buffer.allocUnsafe(READ_SIZE));
    let n: Poll<number>;
    if ('pollRead' in this.r) n = this.r.pollRead(cx, buf);
    else {
      const f = (this.fut ??= this.r.read(buf));
      n = f.poll(cx);
      if (n !== Pending) this.fut = null;
    }
    if (n === Pending) return Pending;
    if (n === 0) return Done;
    this.buf = null; // handed out: the next read gets a fresh buffer
    return buf.subarray(0, n);
  }

  override drop(): void {
    this.fut?.drop();
    this.fut = null;
  }
}

/** @internal a web ReadableStream of bytes as a kyoto stream. */
export class WebStream extends Stream<Uint8Array> {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private inFlight = false;
  private result: { done: boolean; value?: Uint8Array | undefined } | null = null;
  private error: unknown = undefined;
  private failed = false;
  private waker: Waker | null = null;

  constructor(rs: ReadableStream<Uint8Array>) {
    super();
    this.reader = rs.getReader();
  }

  pollNext(cx: Context): StreamPoll<Uint8Array> {
    if (this.failed) throw this.error;
    const r = this.result;
    if (r !== null) {
      this.result = null;
      if (r.done || r.value === undefined) return Done;
      return r.value;
    }
    if (!this.inFlight) {
      this.inFlight = true;
      this.reader.read().then(
        (v) => {
          this.inFlight = false;
          this.result = v;
          this.waker?.wake();
        },
        (e: unknown) => {
          this.inFlight = false;
          this.failed = true;
          this.error = e;
          this.waker?.wake();
        },
      );
    }
    const w = cx.waker;
    if (this.waker === null || !this.waker.willWake(w)) this.waker = w.clone();
    return Pending;
  }

  override drop(): void {
    this.waker = null;
    this.reader.cancel().catch(() => {});
  }
}
