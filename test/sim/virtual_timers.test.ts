// Virtual time goes through the runtime's clock seam: each host runtime's own time driver runs on
// the run's virtual timers, an ordinary runtime beside a run keeps the real clock, and Node's
// timer globals called inside a host are virtual too (fire at virtual time, in the trace, gone
// after the run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeTimers from 'node:timers';
import { Sim, SimError, SIM_EPOCH_MS } from '../../src/sim/index.js';
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

type Log = (string | number)[][];

function* timersClient(log: Log): Gen<void> {
  const at = (): number => Date.now() - SIM_EPOCH_MS;
  setTimeout((a: string) => log.push(['timeout', a, at()]), 250, 'x');
  let k = 0;
  const iv = setInterval(() => {
    log.push(['interval', at()]);
    if (++k === 3) clearInterval(iv);
  }, 100);
  clearTimeout(setTimeout(() => log.push(['cleared']), 50));
  clearTimeout(+setTimeout(() => log.push(['cleared by id']), 60));
  nodeTimers.setTimeout(() => log.push(['node:timers', at()]), 10);
  setImmediate(() => log.push(['immediate', at(), new Date().getTime() - SIM_EPOCH_MS]));
  log.push(['date', new Date().getTime() - SIM_EPOCH_MS, new Date(5).getTime(), Date().includes('2026') ? 1 : 0]);
  yield* sleep(1_000);
  log.push(['end', at(), new Date().getTime() - SIM_EPOCH_MS]);
}

test('setTimeout, setInterval, setImmediate and new Date() inside a host run on virtual time; the globals come back after', async () => {
  const saved = [globalThis.setTimeout, globalThis.setInterval, globalThis.setImmediate, globalThis.clearTimeout, Date, nodeTimers.setTimeout];
  const logs: Log[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < 2; i++) {
    const log: Log = [];
    const r = await new Sim({ seed: 8 }).client('t', timersClient, log).run();
    assert.equal(r.elapsedMs, 1_000);
    logs.push(log);
    hashes.push(r.traceHash);
  }
  assert.deepEqual(logs[0], [
    ['date', 0, 5, 1],
    ['immediate', 0, 0],
    ['node:timers', 10],
    ['interval', 100],
    ['interval', 200],
    ['timeout', 'x', 250],
    ['interval', 300],
    ['end', 1_000, 1_000],
  ]);
  assert.deepEqual(logs[1], logs[0]);
  assert.equal(hashes[1], hashes[0]);
  assert.deepEqual([globalThis.setTimeout, globalThis.setInterval, globalThis.setImmediate, globalThis.clearTimeout, Date, nodeTimers.setTimeout], saved);
  assert.equal(Object.getOwnPropertyDescriptor(globalThis, 'Date')?.enumerable, false, 'descriptors restored too');
  assert.ok(new Date().getFullYear() >= 2026 && Date.now() - new Date().getTime() < 60_000, 'Date is real again');
});

test('virtual timer firings are part of the trace', async () => {
  const build = (delay: number) =>
    new Sim({ seed: 2 })
      .client('t', function* () {
        setTimeout(() => {}, delay);
        yield* sleep(500);
      })
      .run();
  const [a, b, c] = [await build(100), await build(100), await build(200)];
  assert.equal(a.traceHash, b.traceHash);
  assert.notEqual(a.traceHash, c.traceHash);
  const r = await Sim.checkDeterminism(() => build(100), 2);
  assert.ok(r.deterministic, JSON.stringify(r.firstDivergence));
});

test('timers set outside every host during a run are real ones', async () => {
  let fired = false;
  const run = new Sim({ seed: 1 })
    .client('t', function* () {
      yield* sleep(10);
    })
    .run();
  const t = setTimeout(() => (fired = true), 1);
  assert.equal(t.constructor.name, 'Timeout', 'a Node timer, not a virtual one');
  await run;
  await new Promise((r) => setTimeout(r, 5));
  assert.ok(fired);
});

test('a timer callback that throws fails the run, naming the host', async () => {
  const err = await new Sim({ seed: 3 })
    .client('t', function* () {
      setTimeout(() => {
        throw new Error('boom');
      }, 20);
      yield* sleep(100);
    })
    .run()
    .then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SimError, String(err));
  assert.equal(err.kind, 'callback-failed');
  assert.equal(err.host, 't');
  assert.equal(err.elapsedMs, 20);
  assert.match(err.message, /setTimeout callback threw.*boom/);
});

test("a crashed host's timers are dropped; unref'd timers keep nothing alive", async () => {
  const ticks = { n: 0 };
  function* ticking(out: { n: number }, unref: boolean): Gen<void> {
    const iv = setInterval(() => out.n++, 100);
    if (unref) iv.unref();
    yield* sleep(0);
  }
  const sim = new Sim({ seed: 5 })
    .host('h', ticking, ticks, false)
    .client('c', function* () {
      yield* sleep(1_000);
    });
  sim.at(250, () => sim.crash('h'));
  await sim.run();
  assert.equal(ticks.n, 2, 'ticks at 100 and 200, none after the crash at 250');
  const idle = { n: 0 };
  const r = await new Sim({ seed: 5 }).host('h', ticking, idle, true).run();
  assert.equal(r.elapsedMs, 0, 'an unref interval does not move time');
  assert.equal(idle.n, 0);
  const bounded = { n: 0 };
  const r2 = await new Sim({ seed: 5, durationMs: 1_000 }).host('h', ticking, bounded, false).run();
  assert.equal(r2.elapsedMs, 1_000);
  assert.equal(bounded.n, 10, "a ref'd interval keeps a host-only run going until durationMs");
});
