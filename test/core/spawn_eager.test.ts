// Eager first polls (`Executor.spawnEager`, used for HTTP request tasks): the spawned task is
// polled before the spawn returns when the scheduler may do so (inside a drain, or outside every
// runtime's poll as a batch of one), and queued otherwise (inside another runtime's poll, with a
// probe, with a next-task choice, or one eager poll deep); its outcome, budget and context are a
// task's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JoinError, Runtime, sleep, yieldNow, type Gen } from '../../src/index.js';
import { coop } from '../../src/runtime/coop.js';
import { context } from '../../src/runtime/context.js';
import { NoopProbe } from '../../src/runtime/probe.js';
import { spawnNamedEager } from '../../src/runtime/spawn.js';
import type { Task } from '../../src/runtime/task/task.js';

const log: string[] = [];

function* record(tag: string): Gen<string> {
  log.push(`start ${tag}`);
  return tag;
}

function* fails(_: unknown): Gen<never> {
  throw new Error('boom');
}

test('a task spawned eagerly inside a task has finished when the spawn returns', async () => {
  const rt = new Runtime();
  log.length = 0;
  const out = await rt.blockOn(function* main() {
    const h = spawnNamedEager('eager', record, 'a');
    log.push('after spawn');
    assert.equal(h.isFinished(), true);
    return yield* h;
  });
  assert.equal(out, 'a');
  assert.deepEqual(log, ['start a', 'after spawn']);
  await rt.shutdown();
});

test('an eager task that does not finish is woken like any task; its context is its own', async () => {
  const rt = new Runtime();
  const seen: unknown[] = [];
  function* waits(_: unknown): Gen<number> {
    seen.push((context.task as Task<unknown> | null)?.name);
    yield* sleep(5);
    return 7;
  }
  const out = await rt.blockOn(function* main() {
    const me = context.task as Task<unknown>;
    const h = spawnNamedEager('waiter', waits, null);
    assert.equal(context.task, me, "the spawner's task is current again");
    assert.equal(h.isFinished(), false);
    return yield* h;
  });
  assert.equal(out, 7);
  assert.deepEqual(seen, ['waiter']);
  await rt.shutdown();
});

test("the spawner's coop budget is kept; the eager task had a full one", async () => {
  const rt = new Runtime();
  let inner = -1;
  function* reads(_: unknown): Gen<void> {
    inner = coop.budget;
  }
  await rt.blockOn(function* main() {
    coop.budget = 5;
    spawnNamedEager('budget', reads, null);
    assert.equal(coop.budget, 5);
  });
  assert.equal(inner, rt.executor.config.budget);
  await rt.shutdown();
});

test('a failing eager task fails alone: the spawner goes on and the join sees the error', async () => {
  const rt = new Runtime();
  const out = await rt.blockOn(function* main() {
    const h = spawnNamedEager('fails', fails, null);
    try {
      yield* h;
      return 'no error';
    } catch (e) {
      return e instanceof JoinError && e.cause instanceof Error ? e.cause.message : String(e);
    }
  });
  assert.equal(out, 'boom');
  await rt.shutdown();
});

test('one level deep: a task spawned eagerly from an eager poll is queued', async () => {
  const rt = new Runtime();
  log.length = 0;
  function* outer(_: unknown): Gen<string> {
    const h = spawnNamedEager('inner', record, 'inner');
    log.push('outer after spawn');
    return (yield* h) as string;
  }
  const out = await rt.blockOn(function* main() {
    const h = spawnNamedEager('outer', outer, null);
    log.push('main after spawn');
    return yield* h;
  });
  assert.equal(out, 'inner');
  assert.deepEqual(log, ['outer after spawn', 'main after spawn', 'start inner']);
  await rt.shutdown();
});

test('queued instead with a probe installed or a next-task choice handed in', async () => {
  for (const setup of ['probe', 'choice'] as const) {
    const rt = new Runtime();
    if (setup === 'probe') rt.executor.setProbe(new NoopProbe());
    else rt.executor.nextTask = (q) => q.shift();
    log.length = 0;
    const out = await rt.blockOn(function* main() {
      const h = spawnNamedEager('queued', record, setup);
      log.push('after spawn');
      return yield* h;
    });
    assert.equal(out, setup);
    assert.deepEqual(log, ['after spawn', `start ${setup}`], setup);
    await rt.shutdown();
  }
});

test('outside every poll: polled at once as a batch of one; inside another runtime: queued', async () => {
  const rt = new Runtime();
  log.length = 0;
  const outside = rt.spawnTaskEager('outside', record as never, ['outside']);
  log.push('after spawn');
  assert.deepEqual(log, ['start outside', 'after spawn']);
  assert.ok(outside.isFinished());
  assert.equal(context.executor, null, 'the context is restored');
  assert.equal(await outside, 'outside');

  // What the alone poll wakes or spawns runs in a drain asked for afterwards.
  const woke: string[] = [];
  function* child(): Gen<void> {
    woke.push('child');
  }
  function* parent(): Gen<string> {
    rt.spawn(child);
    yield* yieldNow(); // woken during its own poll: queued, and the drain must be asked for
    woke.push('parent resumed');
    return 'parent';
  }
  const p = rt.spawnTaskEager('parent', parent as never, []);
  assert.equal(p.isFinished(), false);
  assert.equal(await p, 'parent');
  assert.deepEqual(woke, ['child', 'parent resumed']);

  // Inside another runtime's poll the task waits for its own runtime's drain.
  const other = new Runtime();
  log.length = 0;
  await other.blockOn(function* () {
    const t = rt.spawnTaskEager('from other', record as never, ['from other']);
    assert.deepEqual(log, []);
    assert.equal(t.isFinished(), false);
  });
  await other.shutdown();
  await rt.shutdown();
});

test('an eager task spawned outside every poll under paused time still sees its sleep end', async () => {
  const rt = new Runtime({ startPaused: true });
  function* nap(): Gen<string> {
    yield* sleep(60_000); // auto-advance: the alone poll left the runtime idle
    return 'woke';
  }
  const t = rt.spawnTaskEager('nap', nap as never, []);
  assert.equal(await t, 'woke');
  await rt.shutdown();
});

test('aborted at once while the runtime shuts down', async () => {
  const rt = new Runtime();

  let started = false;
  function* body(_: unknown): Gen<void> {
    started = true;
  }
  function* spawner(): Gen<boolean> {
    yield* sleep(60_000); // aborted by shutdown: its finally spawns during shutting-down
    return false;
  }
  let late = null as Task<unknown> | null;
  const s = rt.spawn(function* guard(): Gen<boolean> {
    try {
      return yield* spawner();
    } finally {
      late = spawnNamedEager('late', body, null);
    }
  });
  await rt.blockOn(function* () {
    yield* yieldNow();
  });
  await rt.shutdown();
  assert.ok(s.isFinished());
  assert.ok(late !== null);
  assert.equal(started, false, 'a task spawned while shutting down is aborted, not polled');
});
