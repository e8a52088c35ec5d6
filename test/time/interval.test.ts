import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, interval, intervalAt, Instant, Runtime, time, sleep, type MissedTickBehavior } from '../../src/index.js';
import { slab } from '../../src/runtime/time/slab.js';
import { race } from './helpers.js';

const paused = { startPaused: true } as const;

test('the first tick completes at once, then one per period, each with its scheduled instant', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const iv = interval(100);
    const ticks: number[] = [];
    const at: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = yield* iv.tick();
      ticks.push(t.ms - t0.ms);
      at.push(t0.elapsed());
    }
    iv.drop();
    return { ticks, at };
  }, paused);
  assert.deepEqual(out.ticks, [0, 100, 200, 300]);
  assert.deepEqual(out.at, [0, 100, 200, 300]);
});

async function missed(behavior: MissedTickBehavior): Promise<{ ticks: number[]; at: number[] }> {
  return run(function* main() {
    const t0 = Instant.now();
    const iv = interval(10, { missedTickBehavior: behavior });
    yield* iv.tick(); // at 0
    yield* time.advance(35); // the task is "busy" for 35 ms: ticks at 10, 20, 30 are missed
    const ticks: number[] = [];
    const at: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = yield* iv.tick();
      ticks.push(t.ms - t0.ms);
      at.push(t0.elapsed());
    }
    iv.drop();
    return { ticks, at };
  }, paused);
}

test("missedTickBehavior 'burst' fires the missed ticks at once, keeping the schedule", async () => {
  assert.deepEqual(await missed('burst'), { ticks: [10, 20, 30, 40], at: [35, 35, 35, 40] });
});

test("missedTickBehavior 'delay' restarts the schedule one period after the late tick", async () => {
  assert.deepEqual(await missed('delay'), { ticks: [10, 45, 55, 65], at: [35, 45, 55, 65] });
});

test("missedTickBehavior 'skip' drops missed ticks and stays on the original grid", async () => {
  assert.deepEqual(await missed('skip'), { ticks: [10, 40, 50, 60], at: [35, 40, 50, 60] });
});

test('a tick less than 5 ms late counts as on time (as in Tokio)', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const iv = interval(10, { missedTickBehavior: 'delay' });
    yield* iv.tick();
    yield* time.advance(13);
    const a = (yield* iv.tick()).ms - t0.ms;
    const b = (yield* iv.tick()).ms - t0.ms;
    iv.drop();
    return [a, b];
  }, paused);
  assert.deepEqual(out, [10, 20]);
});

test('dropping a tick future loses no tick and removes its timer entry', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const iv = interval(100);
    yield* iv.tick();
    const r = yield* race(iv.tick(), sleep(30)); // the sleep wins; the tick is dropped
    const armed = Runtime.current().metrics()['timerArmedCount'];
    const next = (yield* iv.tick()).ms - t0.ms;
    iv.drop();
    return [r.i, armed, next, t0.elapsed()];
  }, paused);
  assert.deepEqual(out, [1, 0, 100, 100]);
});

test('dropping the interval removes its entry at once; using disposes it', async () => {
  const live0 = slab.live;
  const out = await run(function* main() {
    const m = () => Runtime.current().metrics()['timerArmedCount'];
    const iv = interval(50);
    yield* iv.tick();
    yield* race(iv.tick(), sleep(1));
    yield* race(iv.tick(), sleep(1)); // armed again by this tick, then dropped by race
    const a = m();
    {
      using iv2 = interval(50);
      yield* iv2.tick();
    }
    iv.drop();
    return [a, m(), slab.live - live0];
  }, paused);
  assert.deepEqual(out, [0, 0, 0]);
});

test('intervalAt starts at the given instant; reset pushes the next tick a period out', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const iv = intervalAt(t0.add(1000), 100);
    assert.ok(iv.nextTick.equals(t0.add(1000)));
    const a = (yield* iv.tick()).ms - t0.ms;
    yield* sleep(30);
    iv.reset();
    const b = (yield* iv.tick()).ms - t0.ms;
    iv.resetImmediately();
    const c = (yield* iv.tick()).ms - t0.ms;
    iv.drop();
    return [a, b, c];
  }, paused);
  assert.deepEqual(out, [1000, 1130, 1130]);
});

test('bad periods and options throw typed errors naming the value', () => {
  assert.throws(() => interval(0), (e: unknown) => e instanceof RangeError && /greater than 0 ms, got 0/.test(e.message));
  assert.throws(() => interval(-1), (e: unknown) => e instanceof RangeError && /period .* got -1/.test(e.message));
  assert.throws(() => interval('5' as never), /got "5"/);
  assert.throws(
    () => interval(5, { missedTickBehavior: 'catchup' as never }),
    (e: unknown) => e instanceof RangeError && /'burst', 'delay' or 'skip', got "catchup"/.test(e.message),
  );
  assert.throws(() => intervalAt(Instant.now(), NaN), /got NaN/);
});

test('an Infinity period ticks once and then never', async () => {
  const out = await run(function* main() {
    const iv = interval(Infinity);
    yield* iv.tick();
    const r = yield* race(iv.tick(), sleep(1e9));
    iv.drop();
    return r.i;
  }, paused);
  assert.equal(out, 1);
});

test('resetAt and resetAfter move the next tick; tick() after drop() is an error', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const iv = interval(100);
    yield* iv.tick();
    iv.resetAt(t0.add(30));
    const a = (yield* iv.tick()).ms - t0.ms;
    iv.resetAfter(7);
    const b = (yield* iv.tick()).ms - t0.ms;
    const c = (yield* iv.tick()).ms - t0.ms;
    iv.drop();
    assert.throws(() => iv.tick(), /the interval was dropped/);
    assert.throws(() => iv.resetAfter(-1), RangeError);
    return [a, b, c];
  }, paused);
  assert.deepEqual(out, [30, 37, 137]);
});
