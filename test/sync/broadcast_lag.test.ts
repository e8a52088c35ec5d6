// Broadcast lag is visible: the console lints lagged receivers and missed values per channel, and
// the documented patterns (bounded yieldNow, mpsc per subscriber) lose nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, broadcast, mpsc, startConsole, yieldNow, LaggedError, Lagged, type BroadcastReceiver } from '../../src/index.js';

const N = 3000;

function* subscriber(rx: BroadcastReceiver<number>) {
  let got = 0;
  let missed = 0;
  for (;;) {
    try {
      const v = yield* rx.recv();
      if (v === undefined) return { got, missed };
      got++;
    } catch (e) {
      if (!(e instanceof LaggedError)) throw e;
      missed += e.n;
    }
  }
}

test('a publisher that never yields laps the ring: the console lints the channel with the values missed', async () => {
  const rt = new Runtime({ onUnhandledTaskError: () => {} });
  startConsole(rt, { port: 0 });
  try {
    const r = await rt.blockOn(function* () {
      const [tx, rx] = broadcast<number>(1024);
      const sub = rt.spawn(subscriber, rx);
      yield* yieldNow();
      for (let i = 0; i < N; i++) tx.send(i); // the obvious design: no yield in the loop
      tx.close();
      return yield* sub;
    });
    assert.equal(r.got + r.missed, N);
    assert.ok(r.missed > 0);
    const l = rt.lints().find((x) => x.kind === 'broadcast-lagged');
    assert.ok(l, 'broadcast-lagged lint listed');
    assert.equal(l.value, r.missed);
    assert.match(l.message, /1 receiver\(s\) lagged 1 time\(s\) and missed \d+ value\(s\)/);
    assert.match(l.message, /mpsc/);
  } finally {
    await rt.shutdown();
  }
});

test('a publisher that yields every 64 sends (under the coop budget) loses nothing with subscribers that keep up', async () => {
  const rt = new Runtime();
  const r = await rt.blockOn(function* () {
    const [tx, rx] = broadcast<number>(1024);
    const subs = [rt.spawn(subscriber, rx), rt.spawn(subscriber, tx.subscribe())];
    yield* yieldNow();
    assert.equal(tx.receiverCount, 2);
    for (let i = 0; i < N; i++) {
      tx.send(i);
      if ((i + 1) % 64 === 0) yield* yieldNow();
    }
    tx.close();
    return [yield* subs[0]!, yield* subs[1]!];
  });
  assert.deepEqual(r, [{ got: N, missed: 0 }, { got: N, missed: 0 }]);
  await rt.shutdown();
});

function* mpscSubscriber(rx: mpsc.Receiver<number>) {
  let got = 0;
  while ((yield* rx.recv()) !== undefined) got++;
  return got;
}

test('mpsc per subscriber: send waits for room, nothing is lost; Lagged is LaggedError', async () => {
  const rt = new Runtime();
  const got = await rt.blockOn(function* () {
    const chans = [mpsc.channel<number>(64), mpsc.channel<number>(64)];
    const subs = chans.map(([, rx]) => rt.spawn(mpscSubscriber, rx));
    for (let i = 0; i < N; i++) for (const [tx] of chans) yield* tx.send(i);
    for (const [tx] of chans) tx.close();
    return [yield* subs[0]!, yield* subs[1]!];
  });
  assert.deepEqual(got, [N, N]);
  assert.equal(Lagged, LaggedError);
  await rt.shutdown();
});
