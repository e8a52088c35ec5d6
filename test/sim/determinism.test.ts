// Same seed, same run; different seeds, different schedules; the globals a run patches are
// virtual inside and restored after; real I/O inside a host is an error naming the call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { Sim, SimError, SIM_EPOCH_MS } from '../../src/sim/index.js';
import { Instant, mpsc, sleep, spawn, yieldNow, type Gen } from '../../src/index.js';
import { buildKv } from '../../examples/sim_kv.js';

function* chatter(id: number, tx: mpsc.Sender<string>): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < 5; i++) {
    if (Math.random() < 0.5) yield* yieldNow();
    yield* tx.send(`${id}:${i}`);
    if (i % 2 === 0) yield* sleep(1 + id);
  }
}

function* scenario(): Gen<string[]> {
  const [tx, rx] = mpsc.channel<string>(2);
  for (let id = 0; id < 4; id++) spawn(chatter, id, tx.clone());
  tx.close();
  const got: string[] = [];
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) got.push(v);
  return got;
}

const build = (seed: number) => new Sim({ seed }).client('t', scenario).run();

test('the same seed gives the same traceHash, steps and virtual time across 20 runs', async () => {
  const first = await build(42);
  for (let i = 0; i < 19; i++) assert.deepEqual(await build(42), first);
  assert.ok(first.steps > 20, `a real schedule ran (${first.steps} steps)`);
});

test('different seeds give different schedules', async () => {
  const hashes = new Set<string>();
  for (let seed = 0; seed < 20; seed++) hashes.add((await build(seed)).traceHash);
  assert.ok(hashes.size >= 15, `20 seeds gave ${hashes.size} distinct schedules`);
});

test('Sim.checkDeterminism finds no divergence in a deterministic scenario', async () => {
  const r = await Sim.checkDeterminism(build, 7);
  assert.equal(r.deterministic, true, JSON.stringify(r.firstDivergence));
  assert.equal(r.traceHashes[0], r.traceHashes[1]);
  assert.ok(r.events[0] > 0);
});

test('Sim.checkDeterminism: three hosts with partitions and a crash replay event for event', async () => {
  const r = await Sim.checkDeterminism((seed) => buildKv('quorum', seed), 3);
  assert.equal(r.deterministic, true, JSON.stringify(r.firstDivergence));
  assert.ok(r.events[0] > 100, `${r.events[0]} events`);
});

test('Sim.checkDeterminism reports the first divergence of a scenario that leaks real nondeterminism', async () => {
  let runNo = 0;
  const leaky = (seed: number) => {
    const k = ++runNo; // differs between the two runs: an outside influence
    return new Sim({ seed })
      .client('t', function* () {
        for (let i = 0; i < k; i++) yield* yieldNow();
      })
      .run();
  };
  const r = await Sim.checkDeterminism(leaky, 1);
  assert.equal(r.deterministic, false);
  assert.ok(r.firstDivergence !== null && r.firstDivergence.index > 0, JSON.stringify(r));
});

test('Math.random, Date.now and performance.now are seeded/virtual inside a run and restored after', async () => {
  const realRandom = Math.random;
  const realNow = Date.now;
  const seen: number[][] = [];
  for (let i = 0; i < 2; i++) {
    const vals: number[] = [];
    await new Sim({ seed: 9 })
      .client('t', function* () {
        vals.push(Math.random(), Date.now() - SIM_EPOCH_MS, performance.now());
        yield* sleep(250);
        vals.push(Date.now() - SIM_EPOCH_MS, performance.now(), Instant.now().valueOf());
      })
      .run();
    seen.push(vals);
  }
  assert.deepEqual(seen[0], seen[1]);
  assert.deepEqual(seen[0]!.slice(1), [0, 0, 250, 250, 250]);
  assert.equal(Math.random, realRandom);
  assert.equal(Date.now, realNow);
  assert.ok(Date.now() > SIM_EPOCH_MS - 10 * 365 * 86400e3, 'Date.now is real again');
});

test('real I/O inside a simulated host fails the run with an error naming the call', async () => {
  const err = await new Sim({ seed: 3 })
    .client('t', function* () {
      createServer().listen(0);
      yield* yieldNow();
    })
    .run()
    .then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SimError, String(err));
  assert.equal(err.kind, 'real-io');
  assert.equal(err.host, 't');
  assert.match(err.message, /net\.Server\.listen/);
  assert.match(err.message, /KYOTO_SIM_SEED=3/);
});

test('an fs call from application code inside a host is real I/O too (kyoto reading source maps is not)', async () => {
  const err = await new Sim({ seed: 5 })
    .client('t', function* () {
      yield* yieldNow();
      readFileSync('/etc/hostname');
    })
    .run()
    .then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SimError && err.kind === 'real-io', String(err));
  assert.match(err.message, /fs\.readFileSync inside simulated host t/);
});
