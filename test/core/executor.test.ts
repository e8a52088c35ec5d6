import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Future, Pending, Runtime, pollProceed, spawn, yieldNow, BUDGET, type Context, type Poll } from '../../src/index.js';

/** Always ready, but spends the coop budget like a runtime resource (a never-empty channel). */
class AlwaysReady extends Future<number> {
  served = 0;
  poll(cx: Context): Poll<number> {
    if (!pollProceed(cx)) return Pending;
    return ++this.served;
  }
}

test('the coop budget forces a task that always finds work ready to yield after 128 results', async () => {
  const rt = new Runtime();
  const src = new AlwaysReady();
  let otherRanAt = -1;
  function* greedy() {
    for (let i = 0; i < 300; i++) yield* src;
  }
  function* other() {
    otherRanAt = src.served;
  }
  await rt.blockOn(function* () {
    const g = spawn(greedy);
    const o = spawn(other);
    yield* g;
    yield* o;
  });
  // `other` was queued behind `greedy`; the budget let it run after exactly BUDGET results.
  assert.equal(otherRanAt, BUDGET);
  assert.equal(src.served, 300);
  assert.equal(rt.metrics().budgetForcedYieldCount, 2);
});

test('a busy ready queue yields to the event loop every eventInterval polls', async () => {
  const rt = new Runtime({ eventInterval: 10 });
  let immediateRanAfter = -1;
  let polls = 0;
  function* spinner() {
    for (let i = 0; i < 100; i++) {
      polls++;
      yield* yieldNow();
    }
  }
  setImmediate(() => {
    immediateRanAfter = polls;
  });
  await rt.blockOn(spinner);
  assert.ok(immediateRanAfter > 0 && immediateRanAfter <= 10, `I/O phase ran after ${immediateRanAfter} polls`);
});

test('eventInterval must be at least 1', () => {
  assert.throws(() => new Runtime({ eventInterval: 0 }), RangeError);
});

test('the body function is not called before the task is first polled', async () => {
  const rt = new Runtime();
  let called = 0;
  function* body(x: number) {
    called += x;
  }
  const h = rt.spawn(body, 1);
  assert.equal(called, 0, 'spawning does not run anything');
  await h;
  assert.equal(called, 1);
});

test('FIFO order: tasks run in the order they were spawned and woken', async () => {
  const order: number[] = [];
  function* rec(i: number) {
    order.push(i);
    yield* yieldNow();
    order.push(i + 100);
  }
  await new Runtime().blockOn(function* () {
    const hs = [spawn(rec, 1), spawn(rec, 2), spawn(rec, 3)];
    for (const h of hs) yield* h;
  });
  assert.deepEqual(order, [1, 2, 3, 101, 102, 103]);
});

test('a task that throws does not affect the runtime: later spawns still run', async () => {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  function* bad() {
    throw new Error('bad');
  }
  function* good() {
    return 'ok';
  }
  rt.spawn(bad);
  rt.spawn(bad);
  assert.equal(await rt.blockOn(good), 'ok');
  assert.equal(rt.metrics().numAliveTasks, 0);
});

test('default unhandled-error report names the task and its spawn location', async () => {
  const lines: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => void lines.push(a.map(String).join(' '));
  try {
    const rt = new Runtime();
    function* lonelyFailure() {
      throw new Error('unseen');
    }
    rt.spawn(lonelyFailure);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  } finally {
    console.error = orig;
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /lonelyFailure/);
  assert.match(lines[0]!, /executor\.test\.ts:\d+/);
  assert.match(lines[0]!, /unseen/);
});
