/**
 * `readDir(path)`: a directory listing as a kyoto `Stream` of `DirEntry`.
 *
 * Entries come from `fs.opendir` with `bufferSize` {@link DIR_BATCH}: one thread-pool hop reads
 * a batch of entries. Node's `Dir.read` then hands them out one per `process.nextTick`, which
 * costs several microseconds an entry (six times `fs.readdir` for a large directory), so when the
 * hop's callback delivers the first entry of a batch the stream takes the rest of the batch from
 * the `Dir`'s buffer at once (`takeBuffered`, a private field found and checked once per process;
 * if a Node version hides it, the stream falls back to one `Dir.read` per buffered entry). The
 * stream keeps reading while fewer than a batch are queued, so the task wakes about once per
 * batch, not once per entry.
 *
 * Invariants (test/fs/dir.test.ts): every entry except `.` and `..` is yielded once, then `Done`;
 * memory is bounded by two batches whatever the directory size; the directory handle is closed at
 * the end, on error and on drop; a failure (ENOENT, ENOTDIR, EACCES) is an `IoError` thrown by the
 * first poll.
 * @module
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pending, type Context } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import type { Future } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { Done, Stream, type StreamPoll } from '../stream/stream.js';
import { FsCall } from './call.js';
import { fsError } from './error.js';
import { FileType, Metadata } from './metadata.js';

/** Entries per pool hop: 512 makes 50,000 entries about 100 hops, and two batches stay small. */
export const DIR_BATCH = 512;

class LstatCall extends FsCall<Metadata> {
  protected override map(v: unknown): Metadata {
    return new Metadata(v as fs.Stats);
  }
}

/**
 * One entry of a directory listing.
 *
 * @example
 * ```ts
 * if (entry.isDir()) console.log(`${entry.path}/`);
 * ```
 */
export class DirEntry {
  /** @internal */
  constructor(
    private readonly dirent: fs.Dirent,
    private readonly dir: string,
  ) {}
  /** The file name (no directory part). */
  get name(): string {
    return this.dirent.name;
  }
  /** The directory's path joined with `name`. */
  get path(): string {
    return join(this.dir, this.dirent.name);
  }
  /** The kind of entry, as the directory listing reports it (no extra syscall). */
  fileType(): FileType {
    return new FileType(this.dirent);
  }
  /** True for a regular file. */
  isFile(): boolean {
    return this.dirent.isFile();
  }
  /** True for a directory. */
  isDir(): boolean {
    return this.dirent.isDirectory();
  }
  /** True for a symbolic link (the link itself, not its target). */
  isSymlink(): boolean {
    return this.dirent.isSymbolicLink();
  }
  /**
   * Metadata of the entry, not following a symlink (lstat; one pool hop).
   *
   * @example
   * ```ts
   * const size = (yield* entry.metadata()).len;
   * ```
   */
  metadata(): Future<Metadata> {
    const p = this.path;
    return new LstatCall('metadata', p, fs.lstat, [p]);
  }
}

let bufferedKey: symbol | null | undefined;

/**
 * The entries a `Dir` has buffered but not yet handed out, removed from it, or null when this
 * Node version does not expose the buffer (then every entry goes through `Dir.read`).
 */
function takeBuffered(dir: fs.Dir): fs.Dirent[] | null {
  if (bufferedKey === undefined) {
    bufferedKey = Object.getOwnPropertySymbols(dir).find((k) => k.description === 'kDirBufferedEntries') ?? null;
  }
  if (bufferedKey === null) return null;
  const buf = (dir as unknown as Record<symbol, unknown>)[bufferedKey];
  if (!Array.isArray(buf)) {
    bufferedKey = null;
    return null;
  }
  return buf.length === 0 ? null : (buf.splice(0, buf.length) as fs.Dirent[]);
}

const OPENING = 1;
const OPEN = 2;
const END = 3;

/**
 * The stream `readDir` returns.
 *
 * @example
 * ```ts
 * const names = yield* readDir('.').map((e) => e.name).collect();
 * ```
 */
export class ReadDir extends Stream<DirEntry> {
  private state = 0;
  private dir: fs.Dir | null = null;
  private queue: DirEntry[] = [];
  private head = 0;
  private reading = false;
  private error: Error | null = null;
  private readonly waker = new WakerSlot();
  private readonly onEntry = (err: Error | null, d: fs.Dirent | null): void => this.entry(err, d);

  /** @internal */
  constructor(readonly path: string) {
    super();
  }

  pollNext(cx: Context): StreamPoll<DirEntry> {
    if (this.head < this.queue.length) {
      if (!pollProceed(cx)) return Pending;
      const e = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as DirEntry;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      if (!this.reading && this.state === OPEN) this.readMore();
      return e;
    }
    if (this.error !== null) {
      const e = this.error;
      this.error = null;
      throw e;
    }
    if (this.state === END) return Done;
    this.waker.register(cx);
    if (this.state === 0) {
      this.state = OPENING;
      fs.opendir(this.path, { bufferSize: DIR_BATCH }, (err, dir) => this.opened(err, dir));
    }
    return Pending;
  }

  private opened(err: Error | null, dir: fs.Dir): void {
    if (this.state === END) {
      if (err === null) dir.close(ignore);
      return;
    }
    if (err !== null) return this.fail(err);
    this.dir = dir;
    this.state = OPEN;
    this.readMore();
  }

  private readMore(): void {
    this.reading = true;
    this.dir!.read(this.onEntry);
  }

  private entry(err: Error | null, d: fs.Dirent | null): void {
    this.reading = false;
    if (this.state === END) return;
    if (err !== null) return this.fail(err);
    if (d === null) {
      this.state = END;
      this.closeDir();
    } else {
      this.queue.push(new DirEntry(d, this.path));
      const rest = takeBuffered(this.dir!);
      if (rest !== null) for (const r of rest) this.queue.push(new DirEntry(r, this.path));
      if (this.queue.length - this.head < DIR_BATCH) this.readMore();
    }
    this.waker.wake();
  }

  private fail(err: Error): void {
    this.error = fsError(err, 'readDir', this.path);
    this.closeDir();
    this.state = END; // pollNext throws the error first, then ends
    this.waker.wake();
  }

  private closeDir(): void {
    const d = this.dir;
    this.dir = null;
    if (d !== null) d.close(ignore);
  }

  /** Closes the directory handle (at once, or when the read in flight returns). */
  override drop(): void {
    this.waker.clear();
    this.queue.length = 0;
    this.head = 0;
    this.state = END;
    this.closeDir();
  }
}

function ignore(): void {}

/**
 * The entries of directory `path` (without `.` and `..`), read in batches.
 *
 * @example
 * ```ts
 * const entries = readDir('/etc');
 * for (let e = yield* entries.next(); e !== undefined; e = yield* entries.next()) console.log(e.name);
 * ```
 */
export function readDir(path: string | URL): ReadDir {
  return new ReadDir(typeof path === 'string' ? path : fileURLToPath(path));
}

