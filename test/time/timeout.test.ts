import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  run,
  sleep,
  timeout,
  timeoutAt,
  Elapsed,
  Instant,
  Runtime,
  future,
  ready,
  pollFn,
  type Gen,
  type Future,
} from '../../src/index.js';
import { slab } from '../../src/runtime/time/slab.js';
import { Probe } from './helpers.js';

const paused = { startPaused: true } as const;

function* fetchUser(id: number, ms: number): Gen<{ id: number }> {
  yield* sleep(ms);
  return { id };
}

test('timeout gives the output when the future completes first, and removes its timer', async () => {
  const live0 = slab.live;
  const out = await run(function* main() {
    const u = yield* timeout(100, future(fetchUser, 7, 99));
    return [u.id, Runtime.current().metrics()['timerArmedCount'], slab.live - live0];
  }, paused);
  assert.deepEqual(out, [7, 0, 0]);
});

test('timeout throws Elapsed at the deadline and drops the inner future first', async () => {
  const probe = new Probe();
  const out = await run(function* main() {
    const t0 = Instant.now();
    try {
      yield* timeout(250, probe);
      return 'no';
    } catch (e) {
      assert.ok(e instanceof Elapsed);
      assert.equal(e.name, 'ElapsedError');
      assert.match(e.message, /timeout: deadline elapsed/);
      assert.ok(e.deadline.equals(t0.add(250)));
      return [t0.elapsed(), probe.dropped];
    }
  }, paused);
  assert.deepEqual(out, [250, 1]);
});

test('on expiry a generator inner future is dropped: its finally runs, its own timer goes', async () => {
  const log: string[] = [];
  function* slow(): Gen<string> {
    try {
      yield* sleep(10_000);
      return 'done';
    } finally {
      log.push('finally');
    }
  }
  const live0 = slab.live;
  const out = await run(function* main() {
    let err: unknown;
    try {
      yield* timeout(10, slow()); // a generator object is accepted
    } catch (e) {
      err = e;
    }
    return [err instanceof Elapsed, Runtime.current().metrics()['timerArmedCount'], slab.live - live0];
  }, paused);
  assert.deepEqual(out, [true, 0, 0]);
  assert.deepEqual(log, ['finally']);
});

test('a ready inner future wins even when the deadline is already due', async () => {
  const out = await run(function* main() {
    return yield* timeout(0, ready(5));
  }, paused);
  assert.equal(out, 5);
});

test('an error from the inner future propagates and the timer is removed', async () => {
  const out = await run(function* main() {
    try {
      yield* timeout(
        100,
        pollFn(() => {
          throw new TypeError('inner');
        }),
      );
    } catch (e) {
      return [(e as Error).message, Runtime.current().metrics()['timerArmedCount']];
    }
    return null;
  }, paused);
  assert.deepEqual(out, ['inner', 0]);
});

test('timeoutAt shares one deadline across steps', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const deadline = t0.add(100);
    const a = yield* timeoutAt(deadline, future(fetchUser, 1, 60));
    let err: unknown;
    try {
      yield* timeoutAt(deadline, future(fetchUser, 2, 60));
    } catch (e) {
      err = e;
    }
    return [a.id, err instanceof Elapsed, t0.elapsed()];
  }, paused);
  assert.deepEqual(out, [1, true, 100]);
});

test('timeout(Infinity) never expires', async () => {
  const out = await run(function* main() {
    const t = timeout(Infinity, future(fetchUser, 3, 1e9));
    assert.equal(t.deadline.ms, Infinity);
    return (yield* t).id;
  }, paused);
  assert.equal(out, 3);
});

test('dropping a timeout drops the inner future and removes the timer', async () => {
  const probe = new Probe();
  const out = await run(function* main() {
    const t = timeout(1000, probe);
    function* holder(f: Future<unknown>): Gen<void> {
      yield* f;
    }
    const rt = Runtime.current();
    const h = rt.spawn(holder, t);
    yield* sleep(5);
    const armed = rt.metrics()['timerArmedCount'];
    h.abort();
    try {
      yield* h;
    } catch {
      /* cancelled */
    }
    return [armed, rt.metrics()['timerArmedCount'], probe.dropped];
  }, paused);
  assert.deepEqual(out, [1, 0, 1]);
});

test('bad arguments: RangeError for durations, TypeError naming what was passed', () => {
  assert.throws(() => timeout(-5, ready(1)), (e: unknown) => e instanceof RangeError && /timeout: .* got -5/.test(e.message));
  assert.throws(() => timeout(NaN, ready(1)), /got NaN/);
  assert.throws(() => timeout(10, fetchUser as never), (e: unknown) => e instanceof TypeError && /a function fetchUser .*future\(fn/.test(e.message));
  assert.throws(() => timeout(10, Promise.resolve(1) as never), /fromPromise/);
  assert.throws(() => timeoutAt(10 as never, ready(1)), /timeoutAt: expected an Instant, got 10/);
});

test('real clock: timeout expires, not before its deadline', async () => {
  const out = await run(function* main() {
    const start = performance.now();
    try {
      yield* timeout(5, new Probe());
    } catch (e) {
      // Not before its deadline, which is 5 ticks from the tick in progress (> 4 ms away).
      return [e instanceof Elapsed, e instanceof Elapsed && performance.now() >= e.deadline.ms && performance.now() - start > 4];
    }
    return null;
  });
  assert.deepEqual(out, [true, true]);
});
