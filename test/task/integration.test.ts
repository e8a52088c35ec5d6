/**
 * The combinators together with the sync primitives: a `select` that drops a pending `recv`,
 * `lock` or `acquire` loses nothing and leaks no waiter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  run,
  spawn,
  yieldNow,
  select,
  race,
  scope,
  JoinSet,
  CancellationToken,
  Mutex,
  Semaphore,
  mpsc,
  type Gen,
} from '../../src/index.js';

function* producer(tx: mpsc.Sender<number>, n: number, pauses: boolean[]): Gen<void> {
  for (let i = 0; i < n; i++) {
    yield* tx.send(i);
    if (pauses[i % pauses.length] === true) yield* yieldNow();
  }
  tx.close();
}

test('property: select over recv and a ticking branch loses no message and leaks no waiter', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 1, max: 8 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
      fc.boolean(),
      async (n, cap, pauses, biased) => {
        const out = await run(function* () {
          const [tx, rx] = mpsc.channel<number>(cap);
          spawn(producer, tx, n, pauses);
          const got: number[] = [];
          for (;;) {
            const r = yield* select({ msg: rx.recv(), tick: yieldNow() }, { biased });
            if (r.key === 'tick') continue;
            if (r.value === undefined) break;
            got.push(r.value);
          }
          return { got, waiters: rx.resourceInfo().waiters };
        });
        assert.deepEqual(out.got, Array.from({ length: n }, (_, i) => i));
        assert.equal(out.waiters, 0);
      },
    ),
    { numRuns: 60 },
  );
});

function* holdLock(m: Mutex<number>, ticks: number): Gen<void> {
  using g = yield* m.lock();
  for (let i = 0; i < ticks; i++) yield* yieldNow();
  g.value++;
}

test('property: lock()/acquire() dropped by race leave the lock free and the permits whole', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(4), { minLength: 1, maxLength: 12 }), async (holds) => {
      const out = await run(function* () {
        const m = new Mutex(0);
        const sem = new Semaphore(2);
        yield* scope(function* (s) {
          for (const t of holds) s.spawn(holdLock, m, t);
          for (let i = 0; i < holds.length; i++) {
            // Compete with the holders; usually the tick wins and the pending lock is dropped.
            const r = yield* race(m.lock(), yieldNow());
            if (r !== undefined) r.release();
            const p = yield* race(sem.acquire(2), yieldNow());
            if (p !== undefined) p.release();
          }
        });
        return { value: m.tryLock()?.value, locked: m.isLocked(), permits: sem.availablePermits };
      });
      assert.equal(out.value, holds.length, 'every holder got the lock once');
      assert.equal(out.permits, 2);
    }),
    { numRuns: 40 },
  );
});

function* worker(token: CancellationToken, rx: mpsc.Receiver<number>, seen: number[]): Gen<number> {
  let n = 0;
  for (;;) {
    const r = yield* select({ stop: token.cancelled(), job: rx.recv() }, { biased: true });
    if (r.key === 'stop' || r.value === undefined) return n;
    seen.push(r.value);
    n++;
  }
}

test('a worker in a JoinSet stops on a token (biased select); every job is taken exactly once', async () => {
  const out = await run(function* () {
    const [tx, rx] = mpsc.unbounded<number>();
    const token = new CancellationToken();
    const seen: number[] = [];
    const set = new JoinSet<number>();
    set.spawn(worker, token, rx, seen);
    for (let i = 0; i < 50; i++) tx.send(i);
    while (seen.length < 50) yield* yieldNow();
    token.cancel();
    const counts = yield* set.joinAll();
    return { counts, seen, waiters: token.resourceInfo().waiters };
  });
  assert.deepEqual(out.counts, [50]);
  assert.deepEqual(out.seen, Array.from({ length: 50 }, (_, i) => i));
  assert.equal(out.waiters, 0);
});
