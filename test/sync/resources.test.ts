import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mutex, RwLock, Semaphore, Notify, Barrier, mpsc, oneshot, broadcast, watch, listResources } from '../../src/index.js';
import { resourceRegistry } from '../../src/runtime/resources.js';
import { manualCx } from './util.js';

test('every primitive registers with the console and reports waiters and figures', () => {
  resourceRegistry.enabled = true;
  try {
    const { cx } = manualCx();
    const m = new Mutex(0);
    const g = m.tryLock()!;
    const l1 = m.lock();
    l1.poll(cx);
    const sem = new Semaphore(2);
    const [tx, rx] = mpsc.channel<number>(1);
    tx.trySend(1);
    const s = tx.send(2);
    s.poll(cx);
    const keep = [new RwLock(0), new Notify(), new Barrier(2), oneshot<number>(), broadcast<number>(2), watch(0), rx, sem];
    const infos = listResources();
    const kinds = new Set(infos.map((i) => i.kind));
    for (const k of ['mutex', 'semaphore', 'mpsc', 'rwlock', 'notify', 'barrier', 'oneshot', 'broadcast', 'watch']) {
      assert.ok(kinds.has(k), `missing ${k}`);
    }
    const mi = infos.find((i) => i.kind === 'mutex')!;
    assert.equal(mi.waiters, 1);
    assert.equal(mi.details?.['locked'], true);
    const ci = infos.find((i) => i.kind === 'mpsc')!;
    assert.equal(ci.details?.['queued'], 1);
    assert.equal(ci.details?.['blockedSenders'], 1);
    assert.equal(infos.find((i) => i.kind === 'semaphore')!.details?.['permits'], 2);
    l1.drop();
    g.release();
    s.drop();
    assert.equal(m.resourceInfo().waiters, 0);
    assert.equal(rx.resourceInfo().details?.['blockedSenders'], 0);
    void keep;
  } finally {
    resourceRegistry.enabled = false;
    resourceRegistry.live.clear();
  }
});
