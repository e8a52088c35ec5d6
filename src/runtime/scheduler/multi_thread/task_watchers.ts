/**
 * The wakers a worker hangs on the local tasks that run parallel work, and the future that
 * calls a plain body: they turn a local task's completion into a slot outcome (or a handle's).
 *
 * Invariant: each waker reports its task exactly once, when the task completes (a finished
 * task wakes its joiner once). Proved by test/parallel/parallel.test.ts and forkjoin.test.ts.
 * @module
 */
import { JoinError } from '../../task/join_error.js';
import { fromPromise } from '../../../future/promise.js';
import { Future, type Context, type Poll, type Waker } from '../../../future/future.js';
import { WakerBase } from '../../../future/waker.js';
import type { RemoteHandle } from './remote_handle.js';
import type { Task } from '../../task/task.js';

/** What a SlotWatcher reports to. */
export interface SlotSink {
  taskDone(id: number, task: Task<unknown>): void;
}

/** Completes a slot when the local task running it finishes. */
export class SlotWatcher extends WakerBase implements Context {
  constructor(
    private readonly loop: SlotSink,
    private readonly id: number,
    private readonly task: Task<unknown>,
  ) {
    super();
  }
  get waker(): Waker {
    return this;
  }
  wake(): void {
    this.loop.taskDone(this.id, this.task);
  }
}

/** Settles the handle of a task that ran inline when the local task finishes. */
export class InlineWatcher extends WakerBase implements Context {
  constructor(
    private readonly task: Task<unknown>,
    private readonly h: RemoteHandle<unknown>,
  ) {
    super();
  }
  get waker(): Waker {
    return this;
  }
  wake(): void {
    let v: unknown;
    try {
      v = this.task.outcome();
    } catch (e) {
      if (e instanceof JoinError && e.isCancelled()) this.h.settle('cancelled', undefined);
      else this.h.settle('err', e instanceof JoinError ? e.cause : e);
      return;
    }
    this.h.settle('ok', v);
  }
}

/** Calls a plain task body at its first poll (awaiting a returned promise). */
export class CallFuture extends Future<unknown> {
  private inner: Future<unknown> | null = null;
  constructor(
    private readonly fn: (...a: unknown[]) => unknown,
    private readonly args: unknown[],
  ) {
    super();
  }
  poll(cx: Context): Poll<unknown> {
    if (this.inner !== null) return this.inner.poll(cx);
    const r = this.fn(...this.args);
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      this.inner = fromPromise(r as PromiseLike<unknown>);
      return this.inner.poll(cx);
    }
    return r;
  }
  override drop(): void {
    this.inner?.drop();
  }
}

