import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Instant, Runtime, run, sleep, spawn, time, type Gen } from '../../src/index.js';

test('Instant: arithmetic and comparisons', () => {
  const a = Instant.fromMs(1000);
  const b = a.add(250.5);
  assert.equal(b.ms, 1250.5);
  assert.equal(b.durationSince(a), 250.5);
  assert.equal(a.durationSince(b), 0, 'saturates at 0');
  assert.ok(a.isBefore(b) && b.isAfter(a) && !a.isAfter(b));
  assert.equal(a.compare(b), -1);
  assert.equal(b.compare(a), 1);
  assert.equal(a.compare(Instant.fromMs(1000)), 0);
  assert.ok(a.equals(Instant.fromMs(1000)));
  assert.ok(a < b && b > a, 'valueOf makes < and > work');
  assert.equal(String(a), 'Instant(1000 ms)');
  assert.equal(a.add(Infinity).ms, Infinity);
  assert.ok(Instant.fromMs(0).elapsed() > 0);
  assert.equal(Instant.now().add(10_000).elapsed(), 0, 'a future instant has 0 elapsed');
});

test('Instant: bad input throws typed errors naming the value', () => {
  assert.throws(() => Instant.fromMs(NaN), (e: unknown) => e instanceof RangeError && /got NaN/.test(e.message));
  assert.throws(() => Instant.fromMs('1' as never), /got "1"/);
  assert.throws(() => Instant.now().add(NaN), RangeError);
  assert.throws(() => Instant.now().isBefore(5 as never), (e: unknown) => e instanceof TypeError && /Instant.isBefore: expected an Instant, got 5/.test(e.message));
  assert.throws(() => Instant.now().durationSince(null as never), /got null/);
});

test('Instant.now() is monotonic, and outside a task follows performance.now()', () => {
  const a = Instant.now();
  const p = performance.now();
  const b = Instant.now();
  assert.ok(a.ms <= p && p <= b.ms);
});

test('paused clocks are per runtime: pausing one leaves another on real time', async () => {
  const paused = new Runtime({ startPaused: true });
  const real = new Runtime();
  function* virtualHour(): Gen<number> {
    const t0 = Instant.now();
    yield* sleep(3_600_000);
    return t0.elapsed();
  }
  function* realSleep(): Gen<[number, boolean]> {
    const t0 = performance.now();
    yield* sleep(3);
    return [performance.now() - t0, time.isPaused()];
  }
  const [h, [r, p]] = await Promise.all([paused.blockOn(virtualHour), real.blockOn(realSleep)]);
  assert.equal(h, 3_600_000);
  assert.ok(r >= 3);
  assert.equal(p, false);
  await paused.shutdown();
  await real.shutdown();
});

test('metrics count fired timers and auto-advances', async () => {
  const rt = new Runtime({ startPaused: true });
  function* napper(ms: number): Gen<void> {
    yield* sleep(ms);
  }
  await rt.blockOn(function* main() {
    const hs = [spawn(napper, 10), spawn(napper, 10), spawn(napper, 20)];
    for (const h of hs) yield* h;
  });
  const m = rt.metrics();
  assert.equal(m['timerFiredCount'], 3);
  assert.equal(m['timeAutoAdvanceCount'], 2, 'one jump to 10 ms (two timers in one batch), one to 20 ms');
  assert.equal(m['timerArmedCount'], 0);
  await rt.shutdown();
});

test('the real clock keeps working after paused runs (no state leaks between runtimes)', async () => {
  const out = await run(function* main() {
    const t0 = performance.now();
    yield* sleep(2);
    return performance.now() - t0 > 1; // two ticks from the tick in progress
  });
  assert.equal(out, true);
});
