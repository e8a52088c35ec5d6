/**
 * `OutputFuture`: collects a child's stdout and stderr to their end and its exit status.
 *
 * Both pipes are drained in the same poll, so a child that fills one pipe while the other is
 * being read never deadlocks. Invariant (test/process/child.test.ts): the output holds every
 * byte the child wrote, in order; a pipe not configured `'piped'` yields an empty buffer.
 * Dropping it unfinished drops its wait future (which applies `killOnDrop`).
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import type { ExitStatus } from './exit_status.js';
import type { NodeReader } from './stream_read.js';

/**
 * What `output()` and `waitWithOutput()` return.
 *
 * @example
 * ```ts
 * const out: Output = yield* new Command('ls').output();
 * if (out.status.success) console.log(out.stdout.toString());
 * ```
 */
export interface Output {
  readonly status: ExitStatus;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** @internal */
export class OutputFuture extends Future<Output> {
  private out: Buffer[] = [];
  private err: Buffer[] = [];
  private outDone: boolean;
  private errDone: boolean;
  private status: ExitStatus | null = null;

  /** Takes the pipes and the wait future, not the `Child`, so this module does not import it. */
  constructor(
    private readonly stdout: NodeReader | null,
    private readonly stderr: NodeReader | null,
    private readonly wait: Future<ExitStatus>,
  ) {
    super();
    this.outDone = stdout === null;
    this.errDone = stderr === null;
  }

  private drain(cx: Context, r: NodeReader, into: Buffer[]): boolean {
    for (;;) {
      const c = r.pollReadChunk(cx);
      if (c === Pending) return false;
      if (c === null) return true;
      into.push(c);
    }
  }

  poll(cx: Context): Poll<Output> {
    if (!this.outDone) this.outDone = this.drain(cx, this.stdout!, this.out);
    if (!this.errDone) this.errDone = this.drain(cx, this.stderr!, this.err);
    if (this.status === null) {
      const st = this.wait.poll(cx);
      if (st !== Pending) this.status = st;
    }
    if (!this.outDone || !this.errDone || this.status === null) return Pending;
    return {
      status: this.status,
      stdout: this.out.length === 0 ? EMPTY : Buffer.concat(this.out),
      stderr: this.err.length === 0 ? EMPTY : Buffer.concat(this.err),
    };
  }

  override drop(): void {
    if (this.status === null) this.wait.drop();
  }
}
