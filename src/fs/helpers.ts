/**
 * The whole-file and path helpers of `kyoto/fs`, Tokio's `tokio::fs` functions in camelCase.
 *
 * Each is a lazy future over one libuv request (`FsCall`) or one small state machine
 * (`read`, `readToString`, `write`, `copy`); failures are `IoError`s carrying Node's `code`,
 * `syscall` and `path`. Invariant: nothing touches the file system before the first poll, and a
 * helper dropped mid-flight holds no descriptor once its request returned (test/fs/cancel.test.ts).
 * Every helper is exercised, success and failure, by test/fs/helpers.test.ts.
 * @module
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Future } from '../future/future.js';
import { future } from '../future/gen_future.js';
import { FsCall } from './call.js';
import { Metadata } from './metadata.js';
import { ReadFileFuture } from './read_file.js';
import { WriteFileFuture } from './write_file.js';

/** A path: a string, or a `URL` with `file:` scheme. */
export type PathLike = string | URL;

function p(path: PathLike): string {
  return typeof path === 'string' ? path : fileURLToPath(path);
}

class StatCall extends FsCall<Metadata> {
  protected override map(v: unknown): Metadata {
    return new Metadata(v as fs.Stats);
  }
}

class ExistsCall extends FsCall<boolean> {
  protected override map(): boolean {
    return true;
  }
  protected override recover(err: NodeJS.ErrnoException): boolean {
    if (err.code === 'ENOENT') return false;
    return super.recover(err);
  }
}

/**
 * Reads the whole file into a `Buffer`.
 *
 * @example
 * ```ts
 * const bytes = yield* read('logo.png');
 * ```
 */
export function read(path: PathLike): Future<Buffer> {
  return new ReadFileFuture<Buffer>(p(path), false);
}

/**
 * Reads the whole file as UTF-8 text; invalid UTF-8 is an `IoError` with code `INVALID_DATA`.
 *
 * @example
 * ```ts
 * const config = JSON.parse(yield* readToString('config.json'));
 * ```
 */
export function readToString(path: PathLike): Future<string> {
  return new ReadFileFuture<string>(p(path), true);
}

/**
 * Creates or truncates `path` and writes `data` (a string is written as UTF-8).
 *
 * @example
 * ```ts
 * yield* write('out.txt', 'hello\n');
 * ```
 */
export function write(path: PathLike, data: Uint8Array | string): Future<void> {
  return new WriteFileFuture(p(path), typeof data === 'string' ? Buffer.from(data) : data);
}

/**
 * Copies the contents and permissions of `from` to `to` (replacing it) and returns the number
 * of bytes copied. Uses the kernel's copy (copy_file_range/sendfile), not a read/write loop.
 *
 * @example
 * ```ts
 * const n = yield* copy('a.bin', 'b.bin');
 * ```
 */
export function copy(from: PathLike, to: PathLike): Future<number> {
  const src = p(from), dst = p(to);
  return future(function* copyFile() {
    yield* new FsCall<void>('copy', src, fs.copyFile, [src, dst], dst);
    return (yield* new StatCall('copy', dst, fs.stat, [dst])).len;
  });
}

/**
 * Renames `from` to `to`, replacing `to` if it exists (same file system only).
 *
 * @example
 * ```ts
 * yield* rename('data.tmp', 'data.json');
 * ```
 */
export function rename(from: PathLike, to: PathLike): Future<void> {
  return new FsCall<void>('rename', p(from), fs.rename, [p(from), p(to)], p(to));
}

/**
 * Removes a file (not a directory).
 *
 * @example
 * ```ts
 * yield* removeFile('stale.lock');
 * ```
 */
export function removeFile(path: PathLike): Future<void> {
  return new FsCall<void>('removeFile', p(path), fs.unlink, [p(path)]);
}

/**
 * Creates one directory; its parent must exist, and it must not (`EEXIST`).
 *
 * @example
 * ```ts
 * yield* createDir('out');
 * ```
 */
