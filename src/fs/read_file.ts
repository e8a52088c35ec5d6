/**
 * `ReadFileFuture`: the whole-file read behind `read(path)` and `readToString(path)`.
 *
 * A `WholeFileFuture` (`whole_file.ts`) chain of raw libuv requests: open, fstat, read until
 * the size fstat reported (or, for files that report size 0 such as /proc entries, 64 KiB chunks
 * until EOF), then close.
 * The close is not waited for: the bytes are complete once the last read returned, and a close
 * error on a read-only descriptor carries no information (Tokio ignores it on drop too), so the
 * caller gets its data one pool hop earlier than with `fs.promises.readFile`.
 *
 * Invariants (test/fs/cancel.test.ts): the descriptor is closed exactly once on every path —
 * success, error, and drop at any step (a drop during a request closes the descriptor when that
 * request returns and issues no further read); nothing starts before the first poll.
 * @module
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { fsError, fsOwnError } from './error.js';
import { DONE, FAILED, IDLE, OPENING, WholeFileFuture, ignore, type RequestCb } from './whole_file.js';

const STATING = 2;
const READING = 3;

/** Chunk for files whose size is unknown (procfs, FIFOs): Node's own readFile uses 64 KiB too. */
const UNKNOWN_SIZE_CHUNK = 64 * 1024;

/**
 * Reads a whole file as bytes (`asString` false) or as UTF-8 text (`asString` true; invalid
 * UTF-8 is an `IoError` `INVALID_DATA`, as in Tokio).
 *
 * @example
 * ```ts
 * const text = yield* new ReadFileFuture<string>('notes.txt', true);
 * ```
 */
export class ReadFileFuture<T extends Buffer | string> extends WholeFileFuture<T> {
  private buf: Buffer | null = null;
  private filled = 0;
  private chunks: Buffer[] | null = null;

  constructor(
    path: string,
    private readonly asString: boolean,
  ) {
    super(path, 'fs read');
  }

  protected open(cb: RequestCb): void {
    fs.open(this.path, 'r', cb);
  }

  protected output(): T {
    let b = this.buf!;
    if (this.filled < b.length) b = b.subarray(0, this.filled);
    this.buf = null;
    if (!this.asString) return b as T;
    if (!isUtf8(b)) throw fsOwnError('INVALID_DATA', 'readToString', this.path, 'stream did not contain valid UTF-8');
    return b.toString('utf8') as T;
  }

  protected step(err: NodeJS.ErrnoException | null, v: unknown): void {
    if (this.dropped) {
      if (this.state === OPENING && err === null) fs.close(v as number, ignore);
      else this.closeFd();
      return;
    }
    if (err !== null) return this.fail(err);
    switch (this.state) {
      case OPENING:
        this.fd = v as number;
        this.state = STATING;
        fs.fstat(this.fd, this.cb!);
        return;
      case STATING: {
        const size = (v as fs.Stats).size;
        if (size > 0) this.buf = Buffer.allocUnsafe(size);
        else {
          this.chunks = [];
          this.buf = Buffer.allocUnsafe(UNKNOWN_SIZE_CHUNK);
        }
        this.state = READING;
        this.readMore();
        return;
      }
      case READING: {
        const n = v as number;
        this.filled += n;
        const buf = this.buf!;
        if (this.chunks === null) {
          if (n === 0 || this.filled === buf.length) return this.finish();
        } else if (n === 0) {
          this.chunks.push(buf.subarray(0, this.filled));
          this.buf = Buffer.concat(this.chunks);
          this.filled = this.buf.length;
          return this.finish();
        } else if (this.filled === buf.length) {
          this.chunks.push(buf);
          this.buf = Buffer.allocUnsafe(UNKNOWN_SIZE_CHUNK);
          this.filled = 0;
        }
        this.readMore();
        return;
      }
    }
  }

  private readMore(): void {
    const buf = this.buf!;
    fs.read(this.fd, buf, this.filled, buf.length - this.filled, null, this.cb!);
  }

  private finish(): void {
    this.closeFd();
    this.state = DONE;
    this.wake();
  }

  private fail(err: NodeJS.ErrnoException): void {
    this.closeFd();
    this.buf = null;
    this.chunks = null;
    this.error = fsError(err, this.asString ? 'readToString' : 'read', this.path);
    this.state = FAILED;
    this.wake();
  }

  private closeFd(): void {
    if (this.fd >= 0) {
      fs.close(this.fd, ignore);
      this.fd = -1;
    }
  }

  override drop(): void {
    super.drop();
    this.buf = null;
    this.chunks = null;
    // Nothing in flight: release now; otherwise the request's callback releases (see step).
    if (this.state === IDLE || this.state === DONE || this.state === FAILED) this.closeFd();
  }
}
