import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, JoinError, WorkerDiedError, type JoinHandle } from '../../src/index.js';
import { add, exitInTask, uncaughtOutside, exhaustMemory, busy } from './tasks.js';

function diedWith(re: RegExp): (e: unknown) => boolean {
  return (e: unknown) => e instanceof JoinError && e.isPanic() && e.cause instanceof WorkerDiedError && re.test(e.message);
}

test('process.exit in a task fails only that task; tasks queued on the worker are recovered', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 1 });
  try {
    assert.equal(await add.spawn(1, 1), 2); // the worker is up and has the module
    // One worker takes the whole batch into its deque and starts with the crashing task.
    const crash = exitInTask.spawn(3);
    const others: JoinHandle<number>[] = [];
    for (let i = 0; i < 20; i++) others.push(add.spawn(i, 100));
    await assert.rejects(Promise.resolve(crash), diedWith(/exit code 3/));
    const vs = await Promise.all(others);
    assert.deepEqual(vs, Array.from({ length: 20 }, (_, i) => i + 100));
    // A replacement worker keeps serving.
    assert.equal(await add.spawn(2, 2), 4);
    assert.equal((rt.metrics().workers as { restarts?: number }[]).some((w) => (w.restarts ?? 0) >= 1), true);
  } finally {
    await rt.shutdown();
  }
});

test('an uncaught error outside any task kills the worker: its running task fails saying so, others complete', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  try {
    const doomed = uncaughtOutside.spawn();
    const fine = busy.spawn(50);
    await assert.rejects(Promise.resolve(doomed), diedWith(/uncaught Error.*thrown from a timer callback/));
    assert.equal(await fine, true);
    assert.equal(await add.spawn(5, 5), 10);
  } finally {
    await rt.shutdown();
  }
});

test('a worker out of memory under resourceLimits fails its task with a JoinError; the runtime keeps running', async () => {
  const rt = new Runtime({
    flavor: 'multi_thread',
    workers: 1,
    workerResourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
  });
  try {
    await assert.rejects(Promise.resolve(exhaustMemory.spawn()), diedWith(/out of memory/));
    assert.equal(await add.spawn(20, 22), 42);
  } finally {
    await rt.shutdown();
  }
});

test('shutdown terminates every worker and fails tasks still queued as cancelled', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  assert.equal(await add.spawn(1, 2), 3);
  const queued: JoinHandle<number>[] = [];
  for (let i = 0; i < 50; i++) queued.push(add.spawn(1, 1));
  await rt.shutdown();
  for (const q of queued) {
    assert.ok(q.isFinished());
    // Each either ran before the shutdown reached it, or was cancelled.
    await Promise.resolve(q).then(
      (v) => assert.equal(v, 2),
      (e: unknown) => assert.ok(e instanceof JoinError && e.isCancelled()),
    );
  }
  const left = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker');
  assert.deepEqual(left, []);
});

test('workers that cannot start fail parallel tasks with a WorkerDiedError instead of restarting forever', async () => {
  // A 1 MiB heap is too small for a worker to load kyoto at all: it dies before its loop starts.
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2, workerResourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } });
  try {
    await assert.rejects(Promise.resolve(add.spawn(1, 2)), diedWith(/no worker thread of this runtime could start: .*out of memory.*3 attempts/));
    // Later spawns fail the same way, at once, and the runtime's own thread still runs tasks.
    await assert.rejects(Promise.resolve(add.spawn(3, 4)), diedWith(/no worker thread of this runtime could start/));
    assert.equal(await rt.blockOn(function* () { return 5; }), 5);
    const restarts = (rt.metrics().workers as { restarts?: number }[]).map((w) => w.restarts ?? 0);
    assert.ok(restarts.every((r) => r <= 2), `each worker was tried at most 3 times: ${restarts.join(',')}`);
  } finally {
    await rt.shutdown();
  }
});
