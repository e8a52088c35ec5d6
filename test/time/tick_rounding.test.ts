// The rounding rule of the time driver (src/runtime/time/driver.ts): ticks start on the host
// timers' millisecond boundaries (`Clock.tickPhase`), a duration is ⌈ms⌉ ticks from the start of
// the tick in progress (as libuv counts setTimeout's), an absolute instant rounds up to a tick
// start. Driven by an injected clock: no real waiting, no timing assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Instant, sleep, sleepUntil, timeout, type Gen } from '../../src/index.js';
import { realClock } from '../../src/runtime/clock.js';
import { fireHost, live, turn, virtualRuntime } from './host_clock.js';

function* sleeper(ms: number, done: number[], i: number): Gen<void> {
  yield* sleep(ms);
  done.push(i);
}

test('sleep(1) is due when the next host millisecond starts: one 1 ms host timer, shared by every sleep of the tick', async () => {
  // Host milliseconds start at .25; the sleeps are made at 100.6, 100.9 and 101.2.
  const v = virtualRuntime(100.6, 0.25);
  const done: number[] = [];
  v.rt.spawn(sleeper, 1, done, 0);
  await turn();
  assert.deepEqual(live(v.timers).map((h) => h.ms), [1], 'armed for 1 ms (100.6 -> 101.25), not 2 (-> 102)');
  for (let i = 1; i < 50; i++) v.rt.spawn(sleeper, 1, done, i);
  v.set(100.9);
  for (let i = 50; i < 100; i++) v.rt.spawn(sleeper, 1, done, i);
  await turn();
  assert.equal(live(v.timers).length, 1, '100 sleeps made in one tick share one host timer');
  assert.equal(v.timers.length, 1, 'and no other was armed meanwhile');
  // A host timer that comes back before the tick starts fires nothing and re-arms for the rest.
  v.set(101.2);
  fireHost(v.timers);
  await turn();
  assert.deepEqual(done, []);
  assert.deepEqual(live(v.timers).map((h) => h.ms), [1]);
  v.set(101.25);
  fireHost(v.timers);
  for (let i = 0; i < 10 && done.length < 100; i++) await turn(); // the executor takes turns of 61 polls
  assert.equal(done.length, 100, 'all due at 101.25, the start of the next host millisecond');
  assert.deepEqual(done, [...done].sort((a, b) => a - b), 'in the order they were armed');
  await v.rt.shutdown();
});

test('a duration is ⌈ms⌉ ticks from the start of the tick in progress; sleepUntil and timeout follow the same ticks', async () => {
  const v = virtualRuntime(1000, 0.5);
  const out = await v.rt.blockOn(function* main(): Gen<number[][]> {
    const rows: number[][] = [];
    for (const [now, ms] of [[1000.5, 1], [1001.49, 1], [1001.5, 0.2], [1001.7, 3], [1002.1, 2.5]] as const) {
      v.set(now);
      const s = sleep(ms);
      const t = timeout(ms, sleep(Infinity));
      rows.push([s.deadline.ms, t.deadline.ms]);
      s.drop();
      t.drop();
    }
    return rows;
  });
  assert.deepEqual(out, [
    [1001.5, 1001.5],
    [1001.5, 1001.5],
    [1002.5, 1002.5],
    [1004.5, 1004.5],
    [1004.5, 1004.5],
  ]);
  await v.rt.shutdown();
});

test('property: a sleep deadline is on a tick start, after now, at most ⌈ms⌉ and more than ms - 1 ms away', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.integer({ min: 0, max: 255 }),
      fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
      async (now, p, ms) => {
        const phase = p / 256;
        const v = virtualRuntime(now, phase);
        const at = await v.rt.blockOn(function* main(): Gen<number> {
          const s = sleep(ms);
          const d = s.deadline.ms;
          s.drop();
          return d;
        });
        await v.rt.shutdown();
        const frac = (at - phase) % 1;
        return frac === 0 && at > now && at <= now + Math.ceil(ms) && at > now + ms - 1;
      },
    ),
    { numRuns: 200 },
  );
});

test('sleepUntil an instant between two ticks fires at the next tick start, never before the instant', async () => {
  const v = virtualRuntime(500.1, 0.75);
  let done = false;
  v.rt.spawn(function* until(): Gen<void> {
    yield* sleepUntil(Instant.fromMs(501.3));
    done = true;
  });
  await turn();
  assert.deepEqual(live(v.timers).map((h) => h.ms), [2], '500.1 -> 501.75');
  v.set(501.3);
  fireHost(v.timers);
  await turn();
  assert.equal(done, false, 'the instant has come but its tick has not started');
  v.set(501.75);
  fireHost(v.timers);
  await turn();
  assert.equal(done, true);
  await v.rt.shutdown();
});

test('the real clock reports where libuv\'s milliseconds (process.hrtime truncated) start', () => {
  const phase = realClock.tickPhase!();
  assert.ok(phase >= 0 && phase < 1);
  // performance.now() - phase and process.hrtime() in ms have the same fraction (to a few µs;
  // the smallest gap of several back-to-back reads).
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const p = performance.now();
    const h = process.hrtime();
    const gap = ((h[0] * 1e3 + h[1] / 1e6 - (p - phase)) % 1 + 1) % 1;
    best = Math.min(best, gap, 1 - gap);
  }
  assert.ok(best < 0.05, `fractions differ by ${best} ms`);
});
