// A loop that races a pending operation against another future and drops the loser each time,
// the way `select` does: no message, permit or lock may be lost, and no waiter may be left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { run, spawn, yieldNow, Future, Pending, Notify, Semaphore, Mutex, mpsc, type Context, type Poll, type Gen } from '../../src/index.js';

/** Polls `a` then `b`; the first ready wins and the other is dropped. */
class First<A, B> extends Future<{ key: 'a'; value: A } | { key: 'b'; value: B }> {
  constructor(
    private readonly a: Future<A>,
    private readonly b: Future<B>,
  ) {
    super();
  }
  poll(cx: Context): Poll<{ key: 'a'; value: A } | { key: 'b'; value: B }> {
    const ra = this.a.poll(cx);
    if (ra !== Pending) {
      this.b.drop();
      return { key: 'a', value: ra };
    }
    const rb = this.b.poll(cx);
    if (rb !== Pending) {
      this.a.drop();
      return { key: 'b', value: rb };
    }
    return Pending;
  }
  override drop(): void {
    this.a.drop();
    this.b.drop();
  }
}

function* sender(tx: mpsc.Sender<number>, n: number, interrupts: Notify, pattern: number[]): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < n; i++) {
    const p = pattern[i % pattern.length]!;
    if (p & 1) interrupts.notifyOne();
    yield* tx.send(i);
    for (let k = p >> 1; k > 0; k--) yield* yieldNow();
  }
}

function* receiverLoop(rx: mpsc.Receiver<number>, interrupts: Notify, out: number[]): Gen<number> {
  let interrupted = 0;
  for (;;) {
    const r = yield* new First(rx.recv(), interrupts.notified());
    if (r.key === 'b') {
      interrupted++;
      continue;
    }
    if (r.value === undefined) return interrupted;
    out.push(r.value);
  }
}

test('property: racing recv against notified() and dropping the loser loses no message and leaks no waiter', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(fc.nat(7), { minLength: 1, maxLength: 8 }), async (cap, pattern) => {
      const out: number[] = [];
      const interrupts = new Notify();
      const [tx, rx] = mpsc.channel<number>(cap);
      await run(function* main() {
        spawn(sender, tx, 40, interrupts, pattern);
        yield* spawn(receiverLoop, rx, interrupts, out);
      });
      assert.deepEqual(out, Array.from({ length: 40 }, (_, i) => i));
      assert.equal(rx.resourceInfo().waiters, 0);
      assert.ok(interrupts.resourceInfo().waiters === 0);
    }),
    { numRuns: 40 },
  );
});

function* contender(m: Mutex<number>, sem: Semaphore, interrupts: Notify, rounds: number, stats: { locked: number; interrupted: number }): Gen<void> {
  for (let i = 0; i < rounds; i++) {
    const r = yield* new First(m.lock(), interrupts.notified());
    if (r.key === 'b') {
      stats.interrupted++;
      continue;
    }
    const g = r.value;
    try {
      const p = yield* new First(sem.acquire(1), interrupts.notified());
      if (p.key === 'a') {
        yield* yieldNow();
        p.value.release();
      } else stats.interrupted++;
      g.value++;
      stats.locked++;
    } finally {
      g.release();
    }
  }
}
function* interrupter(interrupts: Notify, pattern: number[]): Gen<void> {
  for (const p of pattern) {
    for (let k = 0; k < p; k++) yield* yieldNow();
    if (p % 3 === 0) interrupts.notifyWaiters();
    else interrupts.notifyOne();
  }
}

test('property: racing lock()/acquire() against notifications and dropping the loser leaks no lock or permit', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(5), { minLength: 1, maxLength: 30 }), async (pattern) => {
      const m = new Mutex(0);
      const sem = new Semaphore(1);
      const interrupts = new Notify();
      const stats = { locked: 0, interrupted: 0 };
      await run(function* main() {
        const hs = [];
        for (let t = 0; t < 4; t++) hs.push(spawn(contender, m, sem, interrupts, 10, stats));
        spawn(interrupter, interrupts, pattern);
        for (const h of hs) yield* h;
      });
      assert.equal(m.isLocked(), false);
      assert.equal(sem.availablePermits, 1);
      assert.equal(m.resourceInfo().waiters + sem.resourceInfo().waiters + interrupts.resourceInfo().waiters, 0);
      assert.equal(m.tryLock()!.value, stats.locked);
    }),
    { numRuns: 40 },
  );
});
