// The timer slab gives memory back: after 1e6 timers are armed and released it shrinks to its
// initial size (it used to keep ~20 MB of typed arrays and an 8 MB waker array for good), once
// it has stayed mostly free for SHRINK_DELAY_MS; timers dropped and re-made at once reuse it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, sleep, spawn, Pending, contextFromWaker, noopWaker, yieldNow, type Sleep } from '../../src/index.js';
import { SHRINK_DELAY_MS, slab } from '../../src/runtime/time/slab.js';

const N = 1_000_000;

/** Waits until the shrink check armed by the last frees has run (it was armed first, so fires first). */
const shrinkChecked = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SHRINK_DELAY_MS + 20));

function armAndDrop(rt: Runtime, n: number): Promise<number> {
  const cx = contextFromWaker(noopWaker());
  return rt.blockOn(function* () {
    const sleeps: Sleep[] = new Array<Sleep>(n);
    for (let i = 0; i < n; i++) {
      const s = sleep(60_000 + (i % 5000));
      assert.equal(s.poll(cx), Pending);
      sleeps[i] = s;
    }
    const bytes = slab.bytes();
    for (const s of sleeps) s.drop();
    return bytes;
  });
}

test('1e6 timers armed then dropped: the slab shrinks back to 1024 entries', async () => {
  const rt = new Runtime();
  const base = slab.bytes();
  const peak = await armAndDrop(rt, N);
  assert.ok(peak >= N * 20, `the slab grew (${peak} bytes)`);
  assert.equal(slab.live, 0);
  await shrinkChecked();
  assert.equal(slab.capacity, 1024);
  assert.ok(slab.bytes() <= base, `typed arrays back to ${slab.bytes()} bytes (were ${peak})`);
  assert.equal(slab.wakers.length, 1024);
  await rt.shutdown();
});

test('timers dropped and re-made at once reuse the slab: no cut and regrow in between', async () => {
  const rt = new Runtime();
  await armAndDrop(rt, 200_000);
  const cap = slab.capacity;
  const shrinks = slab.shrinks;
  await armAndDrop(rt, 200_000);
  assert.equal(slab.shrinks, shrinks, 'not cut while the second batch was made');
  assert.equal(slab.capacity, cap, 'the second batch fit in the room the first left');
  await shrinkChecked();
  assert.equal(slab.shrinks, shrinks + 1, 'cut once it stayed empty');
  assert.equal(slab.capacity, 1024);
  await rt.shutdown();
});

function* sleeper() {
  yield* sleep(3_600_000);
}

test('timers released by rt.shutdown() (tasks aborted) shrink the slab too; a live timer keeps its entry', async () => {
  const rt = new Runtime();
  const cx = contextFromWaker(noopWaker());
  // Wrapped: futures are thenable, so a promise resolved with one would await it.
  const { keeper } = await rt.blockOn(function* () {
    const k = sleep(3_600_000);
    assert.equal(k.poll(cx), Pending); // entry near the bottom: does not pin the slab
    for (let i = 0; i < 100_000; i++) spawn(sleeper);
    yield* yieldNow();
    return { keeper: k };
  });
  assert.ok(slab.capacity >= 100_000);
  await rt.shutdown();
  assert.equal(slab.live, 1);
  await shrinkChecked();
  assert.equal(slab.capacity, 1024, `capacity ${slab.capacity}`);
  keeper.drop();
  assert.equal(slab.live, 0);
});
