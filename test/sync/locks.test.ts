import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  run,
  spawn,
  yieldNow,
  Pending,
  Mutex,
  RwLock,
  Semaphore,
  AcquireError,
  GuardReleasedError,
  type Gen,
} from '../../src/index.js';
import { caught, manualCx } from './util.js';

function* incrementMany(m: Mutex<{ n: number }>, times: number, log: number[], id: number): Gen<void> {
  for (let i = 0; i < times; i++) {
    using g = yield* m.lock();
    const before = g.value.n;
    yield* yieldNow(); // hold the lock across a suspension
    g.value.n = before + 1;
    log.push(id);
  }
}

test('Mutex gives exclusive access across suspensions', async () => {
  const m = new Mutex({ n: 0 });
  await run(function* main() {
    const hs = [];
    const log: number[] = [];
    for (let t = 0; t < 10; t++) hs.push(spawn(incrementMany, m, 20, log, t));
    for (const h of hs) yield* h;
  });
  assert.equal(m.tryLock()?.value.n, 200);
});

test('Mutex is FIFO-fair: waiters get the lock in arrival order', () => {
  const m = new Mutex(0);
  const { cx } = manualCx();
  const held = m.tryLock();
  assert.ok(held !== null);
  const futs = [m.lock(), m.lock(), m.lock()];
  for (const f of futs) assert.equal(f.poll(cx), Pending);
  assert.equal(m.tryLock(), null, 'tryLock must not barge past queued waiters');
  held.release();
  assert.equal(futs[1]!.poll(cx), Pending);
  const g0 = futs[0]!.poll(cx);
  assert.notEqual(g0, Pending);
  if (g0 === Pending) return;
  g0.value = 1;
  g0.release();
  assert.equal(futs[2]!.poll(cx), Pending);
  const g1 = futs[1]!.poll(cx);
  assert.ok(g1 !== Pending && g1.value === 1);
});

test('MutexGuard: using releases, use after release throws GuardReleasedError, release is idempotent', () => {
  const m = new Mutex('a');
  {
    using g = m.tryLock()!;
    g.value = 'b';
    assert.equal(m.isLocked(), true);
  }
  assert.equal(m.isLocked(), false);
  const g = m.tryLock()!;
  g.release();
  g.release();
  assert.ok(caught(() => g.value) instanceof GuardReleasedError);
  assert.ok(caught(() => (g.value = 'c')) instanceof GuardReleasedError);
  assert.equal(m.tryLock()?.value, 'b');
});

test('a dropped lock() that was already granted passes the lock on', () => {
  const m = new Mutex(0);
  const { cx } = manualCx();
  const g = m.tryLock()!;
  const a = m.lock();
  const b = m.lock();
  assert.equal(a.poll(cx), Pending);
  assert.equal(b.poll(cx), Pending);
  g.release(); // lock handed to a
  a.drop(); // a never saw it: must go to b
  const gb = b.poll(cx);
  assert.notEqual(gb, Pending);
  if (gb !== Pending) gb.release();
  assert.equal(m.isLocked(), false);
});

test('a dropped queued lock() leaves the queue', () => {
  const m = new Mutex(0);
  const { cx } = manualCx();
  const g = m.tryLock()!;
  const a = m.lock();
  a.poll(cx);
  assert.equal(m.resourceInfo().waiters, 1);
  a.drop();
  a.drop();
  assert.equal(m.resourceInfo().waiters, 0);
  g.release();
  assert.equal(m.isLocked(), false);
});

test('Semaphore: acquire(n), tryAcquire, addPermits, release with using', async () => {
  const sem = new Semaphore(3);
  await run(function* main() {
    {
      using p = yield* sem.acquire(2);
      assert.equal(p.permits, 2);
      assert.equal(sem.availablePermits, 1);
      assert.equal(sem.tryAcquire(2), null);
      const one = sem.tryAcquire();
      assert.ok(one !== null);
      one.release();
    }
    assert.equal(sem.availablePermits, 3);
    sem.addPermits(2);
    assert.equal(sem.availablePermits, 5);
    const p = sem.tryAcquire(5)!;
    p.forget();
    assert.equal(sem.availablePermits, 0);
  });
});

test('Semaphore: a large request at the head is not starved by small ones', () => {
  const sem = new Semaphore(2);
  const { cx } = manualCx();
  const p = sem.tryAcquire(2)!;
  const big = sem.acquire(2);
  const small = sem.acquire(1);
  assert.equal(big.poll(cx), Pending);
  assert.equal(small.poll(cx), Pending);
  p.release();
  const b = big.poll(cx);
  assert.notEqual(b, Pending);
  assert.equal(small.poll(cx), Pending);
  if (b !== Pending) b.release();
  assert.notEqual(small.poll(cx), Pending);
});

