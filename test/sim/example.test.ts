// examples/sim_kv.ts: exploring the replicated kv store finds the lost acknowledged write of the
// 'async' leader and its seed replays it; the 'quorum' leader survives the same faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimError } from '../../src/sim/index.js';
import { buildKv, exploreKv } from '../../examples/sim_kv.js';

test('sim_kv example: explore finds the async leader losing an acknowledged write; the seed replays it', async () => {
  const err = await exploreKv('async', 200).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SimError, String(err));
  assert.equal(err.host, 'app');
  assert.match((err.cause as Error).message, /acknowledged write lost/);
  const again = await buildKv('async', err.seed).then(() => null, (e: unknown) => e);
  assert.ok(again instanceof SimError);
  assert.equal(again.message, err.message.replace(/\n.*$/, '') + '\n' + again.replay);
});

test('sim_kv example: the quorum leader loses no acknowledged write over 100 seeds of partitions and crashes', async () => {
  const r = await exploreKv('quorum', 100);
  assert.equal(r.runs, 100);
  assert.ok(r.distinctTraces > 90);
});
