/**
 * `taskLocal<T>()`: a value visible to the code of one future while it is being polled (tokio's
 * `task_local!`).
 * @module
 */
import { Future, type Context, type Poll } from '../future/future.js';
import { fromGenerator } from '../future/gen_future.js';
import { intoFuture, type IntoFuture } from './into_future.js';

/**
 * Thrown by `local.get()` when no `local.scope(...)` is active.
 *
 * @example
 * ```ts
 * taskLocal<string>('USER').get(); // TaskLocalAccessError: task-local USER read outside ...
 * ```
 */
export class TaskLocalAccessError extends Error {
  override name = 'TaskLocalAccessError';
}

const UNSET: unique symbol = Symbol('kyoto.taskLocal.unset');

/**
 * @internal One active `local.scope(value, ...)` on the stack of scopes being polled right now.
 * A shielded section captures the stack top when it starts, so that when it is driven on its own
 * (under a held abort, or in a background task) it still sees the task-locals of its callers.
 */
export class LocalFrame {
  prev: LocalFrame | null = null;
  constructor(
    readonly local: TaskLocal<unknown>,
    readonly value: unknown,
  ) {}
}

/** @internal */
export const localStack = { top: null as LocalFrame | null };

/** @internal State saved by `enterFrames`. */
export interface SavedLocals {
  frames: LocalFrame[];
  saved: unknown[];
  prevTop: LocalFrame | null;
}

/** @internal Re-installs the scopes captured as `top` (innermost wins). */
export function enterFrames(top: LocalFrame | null): SavedLocals | null {
  if (top === null) return null;
  const frames: LocalFrame[] = [];
  for (let f: LocalFrame | null = top; f !== null; f = f.prev) frames.push(f);
  const saved = new Array<unknown>(frames.length);
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i] as LocalFrame;
    saved[i] = f.local.current;
    f.local.current = f.value;
  }
  const prevTop = localStack.top;
  localStack.top = top;
  return { frames, saved, prevTop };
}

/** @internal Undoes `enterFrames`. */
export function exitFrames(s: SavedLocals | null): void {
  if (s === null) return;
  for (let i = 0; i < s.frames.length; i++) (s.frames[i] as LocalFrame).local.current = s.saved[i];
  localStack.top = s.prevTop;
}

class LocalScope<T, R> extends Future<R> {
  private readonly frame: LocalFrame;
  constructor(
    private readonly local: TaskLocal<T>,
    private readonly value: T,
    private readonly inner: Future<R>,
  ) {
    super();
    this.frame = new LocalFrame(local as TaskLocal<unknown>, value);
  }
  poll(cx: Context): Poll<R> {
    const prev = this.enter();
    try {
      return this.inner.poll(cx);
    } finally {
      this.exit(prev);
    }
  }
  override drop(): void {
    // The value stays visible to the `finally` blocks the drop runs.
    const prev = this.enter();
    try {
      this.inner.drop();
    } finally {
      this.exit(prev);
    }
  }
  /** Pushes this scope's frame and sets the value; returns the value it hid, for `exit`. */
  private enter(): T | typeof UNSET {
    const local = this.local;
    const prev = local.current;
    const frame = this.frame;
    frame.prev = localStack.top;
    localStack.top = frame;
    local.current = this.value;
    return prev;
  }
  /** Undoes `enter`. */
  private exit(prev: T | typeof UNSET): void {
    this.local.current = prev;
    localStack.top = this.frame.prev;
  }
}

/**
 * A task-local variable. `local.scope(value, fut)` makes `value` what `local.get()` returns while
 * `fut` is being polled (and dropped), and only then: code outside the scope, other tasks and
 * tasks spawned from inside it do not see it. Scopes nest; the innermost wins.
 *
 * Not inherited by `spawn` (as in Tokio): a spawned task is polled by the executor, outside the
 * scope. Pass the value on explicitly with `local.inherit(fut)`, which captures the current value:
 * `spawn(REQUEST_ID.inherit(future(handle, conn)))`, or `spawn(REQUEST_ID.bind(handle), conn)`.
 *
 * @example
 * ```ts
 * const REQUEST_ID = taskLocal<string>('REQUEST_ID');
 * function* handle(req: Request) {
 *   log(`[${REQUEST_ID.get()}] handling`);
 * }
 * yield* REQUEST_ID.scope(req.id, handle(req));
 * ```
 */
