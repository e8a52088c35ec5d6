/**
 * `WriteFileFuture`: the whole-file write behind `write(path, data)`.
 *
 * Open (create or truncate), write until every byte is written, close — and the close is
 * waited for, because for a write it can report the failure (NFS, quota). Invariants
 * (test/fs/cancel.test.ts): the descriptor is closed exactly once on every path, including a
 * drop at any step; a dropped write may leave the file created and holding a prefix of the data
 * (the request in flight completes), never more.
 * @module
 */
import * as fs from 'node:fs';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { pollProceed } from '../runtime/coop.js';
import { fsError } from './error.js';

const IDLE = 0;
const OPENING = 1;
const WRITING = 2;
const CLOSING = 3;
const DONE = 4;
const FAILED = 5;
const TAKEN = 6;

function ignore(): void {}

/**
 * Writes `data` to `path`, replacing its contents.
 *
 * @example
 * ```ts
 * yield* new WriteFileFuture('out.txt', Buffer.from('hello\n'));
 * ```
 */
export class WriteFileFuture extends Future<void> {
  private state = IDLE;
  private fd = -1;
  private written = 0;
  private error: Error | null = null;
  private dropped = false;
  private readonly waker = new WakerSlot();
  private cb: ((err: NodeJS.ErrnoException | null, v?: unknown) => void) | null = null;

  constructor(
    readonly path: string,
    private readonly data: Uint8Array,
    private readonly flags: string = 'w',
  ) {
    super();
  }

  poll(cx: Context): Poll<void> {
    const st = this.state;
    if (st === DONE || st === FAILED) {
      if (!pollProceed(cx)) return Pending;
      this.state = TAKEN;
      if (st === FAILED) throw this.error!;
      return undefined;
    }
    if (st === TAKEN) throw new PolledAfterCompletionError('fs write');
    this.waker.register(cx);
    if (st === IDLE) {
      this.state = OPENING;
      this.cb = (err, v) => this.step(err, v);
      fs.open(this.path, this.flags, 0o666, this.cb);
    }
    return Pending;
  }

  private step(err: NodeJS.ErrnoException | null, v: unknown): void {
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

  private wake(): void {
    this.waker.wake();
  }

  override drop(): void {
    this.waker.clear();
    this.dropped = true;
  }
}
