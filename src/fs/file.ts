/**
 * `File`: an open file as kyoto I/O — `AsyncRead` and `AsyncWrite` (see `FileCore` for the
 * buffering), plus Tokio's `File` methods as futures.
 *
 * Invariants (test/fs/file.test.ts, test/fs/cancel.test.ts): the operations that need a quiet
 * descriptor (`seek`, `setLen`, `syncAll`, `syncData`, `metadata`, `close`) first write every
 * accepted byte and wait for a read in flight, so they observe every earlier write; after
 * `close()` (or disposal) every operation fails with `IoError` `CLOSED`; the descriptor is
 * closed exactly once.
 * @module
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import type { AsyncRead, AsyncWrite } from '../io/traits.js';
import { ReadFuture } from '../io/util/read.js';
import { FsCall } from './call.js';
import { fsOwnError } from './error.js';
import { FileCore } from './file_core.js';
import { Metadata } from './metadata.js';
import { closeQuietly } from './file_core.js';

/**
 * Where `seek` moves the cursor: an offset from the start, from the current position, or from
 * the end of the file.
 *
 * @example
 * ```ts
 * yield* file.seek({ end: -16 }); // the last 16 bytes
 * ```
 */
export type SeekFrom = { start: number } | { current: number } | { end: number };

/** Waits for a quiet descriptor, then runs one request (`start`) and maps its value. */
class IdleThen<T> extends Future<T> {
  private call: Future<T> | null = null;
  constructor(
    private readonly file: File,
    private readonly op: string,
    private readonly start: (file: File) => Future<T>,
  ) {
    super();
  }
  poll(cx: Context): Poll<T> {
    if (this.call === null) {
      if (this.file.pollIdle(cx, this.op) === Pending) return Pending;
      this.call = this.start(this.file);
    }
    return this.call.poll(cx);
  }
  override drop(): void {
    this.call?.drop();
  }
}

class FstatCall extends FsCall<Metadata> {
  protected override map(v: unknown): Metadata {
    return new Metadata(v as fs.Stats);
  }
}

class SeekEndCall extends FsCall<number> {
  constructor(
    private readonly file: File,
    private readonly delta: number,
  ) {
    super('seek', file.path, fs.fstat, [file.fd]);
  }
  protected override map(v: unknown): number {
    return this.file.moveTo((v as fs.Stats).size + this.delta);
  }
}

class CloseCall extends FsCall<void> {
  constructor(file: File) {
    super('close', file.path, fs.close, [file.fd]);
    file.markClosed();
  }
}

function readyFuture<T>(v: T): Future<T> {
  return new (class extends Future<T> {
    poll(): T {
      return v;
    }
  })();
}

/**
 * An open file. Reads are served from a read-ahead buffer and writes are buffered and written
 * behind, so many small operations cost few thread-pool hops; `flush()` (or `close()`) waits for
 * buffered writes. `using f = yield* File.open(p)` closes it at the end of the block; `yield*
 * f.close()` does too and reports a failed write or close.
 *
 * @example
 * ```ts
 * using f = yield* File.open('input.txt');
 * const lines = new BufReader(f).lines();
 * for (let l = yield* lines.next(); l !== Done; l = yield* lines.next()) console.log(l);
 * ```
 */
export class File extends FileCore implements AsyncRead, AsyncWrite, Disposable, AsyncDisposable {
  /**
   * Opens `path` read-only (`new OpenOptions()` for other modes).
   *
   * @example
   * ```ts
   * const f = yield* File.open('data.bin');
   * ```
   */
  static open(path: string | URL): Future<File> {
    return openFile(path, C.O_RDONLY, 0o666);
  }

  /**
   * Opens `path` write-only, creating it or truncating it.
   *
   * @example
   * ```ts
   * const f = yield* File.create('out.txt');
   * ```
   */
  static create(path: string | URL): Future<File> {
    return openFile(path, C.O_WRONLY | C.O_CREAT | C.O_TRUNC, 0o666);
  }

  /**
   * Creates `path` for reading and writing, failing with `EEXIST` if it exists.
   *
   * @example
   * ```ts
   * const lock = yield* File.createNew('app.lock');
   * ```
   */
  static createNew(path: string | URL): Future<File> {
    return openFile(path, C.O_RDWR | C.O_CREAT | C.O_EXCL, 0o666);
  }

