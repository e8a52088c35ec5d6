/**
 * `CancellationToken`: a cancellation signal that tasks can wait on, with child tokens and
 * AbortSignal interop in both directions (tokio-util's `CancellationToken`).
 * @module
 */
import { Future, Pending, type Context, type Poll } from '../future/future.js';
import { pollProceed } from '../runtime/coop.js';
import { WakerSlot } from '../future/waker_slot.js';
import { WaiterList, type WaiterNode } from '../sync/waiter_list.js';
import { trackResource, type ResourceInfo, type TrackedResource } from '../runtime/resources.js';
import { intoFuture, type IntoFuture } from './into_future.js';
import { PolledAfterCompletionError } from '../util/errors.js';

/** A `cancelled()` waiter: linked into its token's list only while pending. */
class Cancelled extends Future<void> implements WaiterNode {
  wPrev: WaiterNode | null = null;
  wNext: WaiterNode | null = null;
  wList: WaiterList<WaiterNode> | null = null;
  readonly slot = new WakerSlot();
  constructor(private readonly token: CancellationToken) {
    super();
  }
  poll(cx: Context): Poll<void> {
    const tok = this.token;
    if (tok.isCancelled()) {
      if (!pollProceed(cx)) return Pending;
      tok.waitList.remove(this);
      this.slot.clear();
      return undefined;
    }
    this.slot.register(cx);
    if (this.wList === null) tok.waitList.push(this);
    return Pending;
  }
  override drop(): void {
    this.token.waitList.remove(this);
    this.slot.clear();
  }
}

class RunUntilCancelled<T> extends Future<T | undefined> {
  private done = false;
  constructor(
    private readonly inner: Future<T>,
    private readonly cancelled: Cancelled,
  ) {
    super();
  }
  poll(cx: Context): Poll<T | undefined> {
    if (this.done) throw new PolledAfterCompletionError('runUntilCancelled()');
    if (this.cancelled.poll(cx) !== Pending) {
      this.done = true;
      this.inner.drop();
      return undefined;
    }
    let v: Poll<T>;
    try {
      v = this.inner.poll(cx);
    } catch (e) {
      this.done = true;
      this.cancelled.drop();
      throw e;
    }
    if (v === Pending) return Pending;
    this.done = true;
    this.cancelled.drop();
    return v;
  }
  override drop(): void {
    if (this.done) return;
    this.done = true;
    this.cancelled.drop();
    this.inner.drop();
  }
}

/**
 * A cancellation signal shared by any number of tasks. `cancel()` wakes every `cancelled()`
 * waiter, cancels every child token and aborts `token.signal`. Cancelling is permanent and
 * idempotent. Waiters that are dropped leave the waiter list in O(1).
 *
 * @example
 * ```ts
 * function* worker(token: CancellationToken, rx: Receiver<Job>) {
 *   for (;;) {
 *     const r = yield* select({ stop: token.cancelled(), job: rx.recv() }, { biased: true });
 *     if (r.key === 'stop') return;
 *     if (r.value === undefined) return;
 *     yield* process(r.value);
 *   }
 * }
 * const token = new CancellationToken();
 * spawn(worker, token.child(), rx);
 * token.cancel();
 * ```
 */
export class CancellationToken implements TrackedResource {
  private cancelledFlag = false;
  private reasonValue: unknown = undefined;
  /** @internal `cancelled()` futures waiting for the cancellation. */
  readonly waitList = new WaiterList<Cancelled>();
  private parent: CancellationToken | null = null;
  private firstChild: CancellationToken | null = null;
  private prevSibling: CancellationToken | null = null;
  private nextSibling: CancellationToken | null = null;
  private controller: AbortController | null = null;
  /** Removes the listener `fromSignal` put on its signal (so a token cancelled otherwise is not kept alive by it). */
  private unlisten: (() => void) | null = null;

  constructor() {
    trackResource(this);
  }

