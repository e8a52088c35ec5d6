// The runtime facade and its parts: shutdown phases, deadlock roots, dump formatter fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, RuntimeShutdownError, DeadlockError, pending, sleep, type Gen } from '../../src/index.js';
import { dumpHooks } from '../../src/runtime/dump.js';

test('shutdown: phases only move forward, tasks spawned while shutting down are aborted', async () => {
  const rt = new Runtime();
  const log: string[] = [];
  rt.spawn(function* slowCleanup(): Gen<void> {
    try {
      yield* pending();
    } finally {
      yield* sleep(5);
      log.push('cleanup done');
    }
  });
  await rt.blockOn(function* tick(): Gen<void> { yield* sleep(0); });
  const p1 = rt.shutdown();
  const p2 = rt.shutdown();
  assert.ok(rt.isShutdown());
  const late = rt.spawn(function* late(): Gen<number> { return 1; });
  await Promise.all([p1, p2]);
  assert.deepEqual(log, ['cleanup done']);
  assert.ok(late.isFinished());
  assert.throws(() => rt.spawn(function* after(): Gen<void> {}), RuntimeShutdownError);
});

test('dump: a formatter that throws falls back to the basic form', async () => {
  const rt = new Runtime();
  const prev = dumpHooks.describe;
  const err = console.error;
  let reported = 0;
  console.error = () => { reported++; };
  dumpHooks.describe = () => { throw new Error('formatter broke'); };
  try {
    rt.spawnNamed('sleeper', function* sleeper(): Gen<void> { yield* sleep(50); });
    await rt.blockOn(function* tick(): Gen<void> { yield* sleep(0); });
    const d = rt.dump();
    assert.match(d, /task sleeper \(id \d+/);
    assert.equal(reported, 1);
  } finally {
    dumpHooks.describe = prev;
    console.error = err;
    await rt.shutdown();
  }
});

test('deadlock: a stuck root rejects with DeadlockError naming it and the runtime keeps going', async () => {
  const rt = new Runtime();
  try {
    await assert.rejects(rt.blockOn(function* stuck(): Gen<void> { yield* pending(); }), (e: unknown) => e instanceof DeadlockError && /task stuck/.test(e.message));
    assert.equal(await rt.blockOn(function* fine(): Gen<number> { yield* sleep(1); return 7; }), 7);
  } finally {
    await rt.shutdown();
  }
});
