import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Runtime, TaskTracker, run, select, sleep, yieldNow, type Gen } from '../../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function* work(n: number, log: string[]): Gen<number> {
  for (let i = 0; i < n; i++) yield* yieldNow();
  log.push(`done ${n}`);
  return n;
}

test('wait() completes once the tracker is closed and every tracked task has finished', async () => {
  const log: string[] = [];
  await run(function* main() {
    const t = new TaskTracker();
    t.spawn(work, 3, log);
    t.spawn(work, 1, log);
    const h = t.spawnNamed('five', work, 5, log);
    assert.equal(t.len, 3);
    assert.equal(t.isClosed, false);
    // Not closed: wait() does not complete even after all tasks finished.
    const r = yield* select({ w: t.wait(), s: sleep(5) });
    assert.equal(r.key, 's');
    assert.equal(t.len, 0);
    t.close();
    assert.equal(t.isClosed, true);
    yield* t.wait();
    assert.equal(yield* h, 5);
    log.push('waited');
  });
  assert.deepEqual(log, ['done 1', 'done 3', 'done 5', 'waited']);
});

test('close() first, then wait() completes when the last task finishes', async () => {
  const log: string[] = [];
  await run(function* main() {
    const t = new TaskTracker();
    t.spawn(work, 4, log);
    t.close();
    yield* t.wait();
    log.push('waited');
    // an empty closed tracker is ready at once
    const empty = new TaskTracker();
    empty.close();
    yield* empty.wait();
  });
  assert.deepEqual(log, ['done 4', 'waited']);
});

test('the tracker keeps nothing of finished tasks (memory does not grow with churn)', async () => {
  const t = new TaskTracker(new Runtime());
  const rt = (t as unknown as { runtime: Runtime }).runtime;
  const refs: WeakRef<object>[] = [];
  await rt.blockOn(function* main() {
    for (let i = 0; i < 200; i++) refs.push(new WeakRef(t.spawn(work, 1, [])));
    t.close();
    yield* t.wait();
  });
  await new Promise((r) => setTimeout(r, 0));
  gc();
  await new Promise((r) => setTimeout(r, 0));
  gc();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} finished tasks are still reachable`);
  await rt.shutdown();
});

test('a tracked task that fails unawaited is still reported as unhandled', async () => {
  const reported: string[] = [];
  const rt = new Runtime({ onUnhandledTaskError: (e) => reported.push((e as Error).message) });
  await rt.blockOn(function* main() {
    const t = new TaskTracker();
    t.spawn(function* fails(): Gen<void> {
      yield* yieldNow();
      throw new Error('lost?');
    });
    t.close();
    yield* t.wait();
    yield* yieldNow();
  });
  await new Promise((r) => setTimeout(r, 5)); // reports are made on a later turn
  await rt.shutdown();
  assert.deepEqual(reported, ['lost?']);
});

test('a dropped wait() leaves no waiter behind', async () => {
  await run(function* main() {
    const t = new TaskTracker();
    t.spawn(work, 50, []);
    for (let i = 0; i < 10; i++) yield* select({ w: t.wait(), y: yieldNow() });
    assert.equal((t as unknown as { waiters: Set<unknown> }).waiters.size, 0);
    t.close();
    yield* t.wait();
  });
});
