/**
 * Drives a future from plain async code without a runtime: it is polled at once, and again (on
 * a microtask) each time its waker fires. Used by the channels' `for await` support.
 * @module
 */
import { Pending, type Context, type Future, type Waker } from '../future/future.js';

class PromiseDriver<T> implements Waker, Context {
  private scheduled = false;
  private done = false;
  private readonly runBound = (): void => this.run();

  constructor(
    private readonly fut: Future<T>,
    private readonly resolve: (v: T) => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  get waker(): Waker {
    return this;
  }

  run(): void {
    this.scheduled = false;
    if (this.done) return;
    let v: T | typeof Pending;
    try {
      v = this.fut.poll(this);
    } catch (e) {
      this.done = true;
      this.reject(e);
      return;
    }
    if (v !== Pending) {
      this.done = true;
      this.resolve(v);
    }
  }

  wake(): void {
    this.wakeByRef();
  }
  wakeByRef(): void {
    if (this.scheduled || this.done) return;
    this.scheduled = true;
    queueMicrotask(this.runBound);
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

/** @internal A promise of `fut`'s output, polling it outside any runtime. */
export function drive<T>(fut: Future<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => new PromiseDriver(fut, resolve, reject).run());
}
