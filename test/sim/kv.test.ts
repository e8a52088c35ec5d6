// The lost-update bug of a GET-then-SET increment, over simulated TCP to the example kv server:
// explore finds it, and its seed reproduces it (directly and through KYOTO_SIM_SEED).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, SimError, explore } from '../../src/sim/index.js';
import { auditor, incrementClient, kvHost } from './kv_app.js';

const build = (seed: number) =>
  new Sim({ seed, latencyMs: [1, 10] })
    .host('kv', kvHost)
    .client('c1', incrementClient, 'hits')
    .client('c2', incrementClient, 'hits')
    .client('audit', auditor, 'hits', 2)
    .run();

test('explore finds the lost update of two GET-then-SET clients within 200 seeds', async () => {
  const err = await explore(build, { seeds: 200 }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SimError, 'explore found the bug');
  assert.equal(err.kind, 'client-failed');
  assert.equal(err.host, 'audit');
  assert.match((err.cause as Error).message, /lost update: hits is 1, expected 2/);
  assert.match(err.message, new RegExp(`KYOTO_SIM_SEED=${err.seed} `));

  // The seed reproduces it, with the same trace, run after run.
  const a = await build(err.seed).then(() => null, (e: unknown) => e);
  const b = await build(err.seed).then(() => null, (e: unknown) => e);
  assert.ok(a instanceof SimError && b instanceof SimError);
  assert.equal(a.steps, err.steps);
  assert.equal(a.elapsedMs, b.elapsedMs);

  // KYOTO_SIM_SEED makes explore run only that seed.
  process.env['KYOTO_SIM_SEED'] = String(err.seed);
  try {
    const c = await explore(build, { seeds: 200 }).then(() => null, (e: unknown) => e);
    assert.ok(c instanceof SimError && c.seed === err.seed);
  } finally {
    delete process.env['KYOTO_SIM_SEED'];
  }
});

test('a seed where the increments do not overlap passes, and explore reports how many ran', async () => {
  let passing = -1;
  for (let seed = 0; seed < 200 && passing < 0; seed++) {
    if (await build(seed).then(() => true, () => false)) passing = seed;
  }
  assert.ok(passing >= 0, 'some schedule serializes the two increments');
  const r = await explore(build, { seeds: [passing] });
  assert.equal(r.runs, 1);
  assert.ok(r.steps > 10);
});
