/**
 * The resource adapters on kyoto's own resources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Lagged,
  Runtime,
  broadcast,
  fromBroadcast,
  fromReceiver,
  fromWatch,
  mpsc,
  run,
  sleep,
  spawn,
  watch,
  yieldNow,
} from '../../src/index.js';

function* produce(tx: mpsc.Sender<number>, n: number) {
  for (let i = 0; i < n; i++) yield* tx.send(i);
  tx.close();
}

test('fromReceiver over an mpsc channel: every value in order, ends when the senders close', async () => {
  const out = await run(function* () {
    const [tx, rx] = mpsc.channel<number>(4);
    spawn(produce, tx, 50);
    return yield* fromReceiver(rx).map((x) => x * 2).collect();
  });
  assert.deepEqual(out, Array.from({ length: 50 }, (_, i) => i * 2));
});

test('fromReceiver: dropping the stream closes the receiver, so senders see it closed', async () => {
  await run(function* () {
    const [tx, rx] = mpsc.channel<number>(4);
    tx.trySend(1);
    tx.trySend(2);
    const firstTwo = yield* fromReceiver(rx).take(2).collect();
    assert.deepEqual(firstTwo, [1, 2]);
    assert.equal(tx.isClosed(), true);
    assert.throws(() => tx.trySend(3), /closed/);
  });
});

test('fromReceiver: a pending recv dropped with the stream loses no message', async () => {
  await run(function* () {
    const [tx, rx] = mpsc.unbounded<string>();
    const s = fromReceiver(rx, { closeOnDrop: false });
    // Poll once (nothing there: the recv stays pending inside the stream), then drop the stream.
    yield* yieldNow();
    const noop = { wake() {}, wakeByRef() {}, clone() { return this; }, willWake: () => false };
    assert.equal(typeof s.pollNext({ waker: noop }), 'symbol');
    s.drop();
    tx.send('kept');
    assert.equal(yield* rx.recv(), 'kept');
  });
});

function* publish(tx: { send(v: number): number; close(): void }, n: number) {
  for (let i = 0; i < n; i++) {
    tx.send(i);
    yield* yieldNow();
  }
  tx.close();
}

test('fromBroadcast: every subscriber sees every value; ends when the sender closes', async () => {
  const out = await run(function* () {
    const [tx, rx1] = broadcast<number>(8);
    const rx2 = tx.subscribe();
    spawn(publish, tx, 10);
    const a = spawn(collectAll, rx1);
    const b = spawn(collectAll, rx2);
    return [yield* a, yield* b];
  });
  assert.deepEqual(out[0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(out[1], out[0]);
});
function* collectAll(rx: ReturnType<typeof broadcast<number>>[1]) {
  return yield* fromBroadcast(rx).collect();
}

test('fromBroadcast: a lagging receiver reports Lagged(n) to onLagged and continues', async () => {
  const out = await run(function* () {
    const [tx, rx] = broadcast<number>(2);
    for (let i = 0; i < 5; i++) tx.send(i); // capacity 2: values 0..2 are overwritten
    tx.close();
    const missed: number[] = [];
    const got = yield* fromBroadcast(rx, { onLagged: (n) => missed.push(n) }).collect();
    return { got, missed };
  });
  assert.deepEqual(out, { got: [3, 4], missed: [3] });

  await assert.rejects(
    run(function* () {
      const [tx, rx] = broadcast<number>(2);
      for (let i = 0; i < 5; i++) tx.send(i);
      return yield* fromBroadcast(rx).collect();
    }),
    (e: unknown) => e instanceof Lagged && e.n === 3,
  );
});

function* configure(tx: { send(v: string): void; close(): void }) {
  yield* sleep(10);
  tx.send('debug');
  yield* sleep(10);
  tx.send('warn');
  yield* sleep(10);
  tx.close();
}

test('fromWatch: the current value, then each change, until the sender closes', async () => {
  const rt = new Runtime({ startPaused: true });
  const out = await rt.blockOn(function* () {
    const [tx, rx] = watch('info');
    spawn(configure, tx);
    return yield* fromWatch(rx).collect();
  });
  assert.deepEqual(out, ['info', 'debug', 'warn']);
  await rt.shutdown();
});
