import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pending, StreamTimeoutError, fromIterable, run, spawn, yieldNow, type Context, type Waker } from '../../src/index.js';
import { Manual, collect } from './probe.js';

function* feed(src: Manual<number>, batches: number[][]) {
  for (const b of batches) {
    src.push(...b);
    for (let i = 0; i < 3; i++) yield* yieldNow();
  }
}

test('chunksTimeout: a partial chunk is emitted when its time is up, a full one at once', async () => {
  const src = new Manual<number>();
  const out = await run(function* () {
    const s = src.chunksTimeout(3, 5);
    src.push(1, 2);
    // The source stays pending: only the timer can end this chunk.
    const first = yield* s.next();
    src.push(3, 4, 5, 6);
    const second = yield* s.next();
    src.end();
    const rest = yield* s.collect();
    return [first, second, ...rest];
  });
  assert.deepEqual(out, [[1, 2], [3, 4, 5], [6]]);
  assert.equal(src.drops, 1);
});

test('chunksTimeout: the timer starts with the first value of a chunk, not before', async () => {
  const src = new Manual<number>();
  const out = await run(function* () {
    const s = src.chunksTimeout(2, 5);
    spawn(feed, src, [[], [], [7], [8]]);
    return yield* s.take(1).collect();
  });
  // Whether [7] alone or [7, 8]: never an empty chunk.
  assert.ok(out.length === 1 && (out[0]!.length === 1 || out[0]!.length === 2) && out[0]![0] === 7);
});

test('throttle: values keep their order; the upstream is not polled during the gap', async () => {
  assert.deepEqual(await collect(fromIterable([1, 2, 3]).throttle(2)), [1, 2, 3]);
  const src = new Manual<number>();
  await run(function* () {
    const s = src.throttle(60_000);
    src.push(1, 2);
    assert.equal(yield* s.next(), 1);
    const polls = src.polls;
    const noop: Waker = { wake() {}, wakeByRef() {}, clone: () => noop, willWake: (o) => o === noop };
    const cx: Context = { waker: noop };
    assert.equal(s.pollNext(cx), Pending);
    assert.equal(src.polls, polls, 'the upstream waits for the gap to pass');
    s.drop();
  });
  assert.equal(src.drops, 1);
});

test('timeout: a value that does not come in time throws StreamTimeoutError; the stream stays usable', async () => {
  const src = new Manual<number>();
  const out = await run(function* () {
    const s = src.timeout(5);
    src.push(1);
    const got: unknown[] = [yield* s.next()];
    try {
      yield* s.next();
      got.push('no timeout');
    } catch (e) {
      assert.ok(e instanceof StreamTimeoutError);
      assert.equal(e.ms, 5);
      assert.match(e.message, /5 ms/);
      got.push('timeout');
    }
    src.push(2);
    got.push(yield* s.next());
    src.end();
    got.push(yield* s.next());
    return got;
  });
  assert.deepEqual(out, [1, 'timeout', 2, undefined]);
});

test('timeout: a terminal future ends with the timeout error and drops the source', async () => {
  const src = new Manual<number>();
  src.push(1);
  await assert.rejects(run(src.timeout(3).collect()), StreamTimeoutError);
  assert.equal(src.drops, 1);
});