export class TaskLocal<T> {
  /** @internal the value of the innermost scope being polled, or UNSET. */
  current: T | typeof UNSET = UNSET;

  constructor(readonly name: string) {}

  /**
   * A future that runs `fut` (a future or a generator object) with this local set to `value`.
   *
   * @example
   * ```ts
   * const out = yield* USER.scope(user, loadDashboard());
   * ```
   */
  scope<R>(value: T, fut: IntoFuture<R>): Future<R> {
    return new LocalScope(this, value, intoFuture(fut, `${this.name}.scope()`));
  }

  /**
   * Runs `fn()` synchronously with this local set to `value`.
   *
   * @example
   * ```ts
   * const line = REQUEST_ID.syncScope('r-1', () => format());
   * ```
   */
  syncScope<R>(value: T, fn: () => R): R {
    const prev = this.current;
    this.current = value;
    try {
      return fn();
    } finally {
      this.current = prev;
    }
  }

  /**
   * The value of the innermost active scope; throws `TaskLocalAccessError` outside any scope.
   *
   * @example
   * ```ts
   * const id = REQUEST_ID.get();
   * ```
   */
  get(): T {
    const v = this.current;
    if (v === UNSET) {
      throw new TaskLocalAccessError(
        `task-local ${this.name} read outside a ${this.name}.scope(value, fut); note that spawned tasks do not inherit it (use ${this.name}.inherit(fut))`,
      );
    }
    return v;
  }

  /**
   * The value of the innermost active scope, or `undefined` outside any scope.
   *
   * @example
   * ```ts
   * const id = REQUEST_ID.tryGet() ?? 'no-request';
   * ```
   */
  tryGet(): T | undefined {
    const v = this.current;
    return v === UNSET ? undefined : v;
  }

  /**
   * True inside a scope.
   *
   * @example
   * ```ts
   * if (REQUEST_ID.isSet()) log(REQUEST_ID.get());
   * ```
   */
  isSet(): boolean {
    return this.current !== UNSET;
  }

  /**
   * Binds `body` (a generator function) to the value current now: the returned function, called
   * with `body`'s arguments, runs `body` inside a scope of that value. The `spawn(body, ...args)`
   * form of `inherit`. Outside any scope the local stays unset in `body`. It makes one small
   * function per call: bind once per request, not once per spawn in a hot loop.
   *
   * @example
   * ```ts
   * spawn(REQUEST_ID.bind(handleClient), stream); // handleClient sees the caller's REQUEST_ID
   * ```
   */
  bind<A extends unknown[], R>(body: (...args: A) => Generator<unknown, R, unknown>): (...args: A) => Future<R> {
    const v = this.current;
    const local = this;
    const bound = function (...args: A): Future<R> {
      const f = fromGenerator(body(...args));
      return v === UNSET ? f : new LocalScope(local, v, f);
    };
    // The spawned task keeps the body's name in dumps and errors.
    Object.defineProperty(bound, 'name', { value: body.name });
    return bound;
  }

  /**
   * Wraps `fut` in a scope of the value current now (call it inside a scope, typically right
   * before `spawn`): the explicit way to pass a task-local on to a spawned task. Outside any
   * scope, `fut` is returned wrapped without a value (the local stays unset).
   *
   * @example
   * ```ts
   * spawn(REQUEST_ID.inherit(future(audit, event))); // audit() sees the same REQUEST_ID
   * ```
   */
  inherit<R>(fut: IntoFuture<R>): Future<R> {
    const f = intoFuture(fut, `${this.name}.inherit()`);
    const v = this.current;
    return v === UNSET ? f : new LocalScope(this, v, f);
  }
}

/**
 * Creates a task-local variable (`name` is used in error messages).
 *
 * @example
 * ```ts
 * const TRACE_ID = taskLocal<string>('TRACE_ID');
 * yield* TRACE_ID.scope('abc', handler());
 * ```
 */
export function taskLocal<T>(name = 'taskLocal'): TaskLocal<T> {
  return new TaskLocal<T>(name);
}
