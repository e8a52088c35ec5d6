/**
 * `WholeFileFuture`: the base of the whole-file futures (`ReadFileFuture`, `WriteFileFuture`),
 * one state machine over a chain of raw libuv requests that starts with an open.
 *
 * States: `IDLE` (not polled) → `OPENING` at the first poll → the subclass's own steps (2 and 3)
 * → `DONE` or `FAILED` (the task is woken) → `TAKEN` once the poll returned the output or threw
 * the error; a poll after that throws `PolledAfterCompletionError`. Every request of the chain
 * completes to one callback, `step`, made at the first poll (one closure per future, none per
 * request). Invariants (test/fs/cancel.test.ts): nothing starts before the first poll; a
 * dropped future wakes nothing, and the request in flight releases the descriptor when it
 * returns (the subclass's `step` checks `dropped`).
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { WakerSlot } from '../future/waker_slot.js';
import { PolledAfterCompletionError } from '../util/errors.js';
import { pollProceed } from '../runtime/coop.js';

/** Not polled yet. */
export const IDLE = 0;
/** The open request is in flight. (2 and 3 are the subclass's own steps.) */
export const OPENING = 1;
/** Finished; the output waits for the next poll. */
export const DONE = 4;
/** Failed; `error` waits for the next poll. */
export const FAILED = 5;
/** The poll returned the output or threw the error. */
export const TAKEN = 6;

/** The completion callback of a libuv request. */
export type RequestCb = (err: NodeJS.ErrnoException | null, v?: unknown) => void;

/** A callback for closes whose outcome carries nothing. */
export function ignore(): void {}

/** @internal A whole-file operation: open `path`, then the subclass's requests. */
export abstract class WholeFileFuture<T> extends Future<T> {
  protected state = IDLE;
  protected fd = -1;
  protected error: Error | null = null;
  protected dropped = false;
  private readonly waker = new WakerSlot();
  /** The callback of every request of the chain (calls `step`); made at the first poll. */
  protected cb: RequestCb | null = null;

  constructor(
    readonly path: string,
    /** Names the future in `PolledAfterCompletionError` ('fs read'). */
    private readonly what: string,
  ) {
    super();
  }

  /** Issues the open request, completing to `cb`. */
  protected abstract open(cb: RequestCb): void;
  /** A request of the chain completed (or the open did). */
  protected abstract step(err: NodeJS.ErrnoException | null, v: unknown): void;
  /** The output, at the poll after `DONE`. */
  protected abstract output(): T;

  poll(cx: Context): Poll<T> {
    const st = this.state;
    if (st === DONE || st === FAILED) {
      if (!pollProceed(cx)) return Pending;
      this.state = TAKEN;
      if (st === FAILED) throw this.error!;
      return this.output();
    }
    if (st === TAKEN) throw new PolledAfterCompletionError(this.what);
    this.waker.register(cx);
    if (st === IDLE) {
      this.state = OPENING;
      this.cb = (err, v) => this.step(err, v);
      this.open(this.cb);
    }
    return Pending;
  }

  /** Wakes the task waiting for the outcome. */
  protected wake(): void {
    this.waker.wake();
  }

  /** Forgets the waiting task; `step` releases what the request in flight returns. */
  override drop(): void {
    this.waker.clear();
    this.dropped = true;
  }
}
