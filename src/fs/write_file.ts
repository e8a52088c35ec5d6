/**
 * `WriteFileFuture`: the whole-file write behind `write(path, data)`.
 *
 * A `WholeFileFuture` (`whole_file.ts`) chain: open (create or truncate), write until every byte
 * is written, close — and the close is waited for, because for a write it can report the
 * failure (NFS, quota). Invariants (test/fs/cancel.test.ts): the descriptor is closed exactly once on every path, including a
 * drop at any step; a dropped write may leave the file created and holding a prefix of the data
 * (the request in flight completes), never more.
 * @module
 */
import * as fs from 'node:fs';
import { fsError } from './error.js';
import { DONE, FAILED, OPENING, WholeFileFuture, ignore, type RequestCb } from './whole_file.js';

const WRITING = 2;
const CLOSING = 3;

/**
 * Writes `data` to `path`, replacing its contents.
 *
 * @example
 * ```ts
 * yield* new WriteFileFuture('out.txt', Buffer.from('hello\n'));
 * ```
 */
export class WriteFileFuture extends WholeFileFuture<void> {
  private written = 0;

  constructor(
    path: string,
    private readonly data: Uint8Array,
    private readonly flags: string = 'w',
  ) {
    super(path, 'fs write');
  }

  protected open(cb: RequestCb): void {
    fs.open(this.path, this.flags, 0o666, cb);
  }

  protected output(): void {}

  protected step(err: NodeJS.ErrnoException | null, v: unknown): void {
    if (this.dropped) {
      if (this.state === OPENING && err === null) fs.close(v as number, ignore);
      else if (this.state !== CLOSING && this.fd >= 0) fs.close(this.fd, ignore);
      this.fd = -1;
      return;
    }
    if (err !== null) {
      if (this.state !== CLOSING && this.fd >= 0) fs.close(this.fd, ignore);
      this.fd = -1;
      this.error = fsError(err, 'write', this.path);
      this.state = FAILED;
      return this.wake();
    }
    switch (this.state) {
      case OPENING:
        this.fd = v as number;
        this.state = WRITING;
        return this.writeMore();
      case WRITING:
        this.written += v as number;
        return this.writeMore();
      case CLOSING:
        this.fd = -1;
        this.state = DONE;
        return this.wake();
    }
  }

  private writeMore(): void {
    const d = this.data;
    if (this.written >= d.length) {
      this.state = CLOSING;
      fs.close(this.fd, this.cb!);
      return;
    }
    fs.write(this.fd, d, this.written, d.length - this.written, null, this.cb!);
  }

}
