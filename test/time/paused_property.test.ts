import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Runtime, Instant, sleep, spawn, yieldNow, type Gen, type Sleep } from '../../src/index.js';
import { race } from './helpers.js';

interface Plan {
  delay: number;
  /** Reset to this many ms after the start once the sleep is armed (-1: never). */
  resetTo: number;
  /** Race against a sleep of this many ms, which drops the timer if it wins (-1: no race). */
  dropAt: number;
}

const delay = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constantFrom(63, 64, 65, 4095, 4096, 4097, 262_144), fc.integer({ min: 0, max: 300_000 }));
const planArb: fc.Arbitrary<Plan> = fc.record({
  delay,
  resetTo: fc.oneof(fc.constant(-1), delay),
  dropAt: fc.oneof(fc.constant(-1), fc.constant(-1), delay),
});

test('property: in paused time every sleep completes exactly at its (reset) deadline, in deadline order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 25 }), async (plans) => {
      const rt = new Runtime({ startPaused: true });
      const done: { i: number; at: number; want: number; dropped: boolean }[] = [];
      const start = await rt.blockOn(function* main() {
        const t0 = Instant.now();
        function* one(i: number, p: Plan, sleeps: Sleep[]): Gen<void> {
          const s = sleep(p.delay);
          sleeps[i] = s;
          let want = p.delay;
          if (p.resetTo >= 0) {
            s.reset(t0.add(p.resetTo));
            want = p.resetTo;
          }
          if (p.dropAt >= 0 && p.dropAt < want) {
            const r = yield* race(s, sleep(p.dropAt));
            done.push({ i, at: t0.elapsed(), want: p.dropAt, dropped: r.i === 1 });
            return;
          }
          yield* s;
          done.push({ i, at: t0.elapsed(), want, dropped: false });
        }
        const sleeps: Sleep[] = [];
        const hs = plans.map((p, i) => spawn(one, i, p, sleeps));
        yield* yieldNow();
        for (const h of hs) yield* h;
        return t0;
      });
      assert.ok(start instanceof Instant);
      assert.equal(done.length, plans.length);
      for (const d of done) assert.equal(d.at, d.want, `timer ${d.i} completed at ${d.at}, deadline ${d.want}`);
      for (let k = 1; k < done.length; k++) assert.ok(done[k - 1]!.at <= done[k]!.at, 'completion order follows the deadlines');
      assert.equal(rt.metrics()['timerArmedCount'], 0, 'nothing left armed');
      await rt.shutdown();
    }),
    { numRuns: 60 },
  );
});
