// Randomised programs that drop pending recv / lock / acquire at arbitrary points and check that
// no message, permit or lock is lost or leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  run,
  spawn,
  yieldNow,
  Pending,
  Semaphore,
  Mutex,
  mpsc,
  type Future,
  type Gen,
  type JoinHandle,
  type SemaphorePermit,
  type MutexGuard,
} from '../../src/index.js';
import { manualCx } from './util.js';

type Op = [number, number, number];
const opArb = fc.tuple(fc.nat(7), fc.nat(50), fc.nat(5));
const RUNS = 300;

test('property: Semaphore keeps every permit through random acquire/drop/release programs', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.array(opArb, { maxLength: 60 }), (P, ops: Op[]) => {
      const sem = new Semaphore(P);
      const { cx } = manualCx();
      const pending: { f: Future<SemaphorePermit>; n: number }[] = [];
      const held: SemaphorePermit[] = [];
      const heldSum = (): number => held.reduce((a, p) => a + p.permits, 0);
      for (const [kind, idx, k] of ops) {
        const n = k % (P + 1);
        if (kind <= 1) {
          const f = sem.acquire(n);
          const r = f.poll(cx);
          if (r === Pending) pending.push({ f, n });
          else held.push(r);
        } else if (kind === 2 && pending.length > 0) {
          const i = idx % pending.length;
          const r = pending[i]!.f.poll(cx);
          if (r !== Pending) {
            held.push(r);
            pending.splice(i, 1);
          }
        } else if ((kind === 3 || kind === 4) && pending.length > 0) {
          const i = idx % pending.length;
          pending[i]!.f.drop();
          pending.splice(i, 1);
        } else if (kind === 5 && held.length > 0) {
          held.splice(idx % held.length, 1)[0]!.release();
        } else if (kind === 6) {
          const p = sem.tryAcquire(n);
          if (p !== null) held.push(p);
        }
        assert.ok(sem.availablePermits + heldSum() <= P, 'more permits out than exist');
      }
      // Liveness: release everything; every pending acquire must then be served in turn.
      for (const p of held.splice(0)) p.release();
      for (let guard = 0; pending.length > 0 && guard < 1000; guard++) {
        const { f } = pending[0]!;
        let progressed = false;
        for (let i = 0; i < pending.length; i++) {
          const r = pending[i]!.f.poll(cx);
          if (r !== Pending) {
            r.release();
            pending.splice(i, 1);
            progressed = true;
            break;
          }
        }
        assert.ok(progressed || pending[0]!.f !== f, 'a pending acquire can never complete: a permit was lost');
      }
      assert.equal(pending.length, 0);
      assert.equal(sem.availablePermits, P, 'permits leaked');
      assert.equal(sem.resourceInfo().waiters, 0, 'a waiter leaked in the queue');
    }),
    { numRuns: RUNS },
  );
});

test('property: Mutex stays exclusive, FIFO, and never loses the lock through random lock/drop/unlock programs', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 60 }), (ops: Op[]) => {
      const m = new Mutex(0);
      const { cx } = manualCx();
      const pending: Future<MutexGuard<number>>[] = []; // in the order they queued
      let held: MutexGuard<number> | null = null;
      const took = (g: MutexGuard<number>): void => {
        assert.equal(held, null, 'two guards held at once');
        held = g;
      };
      const pollAt = (i: number): boolean => {
        const r = pending[i]!.poll(cx);
        if (r === Pending) return false;
        assert.equal(i, 0, 'the lock went to a waiter that was not first in line (not FIFO)');
        took(r);
        pending.splice(i, 1);
        return true;
      };
      for (const [kind, idx] of ops) {
        if (kind <= 1) {
          const queuedBefore = pending.length;
          const f = m.lock();
          const r = f.poll(cx);
          if (r === Pending) pending.push(f);
          else {
            assert.equal(queuedBefore, 0, 'lock() barged past queued waiters');
            took(r);
          }
        } else if (kind === 2 && pending.length > 0) {
          pollAt(idx % pending.length);
        } else if ((kind === 3 || kind === 4) && pending.length > 0) {
          pending.splice(idx % pending.length, 1)[0]!.drop();
        } else if (kind === 5 && held !== null) {
          (held as MutexGuard<number>).release();
          held = null;
        } else if (kind === 6) {
          const g = m.tryLock();
          if (g !== null) {
            assert.equal(pending.length, 0, 'tryLock barged past queued waiters');
            took(g);
          }
        }
      }
      if (held !== null) (held as MutexGuard<number>).release();
      held = null;
      while (pending.length > 0) {
        assert.ok(pollAt(0), 'the first pending lock cannot complete: the lock was lost');
        (held as unknown as MutexGuard<number>).release();
        held = null;
      }
      assert.equal(m.isLocked(), false);
      assert.equal(m.resourceInfo().waiters, 0);
    }),
    { numRuns: RUNS },
  );
});

