/**
 * `Child`: a running child process — its pid, its pipes as AsyncRead/AsyncWrite, and futures
 * for its end.
 *
 * libuv reaps every child it spawned (its SIGCHLD handler calls waitpid), and Node reports the
 * reaped status with 'exit'; `Child` records it and wakes every waiter. So no zombie is left
 * whether or not anyone waits, which is what Tokio needs its orphan reaper for.
 *
 * Invariants (test/process/child.test.ts, test/process/kill.test.ts):
 * - `wait()` is Ready exactly once the process is reaped, with its `ExitStatus`; any number of
 *   wait futures may wait at once.
 * - With `killOnDrop(true)`, dropping an unfinished `wait()`/`waitWithOutput()` future, or
 *   disposing the child (`using`), sends SIGKILL (to the whole group with `processGroup(true)`);
 *   libuv then reaps it. So `timeout(ms, child.wait())` and an aborted task that holds the child
 *   with `using` end the process.
 * - `kill()` is Ready only once the process was reaped (its pid is gone).
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { pollProceed } from '../runtime/coop.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { ExitStatus } from './exit_status.js';
import { NodeReader } from './stream_read.js';
import { NodeWriter } from './stream_write.js';
import { OutputFuture, type Output } from './output.js';

/**
 * The write end of a child's stdin (AsyncWrite).
 *
 * @example
 * ```ts
 * yield* child.stdin!.writeAll(Buffer.from('input'));
 * yield* child.stdin!.shutdown();
 * ```
 */
export class ChildStdin extends NodeWriter {}
/**
 * The read end of a child's stdout (AsyncRead).
 *
 * @example
 * ```ts
 * const lines = new BufReader(child.stdout!);
 * ```
 */
export class ChildStdout extends NodeReader {}
/**
 * The read end of a child's stderr (AsyncRead).
 *
 * @example
 * ```ts
 * const err = yield* readToEnd(child.stderr!);
 * ```
 */
export class ChildStderr extends NodeReader {}

/**
 * A spawned child process (from `Command.spawn()`).
 *
 * @example
 * ```ts
 * const child = new Command('sh').args(['-c', 'echo hi; exit 3']).stdout('piped').spawn();
 * const out = yield* child.waitWithOutput();
 * console.log(out.status.code, out.stdout.toString()); // 3 'hi\n'
 * ```
 */
export class Child implements Disposable {
  /** The process id. */
  readonly id: number;
  /** The child's stdin when configured `'piped'`, else null. */
  stdin: ChildStdin | null;
  /** The child's stdout when configured `'piped'`, else null. */
  stdout: ChildStdout | null;
  /** The child's stderr when configured `'piped'`, else null. */
  stderr: ChildStderr | null;
  private status: ExitStatus | null = null;
  private readonly waiters = new Set<WakerSlot>();

  /** @internal use `Command.spawn()`. */
  constructor(
    /** The underlying Node child process. */
    readonly process: ChildProcess,
    readonly program: string,
    private readonly killOnDropFlag: boolean,
    private readonly group: boolean,
  ) {
    this.id = process.pid!;
    this.stdin = process.stdin !== null ? new ChildStdin(process.stdin, `stdin of ${program}`) : null;
    this.stdout = process.stdout !== null ? new ChildStdout(process.stdout, `stdout of ${program}`) : null;
    this.stderr = process.stderr !== null ? new ChildStderr(process.stderr, `stderr of ${program}`) : null;
    process.on('exit', (code, signal) => {
      this.status = new ExitStatus(code, signal);
      for (const w of this.waiters) w.wake();
      this.waiters.clear();
    });
    // Node emits 'error' for a failed kill(); the outcome is seen through wait(), never a crash.
    process.on('error', ignore);
  }

  /**
   * The exit status if the child has been reaped, else null (never waits).
   *
   * @example
   * ```ts
   * if (child.tryWait() === null) console.log('still running');
   * ```
   */
  tryWait(): ExitStatus | null {
    return this.status;
  }

  /**
   * Ready with the exit status once the child ended (its stdin, if piped, is closed first so a
   * child reading it is not left waiting). Dropped unfinished with `killOnDrop(true)`: kills it.
   *
   * @example
   * ```ts
   * const st = yield* timeout(5000, child.wait()); // a timeout kills a killOnDrop child
   * ```
   */
  wait(): Future<ExitStatus> {
    this.stdin?.close();
    return new WaitFuture(this);
  }

  /**
   * Closes stdin, reads stdout and stderr to their end (both at once, so neither pipe can fill
   * up and stall the child) and waits for the exit status.
   *
   * @example
   * ```ts
   * const { status, stdout } = yield* child.waitWithOutput();
   * ```
   */
  waitWithOutput(): Future<Output> {
    this.stdin?.close();
    return new OutputFuture(this.stdout, this.stderr, new WaitFuture(this));
  }

  /**
   * Sends `signal` (default SIGKILL; to the process group with `processGroup(true)`) and
   * returns at once; false when the child was already reaped.
   *
   * @example
   * ```ts
   * child.startKill('SIGTERM');
   * ```
   */
  startKill(signal: NodeJS.Signals | number = 'SIGKILL'): boolean {
    if (this.status !== null) return false;
    if (this.group) {
      try {
        process.kill(-this.id, signal);
        return true;
      } catch {
        // the group is gone already; fall back to the child itself
      }
    }
    return this.process.kill(signal);
  }

  /**
   * SIGKILL, then Ready once the child was reaped.
   *
   * @example
   * ```ts
   * yield* child.kill();
   * ```
   */
  kill(): Future<void> {
    this.startKill('SIGKILL');
    return new KillFuture(new WaitFuture(this));
  }

  /** `using child = cmd.spawn()`: with `killOnDrop(true)`, kills a child still running. */
  [Symbol.dispose](): void {
    this.dropped();
  }

  /** @internal the owner is gone: apply killOnDrop. */
  dropped(): void {
    if (this.killOnDropFlag && this.status === null) this.startKill('SIGKILL');
  }

  /** @internal */
  addWaiter(w: WakerSlot): void {
    this.waiters.add(w);
  }
  /** @internal */
  removeWaiter(w: WakerSlot): void {
    this.waiters.delete(w);
  }
}

function ignore(): void {}

/** @internal `child.wait()`. */
export class WaitFuture extends Future<ExitStatus> {
  private readonly slot = new WakerSlot();
  private done = false;
  constructor(readonly child: Child) {
    super();
  }
  poll(cx: Context): Poll<ExitStatus> {
    if (this.done) throw new PolledAfterCompletionError('wait');
    const st = this.child.tryWait();
    if (st !== null) {
      if (!pollProceed(cx)) return Pending;
      this.done = true;
      this.child.removeWaiter(this.slot);
      return st;
    }
    this.slot.register(cx);
    this.child.addWaiter(this.slot);
    return Pending;
  }
  override drop(): void {
    this.slot.clear();
    this.child.removeWaiter(this.slot);
    if (!this.done) {
      this.done = true;
      this.child.dropped();
    }
  }
}

class KillFuture extends Future<void> {
  constructor(private readonly wait: WaitFuture) {
    super();
  }
  poll(cx: Context): Poll<void> {
    return this.wait.poll(cx) === Pending ? Pending : undefined;
  }
  override drop(): void {
    this.wait.drop();
  }
}
