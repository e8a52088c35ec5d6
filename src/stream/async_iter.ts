/**
 * `for await (const v of stream)`: a stream as an `AsyncIterator` for plain async code.
 *
 * The first `next()` spawns one small pump task on the runtime of the caller (or the process's
 * default runtime); each later `next()` stores its promise's callbacks and wakes that task,
 * which polls the stream inside the runtime (so timers, sockets and channels work, and the
 * cooperative budget applies) and settles the promise. The task ends with the stream.
 * @module
 */
import { Runtime } from '../runtime/runtime.js';
import { Future, Pending, type Context, type Poll, type Waker } from '../future/future.js';
import { Stream, impl, isSignal } from './stream.js';

const DONE_RESULT: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined }) as IteratorReturnResult<undefined>;

/**
 * Thrown at a `for await` whose runtime shut down while it waited for a value.
 *
 * @example
 * ```ts
 * try { for await (const msg of messages) handle(msg); }
 * catch (e) { if (!(e instanceof StreamClosedError)) throw e; } // the runtime is shutting down
 * ```
 */
export class StreamClosedError extends Error {
  override name = 'StreamClosedError';
}

/** The pump task's body: polls the stream when a `next()` asks for a value. */
class Pump<T> extends Future<void> {
  s: Stream<T> | null;
  resolve: ((r: IteratorResult<T>) => void) | null = null;
  reject: ((e: unknown) => void) | null = null;
  waker: Waker | null = null;

  constructor(s: Stream<T>) {
    super();
    this.s = s;
  }

  poll(cx: Context): Poll<void> {
    if (this.waker === null) this.waker = cx.waker.clone();
    const s = this.s;
    if (s === null) return undefined;
    const resolve = this.resolve;
    if (resolve === null) return Pending; // idle until the next next()
    let v;
    try {
      v = s.pollNext(cx);
    } catch (e) {
      const reject = this.reject as (e: unknown) => void;
      this.resolve = this.reject = null;
      this.close();
      reject(e);
      return undefined;
    }
    if (isSignal(v)) {
      if (v === Pending) return Pending;
      this.resolve = this.reject = null;
      this.close();
      resolve(DONE_RESULT);
      return undefined;
    }
    this.resolve = this.reject = null;
    resolve({ done: false, value: v });
    return Pending;
  }

  close(): void {
    const s = this.s;
    this.s = null;
    s?.drop();
  }

  /** The task was cancelled (runtime shutdown): fail a waiting next(), release the stream. */
  override drop(): void {
    const reject = this.reject;
    this.resolve = this.reject = null;
    this.close();
    reject?.(new StreamClosedError('the runtime driving this for await loop shut down'));
  }
}

class StreamAsyncIterator<T> implements AsyncIterator<T> {
  private s: Stream<T> | null;
  private pump: Pump<T> | null = null;
  /** The runtime of the task that started the loop, if any (else the default one, later). */
  private readonly rt: Runtime | null = Runtime.tryCurrent();
  constructor(s: Stream<T>) {
    this.s = s;
  }

  next(): Promise<IteratorResult<T>> {
    let pump = this.pump;
    if (pump === null) {
      const s = this.s;
      if (s === null) return Promise.resolve(DONE_RESULT);
      pump = this.pump = new Pump(s);
      try {
        (this.rt ?? Runtime.tryCurrent() ?? Runtime.default()).spawnNamed('for await', pump);
      } catch (e) {
        this.close();
        return Promise.reject(e);
      }
    }
    if (pump.s === null) return Promise.resolve(DONE_RESULT);
    if (pump.resolve !== null) return Promise.reject(new TypeError('for await: next() called while the previous next() is pending'));
    return new Promise<IteratorResult<T>>(this.ask);
  }

  /** The promise executor of `next()`, made once: hands the callbacks to the pump and wakes it. */
  private readonly ask = (resolve: (r: IteratorResult<T>) => void, reject: (e: unknown) => void): void => {
    const p = this.pump as Pump<T>;
    p.resolve = resolve;
    p.reject = reject;
    p.waker?.wakeByRef();
  };

  /** `break` or `return` out of the loop: the stream is dropped. */
  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve(DONE_RESULT);
  }

  /** An error thrown into the loop: the stream is dropped. */
  throw(e?: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(e);
  }

  private close(): void {
    const s = this.s;
    this.s = null;
    const pump = this.pump;
    if (pump !== null) {
      const resolve = pump.resolve;
      pump.resolve = pump.reject = null;
      pump.close();
      resolve?.(DONE_RESULT);
      pump.waker?.wakeByRef(); // let the task finish
    } else s?.drop();
  }
}

impl.asyncIterator = (s) => new StreamAsyncIterator(s);
