import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, type Gen } from '../../src/index.js';
import { pfib, mergeSort, seqFib, fanOut } from './tasks.js';

function randomInts(n: number, seed: number): Int32Array {
  const out = new Int32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    out[i] = s >> 8;
  }
  return out;
}

function* sortAndFib(xs: Int32Array): Gen<[Int32Array, number]> {
  const s = mergeSort.spawn(xs, 2000);
  const f = pfib.spawn(24, 14);
  return [yield* s, yield* f];
}

for (const workers of [1, 2, 3, 4]) {
  test(`fork-join with ${workers} worker(s): recursive fib and parallel merge sort are exact`, async () => {
    const rt = new Runtime({ flavor: 'multi_thread', workers });
    try {
      const xs = randomInts(50_000, workers);
      const [sorted, fib] = await rt.blockOn(sortAndFib, xs);
      assert.equal(fib, seqFib(24));
      const expected = xs.slice().sort();
      assert.equal(sorted.length, expected.length);
      assert.deepEqual(sorted, expected);
      // Deep recursion with a small cutoff: hundreds of nested tasks.
      assert.equal(await pfib.spawn(18, 6), seqFib(18));
      const m = rt.metrics();
      assert.equal(m.numWorkers, workers);
    } finally {
      await rt.shutdown();
    }
  });
}

test('a worker spawning more than its deque holds moves half of it to the global queue', async () => {
  for (const workers of [1, 2]) {
    const rt = new Runtime({ flavor: 'multi_thread', workers });
    try {
      assert.equal(await fanOut.spawn(3000), (3000 * 2999) / 2);
      if (workers === 1) assert.ok(rt.metrics().workerOverflowCount > 0);
    } finally {
      await rt.shutdown();
    }
  }
});
