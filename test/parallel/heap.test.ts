// The payload heap in use: no lasting fragmentation, results wait for space, clear limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, ParallelHeapExhaustedError, type JoinHandle } from '../../src/index.js';
import { poolOf } from '../../src/runtime/scheduler/multi_thread/pool.js';
import { byteSum, bytesOf } from './tasks.js';

test('after a burst of 1,023 arguments of 100 KB, 200 KB and 5 MB arguments still fit', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2 });
  try {
    const hs: JoinHandle<number>[] = [];
    for (let i = 0; i < 1023; i++) hs.push(byteSum.spawn(new Uint8Array(100_000).fill(1).buffer));
    for (const v of await Promise.all(hs)) assert.equal(v, 100_000);
    assert.equal(await byteSum.spawn(new Uint8Array(200_000).fill(1).buffer), 200_000);
    assert.equal(await byteSum.spawn(new Uint8Array(5_000_000).fill(1).buffer), 5_000_000);
    assert.equal(poolOf(rt)!.sh.buddy.freeStats().blocks, 1, 'the idle heap coalesced back to one block');
  } finally {
    await rt.shutdown();
  }
});

test('a 64.5 MiB argument on an empty 128 MiB heap works; one larger than the heap says why', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 1 });
  try {
    const n = 64.5 * 1024 * 1024;
    assert.equal(await byteSum.spawn(new Uint8Array(n).fill(1).buffer), n);
    assert.throws(
      () => byteSum.spawn(new ArrayBuffer(129 * 1024 * 1024)),
      (e: unknown) => e instanceof ParallelHeapExhaustedError && !e.transient && /cannot fit the parallel heap/.test(e.message) && /parallelHeapBytes/.test(e.message),
    );
  } finally {
    await rt.shutdown();
  }
});

test('a finished task whose result finds the heap full waits for space instead of failing', async () => {
  const rt = new Runtime({ flavor: 'multi_thread', workers: 2, parallelHeapBytes: 64 * 1024 });
  try {
    const sh = poolOf(rt)!.sh;
    // Four results of 30 KB (a 32 KB block each) in a 64 KB heap: two fit, two must wait until
    // the main thread takes the first two out. The main thread stays busy (not draining) until
    // the heap is full and the other two had time to find it so.
    const hs = [1, 2, 3, 4].map((f) => bytesOf.spawn(30_000, f));
    await new Promise((r) => setImmediate(r));
    const until = Date.now() + 10_000;
    while (sh.buddy.freeStats().free !== 0 && Date.now() < until);
    const grace = Date.now() + 300;
    while (Date.now() < grace);
    const vs = await Promise.all(hs);
    assert.deepEqual(
      vs.map((v) => [v.length, v[0]]),
      [[30_000, 1], [30_000, 2], [30_000, 3], [30_000, 4]],
    );
  } finally {
    await rt.shutdown();
  }
});