  /**
   * A token whose cancellation follows `signal` (cancelled at once if it already aborted).
   *
   * @example
   * ```ts
   * const token = CancellationToken.fromSignal(AbortSignal.timeout(5000));
   * ```
   */
  static fromSignal(signal: AbortSignal): CancellationToken {
    if (signal === null || typeof signal !== 'object' || typeof signal.addEventListener !== 'function') {
      throw new TypeError(`CancellationToken.fromSignal expects an AbortSignal, got ${signal === null ? 'null' : typeof signal}`);
    }
    const token = new CancellationToken();
    if (signal.aborted) token.cancel(signal.reason);
    else {
      const onAbort = (): void => token.cancel(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      token.unlisten = () => signal.removeEventListener('abort', onAbort);
    }
    return token;
  }

  /**
   * Cancels the token and all its descendants; wakes every waiter. `reason` is kept (and given
   * to `signal.reason`). Later calls do nothing.
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => token.cancel('SIGTERM'));
   * ```
   */
  cancel(reason?: unknown): void {
    if (this.cancelledFlag) return;
    this.cancelledFlag = true;
    this.reasonValue = reason;
    const un = this.unlisten;
    if (un !== null) {
      this.unlisten = null;
      un();
    }
    // Detach from the parent: a cancelled child needs no more propagation.
    const p = this.parent;
    if (p !== null) p.unlinkChild(this);
    for (let w = this.waitList.shift(); w !== null; w = this.waitList.shift()) w.slot.wake();
    for (let c = this.firstChild; c !== null; ) {
      const n = c.nextSibling;
      c.parent = null;
      c.prevSibling = c.nextSibling = null;
      c.cancel(reason);
      c = n;
    }
    this.firstChild = null;
    const ctl = this.controller;
    if (ctl !== null && !ctl.signal.aborted) ctl.abort(reason ?? new CancelledError('the CancellationToken was cancelled'));
  }

  /**
   * True once cancelled (directly or through a parent).
   *
   * @example
   * ```ts
   * while (!token.isCancelled()) yield* step();
   * ```
   */
  isCancelled(): boolean {
    return this.cancelledFlag;
  }

  /**
   * The reason given to `cancel` (undefined if none, or not cancelled).
   *
   * @example
   * ```ts
   * token.cancel('SIGTERM'); token.reason; // 'SIGTERM'
   * ```
   */
  get reason(): unknown {
    return this.reasonValue;
  }

  /**
   * A future that is ready once the token is cancelled (at once if it already is). Cancel-safe.
   *
   * @example
   * ```ts
   * yield* token.cancelled();
   * ```
   */
  cancelled(): Future<void> {
    return new Cancelled(this);
  }

  /**
   * A new token cancelled when this one is (but cancelling the child leaves the parent alone).
   * A cancelled child unlinks itself from its parent.
   *
   * @example
   * ```ts
   * const perRequest = serverToken.child();
   * ```
   */
  child(): CancellationToken {
    const c = new CancellationToken();
    if (this.cancelledFlag) {
      c.cancel(this.reasonValue);
      return c;
    }
    c.parent = this;
    c.nextSibling = this.firstChild;
    if (this.firstChild !== null) this.firstChild.prevSibling = c;
    this.firstChild = c;
    return c;
  }

  /**
   * An AbortSignal that aborts when the token is cancelled, for `fetch` and other Promise APIs.
   *
   * @example
   * ```ts
   * const res = yield* fromPromise(fetch(url, { signal: token.signal }));
   * ```
   */
  get signal(): AbortSignal {
    let ctl = this.controller;
    if (ctl === null) {
      ctl = new AbortController();
      this.controller = ctl;
      if (this.cancelledFlag) ctl.abort(this.reasonValue ?? new CancelledError('the CancellationToken was cancelled'));
    }
    return ctl.signal;
  }

  /**
   * Runs `fut` until it finishes (its value) or the token is cancelled (`undefined`, and `fut` is
   * dropped). Checks the token first.
   *
   * @example
   * ```ts
   * const line = yield* token.runUntilCancelled(reader.readLine());
   * if (line === undefined) return; // shutting down
   * ```
   */
  runUntilCancelled<T>(fut: IntoFuture<T>): Future<T | undefined> {
    return new RunUntilCancelled(intoFuture(fut, 'runUntilCancelled()'), new Cancelled(this));
  }

  /**
   * A guard that cancels the token when disposed (`using guard = token.dropGuard()`).
   *
   * @example
   * ```ts
   * using _g = token.dropGuard(); // leaving the block cancels the token's tasks
   * ```
   */
  dropGuard(): Disposable {
    return { [Symbol.dispose]: () => this.cancel() };
  }

  /**
   * What the console lists for the token: state and waiter count.
   *
   * @example
   * ```ts
   * token.resourceInfo().waiters; // tasks waiting in cancelled()
   * ```
   */
  resourceInfo(): ResourceInfo {
    return {
      kind: 'cancellation-token',
      label: this.cancelledFlag ? 'cancelled' : 'active',
      waiters: this.waitList.length,
    };
  }

  private unlinkChild(c: CancellationToken): void {
    if (c.prevSibling !== null) c.prevSibling.nextSibling = c.nextSibling;
    else this.firstChild = c.nextSibling;
    if (c.nextSibling !== null) c.nextSibling.prevSibling = c.prevSibling;
    c.prevSibling = c.nextSibling = null;
    c.parent = null;
  }

  /** @internal child tokens still linked (tests). */
  childCount(): number {
    let n = 0;
    for (let c = this.firstChild; c !== null; c = c.nextSibling) n++;
    return n;
  }
}

/**
 * The default `signal.reason` when a token is cancelled without a reason.
 *
 * @example
 * ```ts
 * token.cancel();
 * token.signal.reason instanceof CancelledError; // true
 * ```
 */
export class CancelledError extends Error {
  override name = 'CancelledError';
}
