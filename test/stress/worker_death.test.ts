// Worker death under load and runtime reuse, repeated: every queued task must complete each time.
// Regression: a worker batches its wake-ups to the owners of finished tasks; one that died
// between pushing results and signalling left them unseen in the main thread's inbox, and the
// main thread waited forever (about one round in ten hung before the pool signalled every owner
// on recovery).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, JoinError, WorkerDiedError, type JoinHandle } from '../../src/index.js';
import { add, exitInTask, pfib } from '../parallel/tasks.js';

const ROUNDS = 30;
const QUEUED = 200;

/** Rejects after `ms` so a hang fails the test instead of stalling the suite. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`hung: ${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(t));
}

test('a result finished just before its worker died still reaches its owner', { timeout: 60_000 }, async () => {
  // One worker, warm: it runs `add` and, in the same tick, the crashing task; the result of
  // `add` was pushed to the main thread's inbox but its wake-up was still batched.
  for (let i = 0; i < 10; i++) {
    const rt = new Runtime({ flavor: 'multi_thread', workers: 1 });
    try {
      // Warm (JIT-compiled) code finishes `add` well within the ~50 µs wake-up batch.
      for (let k = 0; k < 20; k++) {
        const hs: JoinHandle<number>[] = [];
        for (let j = 0; j < 100; j++) hs.push(add.spawn(j, 1));
        await within(20_000, 'warm-up', Promise.all(hs));
      }
      const before = add.spawn(40, 2);
      const crash = exitInTask.spawn(3);
      await assert.rejects(within(20_000, 'the crashing task', Promise.resolve(crash)), (e: unknown) => e instanceof JoinError);
      assert.equal(await within(20_000, 'the result pushed before the crash', Promise.resolve(before)), 42);
    } finally {
      await rt.shutdown();
    }
  }
});

test(`create / fork-join / shutdown / create / kill a worker with ${QUEUED} queued, ${ROUNDS} times: nothing is lost`, { timeout: 240_000 }, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const warm = new Runtime({ flavor: 'multi_thread', workers: 2 });
    const fib = await within(20_000, `round ${round} fork-join`, warm.blockOn(function* () {
      return yield* pfib.spawn(18, 10);
    }));
    assert.equal(fib, 2584);
    await within(20_000, `round ${round} first shutdown`, warm.shutdown());

    const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
    try {
      const sum = await within(20_000, `round ${round}: ${QUEUED} tasks queued behind a dying worker`, rt.blockOn(function* () {
        const crash = exitInTask.spawn(3);
        const others: JoinHandle<number>[] = [];
        for (let i = 0; i < QUEUED; i++) others.push(add.spawn(i, 1));
        let died = false;
        try {
          yield* crash;
        } catch (e) {
          died = e instanceof JoinError && e.cause instanceof WorkerDiedError;
        }
        assert.ok(died, 'the task that called process.exit fails with WorkerDiedError');
        let s = 0;
        for (const h of others) s += yield* h;
        return s;
      }));
      assert.equal(sum, (QUEUED * (QUEUED - 1)) / 2 + QUEUED);
      assert.equal(rt.metrics().parallelTasksInFlight, 0);
    } finally {
      await within(20_000, `round ${round} shutdown`, rt.shutdown());
    }
  }
});
