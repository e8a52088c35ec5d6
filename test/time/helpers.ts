/** Small futures the time tests use (kept local so the tests depend on the time area only). */
import { Future, Pending, type Context, type Poll } from '../../src/index.js';

class Race<A, B> extends Future<{ i: 0; v: A } | { i: 1; v: B }> {
  private done = false;
  constructor(
    private readonly a: Future<A>,
    private readonly b: Future<B>,
  ) {
    super();
  }
  poll(cx: Context): Poll<{ i: 0; v: A } | { i: 1; v: B }> {
    const va = this.a.poll(cx);
    if (va !== Pending) {
      this.done = true;
      this.b.drop();
      return { i: 0, v: va };
    }
    const vb = this.b.poll(cx);
    if (vb !== Pending) {
      this.done = true;
      this.a.drop();
      return { i: 1, v: vb };
    }
    return Pending;
  }
  override drop(): void {
    if (this.done) return;
    this.done = true;
    this.a.drop();
    this.b.drop();
  }
}

/** The first of two futures to complete; the other is dropped. */
export function race<A, B>(a: Future<A>, b: Future<B>): Future<{ i: 0; v: A } | { i: 1; v: B }> {
  return new Race(a, b);
}

/** A future that never completes and records whether it was dropped. */
export class Probe extends Future<never> {
  dropped = 0;
  polls = 0;
  poll(cx: Context): Poll<never> {
    this.polls++;
    void cx.waker;
    return Pending;
  }
  override drop(): void {
    this.dropped++;
  }
}

class PollOnce extends Future<boolean> {
  constructor(private readonly f: Future<unknown>) {
    super();
  }
  poll(cx: Context): Poll<boolean> {
    return this.f.poll(cx) !== Pending;
  }
}

/** Polls `f` once with the task's context (arming it) without awaiting it: true if it was ready. */
export function pollOnce(f: Future<unknown>): Future<boolean> {
  return new PollOnce(f);
}
