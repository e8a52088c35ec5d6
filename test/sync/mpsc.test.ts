import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, spawn, yieldNow, Pending, mpsc, SendError, Runtime, type Gen } from '../../src/index.js';
import { caught, manualCx } from './util.js';

function* produce(tx: mpsc.Sender<number>, from: number, count: number): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < count; i++) yield* tx.send(from + i);
}

test('bounded channel: many producers, order kept per producer, closes when all senders close', async () => {
  const got = await run(function* main() {
    const [tx, rx] = mpsc.channel<number>(4);
    spawn(produce, tx.clone(), 1000, 50);
    spawn(produce, tx.clone(), 2000, 50);
    spawn(produce, tx, 3000, 50);
    const out: number[] = [];
    for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) out.push(v);
    return out;
  });
  assert.equal(got.length, 150);
  for (const base of [1000, 2000, 3000]) {
    const mine = got.filter((v) => v >= base && v < base + 1000);
    assert.deepEqual(mine, Array.from({ length: 50 }, (_, i) => base + i));
  }
});

test('send waits for capacity; capacity counts buffered and reserved slots', () => {
  const [tx, rx] = mpsc.channel<string>(2);
  const { cx } = manualCx();
  assert.equal(tx.trySend('a'), true);
  const permit = tx.tryReserve()!;
  assert.equal(tx.capacity, 0);
  assert.equal(tx.trySend('b'), false);
  const s = tx.send('c');
  assert.equal(s.poll(cx), Pending);
  assert.equal(rx.tryRecv(), 'a'); // frees a slot, reserved for the queued send
  assert.equal(tx.trySend('x'), false, 'trySend must not overtake a queued send');
  assert.equal(s.poll(cx), undefined);
  permit.send('p');
  assert.equal(rx.tryRecv(), 'c');
  assert.equal(rx.tryRecv(), 'p');
  assert.equal(rx.tryRecv(), undefined);
  assert.equal(tx.maxCapacity, 2);
});

test('sending on a closed channel throws SendError with the value; queued sends fail the same way', () => {
  const [tx, rx] = mpsc.channel<{ n: number }>(1);
  const { cx } = manualCx();
  tx.trySend({ n: 1 });
  const msg = { n: 2 };
  const s = tx.send(msg);
  assert.equal(s.poll(cx), Pending);
  rx.close();
  const e = caught(() => s.poll(cx));
  assert.ok(e instanceof SendError && e.value === msg && /receiver was closed/.test(e.message));
  const msg3 = { n: 3 };
  const e2 = caught(() => tx.trySend(msg3));
  assert.ok(e2 instanceof SendError && e2.value === msg3);
  assert.deepEqual(rx.tryRecv(), { n: 1 }, 'buffered messages survive close');
  assert.equal(rx.isClosed(), true);
});

test('a closed sender handle refuses to send, and the last close ends the channel', async () => {
  const [tx, rx] = mpsc.unbounded<number>();
  const tx2 = tx.clone();
  tx.send(1);
  tx.close();
  assert.ok(caught(() => tx.send(2)) instanceof SendError);
  assert.equal(rx.isClosed(), false);
  {
    using _t = tx2;
    tx2.send(3);
  }
  assert.equal(rx.isClosed(), true);
  const all = await run(function* main() {
    const out: (number | undefined)[] = [];
    out.push(yield* rx.recv(), yield* rx.recv(), yield* rx.recv());
    return out;
  });
  assert.deepEqual(all, [1, 3, undefined]);
});

test('reserve(): permit.send cannot fail for lack of room; an unused permit frees its slot', async () => {
  await run(function* main() {
    const [tx, rx] = mpsc.channel<number>(1);
    {
      using _p = yield* tx.reserve();
      assert.equal(tx.capacity, 0);
    }
    assert.equal(tx.capacity, 1);
    const p = yield* tx.reserve();
    p.send(7);
    assert.ok(caught(() => p.send(8)) instanceof SendError);
    assert.equal(yield* rx.recv(), 7);
  });
});

test('a dropped pending recv loses no message', () => {
  const [tx, rx] = mpsc.channel<number>(8);
  const { cx } = manualCx();
  const r = rx.recv();
  assert.equal(r.poll(cx), Pending);
  r.drop();
  tx.trySend(1);
  assert.equal(rx.tryRecv(), 1);
});

test('a dropped send that was granted a slot hands the slot on and sends nothing', () => {
  const [tx, rx] = mpsc.channel<string>(1);
  const { cx } = manualCx();
  tx.trySend('first');
  const a = tx.send('dropped');
  const b = tx.send('kept');
  a.poll(cx);
  b.poll(cx);
  assert.equal(rx.tryRecv(), 'first'); // slot granted to a
  a.drop();
  assert.equal(b.poll(cx), undefined);
  assert.equal(rx.tryRecv(), 'kept');
  assert.equal(rx.tryRecv(), undefined);
});