test('Semaphore: bad counts are RangeErrors naming the value', () => {
  assert.throws(() => new Semaphore(-1), /Semaphore permits.*-1/);
  const sem = new Semaphore(1);
  assert.throws(() => sem.acquire(1.5), RangeError);
  assert.throws(() => sem.tryAcquire(-2), RangeError);
  assert.throws(() => sem.addPermits(Semaphore.MAX_PERMITS), RangeError);
});

test('Semaphore.close fails queued and later acquires with AcquireError; held permits stay valid', () => {
  const sem = new Semaphore(1);
  const { cx, wakes } = manualCx();
  const held = sem.tryAcquire()!;
  const waiting = sem.acquire();
  assert.equal(waiting.poll(cx), Pending);
  sem.close();
  assert.equal(wakes(), 1);
  assert.ok(caught(() => waiting.poll(cx)) instanceof AcquireError);
  assert.ok(caught(() => sem.acquire().poll(cx)) instanceof AcquireError);
  assert.ok(caught(() => sem.tryAcquire()) instanceof AcquireError);
  held.release();
  assert.equal(sem.availablePermits, 1);
  assert.equal(sem.isClosed(), true);
});

test('a dropped granted acquire returns its permits; a dropped queued head lets the next through', () => {
  const sem = new Semaphore(3);
  const { cx } = manualCx();
  const p = sem.tryAcquire(3)!;
  const a = sem.acquire(3);
  const b = sem.acquire(1);
  a.poll(cx);
  b.poll(cx);
  p.release(); // a granted 3
  assert.equal(sem.availablePermits, 0);
  a.drop(); // 3 return, 1 go to b
  assert.equal(sem.availablePermits, 2);
  const pb = b.poll(cx);
  assert.ok(pb !== Pending && pb.permits === 1);
  // Queued head dropped while the rest could be served:
  const sem2 = new Semaphore(1);
  const big = sem2.acquire(2);
  const small = sem2.acquire(1);
  big.poll(cx);
  assert.equal(small.poll(cx), Pending);
  big.drop();
  assert.notEqual(small.poll(cx), Pending);
});

test('RwLock: many readers at once, writers exclusive', () => {
  const l = new RwLock({ v: 1 });
  const r1 = l.tryRead()!;
  const r2 = l.tryRead()!;
  assert.equal(l.readers, 2);
  assert.equal(l.tryWrite(), null);
  assert.equal(r1.value.v + r2.value.v, 2);
  r1.release();
  r2.release();
  const w = l.tryWrite()!;
  assert.equal(l.tryRead(), null);
  w.value = { v: 5 };
  w.release();
  assert.ok(caught(() => w.value) instanceof GuardReleasedError);
  assert.equal(l.tryRead()!.value.v, 5);
});

test('RwLock is write-preferring: a queued writer blocks later readers (no writer starvation)', () => {
  const l = new RwLock(0);
  const { cx } = manualCx();
  const r = l.tryRead()!;
  const w = l.write();
  assert.equal(w.poll(cx), Pending);
  assert.equal(l.tryRead(), null, 'new readers must queue behind the writer');
  const r2 = l.read();
  assert.equal(r2.poll(cx), Pending);
  r.release();
  const wg = w.poll(cx);
  assert.ok(wg !== Pending);
  assert.equal(r2.poll(cx), Pending);
  wg.value = 9;
  wg.release();
  const rg = r2.poll(cx);
  assert.ok(rg !== Pending && rg.value === 9);
});

function* readerTask(l: RwLock<number>, seen: number[]): Gen<void> {
  using r = yield* l.read();
  yield* yieldNow();
  seen.push(r.value);
}
function* writerTask(l: RwLock<number>): Gen<void> {
  using w = yield* l.write();
  yield* yieldNow();
  w.value += 1;
}

test('RwLock under tasks: every writer applies, readers see consistent values', async () => {
  const l = new RwLock(0);
  const seen: number[] = [];
  await run(function* main() {
    const hs = [];
    for (let i = 0; i < 20; i++) hs.push(i % 4 === 0 ? spawn(writerTask, l) : spawn(readerTask, l, seen));
    for (const h of hs) yield* h;
  });
  assert.equal(l.tryWrite()!.value, 5);
  assert.equal(seen.length, 15);
});

function* lockForever(m: Mutex<number>): Gen<void> {
  using _g = yield* m.lock();
  yield* new Semaphore(0).acquire(); // never completes
}

test('aborting a task blocked in lock() or holding the guard releases everything', async () => {
  const m = new Mutex(0);
  await run(function* main() {
    const holder = spawn(lockForever, m);
    yield* yieldNow();
    const waiters = [spawn(lockForever, m), spawn(lockForever, m)];
    yield* yieldNow();
    assert.equal(m.resourceInfo().waiters, 2);
    waiters[0]!.abort();
    holder.abort();
    yield* yieldNow();
    yield* yieldNow();
    assert.equal(m.isLocked(), true, 'the second waiter now holds it');
    waiters[1]!.abort();
    yield* yieldNow();
    yield* yieldNow();
  });
  assert.equal(m.isLocked(), false);
  assert.equal(m.resourceInfo().waiters, 0);
});
