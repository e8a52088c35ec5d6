import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Instant,
  Pending,
  Runtime,
  StreamTimeoutError,
  fromInterval,
  fromIterable,
  interval,
  run,
  sleep,
  sleepUntil,
  spawn,
  yieldNow,
  type Context,
  type Stream,
  type Waker,
} from '../../src/index.js';
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

// ---- on kyoto's paused clock: deterministic virtual times ------------------------------------

function* feedAt(src: Manual<number>, plan: [number, number][]) {
  const t0 = Instant.now();
  for (const [at, v] of plan) {
    yield* sleepUntil(t0.add(at));
    src.push(v);
  }
}

function* stamped<T>(s: Stream<T>) {
  const t0 = Instant.now();
  const out: [number, T][] = [];
  let v: T | undefined;
  while ((v = yield* s.next()) !== undefined) out.push([Math.round(t0.elapsed()), v]);
  return out;
}

test('paused clock: throttle(100) spaces values 100 ms apart', async () => {
  const rt = new Runtime({ startPaused: true });
  const out = await rt.blockOn(stamped, fromIterable([1, 2, 3]).throttle(100));
  assert.deepEqual(out, [[0, 1], [100, 2], [200, 3]]);
  await rt.shutdown();
});

test('paused clock: chunksTimeout(10, 50) emits a partial chunk 50 ms after its first value', async () => {
  const rt = new Runtime({ startPaused: true });
  const src = new Manual<number>();
  function* main() {
    spawn(feedAt, src, [[5, 1], [20, 2], [200, 3]]);
    return yield* stamped(src.chunksTimeout(10, 50).take(2));
  }
  assert.deepEqual(await rt.blockOn(main), [[55, [1, 2]], [250, [3]]]);
  await rt.shutdown();
});

test('paused clock: timeout(100) fires 100 ms after the wait began; the next wait has a fresh deadline', async () => {
  const rt = new Runtime({ startPaused: true });
  const src = new Manual<number>();
  function* main() {
    spawn(feedAt, src, [[50, 1], [200, 2]]);
    const s = src.timeout(100);
    const t0 = Instant.now();
    const log: string[] = [];
    const first = yield* s.next();
    log.push(`${Math.round(t0.elapsed())}:${first}`);
    try {
      yield* s.next();
    } catch (e) {
      if (!(e instanceof StreamTimeoutError)) throw e;
      log.push(`${Math.round(t0.elapsed())}:timeout`);
    }
    const second = yield* s.next();
    log.push(`${Math.round(t0.elapsed())}:${second}`);
    s.drop();
    return log;
  }
  assert.deepEqual(await rt.blockOn(main), ['50:1', '150:timeout', '200:2']);
  await rt.shutdown();
});

test('paused clock: fromInterval ticks at 0, 10, 20 and take(3) drops the interval', async () => {
  const rt = new Runtime({ startPaused: true });
  function* main() {
    const t0 = Instant.now();
    const ticks = yield* fromInterval(interval(10)).take(3).collect();
    return ticks.map((i) => Math.round(i.durationSince(t0)));
  }
  assert.deepEqual(await rt.blockOn(main), [0, 10, 20]);
  await rt.shutdown();
});

test('paused clock: bufferUnordered over sleeps runs n at a time', async () => {
  const rt = new Runtime({ startPaused: true });
  function* main() {
    const t0 = Instant.now();
    const done = yield* fromIterable([30, 10, 20, 10])
      .map((ms) => sleep(ms))
      .bufferUnordered(2)
      .map(() => Math.round(t0.elapsed()))
      .collect();
    return done;
  }
  // Slots: 30 and 10 start at 0; 10 ends at 10, 20 starts; 30 ends at 30 with 20 (10+20);
  // the last 10 starts at 30 and ends at 40.
  assert.deepEqual(await rt.blockOn(main), [10, 30, 30, 40]);
  await rt.shutdown();
});
