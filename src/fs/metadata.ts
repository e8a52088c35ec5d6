/**
 * `Metadata` and `FileType`: what `metadata`, `symlinkMetadata`, `File.metadata` and
 * `DirEntry.fileType` return, in Tokio's (std's) vocabulary over Node's `fs.Stats`.
 *
 * Invariant: exactly one of `isFile()`, `isDir()`, `isSymlink()` is true for a regular file,
 * directory or symlink; others (FIFO, socket, device) answer false to all three and are told
 * apart by `stats`. Proved by test/fs/helpers.test.ts.
 * @module
 */
import type { Dirent, Stats } from 'node:fs';

/**
 * The kind of a file system entry.
 *
 * @example
 * ```ts
 * const t = yield* entry.fileType();
 * if (t.isDir()) console.log(`${entry.name}/`);
 * ```
 */
export class FileType {
  /** @internal */
  constructor(private readonly src: Stats | Dirent) {}
  /** True for a regular file. */
  isFile(): boolean {
    return this.src.isFile();
  }
  /** True for a directory. */
  isDir(): boolean {
    return this.src.isDirectory();
  }
  /** True for a symbolic link (only seen through `symlinkMetadata` or a directory listing). */
  isSymlink(): boolean {
    return this.src.isSymbolicLink();
  }
  /** True for a FIFO (named pipe). */
  isFifo(): boolean {
    return this.src.isFIFO();
  }
  /** True for a Unix domain socket. */
  isSocket(): boolean {
    return this.src.isSocket();
  }
  /** True for a block or character device. */
  isDevice(): boolean {
    return this.src.isBlockDevice() || this.src.isCharacterDevice();
  }
}

/**
 * Metadata of a file: size, kind, permissions and times.
 *
 * @example
 * ```ts
 * const m = yield* metadata('Cargo.toml');
 * console.log(m.len, m.isFile(), (m.permissions & 0o777).toString(8), m.modified);
 * ```
 */
export class Metadata {
  /** @internal */
  constructor(
    /** Node's stats, for everything not mirrored here (ino, dev, nlink, blocks, ...). */
    readonly stats: Stats,
  ) {}
  /** Size in bytes. */
  get len(): number {
    return this.stats.size;
  }
  /** The mode bits (type and permissions; `& 0o7777` for the permissions). */
  get permissions(): number {
    return this.stats.mode & 0o7777;
  }
  /** True when no write permission bit is set (std's `Permissions::readonly`). */
  get readonly(): boolean {
    return (this.stats.mode & 0o222) === 0;
  }
  /** Last modification time. */
  get modified(): Date {
    return this.stats.mtime;
  }
  /** Last access time. */
  get accessed(): Date {
    return this.stats.atime;
  }
  /** Creation (birth) time, where the file system records it. */
  get created(): Date {
    return this.stats.birthtime;
  }
  /** The kind of the entry. */
  fileType(): FileType {
    return new FileType(this.stats);
  }
  /** True for a regular file. */
  isFile(): boolean {
    return this.stats.isFile();
  }
  /** True for a directory. */
  isDir(): boolean {
    return this.stats.isDirectory();
  }
  /** True for a symbolic link (only from `symlinkMetadata`). */
  isSymlink(): boolean {
    return this.stats.isSymbolicLink();
  }
}