test('property: bounded mpsc delivers exactly the completed sends, in order, through random drops', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.array(opArb, { maxLength: 80 }), (cap, ops: Op[]) => {
      const [tx, rx] = mpsc.channel<number>(cap);
      const { cx } = manualCx();
      let next = 0;
      const completed: number[] = [];
      const received: number[] = [];
      const dropped = new Set<number>();
      const sends: { f: Future<void>; v: number }[] = [];
      const permits: mpsc.Permit<number>[] = [];
      let recv: Future<number | undefined> | null = null;
      const got = (v: number | undefined): void => {
        assert.notEqual(v, undefined);
        received.push(v as number);
      };
      for (const [kind, idx] of ops) {
        if (kind === 0) {
          const v = next++;
          const f = tx.send(v);
          if (f.poll(cx) === Pending) sends.push({ f, v });
          else completed.push(v);
        } else if (kind === 1 && sends.length > 0) {
          const i = idx % sends.length;
          if (sends[i]!.f.poll(cx) !== Pending) completed.push(sends.splice(i, 1)[0]!.v);
        } else if (kind === 2 && sends.length > 0) {
          const s = sends.splice(idx % sends.length, 1)[0]!;
          s.f.drop();
          dropped.add(s.v);
        } else if (kind === 3) {
          if (recv === null) recv = rx.recv();
          const r = recv.poll(cx);
          if (r !== Pending) {
            got(r);
            recv = null;
          }
        } else if (kind === 4 && recv !== null) {
          recv.drop();
          recv = null;
        } else if (kind === 5) {
          const v = rx.tryRecv();
          if (v !== undefined) received.push(v);
        } else if (kind === 6) {
          const p = tx.tryReserve();
          if (p !== null) permits.push(p);
        } else if (kind === 7 && permits.length > 0) {
          const p = permits.splice(idx % permits.length, 1)[0]!;
          if (idx % 2 === 0) {
            const v = next++;
            p.send(v);
            completed.push(v);
          } else p.release();
        }
        assert.deepEqual(received, completed.slice(0, received.length), 'messages out of order or lost');
        assert.ok(rx.length <= cap);
      }
      recv?.drop();
      for (const p of permits) p.release();
      tx.close();
      while (sends.length > 0) {
        for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) received.push(v);
        const i = sends.findIndex((s) => s.f.poll(cx) !== Pending);
        assert.ok(i >= 0, 'a pending send can never complete: a slot was lost');
        completed.push(sends.splice(i, 1)[0]!.v);
      }
      for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) received.push(v);
      assert.deepEqual(received, completed);
      for (const v of received) assert.ok(!dropped.has(v), 'a dropped send was delivered');
      assert.equal(rx.isClosed(), true);
      assert.equal(rx.recv().poll(cx), undefined);
    }),
    { numRuns: RUNS },
  );
});

// ---- whole programs on the runtime, cancelling tasks (their pending future is dropped) ----

function* consumer(rx: mpsc.Receiver<number>, out: number[]): Gen<void> {
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) out.push(v);
}
function* producer(tx: mpsc.Sender<number>, from: number, count: number, pauses: number[]): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < count; i++) {
    yield* tx.send(from + i);
    for (let k = pauses[i % pauses.length]!; k > 0; k--) yield* yieldNow();
  }
}

test('property: aborting the consumer of an mpsc channel at random points loses no message', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.nat(3), { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(4), { minLength: 1, maxLength: 12 }),
      async (cap, pauses, abortAfter) => {
        const out: number[] = [];
        await run(function* main() {
          const [tx, rx] = mpsc.channel<number>(cap);
          const ps = [spawn(producer, tx.clone(), 0, 30, pauses), spawn(producer, tx, 1000, 30, pauses)];
          for (const steps of abortAfter) {
            const c = spawn(consumer, rx, out);
            for (let k = 0; k < steps; k++) yield* yieldNow();
            c.abort();
            yield* yieldNow();
          }
          yield* spawn(consumer, rx, out);
          for (const p of ps) yield* p;
        });
        assert.deepEqual(
          out.filter((v) => v < 1000),
          Array.from({ length: 30 }, (_, i) => i),
        );
        assert.deepEqual(
          out.filter((v) => v >= 1000),
          Array.from({ length: 30 }, (_, i) => 1000 + i),
        );
      },
    ),
    { numRuns: 60 },
  );
});

function* critical(m: Mutex<{ n: number; inside: number }>, sem: Semaphore, hold: number): Gen<void> {
  using _p = yield* sem.acquire();
  using g = yield* m.lock();
  g.value.inside++;
  assert.equal(g.value.inside, 1, 'mutual exclusion broken');
  try {
    for (let k = 0; k < hold; k++) yield* yieldNow();
  } finally {
    g.value.inside--;
  }
  g.value.n++;
}

test('property: aborting lock/acquire holders and waiters at random points leaks no lock or permit', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.nat(3), fc.boolean(), fc.nat(3)), { minLength: 1, maxLength: 20 }),
      async (plan) => {
        const m = new Mutex({ n: 0, inside: 0 });
        const sem = new Semaphore(2);
        let finished = 0;
        await run(function* main() {
          const hs: JoinHandle<void>[] = [];
          for (const [hold, abort, wait] of plan) {
            const h = spawn(critical, m, sem, hold);
            hs.push(h);
            for (let k = 0; k < wait; k++) yield* yieldNow();
            if (abort) h.abort();
          }
          for (const h of hs) {
            try {
              yield* h;
              finished++;
            } catch {
              // aborted
            }
          }
        });
        assert.equal(m.isLocked(), false, 'lock leaked');
        assert.equal(sem.availablePermits, 2, 'permit leaked');
        assert.equal(m.resourceInfo().waiters + sem.resourceInfo().waiters, 0, 'waiter leaked');
        const g = m.tryLock()!;
        assert.equal(g.value.n, finished);
        assert.equal(g.value.inside, 0);
      },
    ),
    { numRuns: 60 },
  );
});