test('for await over a receiver works from plain async code', async () => {
  const [tx, rx] = mpsc.channel<number>(2);
  const producer = (async () => {
    for (let i = 0; i < 10; i++) {
      while (!tx.trySend(i)) await new Promise((r) => setImmediate(r));
    }
    tx.close();
  })();
  const got: number[] = [];
  for await (const v of rx) got.push(v);
  await producer;
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

function* spin(rx: mpsc.Receiver<number>, counter: { polls: number }): Gen<number> {
  let sum = 0;
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) sum += v;
  counter.polls++;
  return sum;
}
function* ticker(counter: { ticks: number; polls: number; tickedBeforeSpinDone: boolean }): Gen<void> {
  counter.ticks++;
  counter.tickedBeforeSpinDone = counter.polls === 0;
}

test('recv spends the coop budget: a busy receiver lets other tasks run', async () => {
  const [tx, rx] = mpsc.unbounded<number>();
  for (let i = 0; i < 1000; i++) tx.send(1);
  tx.close();
  const c = { polls: 0, ticks: 0, tickedBeforeSpinDone: false };
  await run(function* main() {
    const h = spawn(spin, rx, c);
    spawn(ticker, c);
    yield* yieldNow();
    assert.equal(yield* h, 1000);
  });
  assert.equal(c.ticks, 1);
  assert.equal(c.tickedBeforeSpinDone, true, 'the receiver must yield after spending its budget');
});

test('bad capacity is a RangeError naming it', () => {
  assert.throws(() => mpsc.channel(0), /mpsc.channel capacity.*0/);
  assert.throws(() => mpsc.channel(1.5), RangeError);
});

function* docProducer(tx: mpsc.Sender<number>, from: number): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < 3; i++) yield* tx.send(from + i);
}

test('the docs/sync.md opening example computes 906', async () => {
  const { Mutex } = await import('../../src/index.js');
  function* main(): Gen<number> {
    const total = new Mutex(0);
    const [tx, rx] = mpsc.channel<number>(16);
    spawn(docProducer, tx.clone(), 100);
    spawn(docProducer, tx, 200);
    for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) {
      using g = yield* total.lock();
      g.value += v;
    }
    return total.tryLock()!.value;
  }
  assert.equal(await run(main), 906);
});

test('sender.closed() completes when the receiver closes; dropping it leaves the list', () => {
  const [tx, rx] = mpsc.channel<number>(1);
  const { cx, wakes } = manualCx();
  const a = tx.closed();
  const b = tx.closed();
  assert.equal(a.poll(cx), Pending);
  assert.equal(b.poll(cx), Pending);
  assert.equal(rx.resourceInfo().waiters, 2);
  b.drop();
  assert.equal(rx.resourceInfo().waiters, 1);
  rx.close();
  assert.equal(wakes(), 1);
  assert.equal(a.poll(cx), undefined);
  assert.equal(tx.closed().poll(cx), undefined);
});

test('recvMany takes up to limit buffered messages, frees slots for waiting senders, gives 0 at the end', async () => {
  const [tx, rx] = mpsc.channel<number>(3);
  const { cx } = manualCx();
  for (const v of [1, 2, 3]) tx.trySend(v);
  const s = tx.send(4);
  assert.equal(s.poll(cx), Pending);
  const out: number[] = [];
  assert.equal(rx.recvMany(out, 2).poll(cx), 2);
  assert.deepEqual(out, [1, 2]);
  assert.equal(s.poll(cx), undefined, 'a freed slot went to the queued send');
  tx.close();
  assert.equal(rx.recvMany(out, 10).poll(cx), 2);
  assert.deepEqual(out, [1, 2, 3, 4]);
  assert.equal(rx.recvMany(out, 10).poll(cx), 0);
  assert.throws(() => rx.recvMany(out, 0), RangeError);
  const [tx2, rx2] = mpsc.channel<number>(1);
  const pending = rx2.recvMany(out, 5);
  assert.equal(pending.poll(cx), Pending);
  pending.drop();
  tx2.trySend(9);
  assert.equal(rx2.tryRecv(), 9, 'a dropped recvMany took nothing');
});

function* slowProducer(tx: mpsc.Sender<number>, n: number): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < n; i++) {
    yield* tx.send(i);
    yield* yieldNow();
  }
}

test('for await in plain async code consumes what runtime tasks send (wakes cross into promises)', async () => {
  const [tx, rx] = mpsc.channel<number>(1);
  const rt = new Runtime();
  const done = rt.blockOn(slowProducer, tx, 50);
  let sum = 0;
  let count = 0;
  for await (const v of rx) {
    sum += v;
    count++;
  }
  await done;
  await rt.shutdown();
  assert.equal(count, 50);
  assert.equal(sum, (49 * 50) / 2);
});
