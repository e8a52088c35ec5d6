import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, JoinError, RuntimeShutdownError, spawnBlocking, type Gen, type JoinHandle } from '../../src/index.js';
import { busy, add, fail, echo } from './tasks.js';

test('spawnBlocking runs registered tasks on a pool that grows up to maxBlockingThreads', async () => {
  const rt = new Runtime({ maxBlockingThreads: 2, blockingKeepAliveMs: 50 });
  try {
    const out = await rt.blockOn(function* main(): Gen<number[]> {
      const hs = [spawnBlocking(busy, 30), spawnBlocking(busy, 30), spawnBlocking(add, 1, 2), spawnBlocking(add, 3, 4)];
      const m = rt.metrics();
      assert.equal(m.numBlockingThreads, 2);
      assert.equal(m.blockingQueueDepth, 2);
      const r: number[] = [];
      for (const h of hs) r.push(Number(yield* h));
      return r;
    });
    assert.deepEqual(out, [1, 1, 3, 7]);
    assert.deepEqual(await spawnBlocking(echo, { a: [1, 2] }), { a: [1, 2] });
    await assert.rejects(Promise.resolve(spawnBlocking(fail, 'b')), (e: unknown) => e instanceof JoinError && /boom: b/.test((e.cause as Error).message));
    // Idle threads exit after blockingKeepAliveMs.
    while (rt.metrics().numBlockingThreads !== 0) await new Promise((r) => setTimeout(r, 20));
    assert.equal(rt.metrics().numBlockingThreads, 0);
  } finally {
    await rt.shutdown();
  }
});

test('abort removes a queued blocking task but not a started one; shutdown waits for started ones and drops queued ones', async () => {
  const rt = new Runtime({ maxBlockingThreads: 1, blockingKeepAliveMs: 10 });
  // Spawned from a task of rt, so they use rt's blocking pool.
  const [started, q1, q2] = await rt.blockOn(function* spawnThree(): Gen<[JoinHandle<boolean>, JoinHandle<number>, JoinHandle<number>]> {
    return [spawnBlocking(busy, 100), spawnBlocking(add, 1, 1), spawnBlocking(add, 2, 2)];
  });
  q1.abort();
  await assert.rejects(Promise.resolve(q1), (e: unknown) => e instanceof JoinError && e.isCancelled());
  started.abort(); // started: cannot be aborted
  assert.equal(started.isFinished(), false);
  await rt.shutdown();
  assert.equal(await started, true);
  await assert.rejects(
    Promise.resolve(q2),
    (e: unknown) => e instanceof JoinError && e.isCancelled() && e.cause instanceof RuntimeShutdownError && /still queued/.test(e.cause.message),
  );
  assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker').length, 0);
});
