/**
 * `for await (const v of stream)`: a stream as an `AsyncIterator` for plain async code.
 * @module
 */
import { Runtime } from '../runtime/runtime.js';
import type { Future } from '../future/future.js';
import { Done, Stream, impl } from './stream.js';

const DONE_RESULT: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined }) as IteratorReturnResult<undefined>;

/**
 * Each `next()` runs one `pull()` of the stream as a task on the runtime of the caller (or the
 * process's default runtime), so sources that need a runtime (timers, sockets, channels) work.
 */
class StreamAsyncIterator<T> implements AsyncIterator<T> {
  private s: Stream<T> | null;
  private readonly pull: Future<T | typeof Done>;
  private readonly rt: Runtime;
  private readonly onValue = (v: T | typeof Done): IteratorResult<T> => {
    if (v === Done) {
      this.close();
      return DONE_RESULT;
    }
    return { done: false, value: v };
  };
  private readonly onError = (e: unknown): never => {
    this.close();
    throw e;
  };

  constructor(s: Stream<T>) {
    this.s = s;
    this.pull = s.pull();
    this.rt = Runtime.tryCurrent() ?? Runtime.default();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.s === null) return Promise.resolve(DONE_RESULT);
    return this.rt.blockOn(this.pull).then(this.onValue, this.onError);
  }

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
    s?.drop();
  }
}

impl.asyncIterator = (s) => new StreamAsyncIterator(s);
