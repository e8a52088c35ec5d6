import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Runtime,
  run,
  spawn,
  sleep,
  sleepUntil,
  Sleep,
  Instant,
  DeadlockError,
  contextFromWaker,
  wakerFn,
  Pending,
  fromPromise,
  type Gen,
} from '../../src/index.js';
import { slab } from '../../src/runtime/time/slab.js';
import { race, Probe, pollOnce } from './helpers.js';

const paused = { startPaused: true } as const;

test('sleep completes exactly at its deadline on the paused clock (auto-advance)', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    yield* sleep(3_600_000);
    const hour = t0.elapsed();
    yield* sleep(25);
    return [hour, t0.elapsed()];
  }, paused);
  assert.deepEqual(out, [3_600_000, 3_600_025]);
});

test('fractional durations are rounded up to the 1 ms tick, never down', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const s = sleep(1.2);
    assert.equal(s.deadline.ms - t0.ms, 2);
    yield* s;
    return t0.elapsed();
  }, paused);
  assert.equal(out, 2);
});

test('sleepUntil completes at the instant; a past instant completes at once', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const s = sleepUntil(t0.add(500));
    assert.ok(s.deadline.equals(t0.add(500)));
    yield* s;
    const a = t0.elapsed();
    yield* sleepUntil(t0); // in the past
    return [a, t0.elapsed()];
  }, paused);
  assert.deepEqual(out, [500, 500]);
});

test('sleep(0) is ready at the first poll without a timer entry', async () => {
  const live0 = slab.live;
  const out = await run(function* main() {
    const s = sleep(0);
    const r = s.poll(contextFromWaker(wakerFn(() => {})));
    return [r, slab.live - live0, s.isElapsed()];
  });
  assert.deepEqual(out, [undefined, 0, true]);
});

test('sleeping tasks wake in deadline order, equal deadlines in arming order, deterministically', async () => {
  async function scenario(): Promise<string[]> {
    const log: string[] = [];
    function* sleeper(name: string, ms: number): Gen<void> {
      yield* sleep(ms);
      log.push(`${name}@${ms}`);
      yield* sleep(ms);
      log.push(`${name}@${2 * ms}`);
    }
    await run(function* main() {
      const hs = [spawn(sleeper, 'a', 64), spawn(sleeper, 'b', 63), spawn(sleeper, 'c', 4096), spawn(sleeper, 'd', 64), spawn(sleeper, 'e', 1)];
      for (const h of hs) yield* h;
    }, paused);
    return log;
  }
  const first = await scenario();
  assert.deepEqual(first, ['e@1', 'e@2', 'b@63', 'a@64', 'd@64', 'b@126', 'a@128', 'd@128', 'c@4096', 'c@8192']);
  assert.deepEqual(await scenario(), first, 'same interleaving on every run');
});

test('bad durations throw a RangeError naming the value', () => {
  for (const bad of [-1, NaN, -Infinity, '10', undefined, null, 10n, {}]) {
    assert.throws(
      () => sleep(bad as number),
      (e: unknown) => e instanceof RangeError && /sleep: duration must be a non-negative number/.test(e.message) && e.message.includes(String(bad === undefined ? 'undefined' : bad === null ? 'null' : typeof bad === 'bigint' ? '10n' : typeof bad === 'object' ? 'object' : bad)),
      String(bad),
    );
  }
  assert.throws(() => sleepUntil(5 as unknown as Instant), /sleepUntil: expected an Instant, got 5/);
  assert.throws(() => Instant.now().add(-3), /Instant.add: duration .* got -3/);
});

test('sleep(Infinity) never completes and arms nothing, so a lone one is a deadlock', async () => {
  const rt = new Runtime();
  await assert.rejects(
    rt.blockOn(function* forever() {
      yield* sleep(Infinity);
    }),
    DeadlockError,
  );
  await rt.shutdown();
});

test('a paused runtime with an armed timer is not deadlocked: it auto-advances', async () => {
  const rt = new Runtime(paused);
  const v = await rt.blockOn(function* waits() {
    yield* sleep(10 * 24 * 3600 * 1000);
    return 'woke';
  });
  assert.equal(v, 'woke');
  await rt.shutdown();
});

test('dropping a sleep removes its entry at once', async () => {
  const live0 = slab.live;
  const rt = new Runtime(paused);
  const out = await rt.blockOn(function* main() {
    const m = () => rt.metrics()['timerArmedCount'];
    const a = sleep(1000);
    const b = sleep(5);
    const r = yield* race(a, b);
    // `a` was dropped by the race: nothing of it is left in the wheel or the slab.
    return [r.i, m(), slab.live - live0];
  });
  assert.deepEqual(out, [1, 0, 0]);
  await rt.shutdown();
});

