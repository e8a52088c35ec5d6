// How runs fail: a client's error, an unawaited task failure, livelock (maxSteps), durationMs,
// bad options and misuse, each a SimError with the seed and the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, SimError } from '../../src/sim/index.js';
import { sleep, spawn, yieldNow, type Gen } from '../../src/index.js';

const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => null, (e: unknown) => e);

test('a client that throws fails the run with its error as cause', async () => {
  const boom = new Error('boom');
  const err = await failure(new Sim({ seed: 12 }).client('c', function* () { yield* sleep(3); throw boom; }).run());
  assert.ok(err instanceof SimError);
  assert.equal(err.kind, 'client-failed');
  assert.equal(err.host, 'c');
  assert.equal(err.seed, 12);
  assert.equal(err.cause, boom);
  assert.equal(err.elapsedMs, 3);
  assert.match(err.message.split('\n').at(-1)!, /^replay: KYOTO_SIM_SEED=12 node /);
});

test('a task that fails with nobody awaiting it fails the run, naming its host', async () => {
  function* doomed(): Gen<void> {
    yield* sleep(1);
    throw new Error('unobserved');
  }
  const err = await failure(
    new Sim({ seed: 1 })
      .host('worker', function* () { spawn(doomed); yield* sleep(1_000_000); })
      .client('c', function* () { yield* sleep(50); })
      .run(),
  );
  assert.ok(err instanceof SimError, String(err));
  assert.equal(err.kind, 'unhandled-task-error');
  assert.equal(err.host, 'worker');
  assert.match((err.cause as Error).message, /unobserved/);
});

test('a livelock stops at maxSteps', async () => {
  const err = await failure(new Sim({ seed: 1, maxSteps: 500 }).client('c', function* () { for (;;) yield* yieldNow(); }).run());
  assert.ok(err instanceof SimError && err.kind === 'max-steps' && err.steps === 500, String(err));
});

test('durationMs ends the run; a client still running then fails it', async () => {
  const err = await failure(new Sim({ seed: 1, durationMs: 1000 }).client('c', function* () { yield* sleep(5000); }).run());
  assert.ok(err instanceof SimError && err.kind === 'duration' && err.elapsedMs === 1000, String(err));
  // Hosts only: the run simply lasts durationMs.
  let ticks = 0;
  const r = await new Sim({ seed: 1, durationMs: 1000 }).host('h', function* () { for (;;) { yield* sleep(100); ticks++; } }).run();
  assert.equal(r.elapsedMs, 1000);
  assert.equal(ticks, 10);
});

test('bad options and misuse are clear errors', async () => {
  assert.throws(() => new Sim({ seed: 1.5 }), /seed must be a safe integer/);
  assert.throws(() => new Sim({ seed: 1, latencyMs: [5, 1] }), /latencyMs/);
  assert.throws(() => new Sim({ seed: 1, lossRate: 2 }), /lossRate/);
  const sim = new Sim({ seed: 1 }).client('a', function* () {});
  assert.throws(() => sim.client('a', function* () {}), /already exists/);
  assert.throws(() => sim.partition('a', 'nope'), /no host named "nope"/);
  await sim.run();
  await assert.rejects(sim.run(), /once per Sim/);
});