export function createDir(path: PathLike): Future<void> {
  return new FsCall<void>('createDir', p(path), fs.mkdir, [p(path)]);
}

/**
 * Creates a directory and every missing parent; an existing directory is not an error.
 *
 * @example
 * ```ts
 * yield* createDirAll('out/a/b/c');
 * ```
 */
export function createDirAll(path: PathLike): Future<void> {
  return new FsCall<void>('createDirAll', p(path), fs.mkdir, [p(path), { recursive: true }]);
}

/**
 * Removes an empty directory.
 *
 * @example
 * ```ts
 * yield* removeDir('out');
 * ```
 */
export function removeDir(path: PathLike): Future<void> {
  return new FsCall<void>('removeDir', p(path), fs.rmdir, [p(path)]);
}

/**
 * Removes a directory and everything under it (it must exist: `ENOENT` otherwise).
 *
 * @example
 * ```ts
 * yield* removeDirAll('build');
 * ```
 */
export function removeDirAll(path: PathLike): Future<void> {
  return new FsCall<void>('removeDirAll', p(path), fs.rm, [p(path), { recursive: true }]);
}

/**
 * Metadata of `path`, following symlinks.
 *
 * @example
 * ```ts
 * if ((yield* metadata('big.iso')).len > 1 << 30) console.log('large');
 * ```
 */
export function metadata(path: PathLike): Future<Metadata> {
  return new StatCall('metadata', p(path), fs.stat, [p(path)]);
}

/**
 * Metadata of `path` itself, not following a symlink.
 *
 * @example
 * ```ts
 * if ((yield* symlinkMetadata('current')).isSymlink()) console.log('a link');
 * ```
 */
export function symlinkMetadata(path: PathLike): Future<Metadata> {
  return new StatCall('symlinkMetadata', p(path), fs.lstat, [p(path)]);
}

/**
 * The target a symbolic link points to.
 *
 * @example
 * ```ts
 * const target = yield* readLink('current');
 * ```
 */
export function readLink(path: PathLike): Future<string> {
  return new FsCall<string>('readLink', p(path), fs.readlink, [p(path)]);
}

/**
 * The absolute path with every symlink, `.` and `..` resolved (realpath(3)).
 *
 * @example
 * ```ts
 * const abs = yield* canonicalize('./src/../README.md');
 * ```
 */
export function canonicalize(path: PathLike): Future<string> {
  return new FsCall<string>('canonicalize', p(path), fs.realpath.native, [p(path)]);
}

/**
 * Creates `link` as a new name (hard link) for the file `original`.
 *
 * @example
 * ```ts
 * yield* hardLink('data.bin', 'data-backup.bin');
 * ```
 */
export function hardLink(original: PathLike, link: PathLike): Future<void> {
  return new FsCall<void>('hardLink', p(original), fs.link, [p(original), p(link)], p(link));
}

/**
 * Creates the symbolic link `link` pointing to `original` (which need not exist).
 *
 * @example
 * ```ts
 * yield* symlink('releases/v2', 'current');
 * ```
 */
export function symlink(original: PathLike, link: PathLike): Future<void> {
  return new FsCall<void>('symlink', p(link), fs.symlink, [p(original), p(link)], p(original));
}

/**
 * Sets the permission bits of `path` (`mode`, e.g. `0o644`).
 *
 * @example
 * ```ts
 * yield* setPermissions('run.sh', 0o755);
 * ```
 */
export function setPermissions(path: PathLike, mode: number): Future<void> {
  return new FsCall<void>('setPermissions', p(path), fs.chmod, [p(path), mode]);
}

/**
 * True when `path` exists (following symlinks), false when it does not (`ENOENT`); any other
 * failure (`EACCES`, ...) is an error, so "cannot tell" is never reported as "absent".
 *
 * @example
 * ```ts
 * if (!(yield* tryExists('cache'))) yield* createDir('cache');
 * ```
 */
export function tryExists(path: PathLike): Future<boolean> {
  return new ExistsCall('tryExists', p(path), fs.stat, [p(path)]);
}
