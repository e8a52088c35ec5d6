// kyoto's own sync and channel properties, checked under many seeded schedules with `explore`
// in in-process mode (one client, no hosts), and a check-then-act race that explore finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, SimError, explore } from '../../src/sim/index.js';
import { Mutex, Semaphore, mpsc, sleep, spawn, yieldNow, type Gen } from '../../src/index.js';

function* produce(tx: mpsc.Sender<number>, base: number, n: number): Gen<void> {
  using _tx = tx;
  for (let i = 0; i < n; i++) {
    yield* tx.send(base + i);
    if (Math.random() < 0.3) yield* yieldNow();
  }
}

function* mpscOrder(): Gen<void> {
  const [tx, rx] = mpsc.channel<number>(3);
  for (const base of [1000, 2000, 3000]) spawn(produce, tx.clone(), base, 20);
  tx.close();
  const got: number[] = [];
  for (let v = yield* rx.recv(); v !== undefined; v = yield* rx.recv()) got.push(v);
  assert.equal(got.length, 60);
  for (const base of [1000, 2000, 3000]) {
    assert.deepEqual(got.filter((v) => v >= base && v < base + 1000), Array.from({ length: 20 }, (_, i) => base + i));
  }
}

test('explore: mpsc keeps per-producer order and loses nothing under 150 random schedules', async () => {
  const r = await explore((seed) => new Sim({ seed }).client('t', mpscOrder).run(), { seeds: 150 });
  assert.equal(r.runs, 150);
  assert.ok(r.distinctTraces > 100, `${r.distinctTraces} distinct schedules`);
});

function* locked(m: Mutex<{ n: number }>): Gen<void> {
  for (let i = 0; i < 5; i++) {
    using g = yield* m.lock();
    const v = g.value.n;
    yield* yieldNow();
    g.value.n = v + 1;
  }
}

function* mutexCounter(): Gen<void> {
  const m = new Mutex({ n: 0 });
  const hs = [0, 1, 2, 3].map(() => spawn(locked, m));
  for (const h of hs) yield* h;
  using g = yield* m.lock();
  assert.equal(g.value.n, 20);
}

test('explore (pct): a Mutex-protected read-modify-write never loses an update', async () => {
  await explore((seed) => new Sim({ seed }).client('t', mutexCounter).run(), { seeds: 150, strategy: 'pct', depth: 3 });
});

function* permitUser(sem: Semaphore, inUse: { n: number; max: number }): Gen<void> {
  using _p = yield* sem.acquire(1);
  inUse.n++;
  inUse.max = Math.max(inUse.max, inUse.n);
  yield* sleep(Math.floor(Math.random() * 3));
  inUse.n--;
}

function* semaphoreBound(): Gen<void> {
  const sem = new Semaphore(2);
  const inUse = { n: 0, max: 0 };
  const hs = Array.from({ length: 6 }, () => spawn(permitUser, sem, inUse));
  for (const h of hs) yield* h;
  assert.ok(inUse.max <= 2, `at most 2 permits in use, saw ${inUse.max}`);
  assert.equal(sem.availablePermits, 2);
}

test('explore: a Semaphore never grants more permits than it has, across random schedules and timings', async () => {
  await explore((seed) => new Sim({ seed }).client('t', semaphoreBound).run(), { seeds: 100 });
});

function* unlockedIncrement(state: { n: number }): Gen<void> {
  const v = state.n;
  yield* yieldNow();
  state.n = v + 1;
}

function* racyCounter(): Gen<void> {
  const state = { n: 0 };
  const a = spawn(unlockedIncrement, state);
  const b = spawn(unlockedIncrement, state);
  yield* a;
  yield* b;
  assert.equal(state.n, 2, 'lost update');
}

test('explore finds an unlocked read-modify-write race and its seed replays it', async () => {
  const build = (seed: number) => new Sim({ seed }).client('t', racyCounter).run();
  const err = await explore(build, { seeds: 200, strategy: 'pct' }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SimError, 'explore rejected');
  assert.equal(err.kind, 'client-failed');
  assert.match(String((err.cause as Error).message), /lost update/);
  const again = await build(err.seed).then(() => null, (e: unknown) => e);
  assert.ok(again instanceof SimError && again.seed === err.seed, 'the seed reproduces the failure');
});
