/**
 * `FsCall`: one libuv thread-pool request as a kyoto future.
 *
 * The request starts on the first poll (futures are lazy) and its completion callback stores
 * the outcome and wakes the stored waker, which is how every fs future bridges libuv into
 * polling. Invariants: the request is issued at most once; a drop before the first poll issues
 * nothing; a drop after it cannot stop the syscall (libuv offers no cancel for a running pool
 * job) but discards its result. Per call it allocates the future, its argument array and one
 * callback closure, nothing per poll. Proved by test/fs/helpers.test.ts.
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { pollProceed } from '../runtime/coop.js';
import { fsError } from './error.js';

const IDLE = 0;
const RUNNING = 1;
const OK = 2;
const FAILED = 3;
const TAKEN = 4;
const DROPPED = 5;

type NodeCb = (err: NodeJS.ErrnoException | null, value?: unknown) => void;
/** A Node callback-style fs function (`fs.rename`, `fs.stat`, ...). */
export type CallbackFn = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A future of one callback-style fs call; subclasses map the value or recover from errors.
 *
 * @example
 * ```ts
 * const f = new FsCall<void>('rename', from, fs.rename, [from, to], to);
 * yield* f;
 * ```
 */
export class FsCall<T> extends Future<T> {
  private state = IDLE;
  private value: unknown = undefined;
  private readonly waker = new WakerSlot();

  constructor(
    /** The kyoto operation, for error messages. */
    readonly op: string,
    /** The path the call is about. */
    readonly path: string,
    private readonly fn: CallbackFn,
    private readonly args: unknown[],
    /** A second path (rename/link targets), for error messages. */
    readonly dest?: string,
  ) {
    super();
  }

  /** Maps Node's value to the future's output (default: as is). */
  protected map(v: unknown): T {
    return v as T;
  }

  /** Called with a value that arrived after the future was dropped (release what it holds). */
  protected orphan(_v: unknown): void {}

  /** Turns an error into an output, or rethrows it (default: rethrow as IoError). */
  protected recover(err: NodeJS.ErrnoException): T {
    throw fsError(err, this.op, this.path, this.dest);
  }

  poll(cx: Context): Poll<T> {
    const st = this.state;
    if (st === OK || st === FAILED) {
      if (!pollProceed(cx)) return Pending;
      this.state = TAKEN;
      const v = this.value;
      this.value = undefined;
      if (st === FAILED) return this.recover(v as NodeJS.ErrnoException);
      return this.map(v);
    }
    if (st === TAKEN) throw new PolledAfterCompletionError(`fs ${this.op}`);
    this.waker.register(cx);
    if (st === IDLE) {
      this.state = RUNNING;
      const cb: NodeCb = (err, v) => this.settle(err, v);
      this.fn(...this.args, cb);
    }
    return Pending;
  }

  private settle(err: NodeJS.ErrnoException | null, v: unknown): void {
    if (this.state === DROPPED) {
      this.state = TAKEN;
      if (err === null) this.orphan(v);
      return;
    }
    if (this.state !== RUNNING) return;
    this.state = err !== null ? FAILED : OK;
    this.value = err !== null ? err : v;
    this.waker.wake();
  }

  override drop(): void {
    this.waker.clear();
    if (this.state === RUNNING) this.state = DROPPED;
    else if (this.state === OK) {
      // Completed but never taken: what it produced (a descriptor) is released here.
      this.state = TAKEN;
      const v = this.value;
      this.value = undefined;
      this.orphan(v);
    }
  }
}
