/**
 * `FileCore`: the buffered, poll-based byte engine under `File` (AsyncRead + AsyncWrite over a
 * descriptor, every syscall a libuv thread-pool request).
 *
 * Reads go through a read-ahead buffer filled by requests of at least {@link READ_AHEAD} bytes,
 * so a `BufReader` asking for 8 KiB, or a parser asking for 10 bytes, does not pay one pool hop
 * per call (Tokio's File pays exactly that). Writes are copied into a fill buffer and accepted at
 * once; one write request is in flight at a time and the next buffer fills meanwhile (write
 * behind, coalescing small writes), so a copy loop overlaps its reads with its writes. The
 * logical cursor `pos` is kept here and every request is positional (pread/pwrite), because Node
 * has no lseek: a seek is then just a new `pos`.
 *
 * Invariants (test/fs/file.test.ts, test/fs/cancel.test.ts):
 * - `pos` is the offset after the last byte handed to a reader or accepted from a writer; bytes
 *   read ahead are not counted until handed out, so dropping a read future loses nothing and
 *   moves nothing.
 * - At most one request is in flight; reads wait for buffered writes to be written first, and a
 *   write discards unread read-ahead (the cursor already says where the next byte goes).
 * - A failed background write is reported once, by the next write, flush, seek or close; bytes
 *   accepted after it are discarded with it.
 * @module
 */
