import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Runtime, run, spawn, sleep, Instant, time, ClockError, fromPromise, NoRuntimeError, yieldNow, type Gen } from '../../src/index.js';

const paused = { startPaused: true } as const;

test('startPaused: the clock stands still until something waits on a timer', async () => {
  const out = await run(function* main() {
    const t0 = Instant.now();
    let spin = 0;
    for (let i = 0; i < 1e5; i++) spin += i; // real time passes, the paused clock does not
    return [t0.elapsed(), time.isPaused(), spin > 0];
  }, paused);
  assert.deepEqual(out, [0, true, true]);
});

test('time.advance fires what is due by then, in order, and lets woken tasks run first', async () => {
  const log: string[] = [];
  function* worker(name: string, ms: number): Gen<void> {
    yield* sleep(ms);
    log.push(name);
  }
  await run(function* main() {
    spawn(worker, 'b', 1000);
    spawn(worker, 'a', 400);
    yield* yieldNow(); // let the workers arm their timers
    yield* time.advance(399);
    log.push('after 399');
    yield* time.advance(1);
    log.push('after 400');
    yield* time.advance(10_000);
    log.push('after 10400');
  }, paused);
  assert.deepEqual(log, ['after 399', 'a', 'after 400', 'b', 'after 10400']);
});

test('time.advance throws ClockError when the clock is not paused, RangeError on bad input', async () => {
  const err = await run(function* main() {
    try {
      yield* time.advance(5);
    } catch (e) {
      return e;
    }
    return null;
  });
  assert.ok(err instanceof ClockError);
  assert.match((err as Error).message, /not paused/);
  assert.throws(() => time.advance(-1), (e: unknown) => e instanceof RangeError && /time.advance: .* got -1/.test(e.message));
});

test('pause and resume inside a running runtime: the clock continues from the paused value', async () => {
  const out = await run(function* main() {
    time.pause();
    const t0 = Instant.now();
    yield* sleep(60_000); // auto-advance: at once
    const a = t0.elapsed();
    time.resume();
    assert.equal(time.isPaused(), false);
    const t1 = Instant.now();
    yield* sleep(2); // real time now
    return [a, t1.ms - t0.ms >= 60_000, t1.elapsed() > 1]; // sleep(2): two ticks from the tick in progress
  });
  assert.deepEqual(out, [60_000, true, true]);
});

test('pause/resume/isPaused outside a task need the runtime', async () => {
  assert.throws(() => time.pause(), NoRuntimeError);
  const rt = new Runtime();
  time.pause(rt);
  assert.equal(time.isPaused(rt), true);
  time.pause(rt); // idempotent
  time.resume(rt);
  time.resume(rt);
  assert.equal(time.isPaused(rt), false);
  await rt.shutdown();
});

test('auto-advance waits one setImmediate turn so pending callbacks run first', async () => {
  const log: string[] = [];
  function* io(): Gen<void> {
    yield* fromPromise(new Promise<void>((r) => setImmediate(r)));
    log.push('io');
  }
  function* timer(): Gen<void> {
    yield* sleep(1);
    log.push('timer');
  }
  await run(function* main() {
    const a = spawn(timer);
    const b = spawn(io);
    yield* a;
    yield* b;
  }, paused);
  assert.deepEqual(log, ['io', 'timer']);
});

test('a paused test with many sleeping tasks is deterministic and takes virtual time only', async () => {
  async function scenario(): Promise<string> {
    const log: string[] = [];
    function* client(id: number): Gen<void> {
      for (let i = 0; i < 5; i++) {
        yield* sleep(((id * 7 + i * 13) % 50) + 1);
        log.push(`${id}:${i}@${Math.round(Instant.now().ms)}`);
      }
    }
    const rt = new Runtime(paused);
    await rt.blockOn(function* main() {
      const t0 = Instant.now();
      const hs = [];
      for (let id = 0; id < 20; id++) hs.push(spawn(client, id));
      for (const h of hs) yield* h;
      log.push(`total ${t0.elapsed()}`);
    });
    await rt.shutdown();
    return log.map((l) => l.replace(/@\d+/, '')).join(',') + '|' + log.at(-1);
  }
  const a = await scenario();
  assert.equal(await scenario(), a);
});

test('shutdown of a paused runtime with armed timers cancels the tasks and clears the wheel', async () => {
  const rt = new Runtime(paused);
  function* sleeper(): Gen<void> {
    yield* sleep(1e7);
  }
  rt.spawn(sleeper);
  rt.spawn(sleeper);
  await rt.blockOn(function* arm() {
    yield* sleep(0);
  });
  assert.equal(rt.metrics()['timerArmedCount'], 2);
  await rt.shutdown();
  assert.equal(rt.metrics()['timerArmedCount'], 0);
});

test('auto-advance keeps going when a fired timer woke no task (a hand-polled sleep)', async () => {
  const rt = new Runtime({ startPaused: true });
  const { contextFromWaker, wakerFn, Pending } = await import('../../src/index.js');
  const log: string[] = [];
  const out = await rt.blockOn(function* main() {
    const t0 = Instant.now();
    const side = sleep(10);
    // Armed with a plain waker: firing it queues no task.
    assert.equal(side.poll(contextFromWaker(wakerFn(() => log.push('side fired')))), Pending);
    yield* sleep(20);
    log.push('main woke');
    return t0.elapsed();
  });
  assert.equal(out, 20);
  assert.deepEqual(log, ['side fired', 'main woke']);
  await rt.shutdown();
});
