import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, spawn, yieldNow, Pending, Notify, Barrier, type Gen } from '../../src/index.js';
import { manualCx } from './util.js';

test('notifyOne with no waiter stores one permit, consumed by the next notified()', () => {
  const n = new Notify();
  const { cx } = manualCx();
  n.notifyOne();
  n.notifyOne(); // still a single permit
  assert.equal(n.notified().poll(cx), undefined);
  assert.equal(n.notified().poll(cx), Pending);
});

test('notifyOne wakes waiters in FIFO order, one at a time', () => {
  const n = new Notify();
  const { cx } = manualCx();
  const a = n.notified();
  const b = n.notified();
  assert.equal(a.poll(cx), Pending);
  assert.equal(b.poll(cx), Pending);
  n.notifyOne();
  assert.equal(b.poll(cx), Pending);
  assert.equal(a.poll(cx), undefined);
  n.notifyOne();
  assert.equal(b.poll(cx), undefined);
});

test('notifyWaiters wakes all current waiters, including created-but-unpolled ones, and stores no permit', () => {
  const n = new Notify();
  const { cx } = manualCx();
  const a = n.notified();
  a.poll(cx);
  const b = n.notified(); // not polled yet
  n.notifyWaiters();
  assert.equal(a.poll(cx), undefined);
  assert.equal(b.poll(cx), undefined);
  assert.equal(n.notified().poll(cx), Pending);
});

test('a dropped notified() chosen by notifyOne forwards the notification', () => {
  const n = new Notify();
  const { cx } = manualCx();
  const a = n.notified();
  const b = n.notified();
  a.poll(cx);
  b.poll(cx);
  n.notifyOne(); // goes to a
  a.drop();
  assert.equal(b.poll(cx), undefined);
  const c = n.notified();
  c.poll(cx);
  c.drop(); // queued drop: leaves the list
  assert.equal(n.resourceInfo().waiters, 0);
  n.notifyOne();
  assert.equal(n.notified().poll(cx), undefined, 'permit stored since nobody waited');
});

function* arrive(b: Barrier, leaders: boolean[]): Gen<void> {
  const r = yield* b.wait();
  leaders.push(r.isLeader());
}

test('Barrier releases all n waiters together with exactly one leader, and is reusable', async () => {
  const b = new Barrier(3);
  const leaders: boolean[] = [];
  await run(function* main() {
    const hs = [spawn(arrive, b, leaders), spawn(arrive, b, leaders)];
    yield* yieldNow();
    assert.equal(leaders.length, 0);
    hs.push(spawn(arrive, b, leaders));
    for (const h of hs) yield* h;
    const more = [spawn(arrive, b, leaders), spawn(arrive, b, leaders), spawn(arrive, b, leaders)];
    for (const h of more) yield* h;
  });
  assert.equal(leaders.length, 6);
  assert.equal(leaders.filter((x) => x).length, 2);
});

test('a dropped Barrier wait withdraws its arrival', () => {
  const b = new Barrier(2);
  const { cx } = manualCx();
  const a = b.wait();
  assert.equal(a.poll(cx), Pending);
  a.drop();
  const c = b.wait();
  assert.equal(c.poll(cx), Pending, 'the dropped waiter must not count');
  const d = b.wait();
  const r = d.poll(cx);
  assert.ok(r !== Pending && r.isLeader());
  const rc = c.poll(cx);
  assert.ok(rc !== Pending && !rc.isLeader());
  assert.throws(() => new Barrier(0), RangeError);
});
