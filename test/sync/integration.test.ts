// Sync primitives under the real combinators: select / timeout drop the losing branch, which must
// leave every queue clean and lose nothing. Runs on a paused clock, so no timing is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, spawn, select, timeout, sleep, Elapsed, Mutex, Semaphore, Notify, mpsc, oneshot, type Gen } from '../../src/index.js';

function* tickProducer(tx: mpsc.Sender<number>, n: number): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < n; i++) {
    yield* sleep(i % 3 === 0 ? 25 : 3);
    yield* tx.send(i);
  }
}

function* selectConsumer(rx: mpsc.Receiver<number>): Gen<{ got: number[]; idle: number }> {
  const got: number[] = [];
  let idle = 0;
  for (;;) {
    const r = yield* select({ msg: rx.recv(), tick: sleep(10) });
    if (r.key === 'tick') {
      idle++;
      continue;
    }
    if (r.value === undefined) return { got, idle };
    got.push(r.value);
  }
}

test('select({ recv, sleep }) in a loop loses no message and leaves no waiter', async () => {
  const rt = new Runtime({ startPaused: true });
  const [tx, rx] = mpsc.channel<number>(2);
  const res = await rt.blockOn(function* main() {
    spawn(tickProducer, tx, 30);
    return yield* selectConsumer(rx);
  });
  await rt.shutdown();
  assert.deepEqual(res.got, Array.from({ length: 30 }, (_, i) => i));
  assert.ok(res.idle > 0, 'the sleep branch must have won sometimes (so recv was dropped)');
  assert.equal(rx.resourceInfo().waiters, 0);
});

function* holdFor(m: Mutex<number>, ms: number): Gen<void> {
  using _g = yield* m.lock();
  yield* sleep(ms);
}

test('timeout around lock() and acquire(): Elapsed, and the lock/permits go to the next in line', async () => {
  const rt = new Runtime({ startPaused: true });
  const m = new Mutex(0);
  const sem = new Semaphore(1);
  await rt.blockOn(function* main() {
    const h = spawn(holdFor, m, 100);
    yield* sleep(1);
    let elapsed = 0;
    try {
      yield* timeout(10, m.lock());
    } catch (e) {
      if (e instanceof Elapsed) elapsed++;
      else throw e;
    }
    assert.equal(m.resourceInfo().waiters, 0, 'the timed-out lock() left the queue');
    const p = sem.tryAcquire()!;
    try {
      yield* timeout(10, sem.acquire());
    } catch (e) {
      if (e instanceof Elapsed) elapsed++;
      else throw e;
    }
    assert.equal(elapsed, 2);
    assert.equal(sem.resourceInfo().waiters, 0);
    p.release();
    assert.equal(sem.availablePermits, 1);
    const g = yield* m.lock(); // waits for holdFor to finish
    g.value = 1;
    g.release();
    yield* h;
  });
  await rt.shutdown();
  assert.equal(m.isLocked(), false);
});

function* notifyLater(n: Notify, ms: number): Gen<void> {
  yield* sleep(ms);
  n.notifyOne();
}

test('select over a oneshot and a Notify: the losing oneshot can still be awaited afterwards', async () => {
  const rt = new Runtime({ startPaused: true });
  const n = new Notify();
  const [tx, rx] = oneshot<string>();
  const out = await rt.blockOn(function* main() {
    spawn(notifyLater, n, 5);
    const r = yield* select({ value: rx, note: n.notified() });
    assert.equal(r.key, 'note');
    tx.send('late');
    return yield* rx; // the dropped branch lost nothing
  });
  await rt.shutdown();
  assert.equal(out, 'late');
});