  /**
   * Reads up to `buf.length` bytes at the cursor; 0 at end of file.
   *
   * @example
   * ```ts
   * const n = yield* f.read(buf);
   * ```
   */
  read(buf: Uint8Array): Future<number> {
    return new ReadFuture(this, buf);
  }




  /**
   * Moves the cursor and returns the new offset from the start. Buffered writes are written
   * first; read-ahead is discarded.
   *
   * @example
   * ```ts
   * const end = yield* f.seek({ end: 0 });
   * ```
   */
  seek(to: SeekFrom): Future<number> {
    return new IdleThen(this, 'seek', (f) => {
      if ('end' in to) return new SeekEndCall(f, to.end);
      return readyFuture(f.moveTo('start' in to ? to.start : f.pos + to.current));
    });
  }

  /** @internal sets the cursor (after the file went quiet), refusing a negative offset. */
  moveTo(pos: number): number {
    if (!Number.isSafeInteger(pos) || pos < 0) {
      throw fsOwnError('EINVAL', 'seek', this.path, `invalid offset ${pos}: before the start of the file or not an integer`);
    }
    if (!this.seekable) throw fsOwnError('ESPIPE', 'seek', this.path, 'the file is not seekable');
    this.pos = pos;
    return pos;
  }

  /**
   * Truncates or extends the file to `len` bytes; the cursor does not move.
   *
   * @example
   * ```ts
   * yield* f.setLen(0);
   * ```
   */
  setLen(len: number): Future<void> {
    return new IdleThen(this, 'setLen', (f) => new FsCall<void>('setLen', f.path, fs.ftruncate, [f.fd, len]));
  }

  /**
   * Writes buffered bytes, then fsync(2): data and metadata reach the disk.
   *
   * @example
   * ```ts
   * yield* f.syncAll();
   * ```
   */
  syncAll(): Future<void> {
    return new IdleThen(this, 'syncAll', (f) => new FsCall<void>('syncAll', f.path, fs.fsync, [f.fd]));
  }

  /**
   * Writes buffered bytes, then fdatasync(2): data reaches the disk (metadata maybe not).
   *
   * @example
   * ```ts
   * yield* f.syncData();
   * ```
   */
  syncData(): Future<void> {
    return new IdleThen(this, 'syncData', (f) => new FsCall<void>('syncData', f.path, fs.fdatasync, [f.fd]));
  }

  /**
   * Metadata of the open file (after buffered writes were written, so `len` counts them).
   *
   * @example
   * ```ts
   * const size = (yield* f.metadata()).len;
   * ```
   */
  metadata(): Future<Metadata> {
    return new IdleThen(this, 'metadata', (f) => new FstatCall('metadata', f.path, fs.fstat, [f.fd]));
  }

  /**
   * Writes buffered bytes and closes the descriptor; reports a failed write or close.
   *
   * @example
   * ```ts
   * yield* f.close();
   * ```
   */
  close(): Future<void> {
    if (this.fd < 0) return readyFuture(undefined);
    return new IdleThen(this, 'close', (f) => new CloseCall(f));
  }

  /** `using`: closes once buffered writes are written (a failure is lost; prefer `close()`). */
  [Symbol.dispose](): void {
    this.closeSoon(ignoreErr);
  }

  /** `await using`: closes once buffered writes are written; rejects on a failed write or close. */
  [Symbol.asyncDispose](): Promise<void> {
    return new Promise((resolve, reject) => this.closeSoon((e) => (e === null ? resolve() : reject(e))));
  }

  /** True once the file is closed (or closing). */
  get closed(): boolean {
    return this.closing;
  }
}

function ignoreErr(): void {}

const C = fs.constants;

class OpenCall extends FsCall<File> {
  constructor(
    path: string,
    private readonly flags: number,
    mode: number,
  ) {
    super('open', path, fs.open, [path, flags, mode]);
  }
  protected override map(v: unknown): File {
    return new File(v as number, this.path, (this.flags & C.O_APPEND) !== 0);
  }
  protected override orphan(v: unknown): void {
    closeQuietly(v as number);
  }
}

/**
 * @internal Opens `path` with open(2) `flags`; a future dropped while the open is in flight
 * closes the descriptor when it arrives.
 */
export function openFile(path: string | URL, flags: number, mode: number): Future<File> {
  return new OpenCall(typeof path === 'string' ? path : fileURLToPath(path), flags, mode);
}
