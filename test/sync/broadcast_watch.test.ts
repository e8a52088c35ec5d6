import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, spawn, yieldNow, Pending, broadcast, watch, Lagged, SendError, RecvError, type Gen, type WatchReceiver } from '../../src/index.js';
import { caught, manualCx } from './util.js';

test('broadcast: every receiver sees every value; closing all senders ends them', async () => {
  const [tx, rx1] = broadcast<number>(4);
  const rx2 = tx.subscribe();
  assert.equal(tx.send(1), 2);
  tx.send(2);
  tx.close();
  await run(function* main() {
    for (const rx of [rx1, rx2]) {
      assert.equal(yield* rx.recv(), 1);
      assert.equal(yield* rx.recv(), 2);
      assert.equal(yield* rx.recv(), undefined);
    }
  });
});

test('broadcast: a slow receiver gets Lagged(n) and continues with the oldest kept value', () => {
  const [tx, rx] = broadcast<number>(4);
  for (let i = 0; i < 10; i++) tx.send(i);
  const e = caught(() => rx.tryRecv());
  assert.ok(e instanceof Lagged && e.n === 6 && /Lagged\(6\)/.test(e.message));
  assert.deepEqual([rx.tryRecv(), rx.tryRecv(), rx.tryRecv(), rx.tryRecv(), rx.tryRecv()], [6, 7, 8, 9, undefined]);
});

test('broadcast: Lagged through recv(); send without receivers hands the value back', async () => {
  const [tx, rx] = broadcast<string>(2);
  for (const s of ['a', 'b', 'c']) tx.send(s);
  await run(function* main() {
    let lag = 0;
    try {
      yield* rx.recv();
    } catch (e) {
      if (e instanceof Lagged) lag = e.n;
    }
    assert.equal(lag, 1);
    assert.equal(yield* rx.recv(), 'b');
  });
  rx.close();
  const e = caught(() => tx.send('lost?'));
  assert.ok(e instanceof SendError && e.value === 'lost?');
});

test('broadcast: a dropped pending recv leaves the waiter list and loses nothing', () => {
  const [tx, rx] = broadcast<number>(4);
  const { cx } = manualCx();
  const r = rx.recv();
  assert.equal(r.poll(cx), Pending);
  assert.equal(rx.resourceInfo().waiters, 1);
  r.drop();
  assert.equal(rx.resourceInfo().waiters, 0);
  tx.send(5);
  assert.equal(rx.tryRecv(), 5);
});

function* follow(rx: WatchReceiver<number>, seen: number[]): Gen<void> {
  try {
    for (;;) {
      yield* rx.changed();
      seen.push(rx.borrowAndUpdate());
    }
  } catch (e) {
    if (!(e instanceof RecvError)) throw e;
  }
}

test('watch: borrow, changed, send; the last sender closing ends changed()', async () => {
  const [tx, rx] = watch(0);
  assert.equal(rx.borrow(), 0);
  assert.equal(rx.hasChanged(), false);
  const seen: number[] = [];
  await run(function* main() {
    const h = spawn(follow, rx.clone(), seen);
    yield* yieldNow();
    tx.send(1);
    yield* yieldNow();
    tx.send(2);
    tx.send(3); // coalesced with 2: watch keeps only the latest
    yield* yieldNow();
    tx.close();
    yield* h;
  });
  assert.deepEqual(seen, [1, 3]);
  assert.equal(rx.hasChanged(), true);
  assert.equal(rx.borrowAndUpdate(), 3);
});

test('watch: send without receivers throws SendError with the value; sendReplace always stores', () => {
  const [tx, rx] = watch('a');
  rx.close();
  const e = caught(() => tx.send('b'));
  assert.ok(e instanceof SendError && e.value === 'b');
  assert.equal(tx.sendReplace('c'), 'a');
  assert.equal(tx.borrow(), 'c');
  const rx2 = tx.subscribe();
  assert.equal(rx2.hasChanged(), false);
});

test('watch: a dropped changed() leaves the list and the change stays unseen', () => {
  const [tx, rx] = watch(0);
  const { cx } = manualCx();
  const c = rx.changed();
  assert.equal(c.poll(cx), Pending);
  c.drop();
  assert.equal(rx.resourceInfo().waiters, 0);
  tx.send(1);
  assert.equal(rx.changed().poll(cx), undefined);
});
