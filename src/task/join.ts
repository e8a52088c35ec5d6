/**
 * `join(a, b, ...)` waits for every future; `tryJoin(a, b, ...)` stops at the first error and
 * drops the rest.
 * @module
 */
import { WakerSlot } from '../future/waker_slot.js';
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { NO_ERROR, combineErrors, dropAll, intoFuture, type FutureOutput, type IntoFuture } from './into_future.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/** The typed tuple of outputs of a tuple of futures. */
export type JoinOutput<F extends readonly unknown[]> = { -readonly [K in keyof F]: FutureOutput<F[K]> };

const NOT_DONE: unique symbol = Symbol('kyoto.join.notDone');

/**
 * Above this many children, each child gets its own waker and a poll of the join only polls the
 * children that were woken since the last poll (instead of all of them).
 */
const INDEXED_ABOVE = 4;

/** The waker (and context) one child of a large join is polled with: wakes mark it ready. */
class ChildWaker implements Waker, Context {
  constructor(
    private readonly owner: Join<unknown[]>,
    readonly index: number,
  ) {}
  get waker(): Waker {
    return this;
  }
  wake(): void {
    this.owner.childWoken(this.index);
  }
  wakeByRef(): void {
    this.owner.childWoken(this.index);
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

class Join<T extends unknown[]> extends Future<T> {
  private readonly futs: (Future<unknown> | null)[];
  private readonly out: unknown[];
  private left: number;
  private errors: unknown[] | null = null;
  private finished = false;
  // Indexed mode (many children): per-child wakers and the queue of woken children.
  private children: ChildWaker[] | null = null;
  private queued: Uint8Array | null = null;
  private woken: number[] = [];
  private spare: number[] = [];
  private readonly parent = new WakerSlot();

  constructor(
    futs: Future<unknown>[],
    private readonly failFast: boolean,
  ) {
    super();
    this.futs = futs;
    this.left = futs.length;
    this.out = new Array<unknown>(futs.length).fill(NOT_DONE);
  }

  poll(cx: Context): Poll<T> {
    if (this.finished) throw new PolledAfterCompletionError(this.failFast ? 'tryJoin()' : 'join()');
    const futs = this.futs;
    if (futs.length <= INDEXED_ABOVE) {
      for (let i = 0; i < futs.length && this.left > 0; i++) this.pollChild(i, cx);
    } else {
      this.parent.register(cx);
      let children = this.children;
      if (children === null) {
        children = new Array<ChildWaker>(futs.length);
        for (let i = 0; i < futs.length; i++) children[i] = new ChildWaker(this as Join<unknown[]>, i);
        this.children = children;
        this.queued = new Uint8Array(futs.length);
        for (let i = 0; i < futs.length && this.left > 0; i++) this.pollChild(i, children[i] as ChildWaker);
      } else {
        // Poll the children woken since the last poll; wakes during this poll go to the next one.
        const batch = this.woken;
        this.woken = this.spare;
        const queued = this.queued as Uint8Array;
        for (let k = 0; k < batch.length; k++) {
          const i = batch[k] as number;
          queued[i] = 0;
          if (this.left > 0) this.pollChild(i, children[i] as ChildWaker);
        }
        batch.length = 0;
        this.spare = batch;
      }
    }
    if (this.left > 0) return Pending;
    this.finished = true;
    this.parent.clear();
    if (this.errors !== null) throw combineErrors(this.errors, 'join');
    return this.out as T;
  }

  private pollChild(i: number, cx: Context): void {
    const f = this.futs[i];
    if (f === null || f === undefined) return;
    let v: unknown;
    try {
      v = f.poll(cx);
    } catch (e) {
      this.futs[i] = null;
      this.left--;
      if (this.failFast) {
        this.finished = true;
        this.left = 0;
        this.parent.clear();
        dropAll(this.futs, -1); // the first error wins over an error thrown by a cleanup
        throw e;
      }
      (this.errors ??= []).push(e);
      return;
    }
    if (v === Pending) return;
    this.futs[i] = null;
    this.out[i] = v;
    this.left--;
  }

  /** @internal A child of a large join was woken. */
  childWoken(i: number): void {
    if (this.finished) return;
    const queued = this.queued as Uint8Array;
    if (queued[i] === 1) return;
    queued[i] = 1;
    this.woken.push(i);
    this.parent.wakeByRef();
  }

  override drop(): void {
    if (this.finished) return;
    this.finished = true;
    this.left = 0;
    this.parent.clear();
    const err = dropAll(this.futs, -1);
    if (err !== NO_ERROR) throw err;
  }
}

/**
 * A future that polls every argument concurrently (inside the awaiting task, no spawn) and is ready
 * with the tuple of their outputs, in argument order, once all of them finished. If any threw, it
 * throws once all finished: the error itself, or an `AggregateError` (errors in the order they
 * happened) when several threw. Arguments are futures or generator objects.
 *
 * @example
 * ```ts
 * function* fetchUser(id: number) { yield* sleep(10); return { id }; }
 * const [user, n] = yield* join(fetchUser(1), ready(5)); // typed [{ id: number }, number]
 * ```
 */
export function join<const F extends readonly IntoFuture<unknown>[]>(...futs: F): Future<JoinOutput<F>> {
  return new Join<JoinOutput<F>>(convert(futs, 'join'), false);
}

/**
 * Like `join`, but the first error wins: the other futures are dropped at once (their `finally`
 * blocks run) and the error is thrown.
 *
 * @example
 * ```ts
 * try {
 *   const [a, b] = yield* tryJoin(fetchUser(1), fetchUser(2));
 * } catch (e) {
 *   // the first failure; the other fetch was cancelled
 * }
 * ```
 */
export function tryJoin<const F extends readonly IntoFuture<unknown>[]>(...futs: F): Future<JoinOutput<F>> {
  return new Join<JoinOutput<F>>(convert(futs, 'tryJoin'), true);
}

function convert(futs: readonly IntoFuture<unknown>[], where: string): Future<unknown>[] {
  const out = new Array<Future<unknown>>(futs.length);
  for (let i = 0; i < futs.length; i++) out[i] = intoFuture(futs[i] as IntoFuture<unknown>, `${where}() argument ${i}`);
  return out;
}

/** @internal shared with race/select */
export { convert as convertFutures };