import * as fs from 'node:fs';
import { Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { pollProceed } from '../runtime/coop.js';
import { IoError } from '../io/error.js';
import { fsError } from './error.js';
import { AsyncWriteMethods } from '../io/write_methods.js';

/** Smallest read request: 256 KiB is four 64 KiB copy chunks per pool hop (a hop costs ~20 µs). */
export const READ_AHEAD = 256 * 1024;
/** Largest single request, as Tokio's `DEFAULT_MAX_BUF_SIZE`: bounds memory per file. */
export const MAX_BUF = 2 * 1024 * 1024;
/** Write-behind buffer: writes up to this size coalesce into one request. */
export const WRITE_BUF = 256 * 1024;
/**
 * Largest write-behind buffer. A file read or written as a stream doubles its request size
 * each time a request was filled to the brim (read) or the buffer filled while a request was in
 * flight (write), so a copy of a large file ends up with few, large requests while a file used
 * for small random access keeps small buffers.
 */
export const MAX_WRITE_BUF = 1024 * 1024;

function ignore(): void {}

/**
 * The engine of `File`; use `File`.
 *
 * @example
 * ```ts
 * const n = file.pollRead(cx, buf); // number or Pending
 * ```
 */
export class FileCore extends AsyncWriteMethods {
  /** @internal the descriptor, -1 once closed. */
  fd: number;
  /** @internal logical cursor (see the module invariants). */
  pos = 0;
  /** @internal false for pipes and devices (ESPIPE): requests then use the kernel's offset. */
  seekable = true;
  /** @internal the file was opened with O_APPEND: writes go to the end whatever `pos` says. */
  readonly append: boolean;
  /** @internal no new operation may start (close requested or done). */
  closing = false;

  private rbuf: Buffer | null = null;
  private readSize = READ_AHEAD;
  private lastReadSize = 0;
  private writeSize = WRITE_BUF;
  private rstart = 0;
  private rend = 0;
  private reading = false;
  private readEof = false;
  private readErr: Error | null = null;

  private wfill: Buffer | null = null;
  private wlen = 0;
  private wfillOff = 0;
  private wspare: Buffer | null = null;
  private wflight: Buffer | null = null;
  private wflightLen = 0;
  private wflightDone = 0;
  private wflightOff = 0;
  private writing = false;
  private writeErr: Error | null = null;

  private readonly readWaker = new WakerSlot();
  private readonly writeWaker = new WakerSlot();
  private onIdle: (() => void) | null = null;
  private readonly onRead: (err: NodeJS.ErrnoException | null, n: number) => void;
  private readonly onWrite: (err: NodeJS.ErrnoException | null, n: number) => void;

  constructor(
    fd: number,
    /** The path the file was opened with. */
    readonly path: string,
    append: boolean,
  ) {
    super();
    this.fd = fd;
    this.append = append;
    this.onRead = (err, n) => this.readDone(err, n);
    this.onWrite = (err, n) => this.writeDone(err, n);
  }

  /** @internal true while a request is in flight or written bytes wait in a buffer. */
  busy(): boolean {
    return this.reading || this.writing || this.wlen > 0;
  }

  /** @internal throws unless the file is open. */
  checkOpen(op: string): void {
    if (this.closing) throw new IoError('CLOSED', `${op} ${this.path} failed: file is closed`, { path: this.path });
  }

  /**
   * AsyncRead: reads up to `buf.length` bytes at the cursor; 0 at end of file.
   *
   * @example
   * ```ts
   * const n = file.pollRead(cx, buf); if (n === Pending) return Pending;
   * ```
   */
  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    this.checkOpen('read');
    for (;;) {
      if (this.rend > this.rstart) {
        if (!pollProceed(cx)) return Pending;
        const n = Math.min(buf.length, this.rend - this.rstart);
        buf.set(this.rbuf!.subarray(this.rstart, this.rstart + n));
        this.rstart += n;
        this.pos += n;
        return n;
      }
      if (this.readErr !== null) {
        const e = this.readErr;
        this.readErr = null;
        throw e;
      }
      if (this.readEof) {
        this.readEof = false;
        return 0;
      }
      if (buf.length === 0) return 0;
      if (this.wlen > 0 || this.writing) {
        const f = this.pollFlush(cx);
        if (f === Pending) return Pending;
        continue;
      }
      if (!this.reading) this.startRead(buf.length);
      this.readWaker.register(cx);
      return Pending;
    }
  }

  private startRead(want: number): void {
    const size = Math.min(MAX_BUF, Math.max(want, this.readSize));
    this.lastReadSize = size;
    if (this.rbuf === null || this.rbuf.length < size) this.rbuf = Buffer.allocUnsafeSlow(size);
    this.rstart = 0;
    this.rend = 0;
    this.reading = true;
    fs.read(this.fd, this.rbuf, 0, size, this.seekable ? this.pos : null, this.onRead);
  }

  private readDone(err: NodeJS.ErrnoException | null, n: number): void {
    this.reading = false;
    if (err !== null) {
      if (err.code === 'ESPIPE' && this.seekable) {
        this.seekable = false;
        this.reading = true;
        fs.read(this.fd, this.rbuf!, 0, this.rbuf!.length, null, this.onRead);
        return;
      }
      this.readErr = fsError(err, 'read', this.path);
    } else if (n === 0) this.readEof = true;
    else {
      this.rend = n;
      if (n === this.lastReadSize && this.readSize < MAX_BUF) this.readSize *= 2;
    }
    this.settled();
  }

  /**
   * AsyncWrite: copies a prefix of `buf` into the write-behind buffer and returns its length;
   * Pending while a full buffer waits for the request in flight.
   *
   * @example
   * ```ts
   * const n = file.pollWrite(cx, chunk); if (n === Pending) return Pending;
   * ```
   */
  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    this.checkOpen('write');
    this.throwWriteError();
    if (this.reading) {
      this.writeWaker.register(cx);
      return Pending;
    }
    if (this.seekable) this.rstart = this.rend = 0;
    if (buf.length === 0) return 0;
    if (this.wlen === 0) {
      if (this.wfill === null || this.wfill.length < this.writeSize) {
        this.wfill = this.wspare !== null && this.wspare.length >= this.writeSize ? this.wspare : Buffer.allocUnsafeSlow(this.writeSize);
      }
      if (this.wfill === this.wspare) this.wspare = null;
      this.wfillOff = this.pos;
    }
    const room = this.wfill!.length - this.wlen;
    if (room === 0) {
      if (this.writeSize < MAX_WRITE_BUF) this.writeSize *= 2;
      this.writeWaker.register(cx);
      return Pending;
    }
    if (!pollProceed(cx)) return Pending;
    const n = Math.min(room, buf.length);
    this.wfill!.set(n === buf.length ? buf : buf.subarray(0, n), this.wlen);
    this.wlen += n;
    this.pos += n;
    if (!this.writing) this.startWrite();
    return n;
  }

  private throwWriteError(): void {
    const e = this.writeErr;
    if (e !== null) {
      this.writeErr = null;
      throw e;
    }
  }

  private startWrite(): void {
    const b = this.wfill!;
    this.wfill = this.wflight;
    this.wflight = b;
    this.wflightLen = this.wlen;
    this.wflightDone = 0;
    this.wflightOff = this.wfillOff;
    this.wlen = 0;
    this.writing = true;
    this.writeMore();
  }

  private writeMore(): void {
    const at = this.seekable && !this.append ? this.wflightOff + this.wflightDone : null;
    fs.write(this.fd, this.wflight!, this.wflightDone, this.wflightLen - this.wflightDone, at, this.onWrite);
  }

  private writeDone(err: NodeJS.ErrnoException | null, n: number): void {
    if (err !== null) {
      if (err.code === 'ESPIPE' && this.seekable) {
        this.seekable = false;
        return this.writeMore();
      }
      this.writing = false;
      this.writeErr = fsError(err, 'write', this.path);
      this.wlen = 0;
      return this.settled();
    }
    this.wflightDone += n;
    if (this.wflightDone < this.wflightLen) return this.writeMore();
    this.writing = false;
    if (this.wlen > 0) this.startWrite();
    this.settled();
  }

  /**
   * AsyncWrite: Ready once every accepted byte was written to the descriptor (no fsync; see
   * `syncAll`).
   *
   * @example
   * ```ts
   * if (file.pollFlush(cx) === Pending) return Pending;
   * ```
   */
  pollFlush(cx: Context): Poll<void> {
    this.throwWriteError();
    if (this.wlen > 0 && !this.writing) this.startWrite();
    if (this.writing) {
      this.writeWaker.register(cx);
      return Pending;
    }
    return undefined;
  }

  /**
   * AsyncWrite: files have no half-close, so shutting down is flushing (as in Tokio).
   *
   * @example
   * ```ts
   * if (file.pollShutdown(cx) === Pending) return Pending;
   * ```
   */
  pollShutdown(cx: Context): Poll<void> {
    return this.pollFlush(cx);
  }

  /**
   * @internal Ready once nothing is in flight and nothing is buffered for writing (the state
   * seek, setLen, sync, metadata and close need). Read-ahead is discarded.
   */
  pollIdle(cx: Context, op: string): Poll<void> {
    this.checkOpen(op);
    if (this.pollFlush(cx) === Pending) return Pending;
    if (this.reading) {
      this.readWaker.register(cx);
      return Pending;
    }
    if (this.seekable) this.rstart = this.rend = 0;
    this.readEof = false;
    this.readSize = READ_AHEAD;
    return undefined;
  }

  /**
   * @internal Closes the descriptor once in-flight and buffered writes are done, without a task
   * (for `Symbol.dispose` / `Symbol.asyncDispose`); `done` gets the first error, if any.
   */
  closeSoon(done: (err: Error | null) => void): void {
    if (this.fd < 0) return done(null);
    this.closing = true;
    this.onIdle = () => {
      if (this.busy()) {
        if (this.wlen > 0 && !this.writing) this.startWrite();
        return;
      }
      this.onIdle = null;
      const fd = this.fd;
      this.fd = -1;
      const pending = this.writeErr;
      this.writeErr = null;
      fs.close(fd, (err) => done(pending ?? (err === null ? null : fsError(err, 'close', this.path))));
    };
    this.onIdle();
  }

  /** @internal forgets the descriptor after the caller closed it. */
  markClosed(): void {
    this.fd = -1;
    this.closing = true;
    this.rbuf = this.wfill = this.wspare = this.wflight = null;
  }

  private settled(): void {
    if (!this.writing && this.wflight !== null) {
      this.wspare ??= this.wflight;
      this.wflight = null;
    }
    if (this.onIdle !== null) this.onIdle();
    this.readWaker.wake();
    this.writeWaker.wake();
  }
}

/** @internal closes a descriptor nobody will use, ignoring the outcome. */
export function closeQuietly(fd: number): void {
  fs.close(fd, ignore);
}
