/**
 * `OpenOptions`: how to open a file (std's/Tokio's builder), compiled to open(2) flags.
 *
 * Invariant: the flag rules are std's — no access mode, or `truncate`/`create`/`createNew`
 * without write access, or `append` with `truncate`, is an `IoError` `EINVAL` before any
 * syscall; `createNew` wins over `create` and `truncate` (O_CREAT|O_EXCL). Proved by
 * test/fs/file.test.ts.
 * @module
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Future } from '../future/future.js';
import { FsCall } from './call.js';
import { fsOwnError } from './error.js';
import { openFile, type File } from './file.js';

function failSoon(err: Error, cb: (e: Error) => void): void {
  process.nextTick(cb, err);
}

const C = fs.constants;

/**
 * Options and flags for opening a file.
 *
 * @example
 * ```ts
 * const log = yield* new OpenOptions().append(true).create(true).open('app.log');
 * yield* log.writeAll(Buffer.from('started\n'));
 * ```
 */
export class OpenOptions {
  private r = false;
  private w = false;
  private a = false;
  private t = false;
  private c = false;
  private cn = false;
  private m = 0o666;

  /** Open for reading. */
  read(on: boolean): this {
    this.r = on;
    return this;
  }
  /** Open for writing. */
  write(on: boolean): this {
    this.w = on;
    return this;
  }
  /** Every write goes to the end of the file (implies write access). */
  append(on: boolean): this {
    this.a = on;
    return this;
  }
  /** Truncate an existing file to length 0 (needs write access). */
  truncate(on: boolean): this {
    this.t = on;
    return this;
  }
  /** Create the file if it does not exist (needs write or append). */
  create(on: boolean): this {
    this.c = on;
    return this;
  }
  /** Create the file, failing with `EEXIST` if it exists (atomic; ignores create/truncate). */
  createNew(on: boolean): this {
    this.cn = on;
    return this;
  }
  /** Permission bits for a created file (default 0o666, before the umask). */
  mode(mode: number): this {
    this.m = mode;
    return this;
  }

  /** The open(2) flags these options compile to, or the `EINVAL` they are refused with. */
  flags(path: string): number | Error {
    const { r, w, a } = this;
    let acc: number;
    if (a) acc = (r ? C.O_RDWR : C.O_WRONLY) | C.O_APPEND;
    else if (r && w) acc = C.O_RDWR;
    else if (w) acc = C.O_WRONLY;
    else if (r) acc = C.O_RDONLY;
    else return fsOwnError('EINVAL', 'open', path, 'no access mode: set read, write or append');
    if (!w && !a && (this.t || this.c || this.cn)) {
      return fsOwnError('EINVAL', 'open', path, 'create, createNew and truncate need write or append');
    }
    if (a && this.t && !this.cn) return fsOwnError('EINVAL', 'open', path, 'append and truncate together');
    let cr = 0;
    if (this.cn) cr = C.O_CREAT | C.O_EXCL;
    else {
      if (this.c) cr |= C.O_CREAT;
      if (this.t) cr |= C.O_TRUNC;
    }
    return acc | cr; // libuv adds O_CLOEXEC itself
  }

  /**
   * Opens `path` with these options.
   *
   * @example
   * ```ts
   * const f = yield* new OpenOptions().read(true).write(true).open('data.bin');
   * ```
   */
  open(path: string | URL): Future<File> {
    const p = typeof path === 'string' ? path : fileURLToPath(path);
    const f = this.flags(p);
    return typeof f === 'number' ? openFile(p, f, this.m) : new FsCall<File>('open', p, failSoon, [f]);
  }
}