test('aborting a sleeping task drops its sleep and frees the entry', async () => {
  const live0 = slab.live;
  const out = await run(function* main() {
    function* sleeper(): Gen<void> {
      yield* sleep(60_000);
    }
    const h = spawn(sleeper);
    yield* sleep(1);
    const armed = Runtime.current().metrics()['timerArmedCount'];
    h.abort();
    try {
      yield* h;
    } catch {
      /* cancelled */
    }
    return [armed, Runtime.current().metrics()['timerArmedCount'], slab.live - live0];
  }, paused);
  assert.deepEqual(out, [1, 0, 0]);
});

test('reset moves a pending sleep earlier or later, and re-arms a completed one', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const s = sleep(1000);
    const p = new Probe();
    // Poll once so it is armed, then move it earlier.
    assert.equal((yield* race(p, sleep(1))).i, 1);
    s.reset(t0.add(50));
    yield* s;
    const a = t0.elapsed();
    assert.ok(s.isElapsed());
    s.reset(t0.add(300)); // completed: pending again
    assert.ok(!s.isElapsed());
    yield* s;
    const b = t0.elapsed();
    // Reset while armed, later.
    const s2 = sleep(10);
    yield* race(new Probe(), sleep(1));
    assert.equal(yield* pollOnce(s2), false); // armed
    s2.reset(t0.add(1000));
    yield* s2;
    return [a, b, t0.elapsed()];
  }, paused);
  assert.deepEqual(out, [50, 300, 1000]);
});

test('reset to a passed instant wakes the waiting task, which completes', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const s = sleep(10_000);
    function* resetter(target: Sleep): Gen<void> {
      yield* sleep(20);
      target.reset(Instant.now());
    }
    spawn(resetter, s);
    yield* s;
    return t0.elapsed();
  }, paused);
  assert.equal(out, 20);
});

test('reset rejects a non-Instant', () => {
  assert.throws(() => sleep(1).reset(3 as unknown as Instant), TypeError);
});

test('a completed sleep spends the task budget (cooperative yield)', async () => {
  const rt = new Runtime();
  await rt.blockOn(function* main() {
    for (let i = 0; i < 300; i++) yield* sleep(0);
  });
  assert.ok((rt.metrics().budgetForcedYieldCount as number) >= 2);
  await rt.shutdown();
});

test('real clock: a sleep never completes before its deadline, which is less than 1 ms short of ms away', async () => {
  const out = await run(function* main() {
    const res: [number, number][] = [];
    for (const ms of [1, 3, 7, 15]) {
      const before = performance.now();
      const s = sleep(ms);
      const after = performance.now();
      yield* s;
      assert.ok(performance.now() >= s.deadline.ms);
      res.push([s.deadline.ms - (before + ms), s.deadline.ms - (after + ms)]);
    }
    return res;
  });
  // The deadline is ⌈ms⌉ ticks from the start of the tick in progress (Node's setTimeout rule):
  // after now + ms - 1, at most now + ms.
  for (const [a, b] of out) assert.ok(a > -1 && b <= 0, `deadline ${a} / ${b} ms from start + ms`);
});

test('real clock: one Node timer for many sleeps, none once they are all dropped', async () => {
  const countTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = countTimeouts();
  const rt = new Runtime();
  const out = await rt.blockOn(function* main() {
    const cx = contextFromWaker(wakerFn(() => {}));
    const sleeps = [];
    for (let i = 0; i < 100; i++) {
      const s = sleep(1000 + i * 37);
      assert.equal(s.poll(cx), Pending);
      sleeps.push(s);
    }
    const armed = countTimeouts() - before;
    for (const s of sleeps) s.drop();
    yield* fromPromise(new Promise((r) => setImmediate(r))); // the idle timer is unref'd a turn later
    const afterDrop = countTimeouts() - before;
    // Arming again re-refs it (no new Node timer when the armed one is early enough).
    const again = sleep(5000);
    assert.equal(again.poll(cx), Pending);
    const rearmed = countTimeouts() - before;
    again.drop();
    return [armed, afterDrop, rearmed];
  });
  assert.deepEqual(out, [1, 0, 1]);
  await rt.shutdown();
});

