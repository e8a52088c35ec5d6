// A minute of virtual time with timers and traffic: virtual time and step counts are exact
// (the wall-clock cost lives in bench/sim.ts, not in an assertion).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../../src/sim/index.js';
import { interval, sleep, Instant, type Gen } from '../../src/index.js';
import { KvConn, kvHost } from './kv_app.js';

function* ticker(period: number, out: { ticks: number }): Gen<void> {
  const it = interval(period);
  for (;;) {
    yield* it.tick();
    out.ticks++;
  }
}

function* steadyClient(out: { replies: number }): Gen<void> {
  const c = yield* KvConn.open();
  const start = Instant.now().valueOf();
  while (Instant.now().valueOf() - start < 60_000) {
    yield* c.call(`SET t ${out.replies}`);
    out.replies++;
    yield* sleep(100);
  }
  c.close();
}

test('60 s of virtual time with timers and traffic', async () => {
  const ticks = { ticks: 0 };
  const replies = { replies: 0 };
  const r = await new Sim({ seed: 60, latencyMs: [1, 3] })
    .host('kv', kvHost)
    .host('clock', ticker, 250, ticks)
    .client('c', steadyClient, replies)
    .run();
  assert.ok(r.elapsedMs >= 60_000 && r.elapsedMs < 61_000, `virtual ${r.elapsedMs} ms`);
  // Each request takes 100 ms of sleep plus a round trip of 2..6 ms.
  assert.ok(replies.replies > 560 && replies.replies <= 600, `${replies.replies} requests`);
  assert.ok(Math.abs(ticks.ticks - r.elapsedMs / 250) <= 2, `${ticks.ticks} ticks`);
  assert.ok(r.steps > 1500, `${r.steps} steps`);
});
