// Virtual time goes through the runtime's clock seam: each host runtime's own time driver runs on
// the run's virtual timers, an ordinary runtime beside a run keeps the real clock, and Node's
// timer globals called inside a host are virtual too (fire at virtual time, in the trace, gone
// after the run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../../src/sim/index.js';
import { Instant, Runtime, sleep, timeout, yieldNow, type Gen } from '../../src/index.js';

test("kyoto's timers inside hosts run on virtual time, and a cancelled sleep keeps nothing alive", async () => {
  const seen: number[] = [];
  const r = await new Sim({ seed: 4 })
    .client('t', function* () {
      const t0 = Instant.now().valueOf();
      yield* sleep(1_000);
      seen.push(Instant.now().valueOf() - t0);
      let out = 'slept';
      try {
        yield* timeout(50, sleep(3_600_000));
      } catch {
        out = 'timed out';
      }
      seen.push(Instant.now().valueOf() - t0);
      assert.equal(out, 'timed out');
    })
    .run();
  assert.deepEqual(seen, [1_000, 1_050]);
  assert.equal(r.elapsedMs, 1_050, 'the hour-long sleep was dropped with its timeout');
});

test('an ordinary runtime running beside a simulation keeps the real clock', async () => {
  const realBefore = performance.now();
  const rt = new Runtime();
  try {
    let during = -1;
    const plain = rt.blockOn(function* plain(): Gen<void> {
      for (let i = 0; i < 20; i++) yield* yieldNow();
      during = Instant.now().valueOf();
      yield* sleep(2);
    });
    await Promise.all([
      new Sim({ seed: 1 })
        .client('t', function* () {
          for (let i = 0; i < 200; i++) yield* sleep(1);
        })
        .run(),
      plain,
    ]);
    assert.ok(during >= realBefore, `the plain runtime read real time (${during}) not virtual time (real was ${realBefore})`);
  } finally {
    await rt.shutdown();
  }
});
