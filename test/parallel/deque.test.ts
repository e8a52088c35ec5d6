import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { SharedDeque, EMPTY, dequeWords } from '../../src/runtime/scheduler/multi_thread/deque.js';
import { SharedMpmc, mpmcWords } from '../../src/runtime/scheduler/multi_thread/mpmc.js';

const THREAD_URL = new URL('./deque_thread.js', import.meta.url);

test('deque matches a model under any sequence of push, pop and steal (one thread)', () => {
  const cap = 8;
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant('pop'), fc.constant('steal'), fc.integer({ min: 0, max: 1e6 })), { maxLength: 200 }), (ops) => {
      const mem = new Int32Array(dequeWords(cap) + 3);
      // Start the counters near the int32 limit so that wrap-around is exercised too.
      mem[1] = mem[2] = 2 ** 31 - 5;
      const dq = new SharedDeque(mem, 1, cap);
      const model: number[] = [];
      for (const op of ops) {
        if (op === 'pop') assert.equal(dq.pop(), model.length > 0 ? model.pop() : EMPTY);
        else if (op === 'steal') assert.equal(dq.steal(), model.length > 0 ? model.shift() : EMPTY);
        else {
          const ok = dq.push(op);
          assert.equal(ok, model.length < cap);
          if (ok) model.push(op);
        }
        assert.equal(dq.len(), model.length);
      }
    }),
    { numRuns: 300 },
  );
});

test('mpmc queue matches a FIFO model (one thread)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 1e6 })), { maxLength: 200 }), (ops) => {
      const cap = 8;
      const q = new SharedMpmc(new Int32Array(mpmcWords(cap)), 0, cap);
      q.init();
      const model: number[] = [];
      for (const op of ops) {
        if (op < 0) assert.equal(q.pop(), model.length > 0 ? model.shift() : -1);
        else {
          const ok = q.push(op);
          assert.equal(ok, model.length < cap);
          if (ok) model.push(op);
        }
        assert.equal(q.len(), model.length);
      }
    }),
    { numRuns: 300 },
  );
});

function run(job: object): Promise<{ taken: number; sum: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(THREAD_URL, { workerData: job });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const ITEMS = 1_000_000;
const expectedSum = (ITEMS * (ITEMS - 1)) / 2;

for (const threads of [2, 3, 4]) {
  test(`deque: ${ITEMS} items pushed and popped by the owner, stolen by ${threads - 1} thieves, each taken exactly once`, async () => {
    const cap = 256;
    const base = 4;
    const memBuf = new SharedArrayBuffer((base + dequeWords(cap)) * 4);
    const mem = new Int32Array(memBuf);
    const countsBuf = new SharedArrayBuffer(ITEMS * 4);
    const counts = new Int32Array(countsBuf);
    const dq = new SharedDeque(mem, base, cap);
    const thieves = Array.from({ length: threads - 1 }, () =>
      run({ mode: 'thief', mem: memBuf, counts: countsBuf, base, capacity: cap, from: 0, to: 0, doneIdx: 0 }),
    );
    while (Atomics.load(mem, 1) < threads - 1) await new Promise((r) => setTimeout(r, 1));
    let taken = 0;
    let sum = 0;
    const take = (x: number): void => {
      counts[x]!++;
      taken++;
      sum += x;
    };
    // The owner pushes in bursts and pops some back, racing the thieves for the last item.
    let next = 0;
    let round = 0;
    while (next < ITEMS) {
      const burst = 1 + (round++ % 300);
      for (let i = 0; i < burst && next < ITEMS; i++) {
        if (!dq.push(next)) break;
        next++;
      }
      const pops = round % 3 === 0 ? burst : burst >> 1;
      for (let i = 0; i < pops; i++) {
        const x = dq.pop();
        if (x === EMPTY) break;
        take(x);
      }
    }
    for (;;) {
      const x = dq.pop();
      if (x === EMPTY) break;
      take(x);
    }
    Atomics.store(mem, 0, 1);
    const results = await Promise.all(thieves);
    let stolen = 0;
    for (const r of results) {
      taken += r.taken;
      sum += r.sum;
      stolen += r.taken;
    }
    assert.equal(taken, ITEMS);
    assert.equal(sum, expectedSum);
    let bad = 0;
    for (let i = 0; i < ITEMS; i++) if (Atomics.load(counts, i) !== 1) bad++;
    assert.equal(bad, 0, `${bad} items taken zero or several times`);
    assert.ok(stolen > 0, 'the thieves stole something');
  });
}

test('mpmc queue: 2 producers and 2 consumers move 1,000,000 items, each exactly once', async () => {
  const cap = 1024;
  const memBuf = new SharedArrayBuffer((4 + mpmcWords(cap)) * 4);
  const mem = new Int32Array(memBuf);
  new SharedMpmc(mem, 4, cap).init();
  const countsBuf = new SharedArrayBuffer(ITEMS * 4);
  const common = { mem: memBuf, counts: countsBuf, base: 4, capacity: cap, doneIdx: 0 };
  const consumers = [run({ ...common, mode: 'consumer', from: 0, to: 0 }), run({ ...common, mode: 'consumer', from: 0, to: 0 })];
  await Promise.all([run({ ...common, mode: 'producer', from: 0, to: ITEMS / 2 }), run({ ...common, mode: 'producer', from: ITEMS / 2, to: ITEMS })]);
  Atomics.store(mem, 0, 1);
  const rs = await Promise.all(consumers);
  assert.equal(rs[0]!.taken + rs[1]!.taken, ITEMS);
  assert.equal(rs[0]!.sum + rs[1]!.sum, expectedSum);
  const counts = new Int32Array(countsBuf);
  let bad = 0;
  for (let i = 0; i < ITEMS; i++) if (counts[i] !== 1) bad++;
  assert.equal(bad, 0);
});
