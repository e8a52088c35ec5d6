import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, spawn, oneshot, RecvError, SendError, yieldNow, type OneshotSender, type Gen } from '../../src/index.js';

function* sendLater(tx: OneshotSender<number>, v: number): Gen<void> {
  yield* yieldNow();
  tx.send(v);
}

test('oneshot delivers one value across tasks', async () => {
  const v = await run(function* main() {
    const [tx, rx] = oneshot<number>();
    spawn(sendLater, tx, 7);
    return yield* rx;
  });
  assert.equal(v, 7);
});

test('receiving twice throws RecvError naming the problem', async () => {
  await run(function* main() {
    const [tx, rx] = oneshot<number>();
    tx.send(1);
    assert.equal(yield* rx.recv(), 1);
    assert.throws(() => rx.tryRecv(), (e: unknown) => e instanceof RecvError && /already received/.test(e.message));
    let caught: unknown;
    try {
      yield* rx;
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof RecvError);
  });
});

test('sender closed without sending fails the receiver', async () => {
  await run(function* main() {
    const [tx, rx] = oneshot<number>();
    {
      using _tx = tx;
    }
    let caught: unknown;
    try {
      yield* rx;
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof RecvError && /closed without sending/.test(caught.message));
  });
});

test('send after receiver close hands the value back', () => {
  const [tx, rx] = oneshot<{ id: number }>();
  rx.close();
  const msg = { id: 3 };
  assert.equal(tx.isClosed(), true);
  assert.throws(
    () => tx.send(msg),
    (e: unknown) => e instanceof SendError && e.value === msg,
  );
  const [tx2] = oneshot<number>();
  tx2.send(1);
  assert.throws(() => tx2.send(2), (e: unknown) => e instanceof SendError && e.value === 2);
});

test('a dropped pending receive loses nothing', async () => {
  await run(function* main() {
    const [tx, rx] = oneshot<number>();
    const cx = { waker: { wake() {}, wakeByRef() {}, clone() { return this; }, willWake() { return false; } } };
    assert.equal(rx.tryRecv(), undefined);
    rx.poll(cx);
    rx.drop();
    tx.send(5);
    assert.equal(yield* rx, 5);
  });
});
