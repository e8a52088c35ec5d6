/**
 * `RemoteHandle`: the `JoinHandle` of a task spawned on the worker pool. It lives on the
 * thread that spawned the task and is completed when the task's slot comes back through that
 * thread's inbox.
 * @module
 */
import { Future, Pending, type Context, type Poll, type Waker } from '../../../future/future.js';
import { JoinError } from '../../../task/join_error.js';
import type { JoinHandle } from '../../task.js';
import { nextTaskId } from '../../task/id.js';

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
  private joiner: Waker | null = null;
  private waiters: Waker[] | null = null;
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
    this.id = nextTaskId();
  }

  poll(cx: Context): Poll<T> {
    this.observed = true;
    const st = this.state;
    if (st !== H_PENDING) return this.outcome();
    const w = cx.waker;
    const j = this.joiner;
    if (j === null) this.joiner = w.clone();
    else if (!j.willWake(w)) {
      const list = (this.waiters ??= []);
      if (!list.some((x) => x.willWake(w))) list.push(w.clone());
    }
    return Pending;
  }

  private outcome(): T {
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
    const j = this.joiner;
    this.joiner = null;
    if (j !== null) j.wake();
    const ws = this.waiters;
    this.waiters = null;
    if (ws !== null) for (const w of ws) w.wake();
  }

  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.observed = true;
    return new Promise<T>((resolve, reject) => {
      if (this.state !== H_PENDING) settleInto(this, resolve, reject);
      else {
        const w = new PromiseWaker(this as RemoteHandle<unknown>, resolve as (v: unknown) => void, reject);
        if (this.joiner === null) this.joiner = w;
        else (this.waiters ??= []).push(w);
      }
    }).then(onFulfilled, onRejected);
  }

  /** @internal */
  outcomeOrThrow(): T {
    return this.outcome();
  }
}

function settleInto<T>(h: RemoteHandle<T>, resolve: (v: T) => void, reject: (e: unknown) => void): void {
  let v: T;
  try {
    v = h.outcomeOrThrow();
  } catch (e) {
    reject(e);
    return;
  }
  resolve(v);
}

/** Bridges a handle's completion to the promise of `then`. */
class PromiseWaker implements Waker {
  constructor(
    private readonly h: RemoteHandle<unknown>,
    private readonly resolve: (v: unknown) => void,
    private readonly reject: (e: unknown) => void,
  ) {}
  wake(): void {
    settleInto(this.h, this.resolve, this.reject);
  }
  wakeByRef(): void {
    this.wake();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}
