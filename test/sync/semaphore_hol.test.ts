// Head-of-line blocking in the fair semaphore: an acquire larger than what is free (or than what
// exists) waits at the head, gathers what is released, and its state is reported honestly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlockError, Pending, Runtime, Semaphore, startConsole, yieldNow, type SemaphorePermit } from '../../src/index.js';
import { manualCx } from './util.js';

test('Semaphore(2).acquire(3): the waiter gathers both permits, so availablePermits and tryAcquire agree', () => {
  const sem = new Semaphore(2);
  const { cx, wakes } = manualCx();
  const big = sem.acquire(3);
  assert.equal(big.poll(cx), Pending);
  assert.equal(sem.availablePermits, 0, 'the head waiter holds the two permits it gathered');
  assert.equal(sem.totalPermits, 2);
  assert.equal(sem.tryAcquire(1), null);
  const small = sem.acquire(1);
  assert.equal(small.poll(cx), Pending, 'fair: the later acquire(1) waits behind acquire(3)');
  sem.addPermits(1);
  assert.equal(wakes(), 1, 'addPermits(1) wakes the acquire(3)');
  const p = big.poll(cx) as SemaphorePermit;
  assert.equal(p.permits, 3);
  assert.equal(small.poll(cx), Pending);
  p.release();
  assert.equal((small.poll(cx) as SemaphorePermit).permits, 1);
  assert.equal(sem.availablePermits, 2);
});

test('dropping a head waiter hands back what it gathered; forget shrinks the total', () => {
  const sem = new Semaphore(2);
  const { cx } = manualCx();
  const held = sem.tryAcquire(1)!;
  const big = sem.acquire(2);
  assert.equal(big.poll(cx), Pending);
  assert.equal(sem.availablePermits, 0);
  big.drop();
  assert.equal(sem.availablePermits, 1, 'the gathered permit is free again');
  held.forget();
  assert.equal(sem.totalPermits, 1);
  assert.equal(sem.availablePermits, 1);
  const again = sem.acquire(2);
  assert.equal(again.poll(cx), Pending);
  sem.close();
  assert.throws(() => again.poll(cx));
  assert.equal(sem.availablePermits, 1, 'closing returns what a waiter gathered');
});

function* takeThree(sem: Semaphore) {
  using _p = yield* sem.acquire(3);
}

test('DeadlockError names a waiter asking for more permits than the semaphore holds', async () => {
  const rt = new Runtime();
  const sem = new Semaphore(2);
  await assert.rejects(rt.blockOn(takeThree, sem), (e: unknown) => {
    assert.ok(e instanceof DeadlockError);
    assert.match(e.message, /waits for 3 permit\(s\) but the semaphore holds only 2 in total/);
    return true;
  });
  await rt.shutdown();
});

test('the console lints a waiter asking for more permits than the semaphore holds', async () => {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  startConsole(rt, { port: 0 });
  try {
    const sem = new Semaphore(2);
    await rt.blockOn(function* () {
      const h = rt.spawn(takeThree, sem);
      yield* yieldNow();
      const l = rt.lints().find((x) => x.kind === 'semaphore-oversized-acquire');
      assert.ok(l, 'lint listed');
      assert.equal(l.severity, 'error');
      assert.equal(l.value, 3);
      assert.match(l.message, /only 2 in total/);
      h.abort();
    });
  } finally {
    await rt.shutdown();
  }
});
