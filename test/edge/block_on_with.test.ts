import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JoinError, Runtime, sleep, type Gen } from '../../src/index.js';

function* work(log: string[]): Gen<string> {
  try {
    yield* sleep(60_000);
    return 'done';
  } finally {
    yield* sleep(1); // async cleanup
    log.push('finally ran');
  }
}

test('blockOnWith: aborting the signal aborts the root task, runs its finally, rejects with a cancelled JoinError', async () => {
  const rt = new Runtime();
  const log: string[] = [];
  const ctrl = new AbortController();
  const p = rt.blockOnWith({ signal: ctrl.signal, name: 'GET /report' }, work, log);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(rt.tasks()[0]?.name, 'GET /report');
  ctrl.abort();
  await assert.rejects(p, (e: unknown) => e instanceof JoinError && e.isCancelled() && e.taskName === 'GET /report');
  assert.deepEqual(log, ['finally ran']);
  await rt.shutdown();
});

test('blockOnWith: an already aborted signal cancels before the body starts; a finished task unhooks its listener', async () => {
  const rt = new Runtime();
  let started = false;
  await assert.rejects(
    rt.blockOnWith({ signal: AbortSignal.abort() }, function* never(): Gen<void> {
      started = true;
    }),
    (e: unknown) => e instanceof JoinError && e.isCancelled(),
  );
  assert.equal(started, false);
  const ctrl = new AbortController();
  assert.equal(await rt.blockOnWith({ signal: ctrl.signal }, function* add(a: number, b: number): Gen<number> { return a + b; }, 2, 3), 5);
  ctrl.abort(); // after completion: nothing to abort, nothing thrown
  assert.equal(await rt.blockOnWith({}, function* (): Gen<string> { return 'no options'; }), 'no options');
  await assert.rejects(
    rt.blockOnWith({}, function* fails(): Gen<void> {
      throw new Error('own error');
    }),
    /own error/,
  );
  assert.throws(() => rt.blockOnWith({ signal: 'x' as never }, function* () {}), /opts.signal must be an AbortSignal/);
  await rt.shutdown();
});
