/**
 * `RemoteHandle`: the `JoinHandle` of a task spawned on the worker pool. It lives on the
 * thread that spawned the task and is completed when the task's slot comes back through that
 * thread's inbox.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../../../future/future.js';
import { JoinError } from '../../task/join_error.js';
import type { JoinHandle } from '../../task/join_handle.js';
import { context } from '../../context.js';
import { joinPromise, registerJoiner, wakeJoiners } from '../../task/join_waiters.js';

/** The part of the thread context a handle calls back into. */
export interface HandleOwner {
  abortHandle(h: RemoteHandle<unknown>): void;
}

const H_PENDING = 0;
const H_OK = 1;
const H_ERR = 2;
const H_CANCELLED = 3;

/** @internal */
export class RemoteHandle<T> extends Future<T> implements JoinHandle<T> {
  readonly id: number;
  /** Slot id while the task is in flight; -1 before it got one and after completion. */
  slot = -1;
  state = H_PENDING;
  value: unknown = undefined;
  /** Who awaits it (`join_waiters.ts`, shared with local tasks). */
  joiner: Waker | null = null;
  /** Waiting for a free slot: where its encoded arguments are in the pending arena, else -1. */
  pendingOff = -1;
  pendingLen = 0;
  kind = 0;
  /** The local task running it, when it runs inline on the spawning worker. */
  inline: { abort(): void } | null = null;
  /** Set when somebody observes the outcome (no unhandled-failure report then). */
  observed = false;

  constructor(
    readonly owner: HandleOwner,
    readonly name: string,
  ) {
    super();
    // One id source with local tasks: `JoinHandle.id` is unique among a thread's handles.
    this.id = context.taskIds.take();
  }

  poll(cx: Context): Poll<T> {
    this.observed = true;
    const st = this.state;
    if (st !== H_PENDING) return this.outcome();
    registerJoiner(this, cx.waker);
    return Pending;
  }

  /** @internal The output, or throws the JoinError; only once finished. */
  outcome(): T {
    const st = this.state;
    if (st === H_OK) return this.value as T;
    if (st === H_CANCELLED) throw new JoinError('cancelled', this.id, this.name, this.value);
    throw new JoinError('panic', this.id, this.name, this.value);
  }

  abort(): void {
    if (this.state !== H_PENDING) return;
    this.owner.abortHandle(this);
  }

  isFinished(): boolean {
    return this.state !== H_PENDING;
  }

  /** @internal Completes the handle and wakes whoever awaits it. */
  settle(kind: 'ok' | 'err' | 'cancelled', value: unknown): void {
    if (this.state !== H_PENDING) return;
    this.state = kind === 'ok' ? H_OK : kind === 'err' ? H_ERR : H_CANCELLED;
    this.value = value;
    this.slot = -1;
    this.pendingOff = -1;
    this.inline = null;
    wakeJoiners(this);
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.observed = true;
    return joinPromise<T>(this).then(onFulfilled, onRejected);
  }
}