test('a sleep polled by hand outside any task uses the default runtime and wakes its waker', async () => {
  let woken = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const cx = contextFromWaker(
    wakerFn(() => {
      woken++;
      resolve();
    }),
  );
  Runtime.default(); // made beforehand, so that making it at the first poll cannot outlast the sleep
  const s = sleep(20);
  assert.equal(s.poll(cx), Pending);
  await done;
  assert.equal(woken, 1);
  assert.equal(s.poll(cx), undefined);
  assert.equal(s.poll(cx), undefined, 'ready again when polled again');
});

test('the runtime dump and metrics show armed timers; the console lists them', async () => {
  const { resourceRegistry } = await import('../../src/runtime/resources.js');
  const { listResources } = await import('../../src/index.js');
  resourceRegistry.enabled = true;
  try {
    const out = await run(function* main() {
      const s = sleep(5000);
      yield* race(new Probe(), sleep(1)); // let time move a bit
      yield* pollOnce(s);
      const s2 = sleep(5000);
      yield* pollOnce(s2);
      const dump = Runtime.current().dump();
      const m = Runtime.current().metrics();
      const timers = listResources().filter((r) => r.kind === 'timer' && r.waiters === 1);
      s.drop();
      s2.drop();
      return { dump, armed: m['timerArmedCount'], paused: m['timePaused'], timers: timers.length };
    }, paused);
    assert.match(out.dump, /time: 2 timers armed/);
    assert.match(out.dump, /clock paused/);
    assert.equal(out.armed, 2);
    assert.equal(out.paused, true);
    assert.ok(out.timers >= 2);
  } finally {
    resourceRegistry.enabled = false;
  }
});

test('a process whose only timers were cancelled exits (the idle Node timer is unref\'d)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
  const script = `
    import { Runtime, sleep, pollFn } from ${JSON.stringify(index)};
    const rt = new Runtime();
    const s = sleep(60_000);
    await rt.blockOn(function* main() { yield* pollFn((cx) => { s.poll(cx); return 0; }); });
    s.drop();
    console.log('dropped');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, 'the child had to be killed: a cancelled timer kept it alive');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'dropped');
});

test('real clock: a deadline beyond Node\'s 24.8-day timer limit arms a capped Node timer, no warning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w.name);
  };
  process.on('warning', onWarning);
  try {
    const out = await run(function* main() {
      const s = sleep(40 * 24 * 3600 * 1000);
      const r = yield* race(s, sleep(2));
      return r.i;
    });
    assert.equal(out, 1);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});

test('a deadline far past the wheel range (2^40 ms) still completes exactly on time (paused)', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    yield* sleep(2 ** 40);
    const a = t0.elapsed();
    yield* sleep(2 ** 36 + 5);
    return [a, t0.elapsed()];
  }, paused);
  assert.deepEqual(out, [2 ** 40, 2 ** 40 + 2 ** 36 + 5]);
});

test('a sleep(Infinity) that another task resets wakes its waiter at the new deadline', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    const s = sleep(Infinity);
    function* resetter(target: Sleep, to: number): Gen<void> {
      yield* sleep(10);
      target.reset(Instant.now().add(Infinity)); // still never
      yield* sleep(10);
      target.reset(t0.add(to));
    }
    spawn(resetter, s, 75);
    yield* s;
    const a = t0.elapsed();
    // An armed sleep reset to Infinity, then back to a finite deadline.
    const s2 = sleep(50);
    function* resetter2(target: Sleep): Gen<void> {
      yield* sleep(10);
      target.reset(Instant.fromMs(Infinity));
      yield* sleep(100);
      target.reset(Instant.now().add(5));
    }
    spawn(resetter2, s2);
    yield* s2;
    return [a, t0.elapsed()];
  }, paused);
  assert.deepEqual(out, [75, 75 + 115]);
});

test('a deadline is kept exactly, on the host tick grid or off it', async () => {
  const { realClock } = await import('../../src/runtime/clock.js');
  const phase = realClock.tickPhase!();
  const rt = new Runtime();
  const out = await rt.blockOn(function* main() {
    const off = Instant.fromMs(performance.now() + 12.3456789);
    const a = sleepUntil(off);
    const b = sleep(5);
    const grid = b.deadline.ms - phase; // a sleep(ms) deadline is a host tick start
    b.reset(off);
    const never = sleep(Infinity);
    const huge = sleepUntil(Instant.fromMs(2 ** 40 + 0.5));
    a.drop();
    b.drop();
    return [a.deadline.ms === off.ms, grid === Math.round(grid), b.deadline.ms === off.ms, never.deadline.ms, huge.deadline.ms];
  });
  assert.deepEqual(out, [true, true, true, Infinity, 2 ** 40 + 0.5]);
  await rt.shutdown();
});
