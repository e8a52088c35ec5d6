// Two tasks calling recv() on one mpsc receiver: neither is left hung (the first used to lose its
// wake-up to the second and hang for good once the channel closed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, mpsc, yieldNow } from '../../src/index.js';

function* consumer(rx: mpsc.Receiver<number>, got: number[]) {
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) got.push(v);
  return 'finished';
}

test('two tasks waiting in recv() on one receiver both finish when the channel closes', async () => {
  const rt = new Runtime();
  const out = await rt.blockOn(function* () {
    const [tx, rx] = mpsc.channel<number>(4);
    const a: number[] = [];
    const b: number[] = [];
    const ha = rt.spawn(consumer, rx, a);
    const hb = rt.spawn(consumer, rx, b);
    yield* yieldNow();
    yield* yieldNow();
    for (let i = 0; i < 10; i++) yield* tx.send(i);
    tx.close();
    const r = [yield* ha, yield* hb];
    return { r, all: [...a, ...b].sort((x, y) => x - y) };
  });
  assert.deepEqual(out.r, ['finished', 'finished']);
  assert.deepEqual(out.all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'every message delivered exactly once');
  await rt.shutdown();
});

test('unbounded: the first of two waiting receivers finishes after close', async () => {
  const rt = new Runtime();
  const r = await rt.blockOn(function* () {
    const [tx, rx] = mpsc.unbounded<number>();
    const a: number[] = [];
    const ha = rt.spawn(consumer, rx, a);
    yield* yieldNow();
    const hb = rt.spawn(consumer, rx, []);
    yield* yieldNow();
    tx.close();
    return [yield* ha, yield* hb];
  });
  assert.deepEqual(r, ['finished', 'finished']);
  await rt.shutdown();
});
