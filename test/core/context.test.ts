// The runtime context (src/runtime/context.ts): outside any poll `task` is null and `executor`
// is null; inside a poll they are the polled task and its executor; a poll, nested ones
// included, restores both to what they were before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, yieldNow, type Gen } from '../../src/index.js';
import { context } from '../../src/runtime/context.js';
import { spawnNamedEager } from '../../src/runtime/spawn.js';
import type { Task } from '../../src/runtime/task/task.js';

test('outside any poll there is no current task or executor', async () => {
  assert.equal(context.task, null);
  assert.equal(context.executor, null);
  const rt = new Runtime();
  await rt.blockOn(function* () {
    yield* yieldNow();
  });
  assert.equal(context.task, null, 'restored after the drain');
  assert.equal(context.executor, null);
  await rt.shutdown();
});

test('inside a poll: the polled task and its executor; a nested poll restores both', async () => {
  const rt = new Runtime();
  const seen: [string, boolean][] = [];
  function* inner(_: unknown): Gen<void> {
    seen.push([(context.task as Task<unknown>).name, context.executor === rt.executor]);
  }
  await rt.blockOn(function* outer() {
    const me = context.task as Task<unknown>;
    seen.push([me.name, context.executor === rt.executor]);
    spawnNamedEager('inner', inner, null); // polled here, nested in this poll
    seen.push([(context.task as Task<unknown>).name, context.executor === rt.executor]);
    yield* yieldNow();
    assert.equal(context.task, me, 'the same task after a suspension');
  });
  assert.deepEqual(seen, [
    ['outer', true],
    ['inner', true],
    ['outer', true],
  ]);
  await rt.shutdown();
});
